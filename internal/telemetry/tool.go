package telemetry

import (
	"context"
	"strconv"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.41.0"
	"go.opentelemetry.io/otel/semconv/v1.41.0/mcpconv"
	"go.opentelemetry.io/otel/trace"
)

// A ToolCall is one tools/call request served: a span "tools/call {tool}"
// (server kind) and mcp.server.operation.duration. A nil *ToolCall, which
// StartTool returns when telemetry is off, does nothing, and its methods
// take plain values so that a caller builds nothing when it is off.
type ToolCall struct {
	set      *Set
	span     trace.Span
	start    time.Time
	tool     string
	protocol string
}

// StartTool opens the span of a tools/call request for tool, a child of
// the trace context the client put in the request's _meta (or of ctx's).
func (s *Set) StartTool(ctx context.Context, tool, protocol, sessionID string, meta map[string]any, start time.Time) (context.Context, *ToolCall) {
	if s == nil || (s.tracer == nil && !s.toolDuration.Enabled(ctx)) {
		return ctx, nil
	}
	t := &ToolCall{set: s, start: start, tool: tool, protocol: protocol}
	if s.tracer != nil {
		ctx = Extract(ctx, meta)
		attrs := []attribute.KeyValue{
			semconv.McpMethodNameKey.String("tools/call"),
			semconv.GenAIOperationNameExecuteTool,
			semconv.GenAIToolNameKey.String(tool),
		}
		if protocol != "" {
			attrs = append(attrs, semconv.McpProtocolVersionKey.String(clipText(protocol)))
		}
		if sessionID != "" {
			attrs = append(attrs, semconv.McpSessionIDKey.String(clipText(sessionID)))
		}
		ctx, t.span = s.tracer.Start(ctx, "tools/call "+tool, trace.WithSpanKind(trace.SpanKindServer),
			trace.WithTimestamp(start), trace.WithAttributes(attrs...))
	}
	return ctx, t
}

// Plan records how the call reaches a model, and which round trip of a
// multi round-trip call this request is (0 for the first).
func (t *ToolCall) Plan(era string, respond, serverFallback bool, roundTrip int) {
	if t == nil || t.span == nil {
		return
	}
	t.span.SetAttributes(KeyEra.String(era), KeyRespond.Bool(respond), KeyServerFallback.Bool(serverFallback))
	if roundTrip > 0 {
		t.span.SetAttributes(KeyRoundTrip.Int(roundTrip))
	}
}

// Repair records a repair the parser made to the answer of round.
func (t *ToolCall) Repair(round int, kind, path string) {
	if t == nil || t.span == nil {
		return
	}
	attrs := []attribute.KeyValue{KeyRound.Int(round), KeyRepairKind.String(kind)}
	if path != "" {
		attrs = append(attrs, KeyRepairPath.String(clipText(path)))
	}
	t.span.AddEvent("samplegen.repair", trace.WithAttributes(attrs...))
}

// Reask records that the answer of round was refused, and why, and the
// model is asked again.
func (t *ToolCall) Reask(round int, reason string) {
	if t == nil || t.span == nil {
		return
	}
	t.span.AddEvent("samplegen.reask", trace.WithAttributes(KeyRound.Int(round), KeyReason.String(clipText(reason))))
}

// Fallback records that a fallback of kind gave a sample's value.
func (t *ToolCall) Fallback(kind string) {
	if t == nil || t.span == nil {
		return
	}
	t.span.AddEvent("samplegen.fallback", trace.WithAttributes(KeyFallbackKind.String(kind)))
}

// InputRequired ends the request as a multi round-trip call going back to
// the client with n input requests.
func (t *ToolCall) InputRequired(ctx context.Context, n int) {
	if t == nil {
		return
	}
	if t.span != nil {
		t.span.SetAttributes(KeyInputRequests.Int(n))
		t.span.End()
	}
	t.recordDuration(ctx, "")
}

// End ends the request: outcome is samplegen's (ok, fallback, error);
// errType is error.type ("tool_error" for a result with isError, a
// JSON-RPC code for a protocol error), empty when it succeeded.
func (t *ToolCall) End(ctx context.Context, outcome, errType string, err error) {
	if t == nil {
		return
	}
	if t.span != nil {
		t.span.SetAttributes(KeyOutcome.String(outcome))
		endSpan(t.span, errType, err, time.Time{})
	}
	t.recordDuration(ctx, errType)
}

func (t *ToolCall) recordDuration(ctx context.Context, errType string) {
	d := t.set.toolDuration
	if !d.Enabled(ctx) {
		return
	}
	attrs := []attribute.KeyValue{semconv.GenAIToolNameKey.String(t.tool), semconv.GenAIOperationNameExecuteTool}
	if t.protocol != "" {
		attrs = append(attrs, semconv.McpProtocolVersionKey.String(clipText(t.protocol)))
	}
	if errType != "" {
		attrs = append(attrs, semconv.ErrorTypeKey.String(errType))
	}
	d.Record(ctx, time.Since(t.start).Seconds(), mcpconv.MethodNameAttr("tools/call"), attrs...)
}

// A SampleStats is what one finished sample did, for samplegen's metrics.
type SampleStats struct {
	Era       string
	Rounds    int
	Fallback  string
	Throttled int
}

// RecordCall records a finished call's samplegen metrics: the call, and
// for each sample its rounds, re-asks, fallbacks and throttles; repairs
// come through RecordRepair. Call it only when MetricsOn.
func (s *Set) RecordCall(ctx context.Context, tool, era, outcome string, samples []SampleStats) {
	toolAttr := semconv.GenAIToolNameKey.String(tool)
	recordInt(ctx, s.calls, 1, toolAttr, KeyEra.String(era), KeyOutcome.String(outcome))
	for _, st := range samples {
		if st.Rounds > 0 && s.rounds.Enabled(ctx) {
			s.rounds.Record(ctx, int64(st.Rounds), metric.WithAttributes(toolAttr, KeyEra.String(st.Era)))
		}
		recordInt(ctx, s.reasks, int64(max(st.Rounds-1, 0)), toolAttr)
		if st.Fallback != "" {
			recordInt(ctx, s.fallbacks, 1, toolAttr, KeyFallbackKind.String(st.Fallback))
		}
		recordInt(ctx, s.throttles, int64(st.Throttled), toolAttr)
	}
}

// RecordRepair counts a repair of kind in an answer to tool.
func (s *Set) RecordRepair(ctx context.Context, tool, kind string) {
	recordInt(ctx, s.repairs, 1, semconv.GenAIToolNameKey.String(tool), KeyRepairKind.String(kind))
}

// RecordCost adds to a finished call's cost at the price table: of
// counted tokens, or with estimated of estimated ones.
func (s *Set) RecordCost(ctx context.Context, tool string, cost float64, estimated bool) {
	if cost == 0 || !s.cost.Enabled(ctx) {
		return
	}
	s.cost.Add(ctx, cost, metric.WithAttributes(semconv.GenAIToolNameKey.String(tool), KeyEstimated.Bool(estimated)))
}

// JSONRPCErrorType is error.type for a JSON-RPC error code.
func JSONRPCErrorType(code int64) string { return strconv.FormatInt(code, 10) }

// StartSampling opens the span of a sampling request a client answers,
// "sampling/createMessage" (server kind: the client serves the server's
// request), a child of the trace context the request's _meta carries, so
// that the server's trace goes on into the client's model. era is how the
// request came: pushed, or as the input request of a multi round-trip
// call. It returns a nil span when tracing is off.
func (s *Set) StartSampling(ctx context.Context, meta map[string]any, era, protocol string) (context.Context, trace.Span) {
	if s == nil || s.tracer == nil {
		return ctx, nil
	}
	ctx = Extract(ctx, meta)
	attrs := []attribute.KeyValue{semconv.McpMethodNameKey.String("sampling/createMessage"), KeyEra.String(era)}
	if protocol != "" {
		attrs = append(attrs, semconv.McpProtocolVersionKey.String(clipText(protocol)))
	}
	return s.tracer.Start(ctx, "sampling/createMessage", trace.WithSpanKind(trace.SpanKindServer), trace.WithAttributes(attrs...))
}

// EndSpan ends a span StartSampling opened (nil: nothing), with errType
// as error.type when the request failed.
func EndSpan(span trace.Span, errType string, err error) {
	if span != nil {
		endSpan(span, errType, err, time.Time{})
	}
}
