package host_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/host"
	"github.com/samplegen/samplegen/internal/wirelog"
	"github.com/samplegen/samplegen/runtime"
	"github.com/samplegen/samplegen/sampling"
	"golang.org/x/time/rate"
)

const (
	pushEra = "2025-11-25" // the server pushes sampling/createMessage
	mrtrEra = "2026-07-28" // the server returns input requests; go-sdk's client answers them with the same handler
)

type ticket struct {
	Text string `json:"text"`
}

type verdict struct {
	Label string `json:"label"`
}

// triageTool is a samplegen tool that prefers a "sonnet" model.
func triageTool() *runtime.Tool[ticket, verdict] {
	return runtime.NewTool(runtime.Spec[ticket, verdict]{
		Name:         "classify",
		InputSchema:  `{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}`,
		OutputSchema: `{"type":"object","properties":{"label":{"type":"string","enum":["spam","ham"]}},"required":["label"],"additionalProperties":false}`,
		Prompt:       "Is this spam? {{fence .Text}}",
		Params:       runtime.Params{MaxTokens: 50, Retries: runtime.Int(0), ModelHints: []string{"sonnet"}},
	})
}

// triageServer serves triageTool on protocol alone, as samplegen serves it.
func triageServer(protocol string) *mcp.Server {
	srv := mcp.NewServer(&mcp.Implementation{Name: "triage", Version: "1"}, &mcp.ServerOptions{SupportedProtocolVersions: []string{protocol}})
	triageTool().Add(srv,
		runtime.WithLogger(slog.New(slog.DiscardHandler)),
		runtime.WithStateKey([]byte("a test key of 32 bytes, or more!")),
		runtime.WithReportMeta(runtime.ReportMetaFull))
	return srv
}

// refusals records the refusals that pass it.
type refusals struct {
	mu   sync.Mutex
	seen []*sampling.RefusalError
}

func (r *refusals) record(next sampling.Sampler) sampling.Sampler {
	return sampling.SamplerFunc(func(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		res, err := next.CreateMessage(ctx, req)
		var refusal *sampling.RefusalError
		if errors.As(err, &refusal) {
			r.mu.Lock()
			r.seen = append(r.seen, refusal)
			r.mu.Unlock()
		}
		return res, err
	})
}

func (r *refusals) list() []*sampling.RefusalError {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*sampling.RefusalError(nil), r.seen...)
}

// The same handler answers a samplegen server on both eras: the catalog
// picks the model the tool's hints name, the approval prompt names the
// server, and a throttle is honoured: the runtime waits the wait the rate
// limiter named, asks again, and the call succeeds. On the wire the
// throttle is the era's own refusal form.
func TestHandlerServesSamplegenOnBothEras(t *testing.T) {
	for _, protocol := range []string{pushEra, mrtrEra} {
		t.Run(protocol, func(t *testing.T) {
			sonnet := &fakeModel{text: `{"label":"spam"}`, usage: &sampling.Usage{InputTokens: 40, OutputTokens: 6}}
			catalog := mustCatalog(t,
				host.Model{Name: "claude-haiku-4-5", Sampler: answering(`{"label":"ham"}`), Cost: 1},
				host.Model{Name: "claude-sonnet-4-5", Sampler: sonnet, Intelligence: 1},
			)
			// A rival takes the limiter's one token just before the first
			// ask, which is throttled for up to 100ms; the ask after the
			// wait gets through.
			limiter := rate.NewLimiter(rate.Every(100*time.Millisecond), 1)
			var rival sync.Once
			takeToken := func(next sampling.Sampler) sampling.Sampler {
				return sampling.SamplerFunc(func(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
					rival.Do(func() { limiter.Allow() })
					return next.CreateMessage(ctx, req)
				})
			}
			var asked approvals
			var refused refusals
			budget := host.NewSessionBudget(host.Limits{Requests: 1})
			router := host.NewRouter(nil)
			router.Handle("triage", host.Chain(catalog, refused.record, budget.Charge, takeToken, host.RateLimit(limiter, 0), host.Approve(asked.approve)))
			client := mcp.NewClient(&mcp.Implementation{Name: "host", Version: "1"}, &mcp.ClientOptions{CreateMessageWithToolsHandler: router.Handler()})

			srv := triageServer(protocol)
			st, ct := mcp.NewInMemoryTransports()
			ss, err := srv.Connect(context.Background(), st, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer ss.Close()
			wire := &wirelog.Log{}
			cs, err := client.Connect(context.Background(), &mcp.LoggingTransport{Transport: ct, Writer: wire}, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer cs.Close()
			if got := cs.InitializeResult().ProtocolVersion; got != protocol {
				t.Fatalf("negotiated %s, want %s", got, protocol)
			}

			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "classify", Arguments: map[string]any{"text": "WIN A PRIZE"}})
			if err != nil {
				t.Fatal(err)
			}
			if res.IsError {
				t.Fatalf("the call failed: %s", textOf(res))
			}
			if got := jsonOf(res.StructuredContent); got != `{"label":"spam"}` {
				t.Errorf("result %s, want sonnet's answer", got)
			}
			rep, ok, err := runtime.CallReportOf(res)
			if !ok || err != nil || len(rep.Samples) != 1 {
				t.Fatalf("no report (%v): %+v", err, res.Meta)
			}
			sample := rep.Samples[0]
			if sample.Throttled != 1 || len(sample.Rounds) != 1 || sample.Rounds[0].Model != "claude-sonnet-4-5" || sample.Usage != (sampling.Usage{InputTokens: 40, OutputTokens: 6}) {
				t.Errorf("report %s: want one throttle waited out, one round answered by claude-sonnet-4-5 with its usage", jsonOf(sample))
			}
			r := refused.list()
			if len(r) != 1 || r[0].RetryAfter <= 0 || r[0].RetryAfter > 100*time.Millisecond {
				t.Fatalf("refusals %+v, want one throttle of at most 100ms", r)
			}
			if got := strings.Join(asked.names(), ","); got != "triage" {
				t.Errorf("approvals for %q, want one, for triage (the throttled ask never reached it)", got)
			}
			if len(sonnet.requests()) != 1 || sonnet.requests()[0].MaxTokens != 50 {
				t.Errorf("sonnet was asked %d times", len(sonnet.requests()))
			}
			checkThrottleOnTheWire(t, protocol, wire.Written(t), r[0].RetryAfter.Milliseconds())

			// The session's budget of one request is spent: the next call's
			// ask is refused, and the server, with no fallback, says so.
			res, err = cs.CallTool(ctx, &mcp.CallToolParams{Name: "classify", Arguments: map[string]any{"text": "hello"}})
			if err != nil {
				t.Fatal(err)
			}
			if !res.IsError || !strings.Contains(textOf(res), "refused") {
				t.Errorf("after the budget: IsError %v, %q; want the server to report the refusal", res.IsError, textOf(res))
			}
			if n := len(sonnet.requests()); n != 1 {
				t.Errorf("sonnet was asked %d times, want the budget to have stopped the second", n)
			}
		})
	}
}

// checkThrottleOnTheWire finds the throttle among what the client wrote:
// a JSON-RPC error -1 with data {"retryAfterMs": N} answering a pushed
// request, or, on a multi round-trip call, a refusal result among the
// retried call's inputResponses with the wait in its _meta.
func checkThrottleOnTheWire(t *testing.T, protocol string, written []map[string]any, ms int64) {
	t.Helper()
	for _, m := range written {
		if protocol == pushEra {
			e, _ := m["error"].(map[string]any)
			if e == nil {
				continue
			}
			data, _ := e["data"].(map[string]any)
			if e["code"] != float64(sampling.CodeRefused) || data["retryAfterMs"] != float64(ms) {
				t.Errorf("the client answered the throttled push with %s, want code -1 and retryAfterMs %d", jsonOf(e), ms)
			}
			return
		}
		params, _ := m["params"].(map[string]any)
		responses, _ := params["inputResponses"].(map[string]any)
		for _, r := range responses {
			meta, _ := r.(map[string]any)["_meta"].(map[string]any)
			if _, refused := meta[sampling.RefusedMetaKey]; !refused {
				continue
			}
			if meta[sampling.RetryAfterMetaKey] != float64(ms) {
				t.Errorf("the refusal result's _meta %s, want %s: %d", jsonOf(meta), sampling.RetryAfterMetaKey, ms)
			}
			return
		}
	}
	t.Errorf("no throttle among what the client wrote:\n%s", jsonOf(written))
}
