package runtime

import (
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/samplegen/samplegen/internal/telemetry"
	"github.com/samplegen/samplegen/sampling"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
)

// Options come in two scopes, and the compiler keeps them apart: a
// [ToolOption] configures a served tool (who answers, how request state is
// signed, where reports are logged), a [CallOption] one call of a SampleX
// function. [WithParams] is both, since sampling parameters make sense in
// either place.
//
// A ToolOption is taken by [Tool.Add], [FuncTool.Add], [AddFunc] and the
// generated AddX and AddTools functions.
type ToolOption interface{ applyTool(*toolConfig) }

// A CallOption is taken by [Tool.Sample] and the generated SampleX
// functions.
type CallOption interface{ applyCall(*callConfig) }

// toolConfig is what a served tool was added with. Every SampleX call made
// while the tool serves a call sees it.
type toolConfig struct {
	server   Sampler // the server's own model, if any
	sampling Sampling
	// samplingSet says the tool was added WithSampling, which the server's
	// default (ServeConfig.Sampling) does not override.
	samplingSet bool
	// hooks are the server's: they hold the model and sampling that Serve
	// gives every tool added without its own.
	hooks    *serverHooks
	logger   *slog.Logger
	stateKey []byte
	stateTTL time.Duration
	params   Params
	// reportMeta says what of each call's report goes in its result's _meta.
	reportMeta ReportMeta
	signers    *signers // shared by the copies of one tool's config
	// prices put a cost on each call's tokens; nil: Serve's, if any.
	prices sampling.Prices
	// Where spans and metrics go; nil: OpenTelemetry's global providers.
	tracerProvider trace.TracerProvider
	meterProvider  metric.MeterProvider
}

// callConfig is what one SampleX call was given.
type callConfig struct {
	report *Report
	params Params
}

type toolOption func(*toolConfig)

func (o toolOption) applyTool(c *toolConfig) { o(c) }

type callOption func(*callConfig)

func (o callOption) applyCall(c *callConfig) { o(c) }

func newToolConfig(opts []ToolOption) toolConfig {
	c := toolConfig{signers: &signers{}}
	c.reportMeta, _ = parseReportMeta(os.Getenv(EnvReportMeta)) // Serve refuses a bad value
	for _, o := range opts {
		o.applyTool(&c)
	}
	if c.logger == nil {
		c.logger = slog.Default()
	}
	return c
}

func newCallConfig(opts []CallOption) callConfig {
	if len(opts) == 0 {
		return callConfig{}
	}
	var c callConfig
	for _, o := range opts {
		o.applyCall(&c)
	}
	return c
}

// Sampling says whose model answers a served tool's sampling: the calling
// client's, through MCP sampling, or the server's own (direct mode), given
// with [WithServerSampler].
type Sampling int

const (
	// SamplingAuto, the default, asks the client's model, and the server's
	// where the client cannot sample or its sampling fails (it refused, it
	// failed, it did not answer in time).
	SamplingAuto Sampling = iota
	// SamplingClient asks only the client's model, even when the server has
	// a model of its own.
	SamplingClient
	// SamplingServer asks only the server's model: direct mode, for clients
	// that never sample (sampling is deprecated as of protocol 2026-07-28).
	SamplingServer
)

// String returns the name ParseSampling reads: auto, client or server.
func (s Sampling) String() string {
	switch s {
	case SamplingAuto:
		return "auto"
	case SamplingClient:
		return "client"
	case SamplingServer:
		return "server"
	}
	return "Sampling(" + strconv.Itoa(int(s)) + ")"
}

// WithSampling sets whose model answers; see [Sampling].
func WithSampling(s Sampling) ToolOption {
	return toolOption(func(c *toolConfig) { c.sampling, c.samplingSet = s, true })
}

// EnvSampling names the environment variable that sets [ServeFlags]'
// -sampling: auto, client or server.
const EnvSampling = "SAMPLEGEN_SAMPLING"

// ParseSampling reads a [Sampling] by the name String gives it.
func ParseSampling(v string) (Sampling, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "auto":
		return SamplingAuto, nil
	case "client":
		return SamplingClient, nil
	case "server":
		return SamplingServer, nil
	}
	return SamplingAuto, fmt.Errorf("sampling %q is not one of auto, client, server", v)
}

// serving returns the server's model and whose model answers, for a call
// of the tool: its own options, else what Serve gave the server.
func (c *toolConfig) serving() (Sampler, Sampling) {
	server, mode := c.server, c.sampling
	if c.hooks != nil && (server == nil || !c.samplingSet) {
		model, m := c.hooks.model()
		if server == nil {
			server = model
		}
		if !c.samplingSet {
			mode = m
		}
	}
	return server, mode
}

// WithServerSampler gives the server a model of its own, an LLM the server
// operator pays for: it answers where the client cannot sample or its
// sampling fails, and every call under [SamplingServer]. Without it such
// calls end in the Fallback hook, the output schema's defaults, or an
// error (-32021 for a client that cannot sample).
func WithServerSampler(s Sampler) ToolOption {
	return toolOption(func(c *toolConfig) { c.server = s })
}

// WithTracerProvider sets where the tool's spans go: a span
// "tools/call {tool}" for each request, with a child "chat {model}" for
// each question put to a model, and the trace context carried to the
// client in each sampling request's _meta (see the package doc's
// Telemetry). The default is OpenTelemetry's global provider, which
// records nothing until the program installs one.
func WithTracerProvider(tp trace.TracerProvider) ToolOption {
	return toolOption(func(c *toolConfig) { c.tracerProvider = tp })
}

// WithMeterProvider sets where the tool's metrics go; the default is
// OpenTelemetry's global provider.
func WithMeterProvider(mp metric.MeterProvider) ToolOption {
	return toolOption(func(c *toolConfig) { c.meterProvider = mp })
}

// WithPrices prices the tool's calls: each call's report carries the cost
// of its tokens at p (per million, in p's currency), counted by the
// models' side or, where an answer says nothing, estimated and marked so
// (see [CallReport].Cost); the log line and the samplegen.usage.cost metric
// carry it too. samplegen holds no price of its own. The default is the
// table Serve was given (ServeConfig.Prices, -prices FILE,
// SAMPLEGEN_PRICES), else none.
func WithPrices(p sampling.Prices) ToolOption {
	return toolOption(func(c *toolConfig) { c.prices = p })
}

// pricing is the tool's price table: its own, else the server's.
func (c *toolConfig) pricing() sampling.Prices {
	if c.prices != nil || c.hooks == nil {
		return c.prices
	}
	return c.hooks.pricesOf()
}

// telemetry is the tool's instruments.
func (c *toolConfig) telemetry() *telemetry.Set {
	tp := c.tracerProvider
	if tp == nil && c.hooks != nil {
		tp = c.hooks.tracerProviderOf()
	}
	return telemetry.For(tp, c.meterProvider)
}

// WithLogger sets where the runtime logs each call's report: failures at
// WARN (a fallback answered) or ERROR, successes at DEBUG. The default is
// slog.Default().
func WithLogger(l *slog.Logger) ToolOption { return toolOption(func(c *toolConfig) { c.logger = l }) }

// WithStateKey sets the key that signs the request state of multi round-trip
// calls: at least [MinStateKeyBytes] random bytes. Replicas behind a load
// balancer must share it. Without it the runtime reads SAMPLEGEN_STATE_KEY,
// and failing that makes a random key per process.
func WithStateKey(key []byte) ToolOption {
	return toolOption(func(c *toolConfig) { c.stateKey = key })
}

// WithStateTTL sets how long a client has to answer one round trip of a
// multi round-trip call before its request state expires. The default is
// DefaultStateTTL.
func WithStateTTL(d time.Duration) ToolOption {
	return toolOption(func(c *toolConfig) { c.stateTTL = d })
}

// EnvReportMeta names the environment variable that sets [WithReportMeta]
// for every tool added while it is set: off (or false), on (or true), full.
const EnvReportMeta = "SAMPLEGEN_REPORT_META"

// ReportMeta says what of a call's [CallReport] its result carries in
// _meta, under [ReportMetaKey].
type ReportMeta int

const (
	// ReportMetaOff, the default, keeps the report to the log: it names
	// models and quotes the answers it refused, which a server may not want
	// its clients to read, and every client pays to decode it.
	ReportMetaOff ReportMeta = iota
	// ReportMetaOn sends the report without what the server's own model
	// said: its rounds keep their stop reasons and outcomes, but not its
	// model's name, its repairs' details or the text of its refused
	// answers.
	ReportMetaOn
	// ReportMetaFull sends the report whole.
	ReportMetaFull
)

func parseReportMeta(v string) (ReportMeta, error) {
	switch strings.ToLower(v) {
	case "", "off", "false", "0":
		return ReportMetaOff, nil
	case "on", "true", "1":
		return ReportMetaOn, nil
	case "full":
		return ReportMetaFull, nil
	}
	return ReportMetaOff, fmt.Errorf("%s=%q is not one of off, on, full", EnvReportMeta, v)
}

// WithReportMeta sets what of each call's report goes to the client in the
// result's _meta; see [ReportMeta]. The log always has the whole report.
func WithReportMeta(m ReportMeta) ToolOption {
	return toolOption(func(c *toolConfig) { c.reportMeta = m })
}

// WithReport makes one SampleX call fill r with what happened: rounds,
// repairs, fallbacks, outcome and latency. Inside a served tool the sample's
// report is also part of the call's [CallReport].
func WithReport(r *Report) CallOption { return callOption(func(c *callConfig) { c.report = r }) }

// ParamsOption overrides sampling parameters; see [WithParams].
type ParamsOption struct{ p Params }

// WithParams overrides the tool's sampling parameters with the fields of p
// that are set (non-zero, non-nil): for every call of a served tool when
// given to Add, for one call when given to SampleX. A call's parameters lie
// over the served tool's, which lie over the tool's own.
func WithParams(p Params) ParamsOption { return ParamsOption{p} }

func (o ParamsOption) applyTool(c *toolConfig) { c.params = c.params.merge(o.p) }
func (o ParamsOption) applyCall(c *callConfig) { c.params = c.params.merge(o.p) }

// merge returns p with the set fields of o laid over it.
func (p Params) merge(o Params) Params {
	if o.Temperature != nil {
		p.Temperature = o.Temperature
	}
	if o.MaxTokens != 0 {
		p.MaxTokens = o.MaxTokens
	}
	if o.Retries != nil {
		p.Retries = o.Retries
	}
	if o.Timeout != 0 {
		p.Timeout = o.Timeout
	}
	if o.TruncatedMaxTokens != 0 {
		p.TruncatedMaxTokens = o.TruncatedMaxTokens
	}
	if o.StopSequences != nil {
		p.StopSequences = o.StopSequences
	}
	if o.ModelHints != nil {
		p.ModelHints = o.ModelHints
	}
	if o.CostPriority != nil {
		p.CostPriority = o.CostPriority
	}
	if o.SpeedPriority != nil {
		p.SpeedPriority = o.SpeedPriority
	}
	if o.IntelligencePriority != nil {
		p.IntelligencePriority = o.IntelligencePriority
	}
	if o.Metadata != nil {
		p.Metadata = o.Metadata
	}
	if o.FullSchema {
		p.FullSchema = true
	}
	return p
}

func (p Params) retries() int {
	if p.Retries == nil {
		return DefaultRetries
	}
	return max(0, *p.Retries)
}

func (p Params) timeout() time.Duration {
	if p.Timeout <= 0 {
		return DefaultTimeout
	}
	return p.Timeout
}

func (p Params) maxTokens() int64 {
	if p.MaxTokens <= 0 {
		return DefaultMaxTokens
	}
	return p.MaxTokens
}
