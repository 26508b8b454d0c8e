package runtime_test

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
)

// Ticket and Verdict make a small tool: the shapes of the sentiment example
// without depending on it.
type Ticket struct {
	Text string `json:"text"`
}

type Verdict struct {
	Label string  `json:"label"`
	Score float64 `json:"score"`
}

const ticketSchema = `{"type":"object","properties":{"text":{"type":"string","minLength":1}},"required":["text"],"additionalProperties":false}`

const verdictSchema = `{
  "type": "object",
  "properties": {
    "label": {"type": "string", "enum": ["spam", "ham"]},
    "score": {"type": "number", "minimum": 0, "maximum": 1}
  },
  "required": ["label", "score"],
  "additionalProperties": false
}`

func verdictSpec() runtime.Spec[Ticket, Verdict] {
	return runtime.Spec[Ticket, Verdict]{
		Name:         "classify",
		Description:  "Classify a ticket.",
		InputSchema:  ticketSchema,
		OutputSchema: verdictSchema,
		PromptName:   "classify.tmpl",
		Prompt:       `{{define "system"}}You sort tickets.{{end}}Classify: {{fence .Text}}`,
		Enums: []runtime.Enum{{Path: "label", Values: []runtime.EnumValue{
			{Value: "spam", Doc: "unsolicited bulk mail"}, {Value: "ham", Doc: "everything else"},
		}}},
		Params: runtime.Params{Temperature: runtime.Float(0.2), MaxTokens: 50, Retries: runtime.Int(2)},
	}
}

// script is a model that gives its answers in order and records what it
// was asked. An answer "!error" makes it fail instead.
type script struct {
	mu       sync.Mutex
	answers  []reply
	requests []*mcp.CreateMessageWithToolsParams
	model    string // the model's name in its results; "" for script-model
}

type reply struct {
	text, stop string
}

func say(texts ...string) *script {
	s := &script{}
	for _, t := range texts {
		s.answers = append(s.answers, reply{text: t, stop: "endTurn"})
	}
	return s
}

func (s *script) CreateMessage(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, req)
	if len(s.answers) == 0 {
		return nil, fmt.Errorf("script: no answer left for request %d", len(s.requests))
	}
	a := s.answers[0]
	s.answers = s.answers[1:]
	if a.text == "!error" {
		return nil, fmt.Errorf("script: model backend unavailable")
	}
	return &mcp.CreateMessageWithToolsResult{
		Role: "assistant", Model: cmp.Or(s.model, "script-model"), StopReason: a.stop,
		Content: []mcp.Content{&mcp.TextContent{Text: a.text}},
	}, nil
}

// handler adapts the script to a go-sdk client's sampling handler.
func (s *script) handler(ctx context.Context, req *mcp.CreateMessageRequest) (*mcp.CreateMessageResult, error) {
	p := req.Params
	msgs := make([]*mcp.SamplingMessageV2, len(p.Messages))
	for i, m := range p.Messages {
		msgs[i] = &mcp.SamplingMessageV2{Role: m.Role, Content: []mcp.Content{m.Content}}
	}
	res, err := s.CreateMessage(ctx, &mcp.CreateMessageWithToolsParams{
		SystemPrompt: p.SystemPrompt, Messages: msgs, MaxTokens: p.MaxTokens, Temperature: p.Temperature,
		StopSequences: p.StopSequences, ModelPreferences: p.ModelPreferences, Metadata: p.Metadata,
	})
	if err != nil {
		return nil, err
	}
	return &mcp.CreateMessageResult{Role: res.Role, Model: res.Model, StopReason: res.StopReason, Content: res.Content[0]}, nil
}

func (s *script) asked() []*mcp.CreateMessageWithToolsParams {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*mcp.CreateMessageWithToolsParams(nil), s.requests...)
}

func text(m *mcp.SamplingMessageV2) string {
	if len(m.Content) == 1 {
		if t, ok := m.Content[0].(*mcp.TextContent); ok {
			return t.Text
		}
	}
	return ""
}

func decode[T any](t *testing.T, v any) T {
	t.Helper()
	var out T
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("decoding %s: %v", b, err)
	}
	return out
}

var discard = slog.New(slog.DiscardHandler)

// testKey signs request state in tests; real keys are random.
var testKey = []byte("a test key of 32 bytes, or more!")

// addTwoSamples adds "classify", a function tool that asks two different
// things in turn, so that a multi round-trip call takes three round trips;
// opts are added to its own.
func addTwoSamples(t *testing.T, srv *mcp.Server, opts ...runtime.ToolOption) {
	t.Helper()
	verdict := runtime.NewTool(verdictSpec())
	tool := &mcp.Tool{Name: "classify", InputSchema: json.RawMessage(ticketSchema)}
	if err := runtime.AddFunc(srv, tool, func(ctx context.Context, s runtime.Sampler, in Ticket) (Verdict, error) {
		if _, err := verdict.Sample(ctx, s, in); err != nil {
			return Verdict{}, err
		}
		return verdict.Sample(ctx, s, Ticket{Text: in.Text + " again"})
	}, append([]runtime.ToolOption{quiet(), runtime.WithStateKey(testKey)}, opts...)...); err != nil {
		t.Fatal(err)
	}
}
