package provider

// The OpenAI adapter's tests run against aimock's Chat Completions endpoint
// (fixtures in testdata/openai/fixtures, one per "[marker]" in the user's
// text); helpers_test.go has what they share with the Anthropic adapter's.

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/openai/openai-go/v3"
	"github.com/samplegen/samplegen/internal/aimock"
	"github.com/samplegen/samplegen/sampling"
)

const chatPath = "/v1/chat/completions"

// openAIAt returns an adapter for srv, as a compatible server at its
// address, through a tap, with edit's changes to the configuration.
func openAIAt(t *testing.T, srv *aimock.Server, edit func(*Config)) (*OpenAIModel, *wireTap) {
	t.Helper()
	tap := newWireTap(clientFor(t, srv).Transport)
	c := Config{
		Provider:   OpenAI,
		Model:      "gpt-test",
		APIKey:     "sk-test",
		BaseURL:    srv.URL + "/v1",
		HTTPClient: &http.Client{Transport: tap},
	}
	if edit != nil {
		edit(&c)
	}
	m, err := NewOpenAI(c)
	if err != nil {
		t.Fatal(err)
	}
	return m, tap
}

// offlineOpenAI is an adapter that maps requests and answers, and sends
// nothing.
func offlineOpenAI(model string) *OpenAIModel {
	return &OpenAIModel{endpoint: endpoint{vendor: openAIVendor, model: model}}
}

// openAIJournal returns the bodies of t's chat requests as aimock received
// them, and the journal entries they came in.
func openAIJournal(t *testing.T, srv *aimock.Server) ([]map[string]any, []aimock.Entry) {
	t.Helper()
	entries := journalOf(t, srv, chatPath)
	bodies := make([]map[string]any, len(entries))
	for i, e := range entries {
		if err := e.Decode(&bodies[i]); err != nil {
			t.Fatal(err)
		}
		delete(bodies[i], "_endpointType") // aimock's own
		delete(bodies[i], "_context")
	}
	return bodies, entries
}

// lastOpenAIBody returns the body of t's only or last chat request, as
// aimock received it.
func lastOpenAIBody(t *testing.T, srv *aimock.Server) map[string]any {
	t.Helper()
	bodies, _ := openAIJournal(t, srv)
	if len(bodies) == 0 {
		t.Fatal("no request reached aimock")
	}
	return bodies[len(bodies)-1]
}

// Every field of a sampling request reaches the wire as Chat Completions
// names it, and the answer comes back with the model the server reports,
// MCP's stop reason and the token counts.
func TestOpenAISendsEveryField(t *testing.T) {
	t.Parallel()
	srv := aimock.Shared(t, openAIFixtures)
	m, tap := openAIAt(t, srv, nil)
	req := &mcp.CreateMessageWithToolsParams{
		Meta:          mcp.Meta{sampling.TemperatureMetaKey: 0},
		SystemPrompt:  "You are terse.",
		Messages:      []*mcp.SamplingMessageV2{userText("[every field] Say hello.")},
		MaxTokens:     64,
		Temperature:   0,
		StopSequences: []string{"\n\n", "END"},
		Tools:         []*mcp.Tool{weatherTool},
		ToolChoice:    &mcp.ToolChoice{Mode: "auto"},
		Metadata: map[string]any{
			"requestId": "r-1",
			"attempt":   2,
			"flag":      true,
			"nested":    map[string]any{"a": 1},
			"tooLong":   strings.Repeat("x", maxMetadataValue+1),
			"none":      nil,
		},
		ModelPreferences: &mcp.ModelPreferences{Hints: []*mcp.ModelHint{{Name: "claude"}}, CostPriority: 1},
		IncludeContext:   "thisServer",
	}
	res, err := m.CreateMessage(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}

	body := lastOpenAIBody(t, srv)
	sameJSON(t, "request body", body, map[string]any{
		"model": "gpt-test",
		"messages": []any{
			map[string]any{"role": "system", "content": "You are terse."},
			map[string]any{"role": "user", "content": "[every field] Say hello."},
		},
		"temperature": 0,  // asked for 0, sent as 0
		"max_tokens":  64, // a compatible server: the field they all read
		"stop":        []any{"\n\n", "END"},
		"tools": []any{map[string]any{"type": "function", "function": map[string]any{
			"name":        "get_weather",
			"description": "The weather in a city.",
			"parameters":  weatherTool.InputSchema,
		}}},
		"tool_choice": "auto",
		"metadata":    map[string]any{"requestId": "r-1", "attempt": "2", "flag": "true", "nested": `{"a":1}`},
	})
	if got := tap.authorizations(); !slices.Equal(got, []string{"Bearer sk-test"}) {
		t.Errorf("authorization headers = %q, want the configured key", got)
	}

	if res.Role != "assistant" || answerText(res) != "Hello from the model." || len(res.Content) != 1 {
		t.Errorf("result content = %+v", res.Content)
	}
	if res.Model != "gpt-test-2026-01-01" {
		t.Errorf("result model = %q, want the one the server reported", res.Model)
	}
	if res.StopReason != "endTurn" {
		t.Errorf("stop reason = %q, want endTurn", res.StopReason)
	}
	if u, ok := sampling.UsageOf(res); !ok || u != (sampling.Usage{InputTokens: 42, OutputTokens: 7}) {
		t.Errorf("usage = %+v, %v; want 42 in, 7 out", u, ok)
	}
}

// A request that asks for no temperature sends none; one that asks for a
// temperature sends it.
func TestOpenAITemperatureOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	srv := aimock.Shared(t, openAIFixtures)
	m, _ := openAIAt(t, srv, nil)
	if _, err := m.CreateMessage(t.Context(), ask("[every field] no temperature")); err != nil {
		t.Fatal(err)
	}
	warm := ask("[every field] warm")
	warm.Temperature = 0.7
	if _, err := m.CreateMessage(t.Context(), warm); err != nil {
		t.Fatal(err)
	}
	bodies, _ := openAIJournal(t, srv)
	if _, ok := bodies[0]["temperature"]; ok {
		t.Errorf("a request without temperature sent %v", bodies[0]["temperature"])
	}
	if bodies[1]["temperature"] != 0.7 {
		t.Errorf("temperature = %v, want 0.7", bodies[1]["temperature"])
	}
	if bodies[0]["max_tokens"] != 64.0 {
		t.Errorf("max_tokens = %v, want 64", bodies[0]["max_tokens"])
	}
}

// An image goes as an image_url part holding a data: URL; a request that
// cannot be sent fails before it reaches the wire, and says why.
func TestOpenAIImage(t *testing.T) {
	t.Parallel()
	srv := aimock.Shared(t, openAIFixtures)
	m, _ := openAIAt(t, srv, nil)
	png := []byte("\x89PNG\r\n\x1a\nnot really")
	req := &mcp.CreateMessageWithToolsParams{MaxTokens: 64, Messages: []*mcp.SamplingMessageV2{{
		Role: "user",
		Content: []mcp.Content{
			&mcp.TextContent{Text: "[image] What is this?"},
			&mcp.ImageContent{MIMEType: "image/png", Data: png},
		},
	}}}
	res, err := m.CreateMessage(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	if answerText(res) != "A red square." {
		t.Errorf("answer = %q", answerText(res))
	}
	sameJSON(t, "messages", lastOpenAIBody(t, srv)["messages"], []any{map[string]any{
		"role": "user",
		"content": []any{
			map[string]any{"type": "text", "text": "[image] What is this?"},
			map[string]any{"type": "image_url", "image_url": map[string]any{"url": "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)}},
		},
	}})

	bad := &mcp.CreateMessageWithToolsParams{MaxTokens: 64, Messages: []*mcp.SamplingMessageV2{{
		Role: "user", Content: []mcp.Content{&mcp.ImageContent{MIMEType: "text/html", Data: png}},
	}}}
	if _, err := m.CreateMessage(t.Context(), bad); err == nil || !strings.Contains(err.Error(), "image/ MIME type") {
		t.Errorf("an image of type text/html: %v", err)
	}
	if bodies, _ := openAIJournal(t, srv); len(bodies) != 1 {
		t.Errorf("%d requests reached aimock, want only the good one", len(bodies))
	}
}

// A tool call comes back as tool_use content with stop reason toolUse, and
// goes out again as the assistant's tool_calls, its result as a tool
// message, which the model answers.
func TestOpenAIToolRoundTrip(t *testing.T) {
	t.Parallel()
	srv := aimock.Shared(t, openAIFixtures)
	m, _ := openAIAt(t, srv, nil)
	req := ask("[tools] What is the weather in Paris?")
	req.Tools = []*mcp.Tool{weatherTool}
	res, err := m.CreateMessage(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StopReason != "toolUse" || len(res.Content) != 1 {
		t.Fatalf("first answer = %+v stopping %q, want one tool_use stopping toolUse", res.Content, res.StopReason)
	}
	call, ok := res.Content[0].(*mcp.ToolUseContent)
	if !ok || call.ID != "call_weather_1" || call.Name != "get_weather" || !reflect.DeepEqual(call.Input, map[string]any{"city": "Paris"}) {
		t.Fatalf("tool call = %#v", res.Content[0])
	}
	if u, ok := sampling.UsageOf(res); !ok || u.InputTokens != 30 || u.OutputTokens != 12 {
		t.Errorf("usage = %+v, %v", u, ok)
	}

	next := *req
	next.Messages = append(next.Messages,
		&mcp.SamplingMessageV2{Role: "assistant", Content: res.Content},
		&mcp.SamplingMessageV2{Role: "user", Content: []mcp.Content{&mcp.ToolResultContent{
			ToolUseID: call.ID,
			Content:   []mcp.Content{&mcp.TextContent{Text: "sunny, 24°C"}},
		}}})
	res, err = m.CreateMessage(t.Context(), &next)
	if err != nil {
		t.Fatal(err)
	}
	if answerText(res) != "It is sunny in Paris." || res.StopReason != "endTurn" {
		t.Errorf("second answer = %q stopping %q", answerText(res), res.StopReason)
	}
	sameJSON(t, "second request's messages", lastOpenAIBody(t, srv)["messages"], []any{
		map[string]any{"role": "user", "content": "[tools] What is the weather in Paris?"},
		map[string]any{"role": "assistant", "tool_calls": []any{map[string]any{
			"id": "call_weather_1", "type": "function",
			"function": map[string]any{"name": "get_weather", "arguments": `{"city":"Paris"}`},
		}}},
		map[string]any{"role": "tool", "tool_call_id": "call_weather_1", "content": "sunny, 24°C"},
	})
}

// The runtime's respond tool, forced with toolChoice required: the call is
// tool_use content stopping toolUse, though a forced call's finish reason
// is "stop".
func TestOpenAIRespondTool(t *testing.T) {
	t.Parallel()
	srv := aimock.Shared(t, openAIFixtures)
	m, _ := openAIAt(t, srv, nil)
	respond := &mcp.Tool{Name: "respond", Description: "Give the answer.", InputSchema: json.RawMessage(
		`{"type":"object","properties":{"sentiment":{"type":"string"},"confidence":{"type":"number"}},"required":["sentiment","confidence"]}`)}
	req := ask("[respond] I love it.")
	req.Tools = []*mcp.Tool{respond}
	req.ToolChoice = &mcp.ToolChoice{Mode: "required"}
	res, err := m.CreateMessage(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	body := lastOpenAIBody(t, srv)
	if body["tool_choice"] != "required" {
		t.Errorf("tool_choice = %v, want required", body["tool_choice"])
	}
	sameJSON(t, "respond's parameters", body["tools"].([]any)[0].(map[string]any)["function"].(map[string]any)["parameters"], respond.InputSchema)
	if res.StopReason != "toolUse" || len(res.Content) != 1 {
		t.Fatalf("answer = %+v stopping %q", res.Content, res.StopReason)
	}
	call, _ := res.Content[0].(*mcp.ToolUseContent)
	if call == nil || call.Name != "respond" || !reflect.DeepEqual(call.Input, map[string]any{"sentiment": "positive", "confidence": 0.9}) {
		t.Errorf("respond call = %#v", res.Content[0])
	}

	// Arguments that are no JSON object come back as text, for the
	// runtime's lenient parser, and not as a tool call.
	res, err = m.CreateMessage(t.Context(), func() *mcp.CreateMessageWithToolsParams {
		r := ask("[bad arguments]")
		r.Tools = []*mcp.Tool{respond}
		return r
	}())
	if err != nil {
		t.Fatal(err)
	}
	if answerText(res) != `["positive"]` || len(res.Content) != 1 || res.StopReason != "endTurn" {
		t.Errorf("answer with bad arguments = %+v stopping %q", res.Content, res.StopReason)
	}
}

// A request that carries its output schema asks for structured output,
// strict where the schema meets OpenAI's rules and not strict otherwise.
func TestOpenAIStructuredOutput(t *testing.T) {
	t.Parallel()
	srv := aimock.Shared(t, openAIFixtures)
	m, _ := openAIAt(t, srv, nil)
	strict := `{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object",` +
		`"properties":{"sentiment":{"type":"string","enum":["positive","negative","neutral"]},"confidence":{"type":"number","minimum":0,"maximum":1}},` +
		`"required":["sentiment","confidence"],"additionalProperties":false}`
	loose := `{"type":"object","properties":{"sentiment":{"type":"string","default":"neutral"}},"required":["sentiment"],"additionalProperties":false}`
	for _, tc := range []struct {
		schema string
		strict bool
	}{{strict, true}, {loose, false}} {
		req := ask("[structured] I love it.")
		req.Meta = mcp.Meta{sampling.OutputSchemaMetaKey: json.RawMessage(tc.schema)}
		res, err := m.CreateMessage(t.Context(), req)
		if err != nil {
			t.Fatal(err)
		}
		if answerText(res) != `{"sentiment":"positive","confidence":0.9}` {
			t.Errorf("answer = %q", answerText(res))
		}
		var want map[string]any
		_ = json.Unmarshal([]byte(tc.schema), &want)
		delete(want, "$schema")
		sameJSON(t, "response_format", lastOpenAIBody(t, srv)["response_format"], map[string]any{
			"type":        "json_schema",
			"json_schema": map[string]any{"name": "output", "strict": tc.strict, "schema": want},
		})
	}
}

// OpenAI's rules for strict schemas, as strictSchema reads them.
func TestStrictSchemaRules(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		schema string
		want   bool
	}{
		{"closed object", `{"type":"object","properties":{"a":{"type":"string"}},"required":["a"],"additionalProperties":false}`, true},
		{"open object", `{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]}`, false},
		{"optional property", `{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"integer"}},"required":["a"],"additionalProperties":false}`, false},
		{"nested open object", `{"type":"object","properties":{"a":{"type":"object","properties":{"b":{"type":"string"}},"required":["b"]}},"required":["a"],"additionalProperties":false}`, false},
		{"nullable via type list", `{"type":"object","properties":{"a":{"type":["string","null"]}},"required":["a"],"additionalProperties":false}`, true},
		{"array of closed objects", `{"type":"object","properties":{"a":{"type":"array","minItems":1,"items":{"type":"object","properties":{"b":{"type":"boolean"}},"required":["b"],"additionalProperties":false}}},"required":["a"],"additionalProperties":false}`, true},
		{"anyOf and refs", `{"type":"object","properties":{"a":{"anyOf":[{"$ref":"#/$defs/n"},{"type":"null"}]}},"required":["a"],"additionalProperties":false,"$defs":{"n":{"type":"number","multipleOf":0.5}}}`, true},
		{"default", `{"type":"object","properties":{"a":{"type":"string","default":"x"}},"required":["a"],"additionalProperties":false}`, false},
		{"minLength", `{"type":"object","properties":{"a":{"type":"string","minLength":1}},"required":["a"],"additionalProperties":false}`, false},
		{"allOf", `{"type":"object","properties":{"a":{"allOf":[{"type":"string"}]}},"required":["a"],"additionalProperties":false}`, false},
		{"unknown format", `{"type":"object","properties":{"a":{"type":"string","format":"uri"}},"required":["a"],"additionalProperties":false}`, false},
		{"known format", `{"type":"object","properties":{"a":{"type":"string","format":"date-time","pattern":"^2"}},"required":["a"],"additionalProperties":false}`, true},
		{"additionalProperties schema", `{"type":"object","properties":{},"additionalProperties":{"type":"string"}}`, false},
		{"too deep", nested(maxStrictObjectDepth + 1), false},
		{"deep enough", nested(maxStrictObjectDepth), true},
	} {
		var schema map[string]any
		if err := json.Unmarshal([]byte(tc.schema), &schema); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := strictSchema(schema); got != tc.want {
			t.Errorf("%s: strictSchema = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// nested returns a strict schema of n levels of objects.
func nested(n int) string {
	s := `{"type":"string"}`
	for range n {
		s = `{"type":"object","properties":{"a":` + s + `},"required":["a"],"additionalProperties":false}`
	}
	return s
}

// A schema whose root is not an object is left to the prompt: the API's
// structured output takes objects.
func TestOpenAIStructuredOutputNeedsAnObject(t *testing.T) {
	t.Parallel()
	m := offlineOpenAI("gpt-test")
	req := ask("x")
	req.Meta = mcp.Meta{sampling.OutputSchemaMetaKey: json.RawMessage(`{"type":"array","items":{"type":"string"}}`)}
	p, err := m.params(req)
	if err != nil {
		t.Fatal(err)
	}
	if p.ResponseFormat.OfJSONSchema != nil {
		t.Errorf("an array schema asked for structured output: %+v", p.ResponseFormat.OfJSONSchema)
	}
	req.Meta = mcp.Meta{sampling.OutputSchemaMetaKey: json.RawMessage(`{"type":`)}
	if _, err := m.params(req); err == nil || !strings.Contains(err.Error(), sampling.OutputSchemaMetaKey) {
		t.Errorf("a broken schema: %v", err)
	}
}

// A cut answer stops with maxTokens; a filtered one says so.
func TestOpenAIStopReasons(t *testing.T) {
	t.Parallel()
	srv := aimock.Shared(t, openAIFixtures)
	m, _ := openAIAt(t, srv, nil)
	for marker, want := range map[string]string{"[length]": "maxTokens", "[filtered]": "contentFilter"} {
		res, err := m.CreateMessage(t.Context(), ask(marker))
		if err != nil {
			t.Fatal(err)
		}
		if res.StopReason != want {
			t.Errorf("%s: stop reason = %q, want %q", marker, res.StopReason, want)
		}
	}
}

// Where the server names the stop sequence that ended the answer (vLLM's
// stop_reason), the stop reason is stopSequence.
func TestStopReasonNamesTheStopSequence(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		choice string
		stops  []string
		want   string
	}{
		{`{"finish_reason":"stop","stop_reason":"END"}`, []string{"END"}, "stopSequence"},
		{`{"finish_reason":"stop","stop_reason":null}`, []string{"END"}, "endTurn"},
		{`{"finish_reason":"stop","stop_reason":128001}`, []string{"END"}, "endTurn"},
		{`{"finish_reason":"stop"}`, nil, "endTurn"},
		{`{"finish_reason":"tool_calls"}`, nil, "endTurn"}, // no call survived
		{`{"finish_reason":"length"}`, nil, "maxTokens"},
		{`{"finish_reason":"something new"}`, nil, "something new"},
	} {
		var c openai.ChatCompletionChoice
		if err := json.Unmarshal([]byte(tc.choice), &c); err != nil {
			t.Fatal(err)
		}
		if got := stopReason(c, false, tc.stops); got != tc.want {
			t.Errorf("%s with stops %q: %q, want %q", tc.choice, tc.stops, got, tc.want)
		}
	}
}

// A completion without usage says none, rather than zero tokens.
func TestOpenAINoUsageIsNotZeroUsage(t *testing.T) {
	t.Parallel()
	var c openai.ChatCompletion
	if err := json.Unmarshal([]byte(`{"model":"m","choices":[{"finish_reason":"stop","message":{"role":"assistant","content":"hi"}}]}`), &c); err != nil {
		t.Fatal(err)
	}
	res, err := offlineOpenAI("m").result(&c, nil)
	if err != nil {
		t.Fatal(err)
	}
	if u, ok := sampling.UsageOf(res); ok {
		t.Errorf("usage = %+v from a completion that reported none", u)
	}
	if _, err := offlineOpenAI("").result(&openai.ChatCompletion{}, nil); err == nil || !strings.Contains(err.Error(), "no choices") {
		t.Errorf("a completion without choices: %v", err)
	}
}

// A rate limit is waited out as its Retry-After asks, and the request then
// answered: two attempts on the wire, the second a second after the first.
func TestOpenAIRateLimitRetriedAfterItsWait(t *testing.T) {
	t.Parallel()
	srv := aimock.Shared(t, openAIFixtures)
	m, _ := openAIAt(t, srv, nil)
	res, err := m.CreateMessage(t.Context(), ask("[rate limited]"))
	if err != nil {
		t.Fatal(err)
	}
	if answerText(res) != "Answered after the wait." {
		t.Errorf("answer = %q", answerText(res))
	}
	_, entries := openAIJournal(t, srv)
	checkWaitedOut(t, entries, time.Second) // the fixture's Retry-After: 1
}

// A rate limit that asks for a longer wait than the adapter takes, or one
// that ends past the caller's deadline, comes back at once as a throttle
// that says when to ask again.
func TestOpenAILongRateLimitIsAThrottle(t *testing.T) {
	t.Parallel()
	srv := aimock.Shared(t, openAIFixtures)
	m, _ := openAIAt(t, srv, nil)
	for _, tc := range []struct {
		marker   string
		deadline time.Duration
		wait     time.Duration
	}{
		{"[long rate limit]", 0, 60 * time.Second},                 // above maxRetryWait
		{"[medium rate limit]", 8 * time.Second, 15 * time.Second}, // past the deadline
	} {
		ctx := t.Context()
		if tc.deadline > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, tc.deadline)
			defer cancel()
		}
		_, err := m.CreateMessage(ctx, ask(tc.marker))
		var refusal *sampling.RefusalError
		if !errors.Is(err, sampling.ErrRefused) || !errors.As(err, &refusal) || refusal.RetryAfter != tc.wait {
			t.Fatalf("%s: %v, want a throttle of %v", tc.marker, err, tc.wait)
		}
		var e *Error
		var sdk *openai.Error
		if !errors.As(err, &e) || e.StatusCode != 429 || !errors.As(err, &sdk) {
			t.Errorf("%s: %v does not unwrap to a 429 and the SDK's error", tc.marker, err)
		}
		if !strings.Contains(err.Error(), "rate limiting") || !strings.Contains(err.Error(), tc.wait.String()) {
			t.Errorf("%s: %q does not say it is a rate limit and how long to wait", tc.marker, err)
		}
	}
	if _, entries := openAIJournal(t, srv); len(entries) != 2 {
		t.Errorf("%d attempts reached aimock, want one each", len(entries))
	}
}

// An account out of quota is no throttle: asking again will not help.
func TestOpenAINoQuota(t *testing.T) {
	t.Parallel()
	srv := aimock.Shared(t, openAIFixtures)
	m, _ := openAIAt(t, srv, func(c *Config) { c.MaxRetries = -1 })
	_, err := m.CreateMessage(t.Context(), ask("[no quota]"))
	if err == nil || errors.Is(err, sampling.ErrRefused) || !strings.Contains(err.Error(), "out of quota") || !strings.Contains(err.Error(), "key in "+configAPIKey) {
		t.Errorf("out of quota: %v", err)
	}
}

// A server error is retried; one that persists is reported with how often
// it was asked.
func TestOpenAIServerErrorsRetried(t *testing.T) {
	t.Parallel()
	srv := aimock.Shared(t, openAIFixtures)
	m, _ := openAIAt(t, srv, func(c *Config) { c.MaxRetries = 2 })
	res, err := m.CreateMessage(t.Context(), ask("[server error]"))
	if err != nil {
		t.Fatal(err)
	}
	if answerText(res) != "Answered after the retry." {
		t.Errorf("answer = %q", answerText(res))
	}
	if _, entries := openAIJournal(t, srv); !reflect.DeepEqual(statuses(entries), []int{500, 200}) {
		t.Fatalf("attempts answered %v, want [500 200]", statuses(entries))
	}

	_, err = m.CreateMessage(t.Context(), ask("[always failing]"))
	var e *Error
	if !errors.As(err, &e) || e.StatusCode != 503 || !strings.Contains(err.Error(), "also on all 2 retries") || !strings.Contains(err.Error(), "The server is down.") {
		t.Errorf("a server that stays down: %v", err)
	}
	if _, entries := openAIJournal(t, srv); !reflect.DeepEqual(statuses(entries), []int{500, 200, 503, 503, 503}) {
		t.Errorf("attempts answered %v, want three 503s after the first call", statuses(entries))
	}
}

// A key the server does not accept (aimock checking keys for real) fails
// at once, naming where the key came from and what to set; a server that
// wants a key and got none says so; the right key is let in. (Sequential:
// it sets OPENAI_API_KEY, as direct mode reads it.)
func TestOpenAIBadKeyNamesTheVariable(t *testing.T) {
	srv := aimock.Shared(t, openAIKeyCheck)
	for _, tc := range []struct {
		name      string
		configKey string // Config.APIKey
		envKey    string // OPENAI_API_KEY
		want      []string
	}{
		{"from the environment", "", "sk-wrong", []string{"did not accept the API key in " + EnvOpenAIKey, "set " + EnvOpenAIKey + " to a valid key", EnvOpenAIBaseURL}},
		{"from Config", "sk-wrong", "", []string{"did not accept the API key in Config.APIKey", "set Config.APIKey to a valid key", EnvOpenAIKey}},
		{"none", "", "", []string{"wants an API key and none was sent", "set " + EnvOpenAIKey}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(EnvOpenAIKey, tc.envKey)
			m, tap := openAIAt(t, srv, func(c *Config) { c.APIKey = tc.configKey })
			_, err := m.CreateMessage(t.Context(), ask("[every field] hi"))
			var e *Error
			if !errors.As(err, &e) || e.StatusCode != 401 {
				t.Fatalf("%v, want a 401", err)
			}
			for _, want := range tc.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("%q does not say %q", err, want)
				}
			}
			sent := "Bearer " + tc.configKey + tc.envKey
			if tc.configKey+tc.envKey == "" {
				sent = ""
			}
			if got := tap.authorizations(); !slices.Equal(got, []string{sent}) {
				t.Errorf("a rejected key was sent as %q, want %q once", got, sent)
			}
		})
	}

	good, _ := openAIAt(t, srv, func(c *Config) { c.APIKey = rightKey })
	if _, err := good.CreateMessage(t.Context(), ask("[every field] hi")); err != nil {
		t.Errorf("the right key: %v", err)
	}
}

// A key that may not use the model says so, naming the variable and the
// model.
func TestOpenAIForbidden(t *testing.T) {
	t.Parallel()
	srv := aimock.Shared(t, openAIFixtures)
	m, _ := openAIAt(t, srv, nil)
	_, err := m.CreateMessage(t.Context(), ask("[forbidden]"))
	var e *Error
	if !errors.As(err, &e) || e.StatusCode != 403 || !strings.Contains(err.Error(), EnvOpenAIKey) || !strings.Contains(err.Error(), `"gpt-test"`) {
		t.Errorf("forbidden: %v", err)
	}
}

// A provider's error message, however long, stays short in ours.
func TestOpenAIErrorsStayShort(t *testing.T) {
	t.Parallel()
	srv := aimock.Shared(t, openAIFixtures)
	m, _ := openAIAt(t, srv, nil)
	_, err := m.CreateMessage(t.Context(), ask("[noisy]")) // a message of 9000 bytes
	var e *Error
	if !errors.As(err, &e) || e.StatusCode != 400 || !strings.Contains(err.Error(), "rejected the request") || !strings.Contains(err.Error(), "very long message") {
		t.Fatalf("a 400: %v", err)
	}
	if n := len(err.Error()); n > 1000 {
		t.Errorf("the error is %d bytes long", n)
	}
}

// A body that is not JSON is an error, not a hang or a panic.
func TestOpenAIMalformedAnswer(t *testing.T) {
	t.Parallel()
	srv := aimock.Shared(t, openAIFixtures)
	m, _ := openAIAt(t, srv, nil)
	_, err := m.CreateMessage(t.Context(), ask("[malformed]"))
	var e *Error
	if !errors.As(err, &e) || !strings.Contains(err.Error(), "is not OpenAI's JSON") || !strings.Contains(err.Error(), "check that "+EnvOpenAIBaseURL) {
		t.Errorf("a malformed answer: %v", err)
	}
}

// Cancelling the context ends the request in flight: the call returns the
// context's error, and no goroutine is left (see TestMain).
func TestOpenAICancelEndsTheRequest(t *testing.T) {
	t.Parallel()
	srv := aimock.Shared(t, openAIFixtures)
	m, _ := openAIAt(t, srv, nil)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	sent := make(chan struct{})
	var once atomic.Bool
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) {
		if once.CompareAndSwap(false, true) {
			close(sent)
		}
	}})
	done := make(chan error, 1)
	go func() {
		_, err := m.CreateMessage(ctx, ask("[slow]")) // aimock answers in 30s
		done <- err
	}()
	<-sent
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("a cancelled request: %v, want context.Canceled", err)
		}
	case <-time.After(20 * time.Second): // a bound against hanging, well below aimock's 30s
		t.Fatal("cancelling the context did not end the request")
	}
}

// An attempt that outlasts Config.RequestTimeout is retried, like a network
// error, and the last timeout is reported as one.
func TestOpenAITimeoutRetried(t *testing.T) {
	t.Parallel()
	srv := aimock.Shared(t, openAIFixtures)
	m, tap := openAIAt(t, srv, func(c *Config) {
		c.RequestTimeout = 200 * time.Millisecond
		c.MaxRetries = 1
	})
	_, err := m.CreateMessage(t.Context(), ask("[slow]"))
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "Config.RequestTimeout") || !strings.Contains(err.Error(), "one retry") {
		t.Errorf("timed out attempts: %v", err)
	}
	if n := len(tap.all()); n != 2 {
		t.Errorf("%d attempts, want 2 (one retry)", n)
	}
}

// redirect sends requests for host to srv, keeping their Host header, so a
// test sees what would go to OpenAI's own API or to a local Ollama.
func redirect(t *testing.T, srv *aimock.Server, host string) (*http.Client, *wireTap) {
	next := clientFor(t, srv).Transport
	to, _ := url.Parse(srv.URL)
	tap := newWireTap(roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.URL.Host != host {
			t.Errorf("a request to %s, want %s", r.URL.Host, host)
		}
		r = r.Clone(r.Context())
		r.Host = host
		r.URL.Scheme, r.URL.Host = to.Scheme, to.Host
		return next.RoundTrip(r)
	}))
	return &http.Client{Transport: tap}, tap
}

// OpenAI's own API gets max_completion_tokens, and no metadata (it takes
// metadata only with store, which keeps the conversation on its servers).
func TestOpenAIOwnAPI(t *testing.T) {
	srv := aimock.Shared(t, openAIFixtures)
	t.Setenv(EnvOpenAIBaseURL, "")
	t.Setenv(EnvOpenAIKey, "sk-from-env")
	client, tap := redirect(t, srv, "api.openai.com")
	m, err := NewOpenAI(Config{Provider: OpenAI, Model: "gpt-test", HTTPClient: client})
	if err != nil {
		t.Fatal(err)
	}
	req := ask("[every field] hi")
	req.Metadata = map[string]any{"requestId": "r-1"}
	if _, err := m.CreateMessage(t.Context(), req); err != nil {
		t.Fatal(err)
	}
	body := lastOpenAIBody(t, srv)
	_, hasMax := body["max_tokens"]
	_, hasMetadata := body["metadata"]
	if body["max_completion_tokens"] != 64.0 || hasMax || hasMetadata {
		t.Errorf("body for OpenAI's own API = %v", body)
	}
	_, entries := openAIJournal(t, srv)
	if h := entries[0].Headers; h["host"] != "api.openai.com" {
		t.Errorf("headers = %v, want OpenAI's host", h)
	}
	if got := tap.authorizations(); !slices.Equal(got, []string{"Bearer sk-from-env"}) {
		t.Errorf("authorization headers = %q, want the key from %s", got, EnvOpenAIKey)
	}

	t.Setenv(EnvOpenAIKey, "")
	if _, err := NewOpenAI(Config{Provider: OpenAI, Model: "gpt-test"}); err == nil || !strings.Contains(err.Error(), "set "+EnvOpenAIKey) {
		t.Errorf("no key for OpenAI's own API: %v", err)
	}
}

// Ollama is served at its own address unless told another, with no key:
// OPENAI_API_KEY is OpenAI's, not for a local server.
func TestOpenAIOllama(t *testing.T) {
	srv := aimock.Shared(t, openAIFixtures)
	t.Setenv(EnvOpenAIBaseURL, "")
	t.Setenv(EnvOpenAIKey, "sk-not-for-ollama")
	client, tap := redirect(t, srv, "localhost:11434")
	m, err := NewOpenAI(Config{Provider: Ollama, Model: "llama3.2", HTTPClient: client})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.CreateMessage(t.Context(), ask("[every field] hi")); err != nil {
		t.Fatal(err)
	}
	_, entries := openAIJournal(t, srv)
	if len(entries) != 1 {
		t.Fatalf("%d requests, want 1", len(entries))
	}
	if h := entries[0].Headers; h["host"] != "localhost:11434" || entries[0].Path != chatPath {
		t.Errorf("request to %s%s, want Ollama's address", h["host"], entries[0].Path)
	}
	if got := tap.authorizations(); !slices.Equal(got, []string{""}) {
		t.Errorf("authorization headers = %q, want none", got)
	}
	if body := lastOpenAIBody(t, srv); body["max_tokens"] != 64.0 || body["model"] != "llama3.2" {
		t.Errorf("body for Ollama = %v", body)
	}

	// OPENAI_BASE_URL moves it.
	t.Setenv(EnvOpenAIBaseURL, srv.URL+"/v1")
	m, err = NewOpenAI(Config{Provider: Ollama, Model: "llama3.2", HTTPClient: clientFor(t, srv)})
	if err != nil {
		t.Fatal(err)
	}
	if m.baseURL != srv.URL+"/v1" {
		t.Errorf("base URL = %q, want %s's", m.baseURL, EnvOpenAIBaseURL)
	}
}

// A configuration that cannot work fails when the adapter is made, saying
// what to set.
func TestNewOpenAIConfigErrors(t *testing.T) {
	t.Setenv(EnvOpenAIBaseURL, "")
	for _, tc := range []struct {
		c    Config
		want string
	}{
		{Config{Provider: OpenAI, APIKey: "k"}, EnvModel},
		{Config{Provider: Anthropic, Model: "m"}, "NewOpenAI serves"},
		{Config{Provider: OpenAI, Model: "m", APIKey: "k", BaseURL: "localhost:8080"}, "not an http or https URL"},
		{Config{Provider: OpenAI, Model: "m", APIKey: "k", BaseURL: "ftp://example.com"}, "not an http or https URL"},
	} {
		if _, err := NewOpenAI(tc.c); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("NewOpenAI(%+v) = %v, want an error saying %q", tc.c, err, tc.want)
		}
	}
	m, err := New(Config{Provider: "Ollama", Model: "llama3.2"})
	if _, ok := m.(*OpenAIModel); err != nil || !ok {
		t.Errorf("New for Ollama = %T, %v", m, err)
	}
}

// Content the API cannot carry fails before the request, saying which;
// the rest maps as the API wants it.
func TestOpenAIMessageMapping(t *testing.T) {
	t.Parallel()
	m := offlineOpenAI("gpt-test")
	img := &mcp.ImageContent{MIMEType: "image/jpeg", Data: []byte{1, 2, 3}}
	req := &mcp.CreateMessageWithToolsParams{
		MaxTokens: 0, // the default
		Messages: []*mcp.SamplingMessageV2{
			{Role: "assistant", Content: []mcp.Content{&mcp.ToolUseContent{ID: "c1", Name: "shoot", Input: nil}}},
			{Role: "user", Content: []mcp.Content{
				&mcp.ToolResultContent{ToolUseID: "c1", IsError: true, Content: []mcp.Content{&mcp.TextContent{Text: "camera broken"}, img}},
				&mcp.TextContent{Text: "Try again."},
			}},
			{Role: "user", Content: []mcp.Content{&mcp.ToolResultContent{ToolUseID: "c2", StructuredContent: map[string]any{"ok": true}}}},
			{Role: "user", Content: []mcp.Content{&mcp.AudioContent{MIMEType: "audio/wav", Data: []byte("RIFF")}}},
		},
		ToolChoice: &mcp.ToolChoice{Mode: "required"}, // without tools: not sent
	}
	p, err := m.params(req)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "mapped request", p, map[string]any{
		"model":      "gpt-test",
		"max_tokens": DefaultMaxTokens,
		"messages": []any{
			map[string]any{"role": "assistant", "tool_calls": []any{map[string]any{"id": "c1", "type": "function", "function": map[string]any{"name": "shoot", "arguments": "{}"}}}},
			map[string]any{"role": "tool", "tool_call_id": "c1", "content": "Error: camera broken"},
			map[string]any{"role": "user", "content": []any{
				map[string]any{"type": "image_url", "image_url": map[string]any{"url": "data:image/jpeg;base64,AQID"}},
				map[string]any{"type": "text", "text": "Try again."},
			}},
			map[string]any{"role": "tool", "tool_call_id": "c2", "content": `{"ok":true}`},
			map[string]any{"role": "user", "content": []any{map[string]any{"type": "input_audio", "input_audio": map[string]any{"data": "UklGRg==", "format": "wav"}}}},
		},
	})

	for _, tc := range []struct {
		msg  *mcp.SamplingMessageV2
		want string
	}{
		{&mcp.SamplingMessageV2{Role: "system", Content: []mcp.Content{&mcp.TextContent{Text: "x"}}}, "not user or assistant"},
		{&mcp.SamplingMessageV2{Role: "assistant", Content: []mcp.Content{img}}, "cannot go in an assistant message"},
		{&mcp.SamplingMessageV2{Role: "assistant", Content: []mcp.Content{&mcp.ToolUseContent{Name: "x"}}}, "needs an id"},
		{&mcp.SamplingMessageV2{Role: "user", Content: []mcp.Content{&mcp.ToolResultContent{}}}, "without the toolUseId"},
		{&mcp.SamplingMessageV2{Role: "user", Content: []mcp.Content{&mcp.AudioContent{MIMEType: "audio/ogg"}}}, "wav or mp3"},
		{&mcp.SamplingMessageV2{Role: "user", Content: []mcp.Content{nil}}, "nil content"},
		{nil, "nil message"},
	} {
		_, err := m.params(&mcp.CreateMessageWithToolsParams{Messages: []*mcp.SamplingMessageV2{tc.msg}})
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "message 0") {
			t.Errorf("%+v: %v, want an error saying %q", tc.msg, err, tc.want)
		}
	}
	for _, bad := range []*mcp.CreateMessageWithToolsParams{
		nil,
		{},
		{Messages: []*mcp.SamplingMessageV2{userText("x")}, Tools: []*mcp.Tool{weatherTool}, ToolChoice: &mcp.ToolChoice{Mode: "any"}},
		{Messages: []*mcp.SamplingMessageV2{userText("x")}, Tools: []*mcp.Tool{{Name: "t", InputSchema: "[1]"}}},
		{Messages: []*mcp.SamplingMessageV2{userText("x")}, Tools: []*mcp.Tool{{InputSchema: weatherTool.InputSchema}}},
	} {
		if _, err := m.params(bad); err == nil {
			t.Errorf("params(%+v) took a request it cannot send", bad)
		}
	}
}

// Metadata keeps what fits OpenAI's bounds.
func TestOpenAIMetadataBounds(t *testing.T) {
	t.Parallel()
	md := map[string]any{strings.Repeat("k", maxMetadataKey+1): "long key"}
	for i := range maxMetadataKeys + 4 {
		md["key"+string(rune('a'+i))] = i
	}
	got := openAIMetadata(md)
	if len(got) != maxMetadataKeys || got["keya"] != "0" {
		t.Errorf("metadata = %v, want the first %d keys in order", got, maxMetadataKeys)
	}
	if got := openAIMetadata("not an object"); got != nil {
		t.Errorf("metadata of a string = %v", got)
	}
}
