package samplegentest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/replay"
	"github.com/samplegen/samplegen/runtime"
	"github.com/samplegen/samplegen/sampling"
)

// An Era is the MCP protocol version a [Serve]d session speaks, which
// decides how the server reaches the client's model.
type Era string

const (
	// Push is protocol 2025-11-25: the server pushes each sampling request
	// to the client, which answers it while the call waits.
	Push Era = "2025-11-25"
	// MultiRoundTrip is protocol 2026-07-28: the call returns its sampling
	// requests as input requests, and the client calls again with the
	// answers, once per round trip.
	MultiRoundTrip Era = "2026-07-28"
)

// Eras lists every era, for a test that runs on each:
//
//	for _, era := range samplegentest.Eras {
//		t.Run(string(era), func(t *testing.T) { ... samplegentest.Serve(t, add, model, era) ... })
//	}
var Eras = []Era{Push, MultiRoundTrip}

// An Option changes what [Serve] builds: an [Era], [ServerModel] or
// [ToolOptions].
type Option interface{ apply(*config) }

type config struct {
	era      Era
	server   sampling.Sampler
	toolOpts []runtime.ToolOption
}

func (e Era) apply(c *config) { c.era = e }

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// ServerModel gives the server a model of its own
// ([runtime.WithServerSampler]): it answers where the client's model
// cannot (the client does not sample, refused, failed). With a nil client
// model, [Serve] is direct mode: every call is answered by this model.
func ServerModel(model runtime.Sampler) Option {
	return optionFunc(func(c *config) { c.server = model })
}

// ToolOptions are passed to add after the kit's own (the report in each
// result's _meta, the runtime's log in the test's), so they win.
func ToolOptions(opts ...runtime.ToolOption) Option {
	return optionFunc(func(c *config) { c.toolOpts = append(c.toolOpts, opts...) })
}

// A Session is an MCP client's session with a server that [Serve] runs in
// memory. Its embedded ClientSession is go-sdk's, for anything [Call] does
// not cover (listing tools, raw calls).
type Session struct {
	*mcp.ClientSession
	// Era is the protocol the session negotiated.
	Era Era
}

// Serve builds a go-sdk server, lets add put tools on it (a generated
// package's AddTools, or AddX, fits as it is), and connects a go-sdk
// client to it over in-memory transports, speaking the [Era] among opts
// ([Push] if none).
//
// The client answers sampling requests with model, through
// [runtime.SamplingHandler] as a real client would: a refusal reaches the
// server as a refusal, a failure of model as "the client's model failed"
// (the failure itself goes to the test's log, and a [Script] that ran out
// or a replay file that misses fails the test). A nil model is a client
// that cannot sample; with [ServerModel] that is direct mode.
//
// Every tool is added [runtime.WithReportMeta](runtime.ReportMetaFull), so
// [Call] returns each call's report, and logs its reports of failures and
// fallbacks to the test's log. Client and server close when the test
// ends.
func Serve(t testing.TB, add func(*mcp.Server, ...runtime.ToolOption), model runtime.Sampler, opts ...Option) *Session {
	t.Helper()
	cfg := config{era: Push}
	for _, o := range opts {
		o.apply(&cfg)
	}
	if cfg.era != Push && cfg.era != MultiRoundTrip {
		t.Fatalf("samplegentest: era %q is neither samplegentest.Push (%s) nor samplegentest.MultiRoundTrip (%s)", cfg.era, Push, MultiRoundTrip)
	}
	log := &testLog{t: t}
	t.Cleanup(log.close) // registered first, so it runs after the sessions have closed

	srv := mcp.NewServer(&mcp.Implementation{Name: "samplegentest-server", Version: "1"},
		&mcp.ServerOptions{SupportedProtocolVersions: []string{string(cfg.era)}, Logger: slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	toolOpts := []runtime.ToolOption{
		runtime.WithReportMeta(runtime.ReportMetaFull),
		runtime.WithLogger(slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelWarn}))),
	}
	if cfg.server != nil {
		toolOpts = append(toolOpts, runtime.WithServerSampler(watched(log, "the server's model", cfg.server)))
	}
	add(srv, append(toolOpts, cfg.toolOpts...)...)

	var clientOpts *mcp.ClientOptions
	if model != nil {
		clientOpts = &mcp.ClientOptions{CreateMessageWithToolsHandler: runtime.SamplingHandler(watched(log, "the client's model", model))}
	}
	ctx := context.Background()
	st, ct := mcp.NewInMemoryTransports()
	ss, err := srv.Connect(ctx, st, nil)
	if err != nil {
		t.Fatalf("samplegentest: serving: %v", err)
	}
	t.Cleanup(func() { _ = ss.Close() })
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "samplegentest-client", Version: "1"}, clientOpts).Connect(ctx, ct, nil)
	if err != nil {
		t.Fatalf("samplegentest: connecting the client: %v", err)
	}
	t.Cleanup(func() { _ = cs.Close() })
	if got := cs.InitializeResult().ProtocolVersion; got != string(cfg.era) {
		t.Fatalf("samplegentest: the client and server agreed on protocol %s, not the era %s asked for", got, cfg.era)
	}
	return &Session{ClientSession: cs, Era: cfg.era}
}

// watched passes a model's asks on, and tells the test what a client's
// handler would keep to itself: why the model failed. A script that ran
// out or a replay file that misses fails the test, which is always wrong
// and would otherwise show only as a fallback.
func watched(log *testLog, who string, model sampling.Sampler) sampling.Sampler {
	return sampling.SamplerFunc(func(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		res, err := model.CreateMessage(ctx, req)
		var done reported
		switch {
		case err == nil, errors.Is(err, sampling.ErrRefused), ctx.Err() != nil, errors.As(err, &done):
		case errors.Is(err, ErrScriptRanOut), errors.Is(err, replay.ErrNotRecorded):
			log.errorf("samplegentest: %s: %v", who, err)
		default:
			log.logf("samplegentest: %s failed: %v", who, err)
		}
		return res, err
	})
}

// testLog writes to a test's log until the test's cleanup, and drops what
// comes after: a t.Log after its test has ended panics.
type testLog struct {
	mu     sync.Mutex
	t      testing.TB
	closed bool
}

func (l *testLog) Write(p []byte) (int, error) {
	l.logf("%s", strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}

func (l *testLog) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.closed {
		l.t.Logf(format, args...)
	}
}

func (l *testLog) errorf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.closed {
		l.t.Errorf(format, args...)
	}
}

func (l *testLog) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
}

var _ io.Writer = (*testLog)(nil)

// A ToolError is a call that ended in a tool error (the result's isError):
// its text and the call's report.
type ToolError struct {
	Tool   string
	Text   string
	Report *runtime.CallReport
}

func (e *ToolError) Error() string {
	return fmt.Sprintf("tool %s failed: %s", e.Tool, sampling.Clip(e.Text, 2048))
}

// Call calls tool with args (a struct or map that encodes as its input
// object) and returns its structured result decoded as Out, with the
// call's report: its rounds, repairs, fallback and outcome. A tool error,
// a protocol error or a result that does not decode as Out fails the test
// at once, and so does a result without a report (a tool added
// WithReportMeta(ReportMetaOff) through [ToolOptions]); use [TryCall] for a
// call that may fail.
func Call[Out any](t testing.TB, s *Session, tool string, args any) (Out, *runtime.CallReport) {
	t.Helper()
	out, rep, err := TryCall[Out](t.Context(), s, tool, args)
	switch {
	case err != nil && rep != nil:
		t.Fatalf("samplegentest: %v\nreport: %s", err, reportText(rep))
	case err != nil:
		t.Fatalf("samplegentest: %v", err)
	case rep == nil:
		t.Fatalf("samplegentest: tool %s: the result carries no report in _meta: was it added with WithReportMeta(ReportMetaOff)?", tool)
	}
	return out, rep
}

// TryCall is [Call] for a test that expects a call may fail: it returns a
// tool error as a [*ToolError] (with the report), and any other failure
// as an error, instead of failing the test. The report is nil only where
// the result carries none.
func TryCall[Out any](ctx context.Context, s *Session, tool string, args any) (Out, *runtime.CallReport, error) {
	var out Out
	res, err := s.CallTool(ctx, &mcp.CallToolParams{Name: tool, Arguments: args})
	if err != nil {
		return out, nil, fmt.Errorf("calling %s: %w", tool, err)
	}
	rep, _, err := runtime.CallReportOf(res)
	if err != nil {
		return out, nil, fmt.Errorf("tool %s: %w", tool, err)
	}
	if res.IsError {
		return out, rep, &ToolError{Tool: tool, Text: contentText(res), Report: rep}
	}
	if err := decodeResult(res, &out); err != nil {
		return out, rep, fmt.Errorf("tool %s: %w", tool, err)
	}
	return out, rep, nil
}

// decodeResult decodes a result's structured content into out, taking a
// value that is not an object from under runtime.ResultProperty, where the
// runtime puts it (structured content is always an object).
func decodeResult[Out any](res *mcp.CallToolResult, out *Out) error {
	if res.StructuredContent == nil {
		if s, ok := any(out).(*string); ok { // a function tool's text, with no output schema
			*s = contentText(res)
			return nil
		}
		return fmt.Errorf("the result has no structured content (text %q): is it a samplegen tool?", sampling.Clip(contentText(res), 256))
	}
	raw, err := json.Marshal(res.StructuredContent)
	if err != nil {
		return fmt.Errorf("reading the structured result: %w", err)
	}
	if !isObject(reflect.TypeFor[Out]()) {
		var wrapped map[string]json.RawMessage
		if err := json.Unmarshal(raw, &wrapped); err != nil {
			return fmt.Errorf("reading the structured result: %w", err)
		}
		v, ok := wrapped[runtime.ResultProperty]
		if !ok {
			return fmt.Errorf("the structured result %s has no %q for a %v", sampling.Clip(string(raw), 256), runtime.ResultProperty, reflect.TypeFor[Out]())
		}
		raw = v
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("the structured result %s does not decode as %v: %w", sampling.Clip(string(raw), 256), reflect.TypeFor[Out](), err)
	}
	return nil
}

// isObject reports whether a value of type t encodes as a JSON object.
func isObject(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Kind() == reflect.Struct || t.Kind() == reflect.Map || t.Kind() == reflect.Interface
}

func contentText(res *mcp.CallToolResult) string {
	var b strings.Builder
	for _, c := range res.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	return b.String()
}

func reportText(rep *runtime.CallReport) string {
	b, err := json.Marshal(rep)
	if err != nil {
		return err.Error()
	}
	return sampling.Clip(string(b), 4096)
}
