package runtime_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
	"github.com/samplegen/samplegen/sampling"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

// telemetry is a tracer and meter provider that keep what they are given.
type telemetry struct {
	spans  *tracetest.SpanRecorder
	tp     *sdktrace.TracerProvider
	reader *sdkmetric.ManualReader
	mp     *sdkmetric.MeterProvider
}

func newTelemetry(t *testing.T) *telemetry {
	t.Helper()
	tel := &telemetry{spans: tracetest.NewSpanRecorder(), reader: sdkmetric.NewManualReader()}
	tel.tp = sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(tel.spans))
	tel.mp = sdkmetric.NewMeterProvider(sdkmetric.WithReader(tel.reader))
	t.Cleanup(func() {
		_ = tel.tp.Shutdown(context.Background())
		_ = tel.mp.Shutdown(context.Background())
	})
	return tel
}

func (tel *telemetry) options() []runtime.ToolOption {
	return []runtime.ToolOption{runtime.WithTracerProvider(tel.tp), runtime.WithMeterProvider(tel.mp)}
}

// named returns the ended spans called name, in the order they ended.
func (tel *telemetry) named(name string) []sdktrace.ReadOnlySpan {
	var out []sdktrace.ReadOnlySpan
	for _, s := range tel.spans.Ended() {
		if s.Name() == name {
			out = append(out, s)
		}
	}
	return out
}

// metrics collects the metrics so far, by name.
func (tel *telemetry) metrics(t *testing.T) map[string]metricdata.Metrics {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := tel.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	out := map[string]metricdata.Metrics{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			out[m.Name] = m
		}
	}
	return out
}

// sum is the total of a counter's points, or a histogram's count and sum,
// whose attributes hold every pair of want.
func sum(t *testing.T, m metricdata.Metrics, want ...attribute.KeyValue) (count uint64, total float64) {
	t.Helper()
	match := func(set attribute.Set) bool {
		for _, kv := range want {
			if v, ok := set.Value(kv.Key); !ok || v != kv.Value {
				return false
			}
		}
		return true
	}
	switch d := m.Data.(type) {
	case metricdata.Sum[int64]:
		for _, p := range d.DataPoints {
			if match(p.Attributes) {
				count++
				total += float64(p.Value)
			}
		}
	case metricdata.Sum[float64]:
		for _, p := range d.DataPoints {
			if match(p.Attributes) {
				count++
				total += p.Value
			}
		}
	case metricdata.Histogram[int64]:
		for _, p := range d.DataPoints {
			if match(p.Attributes) {
				count += p.Count
				total += float64(p.Sum)
			}
		}
	case metricdata.Histogram[float64]:
		for _, p := range d.DataPoints {
			if match(p.Attributes) {
				count += p.Count
				total += p.Sum
			}
		}
	default:
		t.Fatalf("%s: unexpected data %T", m.Name, m.Data)
	}
	return count, total
}

func attrOf(s sdktrace.ReadOnlySpan, key string) (attribute.Value, bool) {
	for _, kv := range s.Attributes() {
		if string(kv.Key) == key {
			return kv.Value, true
		}
	}
	return attribute.Value{}, false
}

// wantAttrs checks that span s has every attribute of want.
func wantAttrs(t *testing.T, s sdktrace.ReadOnlySpan, want map[string]any) {
	t.Helper()
	for k, w := range want {
		v, ok := attrOf(s, k)
		if !ok {
			t.Errorf("span %q: no attribute %s (has %v)", s.Name(), k, s.Attributes())
			continue
		}
		if got := v.AsInterface(); !equalAttr(got, w) {
			t.Errorf("span %q: %s = %v (%T), want %v", s.Name(), k, got, got, w)
		}
	}
}

func equalAttr(got, want any) bool {
	switch w := want.(type) {
	case []string:
		g, ok := got.([]string)
		return ok && slices.Equal(g, w)
	case int:
		g, ok := got.(int64)
		return ok && g == int64(w)
	}
	return got == want
}

func events(s sdktrace.ReadOnlySpan, name string) []sdktrace.Event {
	var out []sdktrace.Event
	for _, e := range s.Events() {
		if e.Name == name {
			out = append(out, e)
		}
	}
	return out
}

// traceparents keeps the trace context each sampling request carried.
type traceparents struct {
	mu   sync.Mutex
	seen []string
}

func (tps *traceparents) wrap(s sampling.Sampler) sampling.Sampler {
	return sampling.SamplerFunc(func(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		tp, _ := req.GetMeta()["traceparent"].(string)
		tps.mu.Lock()
		tps.seen = append(tps.seen, tp)
		tps.mu.Unlock()
		return s.CreateMessage(ctx, req)
	})
}

// traceparentOf is the W3C traceparent of a span.
func traceparentOf(sc trace.SpanContext) string {
	return "00-" + sc.TraceID().String() + "-" + sc.SpanID().String() + "-01"
}

// The client's trace context in the tools/call request's _meta; the
// server's spans must be its children.
const clientTrace, clientSpan = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"

func callTraced(t *testing.T, cs *mcp.ClientSession, args map[string]any) *mcp.CallToolResult {
	t.Helper()
	res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{
		Meta: mcp.Meta{"traceparent": "00-" + clientTrace + "-" + clientSpan + "-01"},
		Name: "classify", Arguments: args,
	})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// A pushed call: the tools/call span continues the client's trace, holds
// the plan, a re-ask and a repair as events, and has a chat span for each
// question, whose context the sampling request carried to the client; the
// metrics count the call, its rounds, re-ask, repair and tokens (the real
// ones of the second answer, the estimate of the first).
func TestTelemetryPush(t *testing.T) {
	tel := newTelemetry(t)
	srv := newServer(legacyProtocol)
	runtime.NewTool(verdictSpec()).Add(srv, append(tel.options(), quiet())...)
	model := say(`{"label": "eggs", "score": 0.5}`, `{"label": "spam", "score": 0.9,}`)
	withUsage := sampling.SamplerFunc(func(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		res, err := model.CreateMessage(ctx, req)
		if err == nil && len(model.asked()) == 2 {
			sampling.SetUsage(res, sampling.Usage{InputTokens: 120, OutputTokens: 9})
		}
		return res, err
	})
	var tps traceparents
	cs := connect(t, srv, &mcp.ClientOptions{CreateMessageWithToolsHandler: runtime.SamplingHandler(tps.wrap(withUsage))})
	if res := callTraced(t, cs, map[string]any{"text": "cheap pills"}); res.IsError {
		t.Fatalf("tool error: %v", res.Content)
	}

	calls := tel.named("tools/call classify")
	if len(calls) != 1 {
		t.Fatalf("%d tools/call spans, want 1: %v", len(calls), tel.spans.Ended())
	}
	call := calls[0]
	if call.SpanKind() != trace.SpanKindServer || call.Parent().TraceID().String() != clientTrace || call.Parent().SpanID().String() != clientSpan || !call.Parent().IsRemote() {
		t.Errorf("tools/call span: kind %v, parent %v; want a server span under the client's %s", call.SpanKind(), call.Parent(), clientSpan)
	}
	wantAttrs(t, call, map[string]any{
		"gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "classify",
		"mcp.method.name": "tools/call", "mcp.protocol.version": legacyProtocol,
		"samplegen.era": runtime.EraPush, "samplegen.plan.respond": true, "samplegen.outcome": runtime.OutcomeOK,
	})
	if _, ok := attrOf(call, "error.type"); ok || call.Status().Code == codes.Error {
		t.Errorf("a call that succeeded has error status %v", call.Status())
	}
	if r := events(call, "samplegen.reask"); len(r) != 1 || !strings.Contains(r[0].Attributes[1].Value.AsString(), "eggs") {
		t.Errorf("reask events = %v, want one naming the refused label", r)
	}
	if r := events(call, "samplegen.repair"); len(r) == 0 {
		t.Errorf("no repair event for the trailing comma: %v", call.Events())
	}

	chats := tel.named("chat")
	if len(chats) != 2 {
		t.Fatalf("%d chat spans, want 2", len(chats))
	}
	for i, chat := range chats {
		if chat.Parent().SpanID() != call.SpanContext().SpanID() || chat.SpanKind() != trace.SpanKindClient {
			t.Errorf("chat %d: parent %v kind %v; want a client span under tools/call", i, chat.Parent().SpanID(), chat.SpanKind())
		}
		wantAttrs(t, chat, map[string]any{
			"gen_ai.operation.name": "chat", "gen_ai.provider.name": "mcp.client",
			"gen_ai.request.max_tokens": 50, "gen_ai.request.temperature": 0.2,
			"gen_ai.response.model": "script-model", "gen_ai.response.finish_reasons": []string{"endTurn"},
		})
		if got := tps.seen[i]; got != traceparentOf(chat.SpanContext()) {
			t.Errorf("sampling request %d carried traceparent %q, want its chat span's %q", i, got, traceparentOf(chat.SpanContext()))
		}
	}
	if _, ok := attrOf(chats[0], "samplegen.usage.estimated_input_tokens"); !ok {
		t.Errorf("first chat: no estimated tokens for an answer without usage: %v", chats[0].Attributes())
	}
	wantAttrs(t, chats[1], map[string]any{"gen_ai.usage.input_tokens": 120, "gen_ai.usage.output_tokens": 9})

	m := tel.metrics(t)
	if n, _ := sum(t, m["gen_ai.client.operation.duration"], attribute.String("gen_ai.provider.name", "mcp.client")); n != 2 {
		t.Errorf("gen_ai.client.operation.duration: %d asks, want 2", n)
	}
	if n, in := sum(t, m["gen_ai.client.token.usage"], attribute.String("gen_ai.token.type", "input")); n != 1 || in != 120 {
		t.Errorf("counted input tokens: %d points, %v; want 1 and 120 (the estimate is not counted there)", n, in)
	}
	if n, _ := sum(t, m["samplegen.usage.estimated_tokens"]); n != 2 {
		t.Errorf("estimated token points = %d, want 2 (input and output of the first answer)", n)
	}
	if _, v := sum(t, m["samplegen.tool.calls"], attribute.String("gen_ai.tool.name", "classify"), attribute.String("samplegen.outcome", "ok"), attribute.String("samplegen.era", "push")); v != 1 {
		t.Errorf("samplegen.tool.calls = %v, want 1", v)
	}
	if n, rounds := sum(t, m["samplegen.sample.rounds"]); n != 1 || rounds != 2 {
		t.Errorf("samplegen.sample.rounds: %d samples, %v rounds; want 1 and 2", n, rounds)
	}
	if _, v := sum(t, m["samplegen.sample.reasks"]); v != 1 {
		t.Errorf("samplegen.sample.reasks = %v, want 1", v)
	}
	if _, v := sum(t, m["samplegen.answer.repairs"]); v < 1 {
		t.Errorf("samplegen.answer.repairs = %v, want at least 1", v)
	}
	if n, _ := sum(t, m["mcp.server.operation.duration"], attribute.String("mcp.method.name", "tools/call")); n != 1 {
		t.Errorf("mcp.server.operation.duration: %d requests, want 1", n)
	}
}

// A multi round-trip call: each round trip is a tools/call span; the input
// request carries the first one's context to the client, and the answer's
// chat span, in the second round trip, runs from when the first went back
// to the client to when the second arrived.
func TestTelemetryMultiRoundTrip(t *testing.T) {
	tel := newTelemetry(t)
	srv := newServer(mrtrProtocol)
	runtime.NewTool(verdictSpec()).Add(srv, append(tel.options(), quiet(), runtime.WithStateKey(testKey))...)
	var tps traceparents
	cs := connect(t, srv, &mcp.ClientOptions{CreateMessageWithToolsHandler: runtime.SamplingHandler(tps.wrap(say(`{"label": "ham", "score": 0.1}`)))})
	if res := callTraced(t, cs, map[string]any{"text": "hello"}); res.IsError {
		t.Fatalf("tool error: %v", res.Content)
	}
	calls := tel.named("tools/call classify")
	if len(calls) != 2 {
		t.Fatalf("%d tools/call spans, want one for each of 2 round trips", len(calls))
	}
	first, second := calls[0], calls[1]
	wantAttrs(t, first, map[string]any{"samplegen.era": runtime.EraMultiRoundTrip, "samplegen.input_requests": 1})
	wantAttrs(t, second, map[string]any{"samplegen.round_trip": 1, "samplegen.outcome": runtime.OutcomeOK})
	if len(tps.seen) != 1 || tps.seen[0] != traceparentOf(first.SpanContext()) {
		t.Errorf("the input request carried %q, want the first round trip's %q", tps.seen, traceparentOf(first.SpanContext()))
	}
	chats := tel.named("chat")
	if len(chats) != 1 {
		t.Fatalf("%d chat spans, want 1", len(chats))
	}
	chat := chats[0]
	if chat.Parent().SpanID() != second.SpanContext().SpanID() {
		t.Errorf("the chat span's parent is %v, want the round trip that brought the answer", chat.Parent().SpanID())
	}
	if !chat.StartTime().Before(second.StartTime()) || chat.StartTime().Before(first.StartTime().Truncate(1e6)) || !chat.EndTime().Equal(second.StartTime()) {
		t.Errorf("chat span %v–%v; want it from the first round trip's end to the second's start (%v, %v)", chat.StartTime(), chat.EndTime(), first.EndTime(), second.StartTime())
	}
	wantAttrs(t, chat, map[string]any{"gen_ai.response.model": "script-model", "samplegen.era": runtime.EraMultiRoundTrip})
	if v, ok := attrOf(chat, "samplegen.usage.estimated_input_tokens"); !ok || v.AsInt64() <= 0 {
		t.Errorf("the answer counted no tokens, and its chat span has no estimate (from the state): %v", chat.Attributes())
	}
	m := tel.metrics(t)
	if n, _ := sum(t, m["mcp.server.operation.duration"]); n != 2 {
		t.Errorf("mcp.server.operation.duration: %d requests, want 2", n)
	}
	if _, v := sum(t, m["samplegen.tool.calls"]); v != 1 {
		t.Errorf("samplegen.tool.calls = %v, want 1 (a round trip that goes back to the client is not a finished call)", v)
	}
}

// A client that refuses, answered by the server's model: a chat span for
// each, the refusal's error type, a fallback event and its count.
func TestTelemetryServerFallback(t *testing.T) {
	tel := newTelemetry(t)
	srv := newServer(legacyProtocol)
	runtime.NewTool(verdictSpec()).Add(srv, append(tel.options(), quiet(), runtime.WithServerSampler(say(`{"label":"ham","score":0.2}`)))...)
	cs := connect(t, srv, &mcp.ClientOptions{CreateMessageWithToolsHandler: runtime.SamplingHandler(refusingModel)})
	if res := callTraced(t, cs, map[string]any{"text": "x"}); res.IsError {
		t.Fatalf("tool error: %v", res.Content)
	}
	chats := tel.named("chat")
	if len(chats) != 2 {
		t.Fatalf("%d chat spans, want 2 (the client's refusal, the server's answer)", len(chats))
	}
	wantAttrs(t, chats[0], map[string]any{"error.type": "refused", "samplegen.era": runtime.EraPush})
	wantAttrs(t, chats[1], map[string]any{"samplegen.era": runtime.EraDirect, "gen_ai.response.model": "script-model"})
	call := tel.named("tools/call classify")[0]
	if f := events(call, "samplegen.fallback"); len(f) != 1 || f[0].Attributes[0].Value.AsString() != runtime.FallbackServer {
		t.Errorf("fallback events = %v", f)
	}
	wantAttrs(t, call, map[string]any{"samplegen.outcome": runtime.OutcomeFallback})
	if _, v := sum(t, tel.metrics(t)["samplegen.sample.fallbacks"], attribute.String("samplegen.fallback.kind", "sampler")); v != 1 {
		t.Errorf("samplegen.sample.fallbacks{sampler} = %v, want 1", v)
	}
}

// Invalid arguments end the span as a tool error, with the status.
func TestTelemetryToolError(t *testing.T) {
	tel := newTelemetry(t)
	srv := newServer(legacyProtocol)
	runtime.NewTool(verdictSpec()).Add(srv, append(tel.options(), quiet())...)
	cs := connect(t, srv, &mcp.ClientOptions{CreateMessageWithToolsHandler: runtime.SamplingHandler(say())})
	if res := callTraced(t, cs, map[string]any{"text": ""}); !res.IsError {
		t.Fatal("an empty text was accepted")
	}
	call := tel.named("tools/call classify")[0]
	wantAttrs(t, call, map[string]any{"error.type": "tool_error", "samplegen.outcome": runtime.OutcomeError})
	if call.Status().Code != codes.Error || !strings.Contains(call.Status().Description, "invalid arguments") {
		t.Errorf("status = %v", call.Status())
	}
	m := tel.metrics(t)
	if n, _ := sum(t, m["mcp.server.operation.duration"], attribute.String("error.type", "tool_error")); n != 1 {
		t.Errorf("mcp.server.operation.duration{tool_error}: %d, want 1", n)
	}
	if _, v := sum(t, m["samplegen.tool.calls"], attribute.String("samplegen.outcome", runtime.OutcomeError)); v != 1 {
		t.Errorf("samplegen.tool.calls{error} = %v, want 1: a call refused before it starts is a call", v)
	}
}

// A function tool that asks its Sampler itself, not through a SampleX
// function, gets a chat span for the question on both eras too.
func TestTelemetryFunctionToolAsksDirectly(t *testing.T) {
	for _, protocol := range []string{legacyProtocol, mrtrProtocol} {
		t.Run(protocol, func(t *testing.T) {
			tel := newTelemetry(t)
			srv := newServer(protocol)
			tool := &mcp.Tool{Name: "classify", InputSchema: json.RawMessage(ticketSchema)}
			err := runtime.AddFunc(srv, tool, func(ctx context.Context, s runtime.Sampler, in Ticket) (string, error) {
				res, err := s.CreateMessage(ctx, &mcp.CreateMessageWithToolsParams{MaxTokens: 10, Messages: []*mcp.SamplingMessageV2{{Role: "user", Content: []mcp.Content{&mcp.TextContent{Text: in.Text}}}}})
				if err != nil {
					return "", err
				}
				return res.Model, nil
			}, append(tel.options(), quiet(), runtime.WithStateKey(testKey))...)
			if err != nil {
				t.Fatal(err)
			}
			var tps traceparents
			cs := connect(t, srv, &mcp.ClientOptions{CreateMessageWithToolsHandler: runtime.SamplingHandler(tps.wrap(say("hi")))})
			if res := callTraced(t, cs, map[string]any{"text": "hello"}); res.IsError {
				t.Fatalf("tool error: %v", res.Content)
			}
			chats := tel.named("chat")
			if len(chats) != 1 || len(tps.seen) != 1 || tps.seen[0] == "" {
				t.Fatalf("%d chat spans, traceparents %q; want 1 and one sent", len(chats), tps.seen)
			}
			if n, _ := sum(t, tel.metrics(t)["gen_ai.client.operation.duration"]); n != 1 {
				t.Errorf("gen_ai.client.operation.duration: %d, want 1", n)
			}
		})
	}
}

// On multi round-trip, a sample the server's model answered in the
// client's place has its fallback event once, in the round trip where the
// client's refusal came, not again on the round trips that replay it.
func TestTelemetryFallbackOnceAcrossRoundTrips(t *testing.T) {
	tel := newTelemetry(t)
	srv := newServer(mrtrProtocol)
	addTwoSamples(t, srv, append(tel.options(), runtime.WithServerSampler(say(`{"label":"ham","score":0.2}`, `{"label":"spam","score":0.8}`)))...)
	cs := connect(t, srv, &mcp.ClientOptions{CreateMessageWithToolsHandler: runtime.SamplingHandler(refusingModel)})
	if res := callTraced(t, cs, map[string]any{"text": "x"}); res.IsError {
		t.Fatalf("tool error: %v", res.Content)
	}
	calls := tel.named("tools/call classify")
	fallbacks := 0
	for _, c := range calls {
		fallbacks += len(events(c, "samplegen.fallback"))
	}
	if len(calls) != 3 || fallbacks != 2 {
		t.Errorf("%d round trips with %d fallback events; want 3 round trips and one event for each of the 2 samples", len(calls), fallbacks)
	}
}
