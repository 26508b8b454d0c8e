// Package sampling is the contract that samplegen's three parts share: the
// servers that ask for samples ([github.com/samplegen/samplegen/runtime]),
// the model adapters that answer them
// ([github.com/samplegen/samplegen/provider]) and the MCP clients that carry
// them between the two ([github.com/samplegen/samplegen/host]).
//
// It holds the [Sampler] interface, which speaks MCP's own sampling types so
// that a client's sampling handler, a server's own model and Sampler
// middleware are one thing, and the conventions samplegen adds to sampling
// messages in _meta, each readable by any MCP peer and ignored by those that
// do not know it:
//
//   - [TemperatureMetaKey]: a request asks for temperature 0, not for none;
//   - [RefusedMetaKey] and [RetryAfterMetaKey]: a result that stands for a
//     refusal, and when to ask again if the refusal is a throttle;
//   - [UsageMetaKey]: the tokens a result's model read and wrote.
//
// A Sampler that answers from a fixed text, as a test might use:
//
//	model := sampling.SamplerFunc(func(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
//		res := &mcp.CreateMessageWithToolsResult{
//			Role:    "assistant",
//			Model:   "fixed",
//			Content: []mcp.Content{&mcp.TextContent{Text: `{"sentiment":"positive"}`}},
//		}
//		sampling.SetUsage(res, sampling.Usage{InputTokens: 12, OutputTokens: 5})
//		return res, nil
//	})
//
// # Usage, estimates and prices
//
// A result's [Usage] ([UsageOf]) is the tokens its provider counted. Where
// a result carries none (a client that does not report it, a model that
// does not count), [EstimateUsage] guesses from the request's and the
// answer's sizes, and whatever shows the guess calls it an estimate. A
// [Prices] table, keyed by model name and read from a file
// ([LoadPrices], the file [EnvPrices] names), turns tokens into cost per
// model; samplegen holds no price of its own, and a model the table does
// not price is unpriced, never free.
package sampling

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/internal/telemetry"
	"go.opentelemetry.io/otel/trace"
)

// A Sampler asks a model for one completion. Inside a tool handler the
// runtime passes a Sampler bound to the calling client's session; outside
// one (a test, the server's own model) any model adapter will do.
type Sampler interface {
	CreateMessage(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error)
}

// SamplerFunc adapts a function to [Sampler].
type SamplerFunc func(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error)

// CreateMessage calls f.
func (f SamplerFunc) CreateMessage(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
	return f(ctx, req)
}

// TemperatureMetaKey marks, in a sampling request's _meta, that the request
// asks for temperature 0 and not for no temperature at all: go-sdk v1.8.0
// encodes and decodes the field with omitempty (go-sdk issue #1133), so
// without the mark the two look alike. A samplegen server marks every
// request it makes so, in its own process and on the wire.
const TemperatureMetaKey = "io.samplegen/temperature"

// Temperature returns the temperature req asks for, and whether it asks for
// one, telling 0 from none by [TemperatureMetaKey].
func Temperature(req *mcp.CreateMessageWithToolsParams) (float64, bool) {
	if req.Temperature != 0 {
		return req.Temperature, true
	}
	_, ok := req.Meta[TemperatureMetaKey]
	return 0, ok
}

// ErrRefused means the model's side declined to sample, as the spec lets a
// user do (JSON-RPC error code -1 on a pushed request, a [Refusal] result on
// a multi round-trip call). A samplegen server does not re-ask a refusal; it
// goes to its fallbacks, or, for a [Throttled] one, asks again once the
// wait it names is over, if its deadline allows.
var ErrRefused = errors.New("the client refused the sampling request")

// RefusedMetaKey marks a sampling result that stands for a refusal, its
// value the reason. On multi round-trip calls (protocol 2026-07-28) a client
// answers an input request with a result, never an error (an error makes
// go-sdk's client abort the whole call, and the server never hears of it),
// so a refusal travels as an empty result carrying this key.
const RefusedMetaKey = "io.samplegen/refused"

// RetryAfterMetaKey, beside [RefusedMetaKey], says the refusal is a throttle
// and how many milliseconds to wait before asking again. On a pushed request
// the same number travels as the error's data, {"retryAfterMs": N}.
const RetryAfterMetaKey = "io.samplegen/retryAfterMs"

// A RefusalError is a refusal with its reason, and for a throttle the wait
// before asking again. It matches [ErrRefused] with errors.Is.
type RefusalError struct {
	Reason string
	// RetryAfter is how long to wait before asking again; 0 for a refusal
	// that asking again will not change.
	RetryAfter time.Duration
	// Usage, where the model itself refused, is the tokens it spent to say
	// so: a host's budget charges them. It stays in this process.
	Usage *Usage
}

// ModelRefused returns the refusal of a model that declined to answer,
// with the tokens it spent doing so.
func ModelRefused(reason string, spent Usage) error {
	return &RefusalError{Reason: reason, Usage: &spent}
}

func (e *RefusalError) Error() string {
	if e.RetryAfter > 0 {
		return fmt.Sprintf("%v (%s; retry after %v)", ErrRefused, e.Reason, e.RetryAfter)
	}
	return fmt.Sprintf("%v (%s)", ErrRefused, e.Reason)
}

// Is reports ErrRefused as the error's kind.
func (e *RefusalError) Is(target error) bool { return target == ErrRefused }

// Refused returns a refusal for reason, as an error a Sampler returns.
func Refused(reason string) error { return &RefusalError{Reason: reason} }

// Throttled returns a refusal that asks to be asked again after wait.
func Throttled(reason string, wait time.Duration) error {
	return &RefusalError{Reason: reason, RetryAfter: max(wait, time.Millisecond)}
}

// Refusal is the sampling result that stands for the refusal err on a multi
// round-trip call; see [RefusedMetaKey]. err may be any error; its
// [RefusalError] fields, when it has them, say the reason and the wait.
func Refusal(err error) *mcp.CreateMessageWithToolsResult {
	reason := err.Error()
	meta := mcp.Meta{}
	var r *RefusalError
	if errors.As(err, &r) {
		reason = r.Reason
		if r.RetryAfter > 0 {
			meta[RetryAfterMetaKey] = r.RetryAfter.Milliseconds()
		}
	}
	meta[RefusedMetaKey] = clip(reason)
	return &mcp.CreateMessageWithToolsResult{
		Meta:       meta,
		Role:       "assistant",
		Content:    []mcp.Content{&mcp.TextContent{Text: ""}},
		StopReason: "refused",
	}
}

// RefusalOf reports whether res stands for a refusal, and returns it as a
// [RefusalError].
func RefusalOf(res *mcp.CreateMessageWithToolsResult) (*RefusalError, bool) {
	v, ok := res.Meta[RefusedMetaKey]
	if !ok {
		return nil, false
	}
	reason, _ := v.(string)
	if reason == "" {
		reason = "the user declined"
	}
	return &RefusalError{Reason: clip(reason), RetryAfter: millis(res.Meta[RetryAfterMetaKey])}, true
}

// CodeRefused is the JSON-RPC error code the MCP specification gives for a
// user who rejected a pushed sampling request.
const CodeRefused = -1

// RetryAfterData is the data of a pushed request's refusal error that says
// when to ask again.
type RetryAfterData struct {
	RetryAfterMs int64 `json:"retryAfterMs"`
}

// RefusalWireError is the JSON-RPC error that answers a pushed sampling
// request refused with err: code -1, the reason, and for a throttle the
// wait as [RetryAfterData].
func RefusalWireError(err error) *jsonrpc.Error {
	e := &jsonrpc.Error{Code: CodeRefused, Message: clip(err.Error())}
	var r *RefusalError
	if errors.As(err, &r) {
		e.Message = clip(r.Reason)
		if r.RetryAfter > 0 {
			e.Data, _ = json.Marshal(RetryAfterData{RetryAfterMs: r.RetryAfter.Milliseconds()})
		}
	}
	return e
}

// RefusalOfWireError reads a pushed request's JSON-RPC error: a refusal
// (code -1), with the wait a throttle names, or ok false for any other
// error.
func RefusalOfWireError(e *jsonrpc.Error) (r *RefusalError, ok bool) {
	if e == nil || e.Code != CodeRefused {
		return nil, false
	}
	r = &RefusalError{Reason: clip(e.Message)}
	if len(e.Data) > 0 && len(e.Data) <= 1024 {
		var d struct {
			RetryAfterMs any `json:"retryAfterMs"`
		}
		if json.Unmarshal(e.Data, &d) == nil {
			r.RetryAfter = millis(d.RetryAfterMs)
		}
	}
	return r, true
}

// maxReason bounds the reason a peer's refusal puts in errors and logs.
const maxReason = 512

func clip(s string) string { return Clip(s, maxReason) }

// Clip returns s cut to at most n bytes and whole UTF-8 characters, with
// "…" (3 bytes more) after a cut: how every part of samplegen bounds what a peer's text
// (a model's answer, a refusal's reason, a provider's error) puts in an
// error, a log line or a report.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := max(n, 0)
	for cut > 0 && s[cut]&0xC0 == 0x80 { // keep whole UTF-8 characters
		cut--
	}
	return s[:cut] + "…"
}

// millis reads a wait in milliseconds from a decoded JSON number, bounded
// to a day: a peer's number is untrusted.
func millis(v any) time.Duration {
	var ms float64
	switch n := v.(type) {
	case float64:
		ms = n
	case int64:
		ms = float64(n)
	case int:
		ms = float64(n)
	default:
		return 0
	}
	if math.IsNaN(ms) || ms <= 0 {
		return 0
	}
	return time.Duration(min(ms, float64(24*time.Hour/time.Millisecond))) * time.Millisecond
}

// UsageMetaKey holds, in a sampling result's _meta, the [Usage] of the
// model that produced it. samplegen's provider adapters set it, samplegen's
// client handler passes it on, and a samplegen server sums it into each
// call's report.
const UsageMetaKey = "io.samplegen/usage"

// Usage is the tokens one completion read and wrote, as the provider
// counted them.
type Usage struct {
	InputTokens  int64 `json:"inputTokens"`
	OutputTokens int64 `json:"outputTokens"`
}

// Add returns the sum of u and v.
func (u Usage) Add(v Usage) Usage {
	return Usage{InputTokens: u.InputTokens + v.InputTokens, OutputTokens: u.OutputTokens + v.OutputTokens}
}

// SetUsage records u in res's _meta under [UsageMetaKey].
func SetUsage(res *mcp.CreateMessageWithToolsResult, u Usage) {
	if res.Meta == nil {
		res.Meta = mcp.Meta{}
	}
	res.Meta[UsageMetaKey] = map[string]any{"inputTokens": u.InputTokens, "outputTokens": u.OutputTokens}
}

// UsageOf returns the usage res carries, whether set in this process by
// [SetUsage] or decoded from the wire; ok is false where it carries none or
// the numbers are not counts.
func UsageOf(res *mcp.CreateMessageWithToolsResult) (u Usage, ok bool) {
	if res == nil {
		return Usage{}, false
	}
	m, _ := res.Meta[UsageMetaKey].(map[string]any)
	if m == nil {
		return Usage{}, false
	}
	in, okIn := count(m["inputTokens"])
	out, okOut := count(m["outputTokens"])
	if !okIn || !okOut {
		return Usage{}, false
	}
	return Usage{InputTokens: in, OutputTokens: out}, true
}

// count reads a token count: a whole, non-negative number below 2^53.
func count(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, n >= 0
	case int:
		return int64(n), n >= 0
	case float64:
		if n < 0 || n > 1<<53 || n != math.Trunc(n) {
			return 0, false
		}
		return int64(n), true
	}
	return 0, false
}

// OutputSchemaMetaKey holds, in a sampling request's _meta, the JSON schema
// the answer's text must follow, where the request asks for JSON in its
// text (the schema is also described in the system prompt, for models that
// read only that). A model adapter can hand it to the provider's structured
// output (OpenAI's response_format json_schema), which makes the answer
// valid by construction. A samplegen server sets it on the requests to its
// own model; its clients answer through the respond tool instead.
const OutputSchemaMetaKey = "io.samplegen/outputSchema"

// protocolMRTR is the first protocol version whose sampling requests
// travel as the input requests of multi round-trip calls.
const protocolMRTR = "2026-07-28"

// ModelFailed is the reason a server reads when the client's model failed
// (a provider's error, a bad key, a quota): what failed stays in the
// client's process, where its logs and [Handler]'s caller can read it, and
// off the wire, where it would show a server the client's set-up.
const ModelFailed = "the client's model failed"

// Handler answers an MCP client's sampling requests with s, for go-sdk's
// ClientOptions.CreateMessageWithToolsHandler. It serves pushed requests
// (protocol 2025-11-25 and older) and the input requests of multi
// round-trip calls (2026-07-28) alike, and tells the server of every answer
// that is not one in the form its era understands, so that either way the
// server goes on to its fallbacks instead of the call being aborted (an
// error from a handler on a multi round-trip call makes go-sdk's client end
// the whole call):
//
//   - a refusal (an error matching [ErrRefused], such as a person
//     declining or a budget spent) is JSON-RPC error -1 on a pushed
//     request and a [Refusal] result on a multi round-trip call; a
//     throttle ([Throttled]) says when to ask again, as the error's data
//     {"retryAfterMs": N} or beside the refusal in the result's _meta;
//   - a failure of the model is the same refusal with the reason
//     [ModelFailed] and nothing of the error's text;
//   - a request whose own context ended (cancelled by the server, or the
//     client closing) ends with the context's error and nothing of the
//     model's.
//
// A request with no session (a test's) is answered in the pushed form.
//
// (A refusal result is samplegen's convention: a server that does not know
// it reads an empty answer, which it will most likely refuse in turn.)
//
//	client := mcp.NewClient(impl, &mcp.ClientOptions{
//		CreateMessageWithToolsHandler: sampling.Handler(model),
//	})
func Handler(s Sampler, opts ...HandlerOption) func(context.Context, *mcp.CreateMessageWithToolsRequest) (*mcp.CreateMessageWithToolsResult, error) {
	var cfg handlerConfig
	for _, o := range opts {
		o(&cfg)
	}
	return func(ctx context.Context, req *mcp.CreateMessageWithToolsRequest) (*mcp.CreateMessageWithToolsResult, error) {
		mrtr := false
		protocol := ""
		if req.Session != nil {
			if r := req.Session.InitializeResult(); r != nil {
				protocol = r.ProtocolVersion
				mrtr = protocol >= protocolMRTR
			}
		}
		era := "push"
		if mrtr {
			era = "multi-round-trip"
		}
		ctx, span := telemetry.For(cfg.tracerProvider, nil).StartSampling(ctx, req.Params.GetMeta(), era, protocol)
		res, err := s.CreateMessage(ctx, req.Params)
		switch {
		case err == nil && res != nil:
			telemetry.EndSpan(span, "", nil)
			return res, nil
		case ctx.Err() != nil:
			// The request itself ended (the server cancelled it, the
			// client is closing): nothing of the model's error goes on.
			// A deadline inside the model (a provider's per-attempt
			// timeout) is a failed model, below.
			telemetry.EndSpan(span, "canceled", ctx.Err())
			return nil, ctx.Err()
		case !errors.Is(err, ErrRefused):
			// The span, in the client's own traces, keeps what failed.
			telemetry.EndSpan(span, "model_failed", err)
			err = Refused(ModelFailed)
		default:
			telemetry.EndSpan(span, "refused", err)
		}
		if mrtr {
			return Refusal(err), nil
		}
		return nil, RefusalWireError(err)
	}
}

// A HandlerOption configures a [Handler].
type HandlerOption func(*handlerConfig)

type handlerConfig struct {
	tracerProvider trace.TracerProvider
}

// WithTracerProvider sets where a [Handler]'s spans go: one
// "sampling/createMessage" span for each request, a child of the trace
// context the server put in the request's _meta (traceparent), so that a
// model's own spans (the provider adapters' "chat {model}") continue the
// server's trace. The default is OpenTelemetry's global provider, which
// records nothing until the program installs one.
func WithTracerProvider(tp trace.TracerProvider) HandlerOption {
	return func(c *handlerConfig) { c.tracerProvider = tp }
}
