package runtime_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"text/template"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// BenchmarkToolCall measures one tools/call of a samplegen tool against a
// hand-written go-sdk handler doing the same job (render the prompt, ask the
// client's model, decode its JSON answer into a Verdict), over in-memory
// transports, on both protocol eras. The client's model always gives a clean
// answer, so no re-ask happens. Compare the sub-benchmarks of each era:
//
//	go test ./runtime -run '^$' -bench BenchmarkToolCall -benchmem -count 6
//
// samplegen runs as configured by default, telemetry off (OpenTelemetry's
// global no-op providers); "samplegen+report" adds the report in _meta
// (WithReportMeta), which the client also pays to decode; "samplegen+otel"
// records every span and metric with the OpenTelemetry SDK.
func BenchmarkToolCall(b *testing.B) {
	b.Setenv(runtime.EnvReportMeta, "") // TestMain turns it on for the tests
	for _, era := range []struct{ name, protocol string }{
		{"push", legacyProtocol},
		{"mrtr", mrtrProtocol},
	} {
		b.Run(era.name+"/samplegen", func(b *testing.B) {
			srv := newServer(era.protocol)
			runtime.NewTool(benchSpec()).Add(srv, runtime.WithLogger(discard), runtime.WithStateKey(testKey))
			runToolCalls(b, srv, era.protocol)
		})
		b.Run(era.name+"/samplegen+report", func(b *testing.B) {
			srv := newServer(era.protocol)
			runtime.NewTool(benchSpec()).Add(srv, runtime.WithLogger(discard), runtime.WithStateKey(testKey), runtime.WithReportMeta(runtime.ReportMetaOn))
			runToolCalls(b, srv, era.protocol)
		})
		b.Run(era.name+"/samplegen+otel", func(b *testing.B) {
			// Every span sampled and every metric collected, exported
			// nowhere: what telemetry that is on costs the call itself.
			tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.AlwaysSample()))
			mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
			b.Cleanup(func() { _ = tp.Shutdown(context.Background()); _ = mp.Shutdown(context.Background()) })
			srv := newServer(era.protocol)
			runtime.NewTool(benchSpec()).Add(srv, runtime.WithLogger(discard), runtime.WithStateKey(testKey), runtime.WithTracerProvider(tp), runtime.WithMeterProvider(mp))
			runToolCalls(b, srv, era.protocol)
		})
		b.Run(era.name+"/handwritten", func(b *testing.B) {
			srv := newServer(era.protocol)
			srv.AddTool(&mcp.Tool{
				Name:         "classify",
				Description:  "Classify a ticket.",
				InputSchema:  json.RawMessage(ticketSchema),
				OutputSchema: json.RawMessage(verdictSchema),
			}, newHandwritten(testKey).handle)
			asked := runToolCalls(b, srv, era.protocol)
			// The comparison is fair only while both ask the same thing.
			want := samplegenRequest(b)
			if asked.SystemPrompt != want.SystemPrompt || benchUserText(asked) != benchUserText(want) {
				b.Fatalf("the hand-written request (system %d bytes, user %q) differs from samplegen's (system %d bytes, user %q): update benchSystemPrompt",
					len(asked.SystemPrompt), benchUserText(asked), len(want.SystemPrompt), benchUserText(want))
			}
		})
	}
}

// benchSpec is verdictSpec with the parameters of examples/sentiment.
func benchSpec() runtime.Spec[Ticket, Verdict] {
	spec := verdictSpec()
	spec.Params = runtime.Params{Temperature: runtime.Float(0), MaxTokens: 64, Retries: runtime.Int(2), Timeout: 30 * time.Second}
	return spec
}

const (
	benchText   = "Congratulations! You have been selected for a FREE cruise to the Bahamas. Reply with your card number to claim your prize today."
	benchAnswer = `{"label":"spam","score":0.97}`
)

// benchModel returns the client's model: always the same clean answer. It
// keeps the first request it is asked in first.
func benchModel(first *atomic.Pointer[mcp.CreateMessageParams]) func(context.Context, *mcp.CreateMessageRequest) (*mcp.CreateMessageResult, error) {
	return func(_ context.Context, req *mcp.CreateMessageRequest) (*mcp.CreateMessageResult, error) {
		first.CompareAndSwap(nil, req.Params)
		return &mcp.CreateMessageResult{
			Role: "assistant", Model: "bench-model", StopReason: "endTurn",
			Content: &mcp.TextContent{Text: benchAnswer},
		}, nil
	}
}

// samplegenRequest is the sampling request samplegen makes for benchText.
func samplegenRequest(b *testing.B) *mcp.CreateMessageWithToolsParams {
	var req *mcp.CreateMessageWithToolsParams
	_, err := runtime.NewTool(benchSpec()).Sample(context.Background(), runtime.SamplerFunc(func(_ context.Context, r *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		req = r
		return &mcp.CreateMessageWithToolsResult{Role: "assistant", Model: "bench-model", Content: []mcp.Content{&mcp.TextContent{Text: benchAnswer}}}, nil
	}), Ticket{Text: benchText})
	if err != nil || req == nil {
		b.Fatalf("samplegen's request: %v", err)
	}
	return req
}

// benchUserText is the text of a request's first message.
func benchUserText[P interface {
	*mcp.CreateMessageParams | *mcp.CreateMessageWithToolsParams
}](p P) string {
	var c mcp.Content
	switch p := any(p).(type) {
	case *mcp.CreateMessageParams:
		if len(p.Messages) > 0 {
			c = p.Messages[0].Content
		}
	case *mcp.CreateMessageWithToolsParams:
		if len(p.Messages) > 0 && len(p.Messages[0].Content) > 0 {
			c = p.Messages[0].Content[0]
		}
	}
	if t, ok := c.(*mcp.TextContent); ok {
		return t.Text
	}
	return ""
}

// runToolCalls connects a client to srv, checks one call in full, times b.N
// calls, and returns the first sampling request the client's model got.
func runToolCalls(b *testing.B, srv *mcp.Server, protocol string) *mcp.CreateMessageParams {
	ctx := context.Background()
	var first atomic.Pointer[mcp.CreateMessageParams]
	st, ct := mcp.NewInMemoryTransports()
	ss, err := srv.Connect(ctx, st, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = ss.Close() })
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "bench-client", Version: "1"}, &mcp.ClientOptions{CreateMessageHandler: benchModel(&first)}).Connect(ctx, ct, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = cs.Close() })
	if got := cs.InitializeResult().ProtocolVersion; got != protocol {
		b.Fatalf("negotiated protocol %s, want %s", got, protocol)
	}
	params := &mcp.CallToolParams{Name: "classify", Arguments: map[string]any{"text": benchText}}

	res, err := cs.CallTool(ctx, params)
	if err != nil {
		b.Fatal(err)
	}
	var got Verdict
	if raw, err := json.Marshal(res.StructuredContent); err != nil || res.IsError || json.Unmarshal(raw, &got) != nil || got != (Verdict{Label: "spam", Score: 0.97}) {
		b.Fatalf("the first call gave %+v (structured %s), want the model's verdict", res, raw)
	}

	b.ReportAllocs()
	for b.Loop() {
		res, err := cs.CallTool(ctx, params)
		if err != nil {
			b.Fatal(err)
		}
		if res.IsError {
			b.Fatalf("tool error: %v", res.Content)
		}
	}
	return first.Load()
}

// benchSystemPrompt is the system prompt samplegen sends for benchSpec
// (prompt.Instructions with the output's prompt.Shape), written out
// as a hand-writer would. TestBenchPromptsMatch holds it equal to
// samplegen's, so the comparison stays fair.
const benchSystemPrompt = `You sort tickets.

Answer in JSON only:
{
  label: Label,
  score: number, // from 0 to 1
}
Label, one of:
- spam: unsolicited bulk mail
- ham: everything else
`

// handwritten is what a careful person writes by hand with go-sdk alone for
// the same tool: decode the arguments, render the prompt, ask, decode the
// answer; on multi round-trip sessions, return the request as an input
// request with an HMAC-signed, expiring state bound to the arguments.
type handwritten struct {
	prompt *template.Template
	key    []byte
}

func newHandwritten(key []byte) *handwritten {
	return &handwritten{
		prompt: template.Must(template.New("classify").Funcs(template.FuncMap{"fence": handFence}).Parse("Classify: {{fence .Text}}")),
		key:    key,
	}
}

// handFence fences untrusted text with more backticks than it contains in a row.
func handFence(s string) string {
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	f := strings.Repeat("`", max(3, longest+1))
	return f + "\n" + s + "\n" + f
}

// handState is the request state of the hand-written tool's round trip.
type handState struct {
	Args string `json:"args"` // sha256 of the raw arguments
	Exp  int64  `json:"exp"`  // unix seconds
}

func (h *handwritten) handle(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	raw := req.Params.Arguments
	if req.Params.RequestState != "" {
		// The second round trip: the model's answer is in the input responses.
		if err := h.verify(req.Params.RequestState, raw); err != nil {
			return handError(err), nil
		}
		var text string
		switch r := req.Params.InputResponses["s"].(type) {
		case *mcp.CreateMessageWithToolsResult:
			if len(r.Content) > 0 {
				if t, ok := r.Content[0].(*mcp.TextContent); ok {
					text = t.Text
				}
			}
		case *mcp.CreateMessageResult:
			if t, ok := r.Content.(*mcp.TextContent); ok {
				text = t.Text
			}
		default:
			return handError(fmt.Errorf("no sampling result for input request s")), nil
		}
		return handResult(text), nil
	}

	var in Ticket
	if err := json.Unmarshal(raw, &in); err != nil {
		return handError(fmt.Errorf("invalid arguments: %w", err)), nil
	}
	if in.Text == "" {
		return handError(errors.New("invalid arguments: text is empty")), nil
	}
	var user bytes.Buffer
	if err := h.prompt.Execute(&user, in); err != nil {
		return nil, err
	}
	params := &mcp.CreateMessageWithToolsParams{
		SystemPrompt: benchSystemPrompt,
		Messages:     []*mcp.SamplingMessageV2{{Role: "user", Content: []mcp.Content{&mcp.TextContent{Text: user.String()}}}},
		MaxTokens:    64,
		Temperature:  0,
	}

	if req.ProtocolVersion() >= mrtrProtocol {
		state, err := h.sign(raw)
		if err != nil {
			return nil, err
		}
		return &mcp.CallToolResult{InputRequests: mcp.InputRequestMap{"s": params}, RequestState: state}, nil
	}

	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	res, err := req.Session.CreateMessageWithTools(ctx, params)
	if err != nil {
		return handError(fmt.Errorf("sampling: %w", err)), nil
	}
	var text string
	if len(res.Content) > 0 {
		if t, ok := res.Content[0].(*mcp.TextContent); ok {
			text = t.Text
		}
	}
	return handResult(text), nil
}

func handResult(text string) *mcp.CallToolResult {
	var out Verdict
	if err := json.Unmarshal([]byte(text), &out); err != nil {
		return handError(fmt.Errorf("the model's answer is not a verdict: %w", err))
	}
	b, err := json.Marshal(out)
	if err != nil {
		return handError(err)
	}
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: string(b)}}, StructuredContent: json.RawMessage(b)}
}

func handError(err error) *mcp.CallToolResult {
	res := &mcp.CallToolResult{}
	res.SetError(err)
	return res
}

func (h *handwritten) mac(payload []byte) []byte {
	m := hmac.New(sha256.New, h.key)
	m.Write(payload)
	return m.Sum(nil)
}

func argsDigest(raw json.RawMessage) string {
	sum := sha256.Sum256(raw)
	return base64.RawURLEncoding.EncodeToString(sum[:16])
}

func (h *handwritten) sign(args json.RawMessage) (string, error) {
	payload, err := json.Marshal(handState{Args: argsDigest(args), Exp: time.Now().Add(10 * time.Minute).Unix()})
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(payload) + "." + base64.RawURLEncoding.EncodeToString(h.mac(payload)), nil
}

func (h *handwritten) verify(state string, args json.RawMessage) error {
	p, sig, ok := strings.Cut(state, ".")
	if !ok {
		return errors.New("malformed request state")
	}
	payload, err1 := base64.RawURLEncoding.DecodeString(p)
	mac, err2 := base64.RawURLEncoding.DecodeString(sig)
	if err1 != nil || err2 != nil || !hmac.Equal(mac, h.mac(payload)) {
		return errors.New("the request state's signature does not match")
	}
	var st handState
	if err := json.Unmarshal(payload, &st); err != nil {
		return errors.New("malformed request state")
	}
	if time.Now().Unix() > st.Exp {
		return errors.New("the request state expired")
	}
	if st.Args != argsDigest(args) {
		return errors.New("the request state belongs to other arguments")
	}
	return nil
}

// TestBenchPromptsMatch keeps BenchmarkToolCall fair: the hand-written
// handler must ask what samplegen asks. (Benchmarks do not run in CI;
// this does.)
func TestBenchPromptsMatch(t *testing.T) {
	var req *mcp.CreateMessageWithToolsParams
	_, _ = runtime.NewTool(benchSpec()).Sample(context.Background(), runtime.SamplerFunc(func(_ context.Context, r *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		req = r
		return nil, context.Canceled
	}), Ticket{Text: benchText})
	if req == nil || req.SystemPrompt != benchSystemPrompt {
		t.Errorf("samplegen's system prompt for benchSpec is now:\n%s\nupdate benchSystemPrompt", req.SystemPrompt)
	}
}
