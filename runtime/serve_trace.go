package runtime

import (
	"context"
	"fmt"
	"os"

	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// EnvTraceFile names the default of -trace-file.
const EnvTraceFile = "SAMPLEGEN_TRACE_FILE"

// serveTraceFile gives srv's tools, those added without a tracer provider
// of their own, one that appends every span to the file c.TraceFile
// names, a JSON object a line (OpenTelemetry's stdout exporter), each as
// it ends: a look at what sampling does without a collector. It returns
// the flush to run when Serve ends; a program with a collector installs
// its own provider instead.
func (c *ServeConfig) serveTraceFile(h *serverHooks) (func(), error) {
	if c.TraceFile == "" {
		return func() {}, nil
	}
	f, err := os.OpenFile(c.TraceFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("-trace-file (%s): %w", EnvTraceFile, err)
	}
	exp, err := stdouttrace.New(stdouttrace.WithWriter(f))
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("-trace-file: %w", err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	h.setTracerProvider(tp)
	return func() {
		h.setTracerProvider(nil)
		_ = tp.Shutdown(context.Background())
		_ = f.Close()
	}, nil
}

// setTracerProvider gives the server's tools a tracer provider, for those
// added without their own.
func (h *serverHooks) setTracerProvider(tp trace.TracerProvider) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.tracerProvider = tp
}

func (h *serverHooks) tracerProviderOf() trace.TracerProvider {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.tracerProvider
}
