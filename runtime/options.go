package runtime

import (
	"log/slog"
	"time"
)

// An Option configures a tool when it is added to a server, or one call of a
// SampleX function.
type Option func(*config)

type config struct {
	report   *Report
	fallback Sampler
	policy   SamplingPolicy
	logger   *slog.Logger
	stateKey []byte
	stateTTL time.Duration
	params   Params
}

func newConfig(opts []Option) config { return config{}.with(opts) }

// with returns c with opts applied over it.
func (c config) with(opts []Option) config {
	for _, o := range opts {
		o(&c)
	}
	if c.logger == nil {
		c.logger = slog.Default()
	}
	if c.policy == NeverFallback {
		c.fallback = nil
	}
	return c
}

// A SamplingPolicy says when a tool uses the server's fallback sampler
// rather than the calling client's model.
type SamplingPolicy int

const (
	// FallbackWhenNeeded, the default, asks the client's model, and the
	// fallback sampler when the client cannot sample or its sampling fails.
	FallbackWhenNeeded SamplingPolicy = iota
	// AlwaysFallback asks only the fallback sampler, never the client.
	AlwaysFallback
	// NeverFallback asks only the client, even when a fallback sampler is
	// configured.
	NeverFallback
)

// WithSamplingPolicy sets when the fallback sampler answers instead of the
// client; see [SamplingPolicy].
func WithSamplingPolicy(p SamplingPolicy) Option { return func(c *config) { c.policy = p } }

// WithReport makes a call of a SampleX function fill r with what happened:
// rounds, repairs, fallbacks and latency. Tools served by [Tool.Add] put
// each call's report in the result's _meta under [ReportMetaKey] and ignore
// this option.
func WithReport(r *Report) Option { return func(c *config) { c.report = r } }

// WithFallbackSampler sets the server-side sampler used when the client
// cannot sample or its sampling fails (for example, the user refused). It is
// an LLM the server operator pays for; without it such calls end in the
// Fallback hook, the schema defaults, or an error.
func WithFallbackSampler(s Sampler) Option { return func(c *config) { c.fallback = s } }

// WithLogger sets where the runtime logs each call's report. The default is
// slog.Default().
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// WithStateKey sets the key that signs the request state of multi round-trip
// calls. Replicas behind a load balancer must share it. Without it the
// runtime reads SAMPLEGEN_STATE_KEY, and failing that makes a random key per
// process.
func WithStateKey(key []byte) Option { return func(c *config) { c.stateKey = key } }

// WithStateTTL sets how long a client has to answer one round trip of a
// multi round-trip call before its request state expires. The default is
// DefaultStateTTL.
func WithStateTTL(d time.Duration) Option { return func(c *config) { c.stateTTL = d } }

// WithParams overrides the tool's sampling parameters with the fields of p
// that are set (non-zero, non-nil).
func WithParams(p Params) Option {
	return func(c *config) { c.params = c.params.merge(p) }
}

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
