package runtime_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
	"github.com/samplegen/samplegen/sampling"
	"go.opentelemetry.io/otel/attribute"
)

// withUsageOn makes the script's nth answer (from 1) say its tokens.
func withUsageOn(model *script, nth int, u sampling.Usage) sampling.Sampler {
	return sampling.SamplerFunc(func(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		res, err := model.CreateMessage(ctx, req)
		if err == nil && len(model.asked()) == nth {
			sampling.SetUsage(res, u)
		}
		return res, err
	})
}

// An answer that counts its tokens is priced at them; one that does not
// is estimated from what was asked and answered, and the estimate is kept
// apart and marked, in the report and its cost, on both eras (on multi
// round-trip, across round trips, from the state). The log line and the
// cost metric carry the same.
func TestUsageEstimatesAndCost(t *testing.T) {
	prices := sampling.Prices{"script-model": {Input: 2, Output: 10}}
	for _, protocol := range []string{legacyProtocol, mrtrProtocol} {
		t.Run(protocol, func(t *testing.T) {
			tel := newTelemetry(t)
			var logs bytes.Buffer
			srv := newServer(protocol)
			runtime.NewTool(verdictSpec()).Add(srv, append(tel.options(),
				runtime.WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))),
				runtime.WithStateKey(testKey), runtime.WithPrices(prices))...)
			model := say(`{"label": "eggs", "score": 0.5}`, `{"label": "spam", "score": 0.9}`)
			cs := connect(t, srv, &mcp.ClientOptions{CreateMessageWithToolsHandler: runtime.SamplingHandler(withUsageOn(model, 2, sampling.Usage{InputTokens: 300, OutputTokens: 20}))})
			res := callClassify(t, cs, "cheap pills")
			if res.IsError {
				t.Fatalf("tool error: %v", res.Content)
			}
			call := callReportOf(t, res)
			rounds := call.Samples[0].Rounds
			if len(rounds) != 2 || rounds[0].Usage != nil || rounds[0].Estimate == nil || rounds[1].Usage == nil || rounds[1].Estimate != nil {
				t.Fatalf("rounds = %+v; want the first estimated, the second counted", rounds)
			}
			asked := model.asked()
			first := &mcp.CreateMessageWithToolsResult{Content: []mcp.Content{&mcp.TextContent{Text: `{"label": "eggs", "score": 0.5}`}}}
			if want := sampling.EstimateUsage(asked[0], first); *rounds[0].Estimate != want {
				t.Errorf("estimate = %+v, want %+v (of the request the client was sent)", *rounds[0].Estimate, want)
			}
			est := *rounds[0].Estimate
			if call.Usage != (sampling.Usage{InputTokens: 300, OutputTokens: 20}) || call.EstimatedUsage != est {
				t.Errorf("call usage %+v, estimated %+v", call.Usage, call.EstimatedUsage)
			}
			counted, estimated := (300*2+20*10)/1e6, (float64(est.InputTokens)*2+float64(est.OutputTokens)*10)/1e6
			if call.Cost == nil || math.Abs(call.Cost.Counted-counted) > 1e-12 || math.Abs(call.Cost.Estimated-estimated) > 1e-12 || len(call.Cost.Unpriced) != 0 {
				t.Errorf("cost = %+v, want %v counted and %v estimated", call.Cost, counted, estimated)
			}

			var line struct {
				Report struct {
					InputTokens, EstimatedInputTokens int64
					Cost, CostEstimated               float64
				} `json:"report"`
			}
			if err := json.Unmarshal(lastLine(logs.Bytes()), &line); err != nil || line.Report.Cost != call.Cost.Counted || line.Report.CostEstimated != call.Cost.Estimated ||
				line.Report.InputTokens != 300 || line.Report.EstimatedInputTokens != est.InputTokens {
				t.Errorf("log line %s: cost and estimate missing (%v)", lastLine(logs.Bytes()), err)
			}
			cost := tel.metrics(t)["samplegen.usage.cost"]
			if _, v := sum(t, cost, attribute.Bool("samplegen.usage.estimated", false)); math.Abs(v-counted) > 1e-12 {
				t.Errorf("samplegen.usage.cost{estimated=false} = %v, want %v", v, counted)
			}
			if _, v := sum(t, cost, attribute.Bool("samplegen.usage.estimated", true)); math.Abs(v-estimated) > 1e-12 {
				t.Errorf("samplegen.usage.cost{estimated=true} = %v, want %v", v, estimated)
			}
		})
	}
}

func lastLine(b []byte) []byte {
	lines := bytes.Split(bytes.TrimSpace(b), []byte("\n"))
	return lines[len(lines)-1]
}

// A model the table has no price for is named, and its tokens are not
// counted as free.
func TestCostNamesUnpricedModels(t *testing.T) {
	srv := newServer(legacyProtocol)
	runtime.NewTool(verdictSpec()).Add(srv, quiet(), runtime.WithPrices(sampling.Prices{"gpt-4o": {Input: 1, Output: 1}}))
	cs := connect(t, srv, &mcp.ClientOptions{CreateMessageWithToolsHandler: runtime.SamplingHandler(say(`{"label": "ham", "score": 0.1}`))})
	call := callReportOf(t, callClassify(t, cs, "x"))
	if call.Cost == nil || call.Cost.Counted != 0 || call.Cost.Estimated != 0 || len(call.Cost.Unpriced) != 1 || call.Cost.Unpriced[0] != "script-model" {
		t.Errorf("cost = %#v, want nothing priced and script-model unpriced", call.Cost)
	}
}

// Without a table there is no cost, only tokens.
func TestNoPricesNoCost(t *testing.T) {
	srv := newServer(legacyProtocol)
	runtime.NewTool(verdictSpec()).Add(srv, quiet())
	cs := connect(t, srv, &mcp.ClientOptions{CreateMessageWithToolsHandler: runtime.SamplingHandler(say(`{"label": "ham", "score": 0.1}`))})
	call := callReportOf(t, callClassify(t, cs, "x"))
	if call.Cost != nil || call.EstimatedUsage == (sampling.Usage{}) {
		t.Errorf("report = cost %+v, estimated %+v; want no cost and an estimate", call.Cost, call.EstimatedUsage)
	}
}

// A price file that cannot be used stops Serve before it serves, naming
// the flag and the file.
func TestServeRefusesABadPriceFile(t *testing.T) {
	dir := t.TempDir()
	bad := dir + "/prices.json"
	if err := writeFile(bad, `{"gpt-4o": {"input": -1, "output": 1}}`); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{bad, dir + "/missing.json"} {
		err := runtime.Serve(context.Background(), newServer(legacyProtocol), &runtime.ServeConfig{PricesFile: path})
		if err == nil || !strings.Contains(err.Error(), "-prices") || !strings.Contains(err.Error(), path) {
			t.Errorf("Serve with %s: %v, want an error naming -prices and the file", path, err)
		}
	}
}

func writeFile(path, text string) error { return os.WriteFile(path, []byte(text), 0o600) }

// The tokens a model spent to refuse (an adapter's sampling.ModelRefused)
// are a round of the report, counted and priced ("*" prices the unnamed
// model), and in its chat span.
func TestRefusalTokensAreCounted(t *testing.T) {
	tel := newTelemetry(t)
	srv := newServer(legacyProtocol)
	refusing := sampling.SamplerFunc(func(context.Context, *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		return nil, sampling.ModelRefused("the model refused to answer", sampling.Usage{InputTokens: 30, OutputTokens: 9})
	})
	runtime.NewTool(verdictSpec()).Add(srv, append(tel.options(), quiet(), runtime.WithServerSampler(refusing), runtime.WithPrices(sampling.Prices{sampling.AnyModel: {Input: 1, Output: 1}}))...)
	cs := connect(t, srv, nil) // no sampling: the server's model is asked
	res := callClassify(t, cs, "x")
	if !res.IsError {
		t.Fatal("a refused call succeeded")
	}
	call := callReportOf(t, res)
	rounds := call.Samples[0].Rounds
	if len(rounds) != 1 || rounds[0].Usage == nil || *rounds[0].Usage != (sampling.Usage{InputTokens: 30, OutputTokens: 9}) || call.Usage.InputTokens != 30 {
		t.Fatalf("report = %+v; want the refusal's round with its 30+9 tokens", call)
	}
	if call.Cost == nil || math.Abs(call.Cost.Counted-39/1e6) > 1e-15 {
		t.Errorf("cost = %+v, want 39 tokens at 1 a million", call.Cost)
	}
	chats := tel.named("chat")
	if len(chats) != 1 {
		t.Fatalf("%d chat spans", len(chats))
	}
	wantAttrs(t, chats[0], map[string]any{"error.type": "refused", "gen_ai.usage.input_tokens": 30, "gen_ai.usage.output_tokens": 9})
}
