package sampling_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/sampling"
)

// A refusal and a throttle survive both wire forms: the JSON-RPC error of a
// pushed request and the result of a multi round-trip one, decoded as a
// peer would.
func TestRefusalsCrossTheWire(t *testing.T) {
	for _, err := range []error{sampling.Refused("no"), sampling.Throttled("slow down", 1500*time.Millisecond)} {
		want := err.(*sampling.RefusalError)

		wire := sampling.RefusalWireError(err)
		b, _ := json.Marshal(wire)
		var back jsonrpc.Error
		if e := json.Unmarshal(b, &back); e != nil {
			t.Fatal(e)
		}
		got, ok := sampling.RefusalOfWireError(&back)
		if !ok || *got != *want || !errors.Is(got, sampling.ErrRefused) {
			t.Errorf("error form %s read back as %+v, %v; want %+v", b, got, ok, want)
		}

		b, _ = json.Marshal(sampling.Refusal(err))
		var res mcp.CreateMessageWithToolsResult
		if e := json.Unmarshal(b, &res); e != nil {
			t.Fatal(e)
		}
		got, ok = sampling.RefusalOf(&res)
		if !ok || *got != *want {
			t.Errorf("result form %s read back as %+v, %v; want %+v", b, got, ok, want)
		}
	}
}

// What a peer puts in a refusal is bounded: a huge reason is clipped, a
// wait beyond a day is a day, nonsense waits are none, and other errors are
// not refusals.
func TestRefusalsFromPeersAreBounded(t *testing.T) {
	huge := strings.Repeat("é", 100_000)
	r, ok := sampling.RefusalOfWireError(&jsonrpc.Error{Code: -1, Message: huge, Data: json.RawMessage(`{"retryAfterMs":1e300}`)})
	if !ok || len(r.Reason) > 520 || r.RetryAfter != 24*time.Hour {
		t.Errorf("got reason of %d bytes, wait %v", len(r.Reason), r.RetryAfter)
	}
	for _, data := range []string{`{"retryAfterMs":-5}`, `{"retryAfterMs":"soon"}`, `[1]`, `{"retryAfterMs":` + strings.Repeat("9", 2000) + `}`} {
		if r, ok := sampling.RefusalOfWireError(&jsonrpc.Error{Code: -1, Message: "x", Data: json.RawMessage(data)}); !ok || r.RetryAfter != 0 {
			t.Errorf("data %.40s: got %+v, %v; want a refusal with no wait", data, r, ok)
		}
	}
	if _, ok := sampling.RefusalOfWireError(&jsonrpc.Error{Code: -32603, Message: "internal"}); ok {
		t.Error("an internal error read as a refusal")
	}
	if _, ok := sampling.RefusalOf(&mcp.CreateMessageWithToolsResult{}); ok {
		t.Error("a plain result read as a refusal")
	}
}

// Usage reads back after the wire, and only counts are counts.
func TestUsage(t *testing.T) {
	res := &mcp.CreateMessageWithToolsResult{Role: "assistant", Content: []mcp.Content{&mcp.TextContent{Text: "hi"}}}
	sampling.SetUsage(res, sampling.Usage{InputTokens: 12, OutputTokens: 3})
	if u, ok := sampling.UsageOf(res); !ok || u != (sampling.Usage{InputTokens: 12, OutputTokens: 3}) {
		t.Errorf("in process: %+v, %v", u, ok)
	}
	b, _ := json.Marshal(res)
	var back mcp.CreateMessageWithToolsResult
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if u, ok := sampling.UsageOf(&back); !ok || u != (sampling.Usage{InputTokens: 12, OutputTokens: 3}) {
		t.Errorf("after the wire: %+v, %v", u, ok)
	}
	for _, bad := range []any{map[string]any{"inputTokens": -1.0, "outputTokens": 1.0}, map[string]any{"inputTokens": 1.5, "outputTokens": 1.0}, map[string]any{"inputTokens": 1.0}, "12"} {
		if u, ok := sampling.UsageOf(&mcp.CreateMessageWithToolsResult{Meta: mcp.Meta{sampling.UsageMetaKey: bad}}); ok {
			t.Errorf("%v read as usage %+v", bad, u)
		}
	}
}

// Temperature tells an explicit 0, marked, from none.
func TestTemperature(t *testing.T) {
	for _, tc := range []struct {
		req    mcp.CreateMessageWithToolsParams
		want   float64
		wantOK bool
	}{
		{mcp.CreateMessageWithToolsParams{}, 0, false},
		{mcp.CreateMessageWithToolsParams{Meta: mcp.Meta{sampling.TemperatureMetaKey: 0}}, 0, true},
		{mcp.CreateMessageWithToolsParams{Temperature: 0.4}, 0.4, true},
	} {
		if got, ok := sampling.Temperature(&tc.req); got != tc.want || ok != tc.wantOK {
			t.Errorf("%+v: got %v, %v", tc.req, got, ok)
		}
	}
}

// Handler tells the server what became of a request without passing on a
// failed model's words, and lets an ended request end.
func TestHandlerOutcomes(t *testing.T) {
	secret := errors.New("401 from https://user:hunter2@llm.internal: set OPENAI_API_KEY")
	for _, tc := range []struct {
		name    string
		res     *mcp.CreateMessageWithToolsResult
		err     error
		wantMsg string // the JSON-RPC error's message on a pushed request
	}{
		{"failed model", nil, secret, sampling.ModelFailed},
		{"the model's own deadline", nil, fmt.Errorf("OpenAI at https://llm.internal did not answer within 2m: %w", context.DeadlineExceeded), sampling.ModelFailed},
		{"a refusal wrapping a deadline", nil, fmt.Errorf("approval timed out: %w", errors.Join(sampling.Refused("no answer from the person"), context.DeadlineExceeded)), "no answer from the person"},
		{"no result", nil, nil, sampling.ModelFailed},
		{"refused", nil, sampling.Refused("the user said no"), "the user said no"},
	} {
		h := sampling.Handler(sampling.SamplerFunc(func(context.Context, *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
			return tc.res, tc.err
		}))
		_, err := h(context.Background(), &mcp.CreateMessageWithToolsRequest{Params: &mcp.CreateMessageWithToolsParams{}})
		var wire *jsonrpc.Error
		if !errors.As(err, &wire) || wire.Code != sampling.CodeRefused || wire.Message != tc.wantMsg || strings.Contains(wire.Message, "hunter2") {
			t.Errorf("%s: %v, want error -1 %q", tc.name, err, tc.wantMsg)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	h := sampling.Handler(sampling.SamplerFunc(func(ctx context.Context, _ *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		return nil, fmt.Errorf("POST https://llm.internal: %w", ctx.Err())
	}))
	if _, err := h(ctx, &mcp.CreateMessageWithToolsRequest{Params: &mcp.CreateMessageWithToolsParams{}}); err != context.Canceled {
		t.Errorf("cancelled: %v, want context.Canceled and nothing of the model's error", err)
	}
}
