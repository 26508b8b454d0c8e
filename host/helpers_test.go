package host_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/host"
	"github.com/samplegen/samplegen/sampling"
)

// A fakeModel stands in for a provider inside a unit test: it answers
// every request with its text (and usage, where set), and records what it
// was asked and for which server.
type fakeModel struct {
	name  string // the result's model; "" leaves it to the catalog
	text  string
	usage *sampling.Usage
	fail  error // returned instead of an answer, when set

	mu      sync.Mutex
	asked   []*mcp.CreateMessageWithToolsParams
	servers []string
}

func answering(text string) *fakeModel { return &fakeModel{text: text} }

func (m *fakeModel) CreateMessage(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
	m.mu.Lock()
	m.asked = append(m.asked, req)
	m.servers = append(m.servers, host.ServerOf(ctx).Name)
	m.mu.Unlock()
	if m.fail != nil {
		return nil, m.fail
	}
	res := &mcp.CreateMessageWithToolsResult{
		Role: "assistant", Model: m.name, StopReason: "endTurn",
		Content: []mcp.Content{&mcp.TextContent{Text: m.text}},
	}
	if m.usage != nil {
		sampling.SetUsage(res, *m.usage)
	}
	return res, nil
}

func (m *fakeModel) requests() []*mcp.CreateMessageWithToolsParams {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]*mcp.CreateMessageWithToolsParams(nil), m.asked...)
}

func (m *fakeModel) askedFor() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.servers...)
}

// ask is a small sampling request.
func ask(text string, maxTokens int64) *mcp.CreateMessageWithToolsParams {
	return &mcp.CreateMessageWithToolsParams{
		MaxTokens: maxTokens,
		Messages:  []*mcp.SamplingMessageV2{{Role: "user", Content: []mcp.Content{&mcp.TextContent{Text: text}}}},
	}
}

// refusal returns err's refusal, failing the test if it is none.
func refusal(t *testing.T, err error) *sampling.RefusalError {
	t.Helper()
	var r *sampling.RefusalError
	if !errors.As(err, &r) || !errors.Is(err, sampling.ErrRefused) {
		t.Fatalf("got %v, want a refusal (sampling.RefusalError)", err)
	}
	return r
}

// textOf is the text of a tool result's content.
func textOf(res *mcp.CallToolResult) string {
	var b strings.Builder
	for _, c := range res.Content {
		if t, ok := c.(*mcp.TextContent); ok {
			b.WriteString(t.Text)
		}
	}
	return b.String()
}

// An askServer is a plain go-sdk server (no samplegen runtime) with one
// tool, "ask", that sends the client a sampling request for its "prompt"
// argument, pushed (protocol 2025-11-25), and returns what came back: the
// answer's text and model, or the JSON-RPC error as the wire carried it.
func askServer(name string) *mcp.Server {
	srv := mcp.NewServer(&mcp.Implementation{Name: name, Version: "1"}, &mcp.ServerOptions{SupportedProtocolVersions: []string{"2025-11-25"}})
	type askIn struct {
		Prompt    string `json:"prompt"`
		MaxTokens int64  `json:"maxTokens,omitempty"`
	}
	mcp.AddTool(srv, &mcp.Tool{Name: "ask", Description: "Ask the client's model."}, func(ctx context.Context, req *mcp.CallToolRequest, in askIn) (*mcp.CallToolResult, wireAnswer, error) {
		params := ask(in.Prompt, max(in.MaxTokens, 100))
		params.ModelPreferences = &mcp.ModelPreferences{Hints: []*mcp.ModelHint{{Name: "small"}}}
		params.IncludeContext = "thisServer"
		params.Metadata = map[string]any{"from": name}
		res, err := req.Session.CreateMessageWithTools(ctx, params)
		if err != nil {
			return nil, wireAnswerOf(err), nil
		}
		var out wireAnswer
		out.Model = res.Model
		for _, c := range res.Content {
			if t, ok := c.(*mcp.TextContent); ok {
				out.Text += t.Text
			}
		}
		return nil, out, nil
	})
	return srv
}

// wireAnswer is what askServer's tool returns.
type wireAnswer struct {
	Text    string `json:"text,omitempty"`
	Model   string `json:"model,omitempty"`
	Code    int64  `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
	Data    string `json:"data,omitempty"`
	Error   string `json:"error,omitempty"`
}

func wireAnswerOf(err error) wireAnswer {
	var je *jsonrpc.Error
	if errors.As(err, &je) {
		return wireAnswer{Code: je.Code, Message: je.Message, Data: string(je.Data)}
	}
	return wireAnswer{Error: err.Error()}
}

// connect serves srv to a new client session of client over in-memory
// transports; both ends close when the test ends.
func connect(t *testing.T, client *mcp.Client, srv *mcp.Server) *mcp.ClientSession {
	t.Helper()
	ctx := context.Background()
	st, ct := mcp.NewInMemoryTransports()
	ss, err := srv.Connect(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ss.Close() })
	cs, err := client.Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cs.Close() })
	return cs
}

// callAsk calls askServer's tool on cs and returns its answer.
func callAsk(t *testing.T, cs *mcp.ClientSession, prompt string) wireAnswer {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "ask", Arguments: map[string]any{"prompt": prompt}})
	if err != nil {
		t.Fatal(err)
	}
	if res.IsError {
		t.Fatalf("ask: %s", textOf(res))
	}
	var out wireAnswer
	b, _ := json.Marshal(res.StructuredContent)
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("ask's result %s: %v", b, err)
	}
	return out
}

// approvals records what an Approver was shown, and approves.
type approvals struct {
	mu   sync.Mutex
	seen []host.Request
}

func (a *approvals) approve(_ context.Context, req *host.Request) (bool, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.seen = append(a.seen, *req)
	return true, nil
}

func (a *approvals) names() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []string
	for _, r := range a.seen {
		out = append(out, r.Server.Name)
	}
	return out
}

func (a *approvals) requests() []host.Request {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]host.Request(nil), a.seen...)
}

func mustCatalog(t *testing.T, models ...host.Model) *host.Catalog {
	t.Helper()
	c, err := host.NewCatalog(models...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func jsonOf(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
