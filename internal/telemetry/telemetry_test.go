package telemetry

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// The _meta of a request the tests serve, made once.
var (
	toolMeta    = map[string]any{"traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}
	requestMeta = map[string]any{"k": "v"}
)

// everything runs each step the runtime and the adapters take for a call.
func everything(s *Set) {
	ctx := context.Background()
	ctx, call := s.StartTool(ctx, "classify", "2025-11-25", "session", toolMeta, time.Now())
	call.Plan("push", true, false, 0)
	cctx, chat := s.StartChat(ctx, Request{Model: "m", MaxTokens: 50}, ProviderMCPClient, time.Time{}, KeyEra.String("push"))
	ChatFrom(cctx).Provider("openai", "gpt", "localhost", 80)
	chat.End(cctx, Answer{Model: "m", StopReason: "endTurn", InputTokens: 3, OutputTokens: 4, HasUsage: true}, "", nil, time.Time{})
	call.Repair(0, "trailing-comma", "/a")
	call.Reask(0, "the value is not acceptable")
	call.Fallback("hook")
	if s.MetricsOn(ctx) {
		s.RecordCall(ctx, "classify", "push", "ok", []SampleStats{{Era: "push", Rounds: 2}})
	}
	s.RecordRepair(ctx, "classify", "trailing-comma")
	s.RecordCost(ctx, "classify", 0.5, false)
	_ = Inject(ctx, requestMeta)
	sctx, span := s.StartSampling(ctx, nil, "push", "2025-11-25")
	EndSpan(span, "", nil)
	_ = sctx
	call.End(ctx, "ok", "", nil)
}

// Off, through the global providers (as a program that installs none has
// them) or noop ones, instrumentation allocates nothing.
func TestOffAllocatesNothing(t *testing.T) {
	var tp trace.TracerProvider = noop.NewTracerProvider()
	var mp metric.MeterProvider = metricnoop.NewMeterProvider()
	for name, s := range map[string]func() *Set{
		"global": func() *Set { return For(nil, nil) },
		"noop":   func() *Set { return For(tp, mp) },
	} {
		t.Run(name, func(t *testing.T) {
			if s().Tracing() || s().MetricsOn(context.Background()) {
				t.Fatal("telemetry is on")
			}
			if n := testing.AllocsPerRun(100, func() { everything(s()) }); n != 0 {
				t.Errorf("%v allocations per call with telemetry off, want 0", n)
			}
		})
	}
}

func TestOff(t *testing.T) {
	sdk := sdktrace.NewTracerProvider()
	defer sdk.Shutdown(context.Background())
	for _, tc := range []struct {
		name string
		tp   trace.TracerProvider
		off  bool
	}{
		{"nil", nil, true},
		{"noop", noop.NewTracerProvider(), true},
		{"sdk", sdk, false},
	} {
		if got := Off(tc.tp); got != tc.off {
			t.Errorf("Off(%s) = %v, want %v", tc.name, got, tc.off)
		}
	}
	if !Off(For(nil, nil).tp) {
		t.Error("the global default provider is not taken for off")
	}
}

// On, every step records: this holds that the allocation test above
// measures code that runs.
func TestOnRecords(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	s := For(tp, mp)
	everything(s)
	var names []string
	for _, sp := range rec.Ended() {
		names = append(names, sp.Name())
	}
	if got := strings.Join(names, ","); got != "chat gpt,sampling/createMessage,tools/call classify" {
		t.Errorf("spans = %s", got)
	}
	if For(tp, mp) != s {
		t.Error("the Set of the same providers was made again")
	}
}

func TestInjectCopiesAndExtractReadsStringsOnly(t *testing.T) {
	tp := sdktrace.NewTracerProvider()
	defer tp.Shutdown(context.Background())
	ctx, span := tp.Tracer("t").Start(context.Background(), "s")
	defer span.End()
	meta := map[string]any{"progressToken": 1}
	out := Inject(ctx, meta)
	if _, ok := meta["traceparent"]; ok {
		t.Error("Inject wrote into the request's own _meta")
	}
	tp2, _ := out["traceparent"].(string)
	if !strings.Contains(tp2, span.SpanContext().TraceID().String()) || out["progressToken"] != 1 {
		t.Errorf("Inject = %v", out)
	}
	if got := trace.SpanContextFromContext(Extract(context.Background(), out)); got.TraceID() != span.SpanContext().TraceID() || !got.IsRemote() {
		t.Errorf("Extract = %v", got)
	}
	for _, bad := range []map[string]any{
		{"traceparent": 42},
		{"traceparent": "not a trace context"},
		{"traceparent": strings.Repeat("0", 1<<16)},
	} {
		if got := trace.SpanContextFromContext(Extract(context.Background(), bad)); got.IsValid() {
			t.Errorf("Extract(%.40v) = %v, want none", bad, got)
		}
	}
	if got := Inject(context.Background(), meta); len(got) != 1 {
		t.Errorf("Inject without a span = %v, want meta as it was", got)
	}
}

func TestClipText(t *testing.T) {
	long := strings.Repeat("é", 400)
	got := clipText(long)
	if len(got) > maxText+len("…") || !strings.HasSuffix(got, "…") || !strings.HasPrefix(long, strings.TrimSuffix(got, "…")) {
		t.Errorf("clipText: %d bytes, %q…", len(got), got[:10])
	}
	if clipText("short") != "short" {
		t.Error("a short text was clipped")
	}
}

// A program that hands samplegen otel.GetTracerProvider() before it
// installs its own gets spans once it has: the global provider taken early
// forwards to the installed one. (In a process of its own, since a global
// provider once installed stays.)
func TestGlobalTakenEarlyFollowsTheInstalledOne(t *testing.T) {
	if os.Getenv("TELEMETRY_TEST_GLOBAL") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestGlobalTakenEarlyFollowsTheInstalledOne$", "-test.v")
		cmd.Env = append(os.Environ(), "TELEMETRY_TEST_GLOBAL=1")
		if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "--- PASS") {
			t.Fatalf("%v\n%s", err, out)
		}
		return
	}
	early := otel.GetTracerProvider()
	if For(early, nil).Tracing() {
		t.Fatal("on before a provider is installed")
	}
	rec := tracetest.NewSpanRecorder()
	otel.SetTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec)))
	s := For(early, nil)
	if !s.Tracing() {
		t.Fatal("off after a provider is installed")
	}
	_, call := s.StartTool(context.Background(), "t", "", "", nil, time.Now())
	call.End(context.Background(), "ok", "", nil)
	if len(rec.Ended()) != 1 {
		t.Errorf("%d spans recorded, want 1", len(rec.Ended()))
	}
}
