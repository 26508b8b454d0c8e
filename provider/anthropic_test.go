package provider_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/internal/aimock"
	"github.com/samplegen/samplegen/provider"
	"github.com/samplegen/samplegen/sampling"
	"go.uber.org/goleak"
)

// The Anthropic adapter's tests run against aimock's Anthropic Messages
// endpoint (testdata/anthropic). aimock's journal keeps the request as it
// understood it, in its own chat form: the model, max_tokens, temperature,
// the messages' text, tool calls and tool results, and the tools. It drops
// the rest (images, stop_sequences, tool_choice, metadata, output_config),
// so a tap in the HTTP client also keeps the exact body each request
// carried to aimock; the tests assert on both.

// A wireTap records the body and headers of each request it passes on.
type wireTap struct {
	next http.RoundTripper
	sent chan struct{} // one token per request handed to the server

	mu       sync.Mutex
	requests []tapped
}

type tapped struct {
	header http.Header
	body   map[string]any
}

func (w *wireTap) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := tapped{header: req.Header.Clone()}
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(body)
		body.Close()
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(b, &rec.body); err != nil {
			return nil, err
		}
	}
	w.mu.Lock()
	w.requests = append(w.requests, rec)
	w.mu.Unlock()
	select {
	case w.sent <- struct{}{}:
	default:
	}
	return w.next.RoundTrip(req)
}

func (w *wireTap) all() []tapped {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]tapped(nil), w.requests...)
}

// last returns the body of the last request, failing t if there was none.
func (w *wireTap) last(t *testing.T) map[string]any {
	t.Helper()
	all := w.all()
	if len(all) == 0 {
		t.Fatal("no request went on the wire")
	}
	return all[len(all)-1].body
}

// anthropicServer starts aimock with the Anthropic fixtures, and checks,
// once the test and the server are done, that the test left no goroutine.
func anthropicServer(t *testing.T) *aimock.Server {
	t.Helper()
	leaks := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, leaks) })
	return aimock.Start(t, aimock.Options{Fixtures: "testdata/anthropic"})
}

// newAnthropic returns an adapter talking to srv through a tap, with
// edit's changes to its configuration.
func newAnthropic(t *testing.T, srv *aimock.Server, edit func(*provider.Config)) (*provider.AnthropicModel, *wireTap) {
	t.Helper()
	tap := &wireTap{next: srv.Client(t, t.Name()).Transport, sent: make(chan struct{}, 16)}
	c := provider.Config{
		Provider:   provider.Anthropic,
		Model:      "claude-test",
		APIKey:     "sk-test-key",
		BaseURL:    srv.URL,
		HTTPClient: &http.Client{Transport: tap},
	}
	if edit != nil {
		edit(&c)
	}
	model, err := provider.NewAnthropic(c)
	if err != nil {
		t.Fatal(err)
	}
	return model, tap
}

// journaled is a request as aimock's journal keeps it.
type journaled struct {
	Model       string   `json:"model"`
	MaxTokens   int64    `json:"max_tokens"`
	Temperature *float64 `json:"temperature"`
	Messages    []struct {
		Role       string `json:"role"`
		Content    any    `json:"content"`
		ToolCallID string `json:"tool_call_id"`
		ToolCalls  []struct {
			ID       string `json:"id"`
			Function struct {
				Name      string `json:"name"`
				Arguments string `json:"arguments"`
			} `json:"function"`
		} `json:"tool_calls"`
	} `json:"messages"`
	Tools []struct {
		Function struct {
			Name        string         `json:"name"`
			Description string         `json:"description"`
			Parameters  map[string]any `json:"parameters"`
		} `json:"function"`
	} `json:"tools"`
}

// journal returns what aimock recorded of t's requests, oldest first.
func journal(t *testing.T, srv *aimock.Server) ([]journaled, []aimock.Entry) {
	t.Helper()
	entries := srv.Journal(t, aimock.Filter{Path: "/v1/messages", TestID: t.Name()})
	reqs := make([]journaled, len(entries))
	for i, e := range entries {
		if err := e.Decode(&reqs[i]); err != nil {
			t.Fatal(err)
		}
	}
	return reqs, entries
}

func statuses(entries []aimock.Entry) []int {
	var s []int
	for _, e := range entries {
		s = append(s, e.Response.Status)
	}
	return s
}

func userText(text string) *mcp.SamplingMessageV2 {
	return &mcp.SamplingMessageV2{Role: "user", Content: []mcp.Content{&mcp.TextContent{Text: text}}}
}

func textOf(res *mcp.CreateMessageWithToolsResult) string {
	var b strings.Builder
	for _, c := range res.Content {
		if t, ok := c.(*mcp.TextContent); ok {
			b.WriteString(t.Text)
		}
	}
	return b.String()
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// jsonEqual compares two values as JSON.
func jsonEqual(t *testing.T, what string, got, want any) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	var gv, wv any
	_ = json.Unmarshal(g, &gv)
	_ = json.Unmarshal(w, &wv)
	if !reflect.DeepEqual(gv, wv) {
		t.Errorf("%s = %s, want %s", what, g, w)
	}
}

var weatherTool = &mcp.Tool{
	Name:        "get_weather",
	Description: "The weather in a city.",
	InputSchema: map[string]any{
		"type":                 "object",
		"properties":           map[string]any{"city": map[string]any{"type": "string"}},
		"required":             []any{"city"},
		"additionalProperties": false,
	},
}

// Every field of a sampling request reaches the API as Anthropic names it,
// or is left out where the API has no such field; the answer comes back
// with the model the API names, MCP's stop reason and the token counts.
func TestAnthropicSendsEveryField(t *testing.T) {
	srv := anthropicServer(t)
	model, tap := newAnthropic(t, srv, nil)
	req := &mcp.CreateMessageWithToolsParams{
		Meta:         mcp.Meta{sampling.TemperatureMetaKey: 0},
		SystemPrompt: "You answer in one word.",
		Messages: []*mcp.SamplingMessageV2{
			userText("Hello."),
			{Role: "assistant", Content: []mcp.Content{&mcp.TextContent{Text: "Hi."}}},
			userText("FIELDS-CHECK: are they all here?"),
		},
		MaxTokens:        321,
		StopSequences:    []string{"END", "\n\nHuman:"},
		Tools:            []*mcp.Tool{weatherTool},
		ToolChoice:       &mcp.ToolChoice{Mode: "auto"},
		Metadata:         map[string]any{"user_id": "user-42", "session": "s-1"},
		ModelPreferences: &mcp.ModelPreferences{Hints: []*mcp.ModelHint{{Name: "opus"}}, IntelligencePriority: 1},
		IncludeContext:   "thisServer",
	}
	if temp, ok := sampling.Temperature(req); !ok || temp != 0 {
		t.Fatalf("the request asks for temperature %v (%v), want 0", temp, ok)
	}
	res, err := model.CreateMessage(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}

	if got := textOf(res); got != "fields arrived" || res.Role != "assistant" || res.StopReason != "endTurn" {
		t.Errorf("result = %q %s %s, want \"fields arrived\" assistant endTurn", got, res.Role, res.StopReason)
	}
	if res.Model != "claude-test-20261201" {
		t.Errorf("result model = %q, want the model the API named", res.Model)
	}
	if u, ok := sampling.UsageOf(res); !ok || u != (sampling.Usage{InputTokens: 11, OutputTokens: 3}) {
		t.Errorf("usage = %+v %v, want 11 in and 3 out", u, ok)
	}
	// The usage survives the result's trip over MCP's wire.
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var decoded mcp.CreateMessageWithToolsResult
	if err := json.Unmarshal(b, &decoded); err != nil {
		t.Fatal(err)
	}
	if u, ok := sampling.UsageOf(&decoded); !ok || u.InputTokens != 11 || u.OutputTokens != 3 {
		t.Errorf("usage after the wire = %+v %v, from %s", u, ok, b)
	}

	body := tap.last(t)
	jsonEqual(t, "model", body["model"], "claude-test") // the configured model, not the hint
	jsonEqual(t, "max_tokens", body["max_tokens"], 321)
	jsonEqual(t, "system", body["system"], []any{map[string]any{"type": "text", "text": "You answer in one word."}})
	jsonEqual(t, "messages", body["messages"], []any{
		map[string]any{"role": "user", "content": []any{map[string]any{"type": "text", "text": "Hello."}}},
		map[string]any{"role": "assistant", "content": []any{map[string]any{"type": "text", "text": "Hi."}}},
		map[string]any{"role": "user", "content": []any{map[string]any{"type": "text", "text": "FIELDS-CHECK: are they all here?"}}},
	})
	jsonEqual(t, "stop_sequences", body["stop_sequences"], []string{"END", "\n\nHuman:"})
	jsonEqual(t, "tool_choice", body["tool_choice"], map[string]any{"type": "auto"})
	jsonEqual(t, "tools", body["tools"], []any{map[string]any{
		"name":        "get_weather",
		"description": "The weather in a city.",
		"input_schema": map[string]any{
			"type":                 "object",
			"properties":           map[string]any{"city": map[string]any{"type": "string"}},
			"required":             []any{"city"},
			"additionalProperties": false,
		},
	}})
	jsonEqual(t, "metadata", body["metadata"], map[string]any{"user_id": "user-42"})
	// API version 2026-10-21 answers 400 to any temperature, top_p or
	// top_k, so none is sent, 0 included; aimock would take one.
	for _, key := range []string{"temperature", "top_p", "top_k"} {
		if v, ok := body[key]; ok {
			t.Errorf("the request carries %s = %v; API version 2026-10-21 refuses it", key, v)
		}
	}
	for key := range body {
		switch key {
		case "model", "max_tokens", "system", "messages", "stop_sequences", "tool_choice", "tools", "metadata":
		default:
			t.Errorf("the request carries %q, which the adapter does not set", key)
		}
	}
	h := tap.all()[0].header
	if got := h.Get("Anthropic-Version"); got != "2026-10-21" {
		t.Errorf("anthropic-version = %q, want 2026-10-21", got)
	}
	if got := h.Get("Authorization"); got != "Bearer sk-test-key" {
		t.Errorf("authorization = %q, want the configured key", got)
	}

	reqs, entries := journal(t, srv)
	if len(reqs) != 1 || entries[0].Response.Status != 200 {
		t.Fatalf("aimock journaled %v, want one answered request", statuses(entries))
	}
	j := reqs[0]
	if j.Model != "claude-test" || j.MaxTokens != 321 || j.Temperature != nil {
		t.Errorf("aimock read model %q, max_tokens %d, temperature %s; want claude-test, 321, none", j.Model, j.MaxTokens, jsonText(j.Temperature))
	}
	var roles []string
	for _, m := range j.Messages {
		roles = append(roles, m.Role)
	}
	jsonEqual(t, "the roles aimock read", roles, []string{"system", "user", "assistant", "user"})
	jsonEqual(t, "the system prompt aimock read", j.Messages[0].Content, "You answer in one word.")
	if len(j.Tools) != 1 || j.Tools[0].Function.Name != "get_weather" || j.Tools[0].Function.Parameters["required"] == nil {
		t.Errorf("aimock read tools %+v", j.Tools)
	}
}

// A request without maxTokens gets DefaultMaxTokens, which Anthropic
// requires; each toolChoice mode has its Anthropic name.
func TestAnthropicMaxTokensAndToolChoice(t *testing.T) {
	srv := anthropicServer(t)
	model, tap := newAnthropic(t, srv, nil)
	for _, tc := range []struct {
		choice *mcp.ToolChoice
		want   any // nil: no tool_choice on the wire
	}{
		{nil, nil},
		{&mcp.ToolChoice{}, nil},
		{&mcp.ToolChoice{Mode: "auto"}, map[string]any{"type": "auto"}},
		{&mcp.ToolChoice{Mode: "required"}, map[string]any{"type": "any"}},
		{&mcp.ToolChoice{Mode: "none"}, map[string]any{"type": "none"}},
	} {
		_, err := model.CreateMessage(context.Background(), &mcp.CreateMessageWithToolsParams{
			Messages:   []*mcp.SamplingMessageV2{userText("FIELDS-CHECK")},
			Tools:      []*mcp.Tool{weatherTool},
			ToolChoice: tc.choice,
		})
		if err != nil {
			t.Fatal(err)
		}
		body := tap.last(t)
		if got, ok := body["tool_choice"]; (tc.want == nil) == ok {
			t.Errorf("toolChoice %+v: tool_choice = %v (sent: %v), want %v", tc.choice, got, ok, tc.want)
		} else if ok {
			jsonEqual(t, "tool_choice", got, tc.want)
		}
	}
	reqs, _ := journal(t, srv)
	for _, r := range reqs {
		if r.MaxTokens != provider.DefaultMaxTokens {
			t.Errorf("max_tokens = %d, want DefaultMaxTokens (%d)", r.MaxTokens, provider.DefaultMaxTokens)
		}
	}
	if len(reqs) != 5 {
		t.Errorf("aimock journaled %d requests, want 5", len(reqs))
	}
}

// An image goes as a base64 image block beside the text.
func TestAnthropicImage(t *testing.T) {
	srv := anthropicServer(t)
	model, tap := newAnthropic(t, srv, nil)
	pixel := []byte("\x89PNG\r\n\x1a\n not really a png, but bytes all the same \x00\xff")
	res, err := model.CreateMessage(context.Background(), &mcp.CreateMessageWithToolsParams{
		Messages: []*mcp.SamplingMessageV2{{Role: "user", Content: []mcp.Content{
			&mcp.TextContent{Text: "IMAGE-CHECK: what is this?"},
			&mcp.ImageContent{Data: pixel, MIMEType: "image/png"},
		}}},
		MaxTokens: 50,
	})
	if err != nil {
		t.Fatal(err)
	}
	if textOf(res) != "a red pixel" {
		t.Errorf("answer %q", textOf(res))
	}
	jsonEqual(t, "messages", tap.last(t)["messages"], []any{map[string]any{"role": "user", "content": []any{
		map[string]any{"type": "text", "text": "IMAGE-CHECK: what is this?"},
		map[string]any{"type": "image", "source": map[string]any{"type": "base64", "media_type": "image/png", "data": base64.StdEncoding.EncodeToString(pixel)}},
	}}})
	reqs, _ := journal(t, srv)
	if len(reqs) != 1 || len(reqs[0].Messages) != 1 || reqs[0].Messages[0].Content != "IMAGE-CHECK: what is this?" {
		t.Errorf("aimock read %+v, want the one user message's text", reqs)
	}
}

// A tool call comes back as tool use, and its result goes back to the
// model beside the call, so that the model answers from it.
func TestAnthropicToolUseRoundTrip(t *testing.T) {
	srv := anthropicServer(t)
	model, tap := newAnthropic(t, srv, nil)
	ask := userText("TOOL-CHECK: what is the weather in Paris?")
	first, err := model.CreateMessage(context.Background(), &mcp.CreateMessageWithToolsParams{
		Messages:   []*mcp.SamplingMessageV2{ask},
		MaxTokens:  200,
		Tools:      []*mcp.Tool{weatherTool},
		ToolChoice: &mcp.ToolChoice{Mode: "required"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if first.StopReason != "toolUse" || len(first.Content) != 1 {
		t.Fatalf("first answer: stop %q, %d blocks; want toolUse and one tool use", first.StopReason, len(first.Content))
	}
	use, ok := first.Content[0].(*mcp.ToolUseContent)
	if !ok || use.ID != "toolu_weather_1" || use.Name != "get_weather" || !reflect.DeepEqual(use.Input, map[string]any{"city": "Paris"}) {
		t.Fatalf("first answer = %#v, want get_weather(city: Paris) as toolu_weather_1", first.Content[0])
	}
	if u, _ := sampling.UsageOf(first); u != (sampling.Usage{InputTokens: 30, OutputTokens: 12}) {
		t.Errorf("first usage %+v", u)
	}
	jsonEqual(t, "tool_choice", tap.last(t)["tool_choice"], map[string]any{"type": "any"})

	second, err := model.CreateMessage(context.Background(), &mcp.CreateMessageWithToolsParams{
		Messages: []*mcp.SamplingMessageV2{
			ask,
			{Role: "assistant", Content: first.Content},
			{Role: "user", Content: []mcp.Content{&mcp.ToolResultContent{
				ToolUseID: use.ID,
				Content:   []mcp.Content{&mcp.TextContent{Text: "sunny, 21°C"}},
			}}},
		},
		MaxTokens: 200,
		Tools:     []*mcp.Tool{weatherTool},
	})
	if err != nil {
		t.Fatal(err)
	}
	if textOf(second) != "It is sunny in Paris." || second.StopReason != "endTurn" {
		t.Errorf("second answer = %q %s", textOf(second), second.StopReason)
	}
	jsonEqual(t, "the second request's messages", tap.last(t)["messages"].([]any)[1:], []any{
		map[string]any{"role": "assistant", "content": []any{map[string]any{"type": "tool_use", "id": "toolu_weather_1", "name": "get_weather", "input": map[string]any{"city": "Paris"}}}},
		map[string]any{"role": "user", "content": []any{map[string]any{"type": "tool_result", "tool_use_id": "toolu_weather_1", "content": []any{map[string]any{"type": "text", "text": "sunny, 21°C"}}}}},
	})

	reqs, _ := journal(t, srv)
	if len(reqs) != 2 {
		t.Fatalf("aimock journaled %d requests, want 2", len(reqs))
	}
	msgs := reqs[1].Messages
	if len(msgs) != 3 || len(msgs[1].ToolCalls) != 1 || msgs[1].ToolCalls[0].ID != "toolu_weather_1" ||
		msgs[1].ToolCalls[0].Function.Name != "get_weather" || msgs[1].ToolCalls[0].Function.Arguments != `{"city":"Paris"}` ||
		msgs[2].Role != "tool" || msgs[2].ToolCallID != "toolu_weather_1" || msgs[2].Content != "sunny, 21°C" {
		t.Errorf("aimock read the second request as %+v", msgs)
	}

	// A result with structured content only sends it as JSON text, and an
	// error result says so.
	_, err = model.CreateMessage(context.Background(), &mcp.CreateMessageWithToolsParams{
		Messages: []*mcp.SamplingMessageV2{
			ask,
			{Role: "assistant", Content: first.Content},
			{Role: "user", Content: []mcp.Content{&mcp.ToolResultContent{ToolUseID: use.ID, StructuredContent: map[string]any{"sky": "clear"}, IsError: true}}},
		},
		Tools: []*mcp.Tool{weatherTool},
	})
	if err != nil {
		t.Fatal(err)
	}
	jsonEqual(t, "a structured, failed tool result", tap.last(t)["messages"].([]any)[2], map[string]any{"role": "user", "content": []any{map[string]any{
		"type": "tool_result", "tool_use_id": "toolu_weather_1", "is_error": true, "content": []any{map[string]any{"type": "text", "text": `{"sky":"clear"}`}},
	}}})
}

// Stop reasons come back in MCP's words.
func TestAnthropicStopReasons(t *testing.T) {
	srv := anthropicServer(t)
	model, _ := newAnthropic(t, srv, nil)
	for _, tc := range []struct{ ask, text, stop string }{
		{"LENGTH-CHECK", "The answer was cut", "maxTokens"},
		{"STOP-CHECK", "up to the stop", "stopSequence"},
		{"FIELDS-CHECK", "fields arrived", "endTurn"},
	} {
		res, err := model.CreateMessage(context.Background(), &mcp.CreateMessageWithToolsParams{Messages: []*mcp.SamplingMessageV2{userText(tc.ask)}, MaxTokens: 4})
		if err != nil {
			t.Fatal(err)
		}
		if textOf(res) != tc.text || res.StopReason != tc.stop {
			t.Errorf("%s: %q %q, want %q %q", tc.ask, textOf(res), res.StopReason, tc.text, tc.stop)
		}
	}
	reqs, _ := journal(t, srv)
	if len(reqs) != 3 || reqs[0].MaxTokens != 4 {
		t.Errorf("aimock journaled %+v", reqs)
	}
}

// A model's refusal is a sampling refusal that names the model, not an
// answer.
func TestAnthropicRefusal(t *testing.T) {
	srv := anthropicServer(t)
	model, _ := newAnthropic(t, srv, nil)
	res, err := model.CreateMessage(context.Background(), &mcp.CreateMessageWithToolsParams{Messages: []*mcp.SamplingMessageV2{userText("REFUSAL-CHECK")}, MaxTokens: 10})
	var refusal *sampling.RefusalError
	if !errors.Is(err, sampling.ErrRefused) || !errors.As(err, &refusal) || res != nil {
		t.Fatalf("CreateMessage = %v, %v; want a refusal", res, err)
	}
	if !strings.Contains(refusal.Reason, "claude-test refused") || refusal.RetryAfter != 0 {
		t.Errorf("refusal = %+v, want the model named and no wait", refusal)
	}
}

// An output schema in _meta becomes structured output, made fit for it.
func TestAnthropicStructuredOutput(t *testing.T) {
	srv := anthropicServer(t)
	model, tap := newAnthropic(t, srv, nil)
	schema := `{"type":"object","properties":{"sentiment":{"type":"string","enum":["positive","negative"]},"score":{"type":"number","minimum":0,"maximum":1}},"required":["sentiment","score"]}`
	// In the server's process the schema is raw JSON; a client handler
	// decodes it from the wire as a map.
	var decoded map[string]any
	if err := json.Unmarshal([]byte(schema), &decoded); err != nil {
		t.Fatal(err)
	}
	for _, in := range []any{json.RawMessage(schema), decoded} {
		res, err := model.CreateMessage(context.Background(), &mcp.CreateMessageWithToolsParams{
			Meta:      mcp.Meta{sampling.OutputSchemaMetaKey: in},
			Messages:  []*mcp.SamplingMessageV2{userText("SCHEMA-CHECK: I love it")},
			MaxTokens: 100,
		})
		if err != nil {
			t.Fatal(err)
		}
		if textOf(res) != `{"sentiment":"positive"}` {
			t.Errorf("answer %q", textOf(res))
		}
		cfg, _ := tap.last(t)["output_config"].(map[string]any)
		format, _ := cfg["format"].(map[string]any)
		sent, _ := format["schema"].(map[string]any)
		if format["type"] != "json_schema" || sent["type"] != "object" || sent["additionalProperties"] != false {
			t.Fatalf("output_config = %v, want a json_schema format closed to other properties", cfg)
		}
		props, _ := sent["properties"].(map[string]any)
		jsonEqual(t, "sentiment", props["sentiment"], map[string]any{"type": "string", "enum": []string{"positive", "negative"}})
		jsonEqual(t, "required", sent["required"], []string{"sentiment", "score"})
		score, _ := props["score"].(map[string]any)
		if _, kept := score["minimum"]; kept || !strings.Contains(score["description"].(string), "minimum") {
			t.Errorf("score = %v, want its bounds moved into its description, as structured output takes none", score)
		}
	}
	// Without the key, no structured output is asked for.
	if _, err := model.CreateMessage(context.Background(), &mcp.CreateMessageWithToolsParams{Messages: []*mcp.SamplingMessageV2{userText("SCHEMA-CHECK")}}); err != nil {
		t.Fatal(err)
	}
	if cfg, ok := tap.last(t)["output_config"]; ok {
		t.Errorf("output_config = %v without an output schema", cfg)
	}
}

// A rate limit is retried after the wait its Retry-After asks for.
func TestAnthropicRateLimitRetriedAfterItsWait(t *testing.T) {
	srv := anthropicServer(t)
	model, _ := newAnthropic(t, srv, nil)
	res, err := model.CreateMessage(context.Background(), &mcp.CreateMessageWithToolsParams{Messages: []*mcp.SamplingMessageV2{userText("RATE-CHECK")}, MaxTokens: 10})
	if err != nil {
		t.Fatal(err)
	}
	if textOf(res) != "after the wait" {
		t.Errorf("answer %q", textOf(res))
	}
	_, entries := journal(t, srv)
	if got := statuses(entries); !reflect.DeepEqual(got, []int{429, 200}) {
		t.Fatalf("aimock answered %v, want 429 then 200", got)
	}
	// Retry-After: 1 asks for a second; the SDK's own first backoff is
	// half that. A slow machine only makes the gap longer.
	if gap := time.Duration(entries[1].Timestamp-entries[0].Timestamp) * time.Millisecond; gap < 950*time.Millisecond {
		t.Errorf("the retry came %v after the 429, before its Retry-After of 1s", gap)
	}
}

// A rate limit that asks for a wait longer than the adapter waits itself,
// or one that ends past the caller's deadline, goes back at once as a
// throttle that says when to ask again, and still unwraps to the SDK's
// error.
func TestAnthropicLongThrottleGoesBackToTheCaller(t *testing.T) {
	srv := anthropicServer(t)
	for _, tc := range []struct {
		ask      string
		deadline time.Duration
		want     time.Duration
	}{
		{"THROTTLE-LONG", 0, 2 * time.Minute},
		{"THROTTLE-DATE", 0, 24 * time.Hour},                // a date in 2099, held to a day
		{"THROTTLE-HUGE", 0, 24 * time.Hour},                // Retry-After: 1e300
		{"THROTTLE-20", 10 * time.Second, 20 * time.Second}, // within maxRetryWait, past the deadline
	} {
		t.Run(tc.ask, func(t *testing.T) {
			model, _ := newAnthropic(t, srv, nil)
			ctx := context.Background()
			if tc.deadline > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.deadline)
				defer cancel()
			}
			_, err := model.CreateMessage(ctx, &mcp.CreateMessageWithToolsParams{Messages: []*mcp.SamplingMessageV2{userText(tc.ask)}, MaxTokens: 10})
			var throttle *sampling.RefusalError
			if !errors.As(err, &throttle) || throttle.RetryAfter != tc.want {
				t.Fatalf("err = %v, want a throttle of %v", err, tc.want)
			}
			var apiErr *anthropic.Error
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 429 {
				t.Errorf("err = %v, want it to wrap the SDK's 429", err)
			}
			if !strings.Contains(err.Error(), "is rate limiting") {
				t.Errorf("err = %q, want it to say Anthropic is rate limiting", err)
			}
			if _, entries := journal(t, srv); !reflect.DeepEqual(statuses(entries), []int{429}) {
				t.Errorf("aimock answered %v, want one 429 and no retry", statuses(entries))
			}
		})
	}
}

// Server errors (529 overloaded, 500) are retried with backoff, as many
// times as configured and no more.
func TestAnthropicServerErrorsRetried(t *testing.T) {
	srv := anthropicServer(t)
	t.Run("recovers", func(t *testing.T) {
		model, _ := newAnthropic(t, srv, nil)
		res, err := model.CreateMessage(context.Background(), &mcp.CreateMessageWithToolsParams{Messages: []*mcp.SamplingMessageV2{userText("OVERLOAD-CHECK")}, MaxTokens: 10})
		if err != nil {
			t.Fatal(err)
		}
		if textOf(res) != "recovered" {
			t.Errorf("answer %q", textOf(res))
		}
		if _, entries := journal(t, srv); !reflect.DeepEqual(statuses(entries), []int{529, 500, 200}) {
			t.Errorf("aimock answered %v, want 529, 500, 200", statuses(entries))
		}
	})
	for _, tc := range []struct {
		retries int
		want    []int
	}{{1, []int{529, 529}}, {-1, []int{529}}} {
		t.Run("gives up", func(t *testing.T) {
			model, _ := newAnthropic(t, srv, func(c *provider.Config) { c.MaxRetries = tc.retries })
			_, err := model.CreateMessage(context.Background(), &mcp.CreateMessageWithToolsParams{Messages: []*mcp.SamplingMessageV2{userText("DOWN-CHECK")}, MaxTokens: 10})
			var apiErr *anthropic.Error
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 529 || !strings.Contains(err.Error(), "overloaded") {
				t.Errorf("err = %v, want the 529 worded as an overload", err)
			}
			if errors.Is(err, sampling.ErrRefused) {
				t.Errorf("err = %v is a refusal; an overload is a failure", err)
			}
			if _, entries := journal(t, srv); !reflect.DeepEqual(statuses(entries), tc.want) {
				t.Errorf("MaxRetries %d: aimock answered %v, want %v", tc.retries, statuses(entries), tc.want)
			}
		})
	}
}

// A rejected key fails at once, naming the variable to set.
func TestAnthropicBadKeyNamesTheVariable(t *testing.T) {
	srv := anthropicServer(t)
	for _, tc := range []struct {
		ask    string
		status int
		want   []string
	}{
		{"AUTH-CHECK", 401, []string{"ANTHROPIC_API_KEY", "invalid x-api-key"}},
		{"PERMISSION-CHECK", 403, []string{"ANTHROPIC_API_KEY", "claude-test"}},
	} {
		t.Run(tc.ask, func(t *testing.T) {
			model, _ := newAnthropic(t, srv, nil)
			_, err := model.CreateMessage(context.Background(), &mcp.CreateMessageWithToolsParams{Messages: []*mcp.SamplingMessageV2{userText(tc.ask)}, MaxTokens: 10})
			var apiErr *anthropic.Error
			if !errors.As(err, &apiErr) || apiErr.StatusCode != tc.status {
				t.Fatalf("err = %v, want the SDK's %d", err, tc.status)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err = %q, want it to name %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "sk-test-key") {
				t.Errorf("err = %q shows the key", err)
			}
			if _, entries := journal(t, srv); len(entries) != 1 {
				t.Errorf("aimock answered %v, want one request and no retry", statuses(entries))
			}
		})
	}
}

// A provider's error message, which is untrusted, stays short in ours.
func TestAnthropicErrorsStayShort(t *testing.T) {
	srv := anthropicServer(t)
	model, _ := newAnthropic(t, srv, nil)
	_, err := model.CreateMessage(context.Background(), &mcp.CreateMessageWithToolsParams{Messages: []*mcp.SamplingMessageV2{userText("NOISY-CHECK")}, MaxTokens: 10})
	if err == nil || !strings.Contains(err.Error(), "400 Bad Request invalid_request_error") || len(err.Error()) > 800 {
		t.Errorf("err (%d bytes) = %.200q…, want a 400 in at most 800 bytes", len(fmtErr(err)), fmtErr(err))
	}
}

// An answer that is no JSON is an error, not a panic nor an empty answer.
func TestAnthropicMalformedAnswer(t *testing.T) {
	srv := anthropicServer(t)
	model, _ := newAnthropic(t, srv, nil)
	res, err := model.CreateMessage(context.Background(), &mcp.CreateMessageWithToolsParams{Messages: []*mcp.SamplingMessageV2{userText("MALFORMED-CHECK")}, MaxTokens: 10})
	if err == nil || res != nil || errors.Is(err, sampling.ErrRefused) || len(err.Error()) > 800 {
		t.Errorf("CreateMessage = %v, %v; want a short error that is no refusal", res, err)
	}
	if _, entries := journal(t, srv); len(entries) == 0 || entries[0].Response.ChaosAction != "malformed" {
		t.Errorf("aimock journaled %+v, want its malformed answer", entries)
	}
}

func fmtErr(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// Cancelling the context ends the HTTP request at once, though the server
// would answer only after 30s, and nothing is retried or left running.
func TestAnthropicCancelEndsTheRequest(t *testing.T) {
	srv := anthropicServer(t)
	model, tap := newAnthropic(t, srv, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := model.CreateMessage(ctx, &mcp.CreateMessageWithToolsParams{Messages: []*mcp.SamplingMessageV2{userText("SLOW-CHECK")}, MaxTokens: 10})
		done <- err
	}()
	<-tap.sent // the request is on its way to aimock, which holds it
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("CreateMessage did not return within 20s of its context's cancel; the server holds the answer 30s")
	}
	if n := len(tap.all()); n != 1 {
		t.Errorf("%d requests went out, want 1: a cancelled request is not retried", n)
	}
}

// An attempt that outlasts the request timeout is retried.
func TestAnthropicTimeoutRetried(t *testing.T) {
	srv := anthropicServer(t)
	model, tap := newAnthropic(t, srv, func(c *provider.Config) { c.RequestTimeout = 2 * time.Second })
	res, err := model.CreateMessage(context.Background(), &mcp.CreateMessageWithToolsParams{Messages: []*mcp.SamplingMessageV2{userText("TIMEOUT-CHECK")}, MaxTokens: 10})
	if err != nil {
		t.Fatal(err)
	}
	if textOf(res) != "in time" {
		t.Errorf("answer %q", textOf(res))
	}
	if n := len(tap.all()); n != 2 {
		t.Errorf("%d requests went out, want the slow one and its retry", n)
	}
}

// A request the adapter cannot send fails before anything goes on the
// wire, saying what is wrong.
func TestAnthropicRefusesBadRequests(t *testing.T) {
	model, err := provider.NewAnthropic(provider.Config{
		Model:      "claude-test",
		APIKey:     "sk-test-key",
		BaseURL:    "http://127.0.0.1:1",
		HTTPClient: &http.Client{Transport: failRoundTrip{t}},
	})
	if err != nil {
		t.Fatal(err)
	}
	text := []mcp.Content{&mcp.TextContent{Text: "hi"}}
	for _, tc := range []struct {
		name string
		req  *mcp.CreateMessageWithToolsParams
		want string
	}{
		{"no request", nil, "no sampling request"},
		{"no messages", &mcp.CreateMessageWithToolsParams{}, "no messages"},
		{"null message", &mcp.CreateMessageWithToolsParams{Messages: []*mcp.SamplingMessageV2{nil}}, "message 0 is null"},
		{"empty message", &mcp.CreateMessageWithToolsParams{Messages: []*mcp.SamplingMessageV2{userText("")}}, "message 0 has no content"},
		{"system role", &mcp.CreateMessageWithToolsParams{Messages: []*mcp.SamplingMessageV2{{Role: "system", Content: text}}}, "want user or assistant"},
		{"audio", &mcp.CreateMessageWithToolsParams{Messages: []*mcp.SamplingMessageV2{{Role: "user", Content: []mcp.Content{&mcp.AudioContent{Data: []byte{1}, MIMEType: "audio/wav"}}}}}, "reads no audio"},
		{"bmp", &mcp.CreateMessageWithToolsParams{Messages: []*mcp.SamplingMessageV2{{Role: "user", Content: []mcp.Content{&mcp.ImageContent{Data: []byte{1}, MIMEType: "image/bmp"}}}}}, `"image/bmp"`},
		{"resource", &mcp.CreateMessageWithToolsParams{Messages: []*mcp.SamplingMessageV2{{Role: "user", Content: []mcp.Content{&mcp.ResourceLink{URI: "file:///x", Name: "x"}}}}}, "cannot be sent"},
		{"required without tools", &mcp.CreateMessageWithToolsParams{Messages: []*mcp.SamplingMessageV2{userText("hi")}, ToolChoice: &mcp.ToolChoice{Mode: "required"}}, "no tools"},
		{"unknown mode", &mcp.CreateMessageWithToolsParams{Messages: []*mcp.SamplingMessageV2{userText("hi")}, ToolChoice: &mcp.ToolChoice{Mode: "sometimes"}}, "want auto, required or none"},
		{"nameless tool", &mcp.CreateMessageWithToolsParams{Messages: []*mcp.SamplingMessageV2{userText("hi")}, Tools: []*mcp.Tool{{}}}, "no name"},
		{"string schema", &mcp.CreateMessageWithToolsParams{Messages: []*mcp.SamplingMessageV2{userText("hi")}, Tools: []*mcp.Tool{{Name: "t", InputSchema: map[string]any{"type": "string"}}}}, "object schema"},
		{"schema no object", &mcp.CreateMessageWithToolsParams{Messages: []*mcp.SamplingMessageV2{userText("hi")}, Tools: []*mcp.Tool{{Name: "t", InputSchema: json.RawMessage(`[1]`)}}}, "not a JSON object"},
		{"output schema no object", &mcp.CreateMessageWithToolsParams{Meta: mcp.Meta{sampling.OutputSchemaMetaKey: "nope"}, Messages: []*mcp.SamplingMessageV2{userText("hi")}}, "output schema"},
	} {
		res, err := model.CreateMessage(context.Background(), tc.req)
		if err == nil || res != nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: CreateMessage = %v, %v; want an error saying %q", tc.name, res, err, tc.want)
		}
	}
}

// failRoundTrip fails the test for any request that reaches it.
type failRoundTrip struct{ t *testing.T }

func (f failRoundTrip) RoundTrip(req *http.Request) (*http.Response, error) {
	f.t.Errorf("a request went on the wire: %s %s", req.Method, req.URL)
	return nil, errors.New("no request may be sent")
}

// The configuration comes from Config, else from the SDK's variables; what
// is missing is named.
func TestNewAnthropicConfiguration(t *testing.T) {
	t.Setenv("ANTHROPIC_API_KEY", "")
	t.Setenv("ANTHROPIC_AUTH_TOKEN", "")
	t.Setenv("ANTHROPIC_BASE_URL", "")
	for _, tc := range []struct {
		name string
		c    provider.Config
		want string
	}{
		{"no model", provider.Config{APIKey: "k"}, "SAMPLEGEN_MODEL"},
		{"no key", provider.Config{Model: "claude-test"}, "set ANTHROPIC_API_KEY"},
		{"bad base URL", provider.Config{Model: "claude-test", APIKey: "k", BaseURL: "localhost:8080"}, "not an http or https URL"},
	} {
		if _, err := provider.NewAnthropic(tc.c); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want one saying %q", tc.name, err, tc.want)
		}
	}

	srv := anthropicServer(t)
	t.Setenv("ANTHROPIC_BASE_URL", srv.URL)
	for _, tc := range []struct{ key, token, auth string }{
		{"env-key", "", "Bearer env-key"},
		{"", "env-token", "Bearer env-token"},
	} {
		t.Setenv("ANTHROPIC_API_KEY", tc.key)
		t.Setenv("ANTHROPIC_AUTH_TOKEN", tc.token)
		tap := &wireTap{next: srv.Client(t, t.Name()).Transport, sent: make(chan struct{}, 1)}
		s, err := provider.New(provider.Config{Provider: "Anthropic", Model: "claude-test", HTTPClient: &http.Client{Transport: tap}})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := s.(*provider.AnthropicModel); !ok {
			t.Fatalf("provider.New made a %T, want an *AnthropicModel", s)
		}
		if _, err := s.CreateMessage(context.Background(), &mcp.CreateMessageWithToolsParams{Messages: []*mcp.SamplingMessageV2{userText("FIELDS-CHECK")}}); err != nil {
			t.Fatal(err)
		}
		if got := tap.all()[0].header.Get("Authorization"); got != tc.auth {
			t.Errorf("authorization = %q, want %q", got, tc.auth)
		}
	}
	if _, entries := journal(t, srv); len(entries) != 2 {
		t.Errorf("aimock at ANTHROPIC_BASE_URL journaled %d requests, want 2", len(entries))
	}
}

var _ sampling.Sampler = (*provider.AnthropicModel)(nil)
