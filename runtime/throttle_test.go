package runtime_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
	"github.com/samplegen/samplegen/sampling"
)

// throttling is a client's model that throttles its first n requests,
// asking to be asked again after wait, then answers, each answer with its
// token usage.
type throttling struct {
	mu     sync.Mutex
	n      int
	wait   time.Duration
	asked  int
	answer string
}

func (m *throttling) CreateMessage(context.Context, *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.asked++
	if m.asked <= m.n {
		return nil, sampling.Throttled("3 requests a minute", m.wait)
	}
	res := &mcp.CreateMessageWithToolsResult{Role: "assistant", Model: "m", Content: []mcp.Content{&mcp.TextContent{Text: m.answer}}}
	sampling.SetUsage(res, sampling.Usage{InputTokens: 100, OutputTokens: 7})
	return res, nil
}

// A throttled client is asked again once its wait is over, on both eras
// (the wait crosses the wire as the error's data on push, in the refusal
// result's _meta on multi round-trip), and the call ends with its answer.
func TestThrottleIsWaitedOut(t *testing.T) {
	for _, protocol := range []string{legacyProtocol, mrtrProtocol} {
		t.Run(protocol, func(t *testing.T) {
			srv := newServer(protocol)
			runtime.NewTool(verdictSpec()).Add(srv, quiet(), runtime.WithStateKey(testKey), runtime.WithReportMeta(runtime.ReportMetaFull))
			model := &throttling{n: 2, wait: 5 * time.Millisecond, answer: `{"label":"spam","score":0.9}`}
			cs := connect(t, srv, &mcp.ClientOptions{CreateMessageWithToolsHandler: runtime.SamplingHandler(model)})
			res := callClassify(t, cs, "WIN A PRIZE")
			rep := reportOf(t, res)
			if res.IsError || rep.Outcome != runtime.OutcomeOK || rep.Throttled != 2 || len(rep.Rounds) != 1 {
				t.Fatalf("result %s, report %+v: want the answer after two throttles waited out", textOf(res), rep)
			}
			if model.asked != 3 {
				t.Errorf("the client was asked %d times, want 3", model.asked)
			}
		})
	}
}

// A throttle that asks for more time than the call has is a refusal: the
// fallbacks answer at once, on both eras.
func TestThrottleBeyondTheDeadlineFallsBack(t *testing.T) {
	for _, protocol := range []string{legacyProtocol, mrtrProtocol} {
		t.Run(protocol, func(t *testing.T) {
			spec := verdictSpec()
			var cause error
			spec.Fallback = func(_ Ticket, err error) (Verdict, error) {
				cause = err
				return Verdict{Label: "ham"}, nil
			}
			spec.Params.Timeout = 2 * time.Second
			srv := newServer(protocol)
			runtime.NewTool(spec).Add(srv, quiet(), runtime.WithStateKey(testKey), runtime.WithReportMeta(runtime.ReportMetaFull))
			model := &throttling{n: 1, wait: time.Hour, answer: `{"label":"spam","score":0.9}`}
			cs := connect(t, srv, &mcp.ClientOptions{CreateMessageWithToolsHandler: runtime.SamplingHandler(model)})
			res := callClassify(t, cs, "x")
			rep := reportOf(t, res)
			if res.IsError || rep.Fallback != runtime.FallbackHook || rep.Throttled != 0 {
				t.Fatalf("result %s, report %+v: want the Fallback hook at once", textOf(res), rep)
			}
			var r *sampling.RefusalError
			if !errors.As(cause, &r) || r.RetryAfter != time.Hour || r.Reason != "3 requests a minute" {
				t.Errorf("Fallback was given %v, want the throttle with its reason and wait", cause)
			}
		})
	}
}

// A client that throttles without end is waited out a bounded number of
// times; then its refusal stands.
func TestThrottleWaitsAreBounded(t *testing.T) {
	for _, protocol := range []string{legacyProtocol, mrtrProtocol} {
		t.Run(protocol, func(t *testing.T) {
			spec := verdictSpec()
			spec.Fallback = func(Ticket, error) (Verdict, error) { return Verdict{Label: "ham"}, nil }
			srv := newServer(protocol)
			runtime.NewTool(spec).Add(srv, quiet(), runtime.WithStateKey(testKey), runtime.WithReportMeta(runtime.ReportMetaFull))
			model := &throttling{n: 1 << 20, wait: time.Millisecond}
			cs := connect(t, srv, &mcp.ClientOptions{CreateMessageWithToolsHandler: runtime.SamplingHandler(model)})
			res := callClassify(t, cs, "x")
			if rep := reportOf(t, res); res.IsError || rep.Fallback != runtime.FallbackHook || rep.Throttled != 3 || model.asked != 4 {
				t.Fatalf("result %s, report %+v, asked %d: want three waits, then the Fallback hook", textOf(res), rep, model.asked)
			}
		})
	}
}

// The tokens a client's model reports in each answer's _meta add up in the
// sample's report and the call's, over the rounds a re-ask takes, on both
// eras.
func TestUsageAddsUp(t *testing.T) {
	for _, protocol := range []string{legacyProtocol, mrtrProtocol} {
		t.Run(protocol, func(t *testing.T) {
			srv := newServer(protocol)
			runtime.NewTool(verdictSpec()).Add(srv, quiet(), runtime.WithStateKey(testKey), runtime.WithReportMeta(runtime.ReportMetaFull))
			answers := []string{`{"label":"maybe"}`, `{"label":"spam","score":0.9}`}
			i := 0
			model := runtime.SamplerFunc(func(context.Context, *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
				res := &mcp.CreateMessageWithToolsResult{Role: "assistant", Model: "m", Content: []mcp.Content{&mcp.TextContent{Text: answers[min(i, 1)]}}}
				i++
				sampling.SetUsage(res, sampling.Usage{InputTokens: int64(100 * i), OutputTokens: 7})
				return res, nil
			})
			cs := connect(t, srv, &mcp.ClientOptions{CreateMessageWithToolsHandler: runtime.SamplingHandler(model)})
			res := callClassify(t, cs, "x")
			call := callReportOf(t, res)
			want := sampling.Usage{InputTokens: 300, OutputTokens: 14}
			if res.IsError || len(call.Samples) != 1 || len(call.Samples[0].Rounds) != 2 {
				t.Fatalf("result %s, report %+v: want two rounds", textOf(res), call)
			}
			if s := call.Samples[0]; s.Usage != want || call.Usage != want || s.Rounds[0].Usage == nil || *s.Rounds[0].Usage != (sampling.Usage{InputTokens: 100, OutputTokens: 7}) {
				t.Errorf("usage: sample %+v (first round %+v), call %+v; want %+v in all", s.Usage, s.Rounds[0].Usage, call.Usage, want)
			}
		})
	}
}

// A function tool that asks its Sampler itself gets a refusal as the same
// sampling.RefusalError on both eras, throttle and all (on push go-sdk
// hands it error -1, which the driver reads back).
func TestFunctionToolSeesRefusalsAlikeOnBothEras(t *testing.T) {
	for _, protocol := range []string{legacyProtocol, mrtrProtocol} {
		t.Run(protocol, func(t *testing.T) {
			srv := newServer(protocol)
			var got error
			tool := &mcp.Tool{Name: "classify", InputSchema: json.RawMessage(ticketSchema)}
			if err := runtime.AddFunc(srv, tool, func(ctx context.Context, s runtime.Sampler, in Ticket) (Verdict, error) {
				_, err := s.CreateMessage(ctx, &mcp.CreateMessageWithToolsParams{MaxTokens: 10, Messages: []*mcp.SamplingMessageV2{{Role: "user", Content: []mcp.Content{&mcp.TextContent{Text: in.Text}}}}})
				if errors.Is(err, runtime.ErrInputRequired) {
					return Verdict{}, err
				}
				got = err
				return Verdict{Label: "ham"}, nil
			}, quiet(), runtime.WithStateKey(testKey)); err != nil {
				t.Fatal(err)
			}
			model := &throttling{n: 1, wait: 3 * time.Second}
			cs := connect(t, srv, &mcp.ClientOptions{CreateMessageWithToolsHandler: runtime.SamplingHandler(model)})
			if res := callClassify(t, cs, "x"); res.IsError {
				t.Fatalf("tool error: %s", textOf(res))
			}
			var r *sampling.RefusalError
			if !errors.As(got, &r) || !errors.Is(got, runtime.ErrRefused) || r.Reason != "3 requests a minute" || r.RetryAfter != 3*time.Second {
				t.Errorf("the function saw %v, want the throttle with its reason and wait", got)
			}
		})
	}
}

// The output schema goes in _meta for the server's own model, where an
// adapter reads it for structured output, and never on the wire to a
// client, on both eras.
func TestOutputSchemaMetaOnlyForTheServersModel(t *testing.T) {
	for _, protocol := range []string{legacyProtocol, mrtrProtocol} {
		t.Run(protocol, func(t *testing.T) {
			// A client that samples without tools is asked for JSON in text.
			srv := newServer(protocol)
			runtime.NewTool(verdictSpec()).Add(srv, quiet(), runtime.WithStateKey(testKey))
			client := say(`{"label":"spam","score":0.9}`)
			if res := callClassify(t, connect(t, srv, &mcp.ClientOptions{CreateMessageHandler: client.handler}), "x"); res.IsError {
				t.Fatalf("tool error: %s", textOf(res))
			}
			if asked := client.asked(); len(asked) != 1 || asked[0].Meta[sampling.OutputSchemaMetaKey] != nil {
				t.Errorf("the client was asked %d times, with _meta %v: want once, without the output schema", len(asked), asked[0].Meta)
			}

			// A client that cannot sample: the server's model answers.
			srv = newServer(protocol)
			own := say(`{"label":"spam","score":0.9}`)
			runtime.NewTool(verdictSpec()).Add(srv, quiet(), runtime.WithStateKey(testKey), runtime.WithServerSampler(own))
			if res := callClassify(t, connect(t, srv, nil), "x"); res.IsError {
				t.Fatalf("tool error: %s", textOf(res))
			}
			if asked := own.asked(); len(asked) != 1 || asked[0].Meta[sampling.OutputSchemaMetaKey] == nil {
				t.Errorf("the server's model was asked %d times, without the output schema in _meta", len(asked))
			}
		})
	}
}
