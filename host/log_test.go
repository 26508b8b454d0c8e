package host_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/host"
	"github.com/samplegen/samplegen/sampling"
)

// Log writes one line per request: what answered, why a request was
// refused (with the cause a hook's refusal keeps from the server), or the
// error; a peer's long text is cut short.
func TestLogSaysHowEachRequestEnded(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, nil))
	ctx := host.WithServer(context.Background(), weather)
	uiGone := errors.New("no terminal to ask on")
	for _, s := range []sampling.Sampler{
		&fakeModel{name: "m1", text: "x", usage: &sampling.Usage{InputTokens: 3, OutputTokens: 4}},
		host.Chain(answering("x"), host.Approve(func(context.Context, *host.Request) (bool, error) { return false, uiGone })),
		&fakeModel{fail: sampling.Throttled("slow down", 1500*time.Millisecond)},
		&fakeModel{fail: errors.New("provider down: " + strings.Repeat("z", 5000))},
	} {
		_, _ = host.Chain(s, host.Log(logger)).CreateMessage(ctx, ask("hi", 5))
	}
	var lines []map[string]any
	for line := range strings.Lines(buf.String()) {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		lines = append(lines, m)
	}
	if len(lines) != 4 {
		t.Fatalf("%d lines, want 4:\n%s", len(lines), buf.String())
	}
	want := []map[string]any{
		{"level": "INFO", "msg": "sampling request answered", "server": "weather", "model": "m1", "inputTokens": 3.0, "outputTokens": 4.0},
		{"level": "WARN", "msg": "sampling request refused", "server": "weather", "reason": "the host could not get approval"},
		{"level": "WARN", "msg": "sampling request refused", "reason": "slow down", "retryAfter": float64(1500 * time.Millisecond)},
		{"level": "ERROR", "msg": "sampling request failed"},
	}
	for i, w := range want {
		for k, v := range w {
			if lines[i][k] != v {
				t.Errorf("line %d: %s = %v, want %v\n%s", i+1, k, lines[i][k], v, jsonOf(lines[i]))
			}
		}
	}
	if e, _ := lines[1]["error"].(string); !strings.Contains(e, uiGone.Error()) {
		t.Errorf("the hook's refusal was logged without its cause: %s", jsonOf(lines[1]))
	}
	if _, ok := lines[2]["error"]; ok {
		t.Errorf("a plain throttle logged an error beside its reason: %s", jsonOf(lines[2]))
	}
	if e, _ := lines[3]["error"].(string); len(e) > 600 || !strings.HasPrefix(e, "provider down") {
		t.Errorf("the failure was logged as %d bytes, want it cut to about 512", len(e))
	}
}

// A Sampler after Log that returns neither a result nor an error is logged
// as a failure, and passed on as it was: Log does not read the missing
// result.
func TestLogNilResult(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, nil))
	nothing := sampling.SamplerFunc(func(context.Context, *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		return nil, nil
	})
	res, err := host.Chain(nothing, host.Log(logger)).CreateMessage(context.Background(), ask("hi", 5))
	if res != nil || err != nil {
		t.Fatalf("got %v, %v; want the (nil, nil) passed on", res, err)
	}
	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatalf("%q: %v", buf.String(), err)
	}
	if line["level"] != "ERROR" || line["msg"] != "sampling request failed" || !strings.Contains(fmt.Sprint(line["error"]), "neither a result nor an error") {
		t.Errorf("logged %s", jsonOf(line))
	}
}
