package telemetry

import (
	"context"
	"maps"

	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// The trace context crosses MCP in a request's params._meta, under the
// W3C names (traceparent, tracestate), as the MCP semantic conventions
// say: a sampling request carries the server's span to the client, and a
// tools/call request the client's to the server. W3C Trace Context is
// used whatever the global propagator is: it is the wire's convention, not
// a process's choice.
var propagator = propagation.TraceContext{}

// metaCarrier reads and writes a _meta map as a TextMapCarrier; only
// string values are read, so a peer's other values are never taken for
// a trace context.
type metaCarrier map[string]any

func (m metaCarrier) Get(key string) string {
	s, _ := m[key].(string)
	return s
}

func (m metaCarrier) Set(key, value string) { m[key] = value }

func (m metaCarrier) Keys() []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

// Inject returns meta with ctx's span context added (a copy: a request's
// _meta may be shared, or reused between asks), or meta itself when ctx
// has no valid span context.
func Inject(ctx context.Context, meta map[string]any) map[string]any {
	if !trace.SpanContextFromContext(ctx).IsValid() {
		return meta
	}
	out := make(map[string]any, len(meta)+2)
	maps.Copy(out, meta)
	propagator.Inject(ctx, metaCarrier(out))
	return out
}

// Extract returns ctx with the remote span context meta carries, if any.
func Extract(ctx context.Context, meta map[string]any) context.Context {
	if len(meta) == 0 {
		return ctx
	}
	if _, ok := meta["traceparent"].(string); !ok {
		return ctx
	}
	return propagator.Extract(ctx, metaCarrier(meta))
}
