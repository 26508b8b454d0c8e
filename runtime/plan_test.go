package runtime_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
)

// logging is Sampler middleware as a user writes it: the runtime must not
// care that the Sampler it gets back is a SamplerFunc. It counts the
// answers that pass through it, by the score they carry.
func logging(seen *sync.Map) func(runtime.Sampler) runtime.Sampler {
	return func(next runtime.Sampler) runtime.Sampler {
		return runtime.SamplerFunc(func(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
			res, err := next.CreateMessage(ctx, req)
			if err == nil {
				for _, c := range res.Content {
					if use, ok := c.(*mcp.ToolUseContent); ok {
						seen.Store(use.Input["score"], true)
					}
				}
			}
			return res, err
		})
	}
}

// A function tool that wraps its Sampler keeps the respond tool and the
// multi round-trip replay on every era: the plan, not the Sampler's type,
// says how the model answers.
func TestSamplerMiddlewareKeepsThePlan(t *testing.T) {
	verdict := runtime.NewTool(verdictSpec())
	for _, protocol := range []string{legacyProtocol, mrtrProtocol} {
		t.Run(protocol, func(t *testing.T) {
			var seen sync.Map
			wrap := logging(&seen)
			srv := newServer(protocol)
			tool := &mcp.Tool{Name: "classify", InputSchema: json.RawMessage(ticketSchema)}
			if err := runtime.AddFunc(srv, tool, func(ctx context.Context, s runtime.Sampler, in Ticket) (Verdict, error) {
				s = wrap(wrap(s)) // middleware composes
				first, err := verdict.Sample(ctx, s, in)
				if err != nil {
					return Verdict{}, err
				}
				second, err := verdict.Sample(ctx, s, Ticket{Text: in.Text + " (again)"})
				if err != nil {
					return Verdict{}, err
				}
				first.Score = (first.Score + second.Score) / 2
				return first, nil
			}, quiet(), runtime.WithStateKey(testKey)); err != nil {
				t.Fatal(err)
			}
			model := &toolModel{inputs: []map[string]any{{"label": "spam", "score": 0.8}, {"label": "spam", "score": 0.6}}}
			res := callClassify(t, connect(t, srv, &mcp.ClientOptions{CreateMessageWithToolsHandler: model.handler}), "win")
			if res.IsError {
				t.Fatalf("tool error: %s", textOf(res))
			}
			if got := decode[Verdict](t, res.StructuredContent); got.Label != "spam" || got.Score < 0.69 || got.Score > 0.71 {
				t.Errorf("result = %+v", got)
			}
			for i, req := range model.requests {
				if len(req.Tools) != 1 || req.Tools[0].Name != runtime.RespondTool {
					t.Errorf("request %d lost the respond tool: %v", i+1, req.Tools)
				}
			}
			rep := callReportOf(t, res)
			if len(rep.Samples) != 2 || rep.Samples[0].Answer != runtime.AnswerRespond || !rep.Plan.Respond {
				t.Errorf("report = %+v, want two samples answered through respond", rep)
			}
			// Every answer reaches the middleware, on every era: a multi
			// round-trip replay goes through it too.
			for _, score := range []float64{0.8, 0.6} {
				if _, ok := seen.Load(score); !ok {
					t.Errorf("the answer with score %v never reached the middleware", score)
				}
			}
		})
	}
}

// moderated is middleware that asks a check of its own before each request,
// with the same context, as a moderation or judge layer may.
func moderated(next runtime.Sampler) runtime.Sampler {
	return runtime.SamplerFunc(func(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		check := *req
		check.SystemPrompt = "Is this request safe? " + req.SystemPrompt
		if _, err := next.CreateMessage(ctx, &check); err != nil {
			return nil, err
		}
		return next.CreateMessage(ctx, req)
	})
}

// Middleware that asks twice within one ask gets each answer in its own
// right on both eras, never the first answer for the second question.
func TestMiddlewareAskingTwiceGetsEachAnswer(t *testing.T) {
	verdict := runtime.NewTool(verdictSpec())
	for _, protocol := range []string{legacyProtocol, mrtrProtocol} {
		t.Run(protocol, func(t *testing.T) {
			srv := newServer(protocol)
			tool := &mcp.Tool{Name: "classify", InputSchema: json.RawMessage(ticketSchema)}
			if err := runtime.AddFunc(srv, tool, func(ctx context.Context, s runtime.Sampler, in Ticket) (Verdict, error) {
				return verdict.Sample(ctx, moderated(s), in)
			}, quiet(), runtime.WithStateKey(testKey)); err != nil {
				t.Fatal(err)
			}
			model := runtime.SamplerFunc(func(_ context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
				answer := `{"label":"spam","score":0.9}`
				if strings.HasPrefix(req.SystemPrompt, "Is this request safe?") {
					answer = `{"label":"ham","score":0.01}`
				}
				return &mcp.CreateMessageWithToolsResult{Role: "assistant", Model: "m", Content: []mcp.Content{&mcp.TextContent{Text: answer}}}, nil
			})
			res := callClassify(t, connect(t, srv, &mcp.ClientOptions{CreateMessageWithToolsHandler: runtime.SamplingHandler(model)}), "x")
			if got := decode[Verdict](t, res.StructuredContent); res.IsError || got != (Verdict{Label: "spam", Score: 0.9}) {
				t.Errorf("result %s, want the real request's answer", textOf(res))
			}
		})
	}
}

// Tool options and call options are different types: a SampleX call cannot
// be given a server sampler, nor a served tool a report, and WithParams is
// both.
func TestOptionScopes(t *testing.T) {
	for name, o := range map[string]any{
		"WithServerSampler": runtime.WithServerSampler(say()),
		"WithSampling":      runtime.WithSampling(runtime.SamplingServer),
		"WithLogger":        runtime.WithLogger(discard),
		"WithStateKey":      runtime.WithStateKey(testKey),
		"WithStateTTL":      runtime.WithStateTTL(1),
	} {
		if _, ok := o.(runtime.CallOption); ok {
			t.Errorf("%s is a CallOption; it configures a served tool only", name)
		}
		if _, ok := o.(runtime.ToolOption); !ok {
			t.Errorf("%s is not a ToolOption", name)
		}
	}
	if _, ok := any(runtime.WithReport(&runtime.Report{})).(runtime.ToolOption); ok {
		t.Error("WithReport is a ToolOption; it fills the report of one SampleX call")
	}
	p := runtime.WithParams(runtime.Params{MaxTokens: 7})
	var _ runtime.ToolOption = p
	var _ runtime.CallOption = p
}

// A call's parameters lie over the served tool's, which lie over the
// tool's own.
func TestParamsLayers(t *testing.T) {
	verdict := runtime.NewTool(verdictSpec()) // MaxTokens 50, temperature 0.2
	srv := newServer(legacyProtocol)
	tool := &mcp.Tool{Name: "classify", InputSchema: json.RawMessage(ticketSchema)}
	if err := runtime.AddFunc(srv, tool, func(ctx context.Context, s runtime.Sampler, in Ticket) (Verdict, error) {
		return verdict.Sample(ctx, s, in, runtime.WithParams(runtime.Params{MaxTokens: 9}))
	}, quiet(), runtime.WithParams(runtime.Params{MaxTokens: 8, Temperature: runtime.Float(0.5)})); err != nil {
		t.Fatal(err)
	}
	model := say(`{"label":"ham","score":0.1}`)
	callClassify(t, connect(t, srv, &mcp.ClientOptions{CreateMessageHandler: model.handler}), "x")
	req := model.asked()[0]
	if req.MaxTokens != 9 || req.Temperature != 0.5 {
		t.Errorf("maxTokens %d, temperature %v; want the call's 9 over the tool's 8, and the served tool's 0.5 over the spec's 0.2", req.MaxTokens, req.Temperature)
	}
}

// A 2026-07-28 client without sampling, answered by the Fallback hook: the
// report says no model was asked, not "push".
func TestReportOfACallNoModelAnswered(t *testing.T) {
	for _, protocol := range []string{legacyProtocol, mrtrProtocol} {
		t.Run(protocol, func(t *testing.T) {
			spec := verdictSpec()
			spec.Fallback = func(Ticket, error) (Verdict, error) { return Verdict{Label: "ham"}, nil }
			srv := newServer(protocol)
			runtime.NewTool(spec).Add(srv, quiet())
			res := callClassify(t, connect(t, srv, nil), "x")
			call := callReportOf(t, res)
			if res.IsError || call.Plan.Era != runtime.EraNone || call.Outcome != runtime.OutcomeFallback ||
				call.Samples[0].Era != runtime.EraNone || call.Samples[0].Fallback != "hook" || call.Plan.Protocol != protocol {
				t.Errorf("report = %+v (sample %+v), want era none, outcome fallback by the hook, protocol %s", call, call.Samples[0], protocol)
			}
		})
	}
}

// refusingModel declines every request, as a person at the client may.
var refusingModel = runtime.SamplerFunc(func(context.Context, *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
	return nil, fmt.Errorf("%w: the user declined", runtime.ErrRefused)
})

// A refusal ends the same way on both eras: on push as error -1, on multi
// round-trip as a refusal result, which SamplingHandler sends in the form
// each era needs; the Fallback hook runs either way.
func TestRefusalEndsAlikeOnBothEras(t *testing.T) {
	for _, protocol := range []string{legacyProtocol, mrtrProtocol} {
		t.Run(protocol, func(t *testing.T) {
			spec := verdictSpec()
			var cause error
			spec.Fallback = func(_ Ticket, err error) (Verdict, error) {
				cause = err
				return Verdict{Label: "ham"}, nil
			}
			srv := newServer(protocol)
			runtime.NewTool(spec).Add(srv, quiet(), runtime.WithStateKey(testKey))
			cs := connect(t, srv, &mcp.ClientOptions{CreateMessageWithToolsHandler: runtime.SamplingHandler(refusingModel)})
			res := callClassify(t, cs, "x")
			if res.IsError || reportOf(t, res).Fallback != "hook" {
				t.Fatalf("result %s, want the Fallback hook's value", textOf(res))
			}
			if !errors.Is(cause, runtime.ErrRefused) || !strings.Contains(cause.Error(), "the user declined") {
				t.Errorf("Fallback was given %v, want the refusal and its reason", cause)
			}
		})
	}
}

// records collects log records.
type records struct {
	mu sync.Mutex
	rs []slog.Record
}

func (r *records) Enabled(context.Context, slog.Level) bool { return true }
func (r *records) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.rs = append(r.rs, rec)
	return nil
}
func (r *records) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r *records) WithGroup(string) slog.Handler      { return r }

func (r *records) all() []slog.Record {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]slog.Record(nil), r.rs...)
}

// attr finds a logged attribute by its dotted path ("report.latencyMs").
func attr(rec slog.Record, path string) (slog.Value, bool) {
	var found slog.Value
	ok := false
	var walk func(prefix string, a slog.Attr)
	walk = func(prefix string, a slog.Attr) {
		key := prefix + a.Key
		v := a.Value.Resolve()
		if key == path && !ok {
			found, ok = v, true
		}
		if v.Kind() == slog.KindGroup {
			for _, g := range v.Group() {
				walk(key+".", g)
			}
		}
	}
	rec.Attrs(func(a slog.Attr) bool { walk("", a); return true })
	return found, ok
}

// Successes log quietly (DEBUG), fallbacks at WARN and failures at ERROR
// with their error, and the log's latency is the one in _meta.
func TestCallLogging(t *testing.T) {
	for _, tc := range []struct {
		name    string
		answers []string
		level   slog.Level
		outcome string
	}{
		{"ok", []string{`{"label":"spam","score":0.9}`}, slog.LevelDebug, runtime.OutcomeOK},
		{"error", []string{"no", "no", "no"}, slog.LevelError, runtime.OutcomeError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, protocol := range []string{legacyProtocol, mrtrProtocol} {
				log := &records{}
				srv := newServer(protocol)
				runtime.NewTool(verdictSpec()).Add(srv, runtime.WithLogger(slog.New(log)), runtime.WithStateKey(testKey))
				res := callClassify(t, connect(t, srv, &mcp.ClientOptions{CreateMessageHandler: say(tc.answers...).handler}), "x")
				recs := log.all()
				if len(recs) != 1 {
					t.Fatalf("%s: %d log records, want 1", protocol, len(recs))
				}
				rec := recs[0]
				call := callReportOf(t, res)
				if rec.Level != tc.level || call.Outcome != tc.outcome {
					t.Errorf("%s: logged at %v with outcome %q, want %v and %q", protocol, rec.Level, call.Outcome, tc.level, tc.outcome)
				}
				if tc.outcome == runtime.OutcomeError {
					if v, ok := attr(rec, "report.error"); !ok || !strings.Contains(v.String(), "no valid answer after 3 round(s)") || call.Error != v.String() {
						t.Errorf("%s: logged error %q, report error %q; want the error in both", protocol, v, call.Error)
					}
				}
				meta := decode[map[string]any](t, res.Meta[runtime.ReportMetaKey])
				if v, ok := attr(rec, "report.latencyMs"); !ok || v.Float64() != meta["latencyMs"] {
					t.Errorf("%s: logged latency %v, _meta latency %v: one definition, one value", protocol, v, meta["latencyMs"])
				}
			}
		})
	}
	t.Run("fallback", func(t *testing.T) {
		log := &records{}
		srv := newServer(legacyProtocol)
		runtime.NewTool(verdictSpec()).Add(srv, runtime.WithLogger(slog.New(log)), runtime.WithServerSampler(say(`{"label":"ham","score":0.2}`)))
		cs := connect(t, srv, &mcp.ClientOptions{CreateMessageWithToolsHandler: runtime.SamplingHandler(refusingModel)})
		callClassify(t, cs, "x")
		if recs := log.all(); len(recs) != 1 || recs[0].Level != slog.LevelWarn {
			t.Errorf("records %v, want one WARN", recs)
		}
	})
}

// A function tool's report has the shape of a sampling tool's: one object,
// with one sample a SampleX call.
func TestFunctionToolReportShape(t *testing.T) {
	verdict := runtime.NewTool(verdictSpec())
	srv := newServer(legacyProtocol)
	tool := &mcp.Tool{Name: "classify", InputSchema: json.RawMessage(ticketSchema)}
	if err := runtime.AddFunc(srv, tool, func(ctx context.Context, s runtime.Sampler, in Ticket) (Verdict, error) {
		if _, err := verdict.Sample(ctx, s, in); err != nil {
			return Verdict{}, err
		}
		return verdict.Sample(ctx, s, in)
	}, quiet()); err != nil {
		t.Fatal(err)
	}
	res := callClassify(t, connect(t, srv, &mcp.ClientOptions{CreateMessageHandler: say(`{"label":"ham","score":0.2}`, `{"label":"ham","score":0.4}`).handler}), "x")
	if _, ok := res.Meta[runtime.ReportMetaKey].(map[string]any); !ok {
		t.Fatalf("report is %T, want an object", res.Meta[runtime.ReportMetaKey])
	}
	if call := callReportOf(t, res); len(call.Samples) != 2 || call.Tool != "classify" || call.Outcome != runtime.OutcomeOK {
		t.Errorf("report = %+v", call)
	}
}

// An in-process server (stdio, in memory) is one process: it does not warn
// about replicas when it signs state with a random key.
func TestNoReplicaWarningOffHTTP(t *testing.T) {
	t.Setenv(runtime.StateKeyEnv, "")
	log := &records{}
	srv := newServer(mrtrProtocol)
	runtime.NewTool(verdictSpec()).Add(srv, runtime.WithLogger(slog.New(log)))
	callClassify(t, connect(t, srv, &mcp.ClientOptions{CreateMessageHandler: say(`{"label":"ham","score":0.2}`).handler}), "x")
	for _, rec := range log.all() {
		if rec.Level >= slog.LevelWarn {
			t.Errorf("logged %v %q", rec.Level, rec.Message)
		}
	}
}
