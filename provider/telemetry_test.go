package provider

import (
	"context"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/internal/aimock"
	"github.com/samplegen/samplegen/runtime"
	"github.com/samplegen/samplegen/sampling"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

func recorder(t *testing.T) (*tracetest.SpanRecorder, *sdktrace.TracerProvider) {
	t.Helper()
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	return rec, tp
}

func spanAttr(s sdktrace.ReadOnlySpan, key string) any {
	for _, kv := range s.Attributes() {
		if string(kv.Key) == key {
			return kv.Value.AsInterface()
		}
	}
	return nil
}

// An adapter's own request is a chat span with the provider, its address,
// the request and the answer's model, finish reason and counted tokens, and
// the gen_ai.client metrics.
func TestOpenAIChatSpanAndMetrics(t *testing.T) {
	t.Parallel()
	srv := aimock.Shared(t, openAIFixtures)
	rec, tp := recorder(t)
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	m, _ := openAIAt(t, srv, func(c *Config) { c.TracerProvider, c.MeterProvider = tp, mp })
	req := ask("[every field] hello")
	req.MaxTokens, req.StopSequences = 64, []string{"END"}
	if _, err := m.CreateMessage(t.Context(), req); err != nil {
		t.Fatal(err)
	}
	spans := rec.Ended()
	if len(spans) != 1 || spans[0].Name() != "chat gpt-test" || spans[0].SpanKind() != trace.SpanKindClient {
		t.Fatalf("spans = %v, want one client span chat gpt-test", spans)
	}
	s := spans[0]
	for k, want := range map[string]any{
		"gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-test",
		"gen_ai.request.max_tokens": int64(64), "server.address": "127.0.0.1",
		"gen_ai.response.model":     "gpt-test-2026-01-01",
		"gen_ai.usage.input_tokens": int64(42), "gen_ai.usage.output_tokens": int64(7),
	} {
		if got := spanAttr(s, k); got != want {
			t.Errorf("%s = %v (%T), want %v", k, got, got, want)
		}
	}
	if got, _ := spanAttr(s, "gen_ai.request.stop_sequences").([]string); len(got) != 1 || got[0] != "END" {
		t.Errorf("stop sequences = %v", got)
	}
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(t.Context(), &rm); err != nil {
		t.Fatal(err)
	}
	tokens := map[string]int64{}
	durations := 0
	for _, sm := range rm.ScopeMetrics {
		for _, mt := range sm.Metrics {
			switch d := mt.Data.(type) {
			case metricdata.Histogram[int64]:
				if mt.Name == "gen_ai.client.token.usage" {
					for _, p := range d.DataPoints {
						typ, _ := p.Attributes.Value("gen_ai.token.type")
						tokens[typ.AsString()] += p.Sum
					}
				}
			case metricdata.Histogram[float64]:
				if mt.Name == "gen_ai.client.operation.duration" {
					for _, p := range d.DataPoints {
						if v, _ := p.Attributes.Value("gen_ai.provider.name"); v == attribute.StringValue("openai") {
							durations += int(p.Count)
						}
					}
				}
			}
		}
	}
	if tokens["input"] != 42 || tokens["output"] != 7 || durations != 1 {
		t.Errorf("metrics: tokens %v, %d durations; want 42 in, 7 out, 1", tokens, durations)
	}
}

// A failed request's span has its HTTP status as error.type.
func TestOpenAIChatSpanOfAFailure(t *testing.T) {
	t.Parallel()
	srv := aimock.Shared(t, openAIFixtures)
	rec, tp := recorder(t)
	m, _ := openAIAt(t, srv, func(c *Config) { c.TracerProvider = tp })
	if _, err := m.CreateMessage(t.Context(), ask("[forbidden]")); err == nil {
		t.Fatal("no error")
	}
	if spans := rec.Ended(); len(spans) != 1 || spanAttr(spans[0], "error.type") != "403" {
		t.Fatalf("spans = %v, want one with error.type 403", spans)
	}
}

type feeling struct {
	Text string `json:"text"`
}

type sentiment struct {
	Sentiment  string  `json:"sentiment"`
	Confidence float64 `json:"confidence"`
}

func sentimentTool() *runtime.Tool[feeling, sentiment] {
	return runtime.NewTool(runtime.Spec[feeling, sentiment]{
		Name:         "sentiment",
		InputSchema:  `{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}`,
		OutputSchema: `{"type":"object","properties":{"sentiment":{"type":"string"},"confidence":{"type":"number"}},"required":["sentiment","confidence"],"additionalProperties":false}`,
		PromptName:   "sentiment.tmpl",
		Prompt:       `{{.Text}}`,
	})
}

// One trace from the server's tool call through the client's handler into
// the provider: tools/call, the server's chat span for the question, the
// client's sampling/createMessage (from the traceparent in the request's
// _meta) and the adapter's chat span under it.
func TestTraceContinuesAcrossTheClient(t *testing.T) {
	t.Parallel()
	aim := aimock.Shared(t, openAIFixtures)
	rec, tp := recorder(t)
	model, _ := openAIAt(t, aim, func(c *Config) { c.TracerProvider = tp })

	srv := mcp.NewServer(&mcp.Implementation{Name: "s", Version: "1"}, &mcp.ServerOptions{SupportedProtocolVersions: []string{"2025-11-25"}})
	sentimentTool().Add(srv, runtime.WithTracerProvider(tp))
	st, ct := mcp.NewInMemoryTransports()
	ss, err := srv.Connect(t.Context(), st, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ss.Close()
	client := mcp.NewClient(&mcp.Implementation{Name: "c", Version: "1"}, &mcp.ClientOptions{
		CreateMessageWithToolsHandler: sampling.Handler(model, sampling.WithTracerProvider(tp)),
	})
	cs, err := client.Connect(t.Context(), ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	res, err := cs.CallTool(t.Context(), &mcp.CallToolParams{Name: "sentiment", Arguments: map[string]any{"text": "[respond] I love it."}})
	if err != nil || res.IsError {
		t.Fatalf("call: %v %v", err, res)
	}

	byName := map[string]sdktrace.ReadOnlySpan{}
	for _, s := range rec.Ended() {
		byName[s.Name()] = s
	}
	chain := []string{"tools/call sentiment", "chat", "sampling/createMessage", "chat gpt-test"}
	for i, name := range chain {
		s, ok := byName[name]
		if !ok {
			t.Fatalf("no span %q among %v", name, rec.Ended())
		}
		if i == 0 {
			continue
		}
		parent := byName[chain[i-1]]
		if s.Parent().SpanID() != parent.SpanContext().SpanID() || s.SpanContext().TraceID() != parent.SpanContext().TraceID() {
			t.Errorf("%q is not a child of %q", name, chain[i-1])
		}
	}
	if !byName["sampling/createMessage"].Parent().IsRemote() {
		t.Error("the client's span does not continue the server's trace from the request's _meta")
	}
	if got := spanAttr(byName["chat gpt-test"], "gen_ai.provider.name"); got != "openai" {
		t.Errorf("the adapter's span names provider %v", got)
	}
}

// The server's own model, an adapter, answers inside the runtime's chat
// span: one span for the question, named for the provider's model, not
// two.
func TestDirectModelAddsToTheRuntimesChatSpan(t *testing.T) {
	t.Parallel()
	aim := aimock.Shared(t, openAIFixtures)
	rec, tp := recorder(t)
	model, _ := openAIAt(t, aim, func(c *Config) { c.TracerProvider = tp })
	srv := mcp.NewServer(&mcp.Implementation{Name: "s", Version: "1"}, nil)
	sentimentTool().Add(srv, runtime.WithTracerProvider(tp), runtime.WithServerSampler(model))
	st, ct := mcp.NewInMemoryTransports()
	ss, err := srv.Connect(t.Context(), st, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ss.Close()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "c", Version: "1"}, nil).Connect(t.Context(), ct, nil) // no sampling
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	res, err := cs.CallTool(t.Context(), &mcp.CallToolParams{Name: "sentiment", Arguments: map[string]any{"text": "[structured] I love it."}})
	if err != nil || res.IsError {
		t.Fatalf("call: %v %v", err, res)
	}
	var chats []sdktrace.ReadOnlySpan
	for _, s := range rec.Ended() {
		if s.Name() == "chat gpt-test" || s.Name() == "chat" {
			chats = append(chats, s)
		}
	}
	if len(chats) != 1 || chats[0].Name() != "chat gpt-test" || spanAttr(chats[0], "gen_ai.provider.name") != "openai" || spanAttr(chats[0], "samplegen.era") != "direct" {
		for _, c := range chats {
			t.Logf("%s: %v", c.Name(), c.Attributes())
		}
		t.Fatalf("%d chat spans, want one named for the adapter's model", len(chats))
	}
}
