package provider

// The Anthropic adapter's tests run against aimock's Anthropic Messages
// endpoint (testdata/anthropic, one fixture per "MARKER-CHECK" in the
// user's text); helpers_test.go has what they share with the OpenAI
// adapter's. aimock's journal keeps the request as it understood it, in its
// own chat form: the model, max_tokens, temperature, the messages' text,
// tool calls and tool results, and the tools. It drops the rest (images,
// stop_sequences, tool_choice, metadata, output_config), so the tests
// assert on the tap's exact body too.

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/internal/aimock"
	"github.com/samplegen/samplegen/sampling"
)

// anthropicAt returns an adapter talking to srv through a tap, with edit's
// changes to its configuration.
func anthropicAt(t *testing.T, srv *aimock.Server, edit func(*Config)) (*AnthropicModel, *wireTap) {
	t.Helper()
	tap := newWireTap(clientFor(t, srv).Transport)
	c := Config{
		Provider:   Anthropic,
		Model:      "claude-test",
		APIKey:     "sk-test-key",
		BaseURL:    srv.URL,
		HTTPClient: &http.Client{Transport: tap},
	}
	if edit != nil {
		edit(&c)
	}
	model, err := NewAnthropic(c)
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

// anthropicJournal returns what aimock recorded of t's requests, oldest
// first.
func anthropicJournal(t *testing.T, srv *aimock.Server) ([]journaled, []aimock.Entry) {
	t.Helper()
	entries := journalOf(t, srv, "/v1/messages")
	reqs := make([]journaled, len(entries))
	for i, e := range entries {
		if err := e.Decode(&reqs[i]); err != nil {
			t.Fatal(err)
		}
	}
	return reqs, entries
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// Every field of a sampling request reaches the API as Anthropic names it,
// or is left out where the API has no such field; the answer comes back
// with the model the API names, MCP's stop reason and the token counts.
func TestAnthropicSendsEveryField(t *testing.T) {
	t.Parallel()
	srv := aimock.Shared(t, anthropicFixtures)
	model, tap := anthropicAt(t, srv, nil)
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

	if got := answerText(res); got != "fields arrived" || res.Role != "assistant" || res.StopReason != "endTurn" {
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
	sameJSON(t, "model", body["model"], "claude-test") // the configured model, not the hint
	sameJSON(t, "max_tokens", body["max_tokens"], 321)
	sameJSON(t, "system", body["system"], []any{map[string]any{"type": "text", "text": "You answer in one word."}})
	sameJSON(t, "messages", body["messages"], []any{
		map[string]any{"role": "user", "content": []any{map[string]any{"type": "text", "text": "Hello."}}},
		map[string]any{"role": "assistant", "content": []any{map[string]any{"type": "text", "text": "Hi."}}},
		map[string]any{"role": "user", "content": []any{map[string]any{"type": "text", "text": "FIELDS-CHECK: are they all here?"}}},
	})
	sameJSON(t, "stop_sequences", body["stop_sequences"], []string{"END", "\n\nHuman:"})
	sameJSON(t, "tool_choice", body["tool_choice"], map[string]any{"type": "auto"})
	sameJSON(t, "tools", body["tools"], []any{map[string]any{
		"name":        "get_weather",
		"description": "The weather in a city.",
		"input_schema": map[string]any{
			"type":                 "object",
			"properties":           map[string]any{"city": map[string]any{"type": "string"}},
			"required":             []any{"city"},
			"additionalProperties": false,
		},
	}})
	sameJSON(t, "metadata", body["metadata"], map[string]any{"user_id": "user-42"})
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

	reqs, entries := anthropicJournal(t, srv)
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
	sameJSON(t, "the roles aimock read", roles, []string{"system", "user", "assistant", "user"})
	sameJSON(t, "the system prompt aimock read", j.Messages[0].Content, "You answer in one word.")
	if len(j.Tools) != 1 || j.Tools[0].Function.Name != "get_weather" || j.Tools[0].Function.Parameters["required"] == nil {
		t.Errorf("aimock read tools %+v", j.Tools)
	}
}

// A request without maxTokens gets DefaultMaxTokens, which Anthropic
// requires; each toolChoice mode has its Anthropic name.
func TestAnthropicMaxTokensAndToolChoice(t *testing.T) {
	t.Parallel()
	srv := aimock.Shared(t, anthropicFixtures)
	model, tap := anthropicAt(t, srv, nil)
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
			sameJSON(t, "tool_choice", got, tc.want)
		}
	}
	reqs, _ := anthropicJournal(t, srv)
	for _, r := range reqs {
		if r.MaxTokens != DefaultMaxTokens {
			t.Errorf("max_tokens = %d, want DefaultMaxTokens (%d)", r.MaxTokens, DefaultMaxTokens)
		}
	}
	if len(reqs) != 5 {
		t.Errorf("aimock journaled %d requests, want 5", len(reqs))
	}
}

// An image goes as a base64 image block beside the text.
func TestAnthropicImage(t *testing.T) {
	t.Parallel()
	srv := aimock.Shared(t, anthropicFixtures)
	model, tap := anthropicAt(t, srv, nil)
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
	if answerText(res) != "a red pixel" {
		t.Errorf("answer %q", answerText(res))
	}
	sameJSON(t, "messages", tap.last(t)["messages"], []any{map[string]any{"role": "user", "content": []any{
		map[string]any{"type": "text", "text": "IMAGE-CHECK: what is this?"},
		map[string]any{"type": "image", "source": map[string]any{"type": "base64", "media_type": "image/png", "data": base64.StdEncoding.EncodeToString(pixel)}},
	}}})
	reqs, _ := anthropicJournal(t, srv)
	if len(reqs) != 1 || len(reqs[0].Messages) != 1 || reqs[0].Messages[0].Content != "IMAGE-CHECK: what is this?" {
		t.Errorf("aimock read %+v, want the one user message's text", reqs)
	}
}

// A tool call comes back as tool use, and its result goes back to the
// model beside the call, so that the model answers from it.
func TestAnthropicToolUseRoundTrip(t *testing.T) {
	t.Parallel()
	srv := aimock.Shared(t, anthropicFixtures)
	model, tap := anthropicAt(t, srv, nil)
	question := userText("TOOL-CHECK: what is the weather in Paris?")
	first, err := model.CreateMessage(context.Background(), &mcp.CreateMessageWithToolsParams{
		Messages:   []*mcp.SamplingMessageV2{question},
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
	sameJSON(t, "tool_choice", tap.last(t)["tool_choice"], map[string]any{"type": "any"})

	second, err := model.CreateMessage(context.Background(), &mcp.CreateMessageWithToolsParams{
		Messages: []*mcp.SamplingMessageV2{
			question,
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
	if answerText(second) != "It is sunny in Paris." || second.StopReason != "endTurn" {
		t.Errorf("second answer = %q %s", answerText(second), second.StopReason)
	}
	sameJSON(t, "the second request's messages", tap.last(t)["messages"].([]any)[1:], []any{
		map[string]any{"role": "assistant", "content": []any{map[string]any{"type": "tool_use", "id": "toolu_weather_1", "name": "get_weather", "input": map[string]any{"city": "Paris"}}}},
		map[string]any{"role": "user", "content": []any{map[string]any{"type": "tool_result", "tool_use_id": "toolu_weather_1", "content": []any{map[string]any{"type": "text", "text": "sunny, 21°C"}}}}},
	})

	reqs, _ := anthropicJournal(t, srv)
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
			question,
			{Role: "assistant", Content: first.Content},
			{Role: "user", Content: []mcp.Content{&mcp.ToolResultContent{ToolUseID: use.ID, StructuredContent: map[string]any{"sky": "clear"}, IsError: true}}},
		},
		Tools: []*mcp.Tool{weatherTool},
	})
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "a structured, failed tool result", tap.last(t)["messages"].([]any)[2], map[string]any{"role": "user", "content": []any{map[string]any{
		"type": "tool_result", "tool_use_id": "toolu_weather_1", "is_error": true, "content": []any{map[string]any{"type": "text", "text": `{"sky":"clear"}`}},
	}}})
}

// Stop reasons come back in MCP's words.
func TestAnthropicStopReasons(t *testing.T) {
	t.Parallel()
	srv := aimock.Shared(t, anthropicFixtures)
	model, _ := anthropicAt(t, srv, nil)
	for _, tc := range []struct{ ask, text, stop string }{
		{"LENGTH-CHECK", "The answer was cut", "maxTokens"},
		{"STOP-CHECK", "up to the stop", "stopSequence"},
		{"FIELDS-CHECK", "fields arrived", "endTurn"},
	} {
		res, err := model.CreateMessage(context.Background(), &mcp.CreateMessageWithToolsParams{Messages: []*mcp.SamplingMessageV2{userText(tc.ask)}, MaxTokens: 4})
		if err != nil {
			t.Fatal(err)
		}
		if answerText(res) != tc.text || res.StopReason != tc.stop {
			t.Errorf("%s: %q %q, want %q %q", tc.ask, answerText(res), res.StopReason, tc.text, tc.stop)
		}
	}
	reqs, _ := anthropicJournal(t, srv)
	if len(reqs) != 3 || reqs[0].MaxTokens != 4 {
		t.Errorf("aimock journaled %+v", reqs)
	}
}

// A model's refusal is a sampling refusal that names the model, not an
// answer.
func TestAnthropicRefusal(t *testing.T) {
	t.Parallel()
	srv := aimock.Shared(t, anthropicFixtures)
	model, _ := anthropicAt(t, srv, nil)
	res, err := model.CreateMessage(context.Background(), ask("REFUSAL-CHECK"))
	var refusal *sampling.RefusalError
	if !errors.Is(err, sampling.ErrRefused) || !errors.As(err, &refusal) || res != nil {
		t.Fatalf("CreateMessage = %v, %v; want a refusal", res, err)
	}
	if !strings.Contains(refusal.Reason, "claude-test refused") || refusal.RetryAfter != 0 {
		t.Errorf("refusal = %+v, want the model named and no wait", refusal)
	}
	if refusal.Usage == nil || *refusal.Usage != (sampling.Usage{InputTokens: 21, OutputTokens: 6}) {
		t.Errorf("the refusal's usage = %v, want what the model spent (21 in, 6 out), for a host's budget", refusal.Usage)
	}
}

// An output schema in _meta becomes structured output, made fit for it.
func TestAnthropicStructuredOutput(t *testing.T) {
	t.Parallel()
	srv := aimock.Shared(t, anthropicFixtures)
	model, tap := anthropicAt(t, srv, nil)
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
		if answerText(res) != `{"sentiment":"positive"}` {
			t.Errorf("answer %q", answerText(res))
		}
		cfg, _ := tap.last(t)["output_config"].(map[string]any)
		format, _ := cfg["format"].(map[string]any)
		sent, _ := format["schema"].(map[string]any)
		if format["type"] != "json_schema" || sent["type"] != "object" || sent["additionalProperties"] != false {
			t.Fatalf("output_config = %v, want a json_schema format closed to other properties", cfg)
		}
		props, _ := sent["properties"].(map[string]any)
		sameJSON(t, "sentiment", props["sentiment"], map[string]any{"type": "string", "enum": []string{"positive", "negative"}})
		sameJSON(t, "required", sent["required"], []string{"sentiment", "score"})
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
	t.Parallel()
	srv := aimock.Shared(t, anthropicFixtures)
	model, _ := anthropicAt(t, srv, nil)
	res, err := model.CreateMessage(context.Background(), ask("RATE-CHECK"))
	if err != nil {
		t.Fatal(err)
	}
	if answerText(res) != "after the wait" {
		t.Errorf("answer %q", answerText(res))
	}
	_, entries := anthropicJournal(t, srv)
	checkWaitedOut(t, entries, time.Second) // the fixture's Retry-After: 1
}

// A rate limit that asks for a wait longer than the adapter waits itself,
// or one that ends past the caller's deadline, goes back at once as a
// throttle that says when to ask again, and still unwraps to the SDK's
// error.
func TestAnthropicLongThrottleGoesBackToTheCaller(t *testing.T) {
	t.Parallel()
	srv := aimock.Shared(t, anthropicFixtures)
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
			t.Parallel()
			model, _ := anthropicAt(t, srv, nil)
			ctx := context.Background()
			if tc.deadline > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.deadline)
				defer cancel()
			}
			_, err := model.CreateMessage(ctx, ask(tc.ask))
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
			if _, entries := anthropicJournal(t, srv); !reflect.DeepEqual(statuses(entries), []int{429}) {
				t.Errorf("aimock answered %v, want one 429 and no retry", statuses(entries))
			}
		})
	}
}

// Server errors (529 overloaded, 500) are retried with backoff, as many
// times as configured and no more.
func TestAnthropicServerErrorsRetried(t *testing.T) {
	t.Parallel()
	srv := aimock.Shared(t, anthropicFixtures)
	t.Run("recovers", func(t *testing.T) {
		t.Parallel()
		model, _ := anthropicAt(t, srv, nil)
		res, err := model.CreateMessage(context.Background(), ask("OVERLOAD-CHECK"))
		if err != nil {
			t.Fatal(err)
		}
		if answerText(res) != "recovered" {
			t.Errorf("answer %q", answerText(res))
		}
		if _, entries := anthropicJournal(t, srv); !reflect.DeepEqual(statuses(entries), []int{529, 500, 200}) {
			t.Errorf("aimock answered %v, want 529, 500, 200", statuses(entries))
		}
	})
	for _, tc := range []struct {
		retries int
		want    []int
	}{{1, []int{529, 529}}, {-1, []int{529}}} {
		t.Run("gives up", func(t *testing.T) {
			t.Parallel()
			model, _ := anthropicAt(t, srv, func(c *Config) { c.MaxRetries = tc.retries })
			_, err := model.CreateMessage(context.Background(), ask("DOWN-CHECK"))
			var apiErr *anthropic.Error
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 529 || !strings.Contains(err.Error(), "overloaded") {
				t.Errorf("err = %v, want the 529 worded as an overload", err)
			}
			if errors.Is(err, sampling.ErrRefused) {
				t.Errorf("err = %v is a refusal; an overload is a failure", err)
			}
			if _, entries := anthropicJournal(t, srv); !reflect.DeepEqual(statuses(entries), tc.want) {
				t.Errorf("MaxRetries %d: aimock answered %v, want %v", tc.retries, statuses(entries), tc.want)
			}
		})
	}
}

// A rejected key fails at once, naming the variable to set.
func TestAnthropicBadKeyNamesTheVariable(t *testing.T) {
	t.Parallel()
	srv := aimock.Shared(t, anthropicFixtures)
	for _, tc := range []struct {
		ask    string
		status int
		want   []string
	}{
		{"AUTH-CHECK", 401, []string{"ANTHROPIC_API_KEY", "invalid x-api-key"}},
		{"PERMISSION-CHECK", 403, []string{"ANTHROPIC_API_KEY", "claude-test"}},
	} {
		t.Run(tc.ask, func(t *testing.T) {
			t.Parallel()
			model, _ := anthropicAt(t, srv, nil)
			_, err := model.CreateMessage(context.Background(), ask(tc.ask))
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
			if _, entries := anthropicJournal(t, srv); len(entries) != 1 {
				t.Errorf("aimock answered %v, want one request and no retry", statuses(entries))
			}
		})
	}
}

// A provider's error message, which is untrusted, stays short in ours.
func TestAnthropicErrorsStayShort(t *testing.T) {
	t.Parallel()
	srv := aimock.Shared(t, anthropicFixtures)
	model, _ := anthropicAt(t, srv, nil)
	_, err := model.CreateMessage(context.Background(), ask("NOISY-CHECK"))
	if err == nil || !strings.Contains(err.Error(), "400 Bad Request invalid_request_error") || len(err.Error()) > 800 {
		t.Errorf("err (%d bytes) = %.200q…, want a 400 in at most 800 bytes", len(errText(err)), errText(err))
	}
}

// An answer that is no JSON is an error, not a panic nor an empty answer.
func TestAnthropicMalformedAnswer(t *testing.T) {
	t.Parallel()
	srv := aimock.Shared(t, anthropicFixtures)
	model, _ := anthropicAt(t, srv, nil)
	res, err := model.CreateMessage(context.Background(), ask("MALFORMED-CHECK"))
	if err == nil || res != nil || errors.Is(err, sampling.ErrRefused) || len(err.Error()) > 800 {
		t.Errorf("CreateMessage = %v, %v; want a short error that is no refusal", res, err)
	}
	if _, entries := anthropicJournal(t, srv); len(entries) == 0 || entries[0].Response.ChaosAction != "malformed" {
		t.Errorf("aimock journaled %+v, want its malformed answer", entries)
	}
}

// Cancelling the context ends the HTTP request at once, though the server
// would answer only after 30s, and nothing is retried or left running.
func TestAnthropicCancelEndsTheRequest(t *testing.T) {
	t.Parallel()
	srv := aimock.Shared(t, anthropicFixtures)
	model, tap := anthropicAt(t, srv, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := model.CreateMessage(ctx, ask("SLOW-CHECK"))
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
	t.Parallel()
	srv := aimock.Shared(t, anthropicFixtures)
	model, tap := anthropicAt(t, srv, func(c *Config) { c.RequestTimeout = 2 * time.Second })
	res, err := model.CreateMessage(context.Background(), ask("TIMEOUT-CHECK"))
	if err != nil {
		t.Fatal(err)
	}
	if answerText(res) != "in time" {
		t.Errorf("answer %q", answerText(res))
	}
	if n := len(tap.all()); n != 2 {
		t.Errorf("%d requests went out, want the slow one and its retry", n)
	}
}

// A request the adapter cannot send fails before anything goes on the
// wire, saying what is wrong.
func TestAnthropicRefusesBadRequests(t *testing.T) {
	t.Parallel()
	model, err := NewAnthropic(Config{
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

// The configuration comes from Config, else from the SDK's variables; what
// is missing is named.
func TestNewAnthropicConfiguration(t *testing.T) {
	t.Setenv("ANTHROPIC_API_KEY", "")
	t.Setenv("ANTHROPIC_AUTH_TOKEN", "")
	t.Setenv("ANTHROPIC_BASE_URL", "")
	for _, tc := range []struct {
		name string
		c    Config
		want string
	}{
		{"no model", Config{APIKey: "k"}, "SAMPLEGEN_MODEL"},
		{"no key", Config{Model: "claude-test"}, "set ANTHROPIC_API_KEY"},
		{"bad base URL", Config{Model: "claude-test", APIKey: "k", BaseURL: "localhost:8080"}, "not an http or https URL"},
	} {
		if _, err := NewAnthropic(tc.c); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want one saying %q", tc.name, err, tc.want)
		}
	}

	srv := aimock.Shared(t, anthropicFixtures)
	t.Setenv("ANTHROPIC_BASE_URL", srv.URL)
	// A rejected credential is named by the variable it came from.
	for _, tc := range []struct{ key, token, auth, from string }{
		{"env-key", "", "Bearer env-key", EnvAnthropicKey},
		{"", "env-token", "Bearer env-token", EnvAnthropicAuthToken},
	} {
		t.Setenv("ANTHROPIC_API_KEY", tc.key)
		t.Setenv("ANTHROPIC_AUTH_TOKEN", tc.token)
		tap := newWireTap(clientFor(t, srv).Transport)
		s, err := New(Config{Provider: "Anthropic", Model: "claude-test", HTTPClient: &http.Client{Transport: tap}})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := s.(*AnthropicModel); !ok {
			t.Fatalf("New made a %T, want an *AnthropicModel", s)
		}
		if _, err := s.CreateMessage(context.Background(), &mcp.CreateMessageWithToolsParams{Messages: []*mcp.SamplingMessageV2{userText("FIELDS-CHECK")}}); err != nil {
			t.Fatal(err)
		}
		if got := tap.all()[0].header.Get("Authorization"); got != tc.auth {
			t.Errorf("authorization = %q, want %q", got, tc.auth)
		}
		_, err = s.CreateMessage(context.Background(), ask("AUTH-CHECK"))
		for _, want := range []string{"did not accept the API key in " + tc.from, "set " + tc.from + " to a valid key", EnvAnthropicBaseURL} {
			if !strings.Contains(errText(err), want) {
				t.Errorf("a rejected key from %s: %v, want it to say %q", tc.from, err, want)
			}
		}
	}
	if _, entries := anthropicJournal(t, srv); len(entries) != 4 {
		t.Errorf("aimock at ANTHROPIC_BASE_URL journaled %d requests, want 4", len(entries))
	}
}

var _ sampling.Sampler = (*AnthropicModel)(nil)
