// Package telemetry is samplegen's OpenTelemetry instrumentation, shared by
// the server runtime, the client's sampling handler and the provider
// adapters, so that the three name spans, attributes and metrics alike
// (the GenAI and MCP semantic conventions, semconv v1.41.0, and samplegen's
// own under samplegen.*).
//
// It is off unless the program installs providers: with OpenTelemetry's
// global no-op providers, or a noop provider given, no span is started, no
// attribute is built and no allocation is made (see Off and the package's
// allocation test). Metrics are recorded only when an instrument is
// enabled, which a no-op or global-default meter never is.
package telemetry

import (
	"context"
	"reflect"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.41.0"
	"go.opentelemetry.io/otel/semconv/v1.41.0/genaiconv"
	"go.opentelemetry.io/otel/semconv/v1.41.0/mcpconv"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// Scope is the instrumentation scope of every tracer and meter.
const Scope = "github.com/samplegen/samplegen"

// SchemaURL is the semantic conventions' version the names follow.
const SchemaURL = semconv.SchemaURL

// A Set is the tracer and instruments of one pair of providers.
type Set struct {
	tp trace.TracerProvider
	mp metric.MeterProvider
	// tracer is nil when tracing is off.
	tracer trace.Tracer

	chatDuration genaiconv.ClientOperationDuration
	tokenUsage   genaiconv.ClientTokenUsage
	estimated    metric.Int64Histogram
	toolDuration mcpconv.ServerOperationDuration
	calls        metric.Int64Counter
	rounds       metric.Int64Histogram
	repairs      metric.Int64Counter
	reasks       metric.Int64Counter
	fallbacks    metric.Int64Counter
	throttles    metric.Int64Counter
	cost         metric.Float64Counter
}

// sets caches the Sets of the provider pairs asked for lately: a process
// has a few (the server's tools', an adapter's, a client handler's), so
// the lookup on every call is a few loads and comparisons.
var (
	sets     [8]atomic.Pointer[Set]
	nextSlot atomic.Uint32
)

// For returns the Set of tp and mp; nil, or OpenTelemetry's global
// provider taken before a program installed its own, stands for the
// global provider, read on every call so that one installed later is used.
func For(tp trace.TracerProvider, mp metric.MeterProvider) *Set {
	if tp == nil || isGlobal(tp) {
		tp = otel.GetTracerProvider()
	}
	if mp == nil || isGlobal(mp) {
		mp = otel.GetMeterProvider()
	}
	cacheable := comparable(tp) && comparable(mp)
	if cacheable {
		for i := range sets {
			if s := sets[i].Load(); s != nil && s.tp == tp && s.mp == mp {
				return s
			}
		}
	}
	s := newSet(tp, mp)
	if cacheable {
		sets[nextSlot.Add(1)%uint32(len(sets))].Store(s)
	}
	return s
}

// isGlobal reports whether v is of otel's internal global package: the
// delegating provider otel.Get*Provider returns until a program installs
// its own (after which otel.Get*Provider returns that one).
func isGlobal(v any) bool {
	t := reflect.TypeOf(v)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.PkgPath() == "go.opentelemetry.io/otel/internal/global"
}

// comparable reports whether v may be compared with ==, which panics on
// a provider of a func, map or slice type.
func comparable(v any) bool { return reflect.TypeOf(v).Comparable() }

func newSet(tp trace.TracerProvider, mp metric.MeterProvider) *Set {
	s := &Set{tp: tp, mp: mp}
	if !Off(tp) {
		s.tracer = tp.Tracer(Scope, trace.WithSchemaURL(SchemaURL))
	}
	m := mp.Meter(Scope, metric.WithSchemaURL(SchemaURL))
	// An instrument that cannot be made is a no-op one (the semconv
	// constructors return one with the error), and telemetry never fails
	// a call.
	s.chatDuration, _ = genaiconv.NewClientOperationDuration(m)
	s.tokenUsage, _ = genaiconv.NewClientTokenUsage(m)
	s.toolDuration, _ = mcpconv.NewServerOperationDuration(m)
	s.estimated, _ = m.Int64Histogram("samplegen.usage.estimated_tokens", metric.WithUnit("{token}"),
		metric.WithDescription("Tokens of answers that counted none, as estimated from the request's and answer's sizes, by gen_ai.token.type."),
		metric.WithExplicitBucketBoundaries(1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576))
	s.calls, _ = m.Int64Counter("samplegen.tool.calls", metric.WithUnit("{call}"),
		metric.WithDescription("Finished calls of samplegen tools, by tool, era and outcome."))
	s.rounds, _ = m.Int64Histogram("samplegen.sample.rounds", metric.WithUnit("{round}"),
		metric.WithDescription("Questions put to a model for one sample: 1, plus one for each re-ask."),
		metric.WithExplicitBucketBoundaries(1, 2, 3, 4, 5, 8))
	s.repairs, _ = m.Int64Counter("samplegen.answer.repairs", metric.WithUnit("{repair}"),
		metric.WithDescription("Repairs the parser made to models' answers, by tool and kind."))
	s.reasks, _ = m.Int64Counter("samplegen.sample.reasks", metric.WithUnit("{ask}"),
		metric.WithDescription("Answers refused and asked again, by tool."))
	s.fallbacks, _ = m.Int64Counter("samplegen.sample.fallbacks", metric.WithUnit("{sample}"),
		metric.WithDescription("Samples whose value came from a fallback, by tool and kind (sampler, hook, defaults)."))
	s.throttles, _ = m.Int64Counter("samplegen.sample.throttles", metric.WithUnit("{wait}"),
		metric.WithDescription("Throttles a client asked for and the runtime waited out, by tool."))
	s.cost, _ = m.Float64Counter("samplegen.usage.cost", metric.WithUnit("{currency}"),
		metric.WithDescription("The cost of the tokens of finished calls at the configured price table, in its currency; estimated marks a cost from estimated tokens."))
	return s
}

// Off reports whether tp records nothing: a noop provider, or
// OpenTelemetry's global default before a program installs its own (the
// global provider then forwards to a no-op; its type lives in otel's
// internal/global package, and once a provider is installed
// otel.GetTracerProvider returns that provider instead).
func Off(tp trace.TracerProvider) bool {
	switch tp.(type) {
	case nil, noop.TracerProvider, *noop.TracerProvider:
		return true
	}
	return isGlobal(tp)
}

// Tracing reports whether spans are recorded.
func (s *Set) Tracing() bool { return s != nil && s.tracer != nil }

// Tracer is the Set's tracer, or nil when tracing is off.
func (s *Set) Tracer() trace.Tracer { return s.tracer }

// MetricsOn reports whether samplegen's call metrics are recorded, so that
// a caller builds their attributes only then.
func (s *Set) MetricsOn(ctx context.Context) bool {
	return s != nil && (s.calls.Enabled(ctx) || s.repairs.Enabled(ctx) || s.rounds.Enabled(ctx) || s.cost.Enabled(ctx))
}

// Attribute keys of samplegen's own, beside the semantic conventions'.
const (
	KeyEra            = attribute.Key("samplegen.era")
	KeyRespond        = attribute.Key("samplegen.plan.respond")
	KeyServerFallback = attribute.Key("samplegen.plan.server_fallback")
	KeyRoundTrip      = attribute.Key("samplegen.round_trip")
	KeyOutcome        = attribute.Key("samplegen.outcome")
	KeyRound          = attribute.Key("samplegen.round")
	KeyAsk            = attribute.Key("samplegen.ask.id")
	KeyReplayed       = attribute.Key("samplegen.replayed")
	KeyRepairKind     = attribute.Key("samplegen.repair.kind")
	KeyRepairPath     = attribute.Key("samplegen.repair.path")
	KeyFallbackKind   = attribute.Key("samplegen.fallback.kind")
	KeyReason         = attribute.Key("samplegen.reason")
	KeyInputRequests  = attribute.Key("samplegen.input_requests")
	KeyEstimated      = attribute.Key("samplegen.usage.estimated")
	KeyEstimatedIn    = attribute.Key("samplegen.usage.estimated_input_tokens")
	KeyEstimatedOut   = attribute.Key("samplegen.usage.estimated_output_tokens")
)

// ProviderMCPClient is gen_ai.provider.name for a model reached through an
// MCP client's sampling, whose provider the server cannot know.
const ProviderMCPClient = "mcp.client"

// maxText bounds a text put in an attribute or event: a model's answer or
// an error it caused is untrusted, and a span must stay small.
const maxText = 256

func clipText(s string) string {
	if len(s) <= maxText {
		return s
	}
	cut := maxText
	for cut > 0 && s[cut]&0xC0 == 0x80 { // not inside a UTF-8 sequence
		cut--
	}
	return s[:cut] + "…"
}

// endSpan ends span with err's status: the error type and a clipped
// message, never the whole text of a model's or peer's error.
func endSpan(span trace.Span, errType string, err error, at time.Time) {
	if errType != "" {
		span.SetAttributes(semconv.ErrorTypeKey.String(errType))
		msg := errType
		if err != nil {
			msg = clipText(err.Error())
		}
		span.SetStatus(codes.Error, msg)
	}
	if at.IsZero() {
		span.End()
		return
	}
	span.End(trace.WithTimestamp(at))
}
