// Package provider answers MCP sampling requests with a real model, through
// the providers' official Go SDKs: [NewOpenAI] for OpenAI and every server
// that speaks its Chat Completions API (Ollama, vLLM, llama.cpp's server, LM
// Studio), [NewAnthropic] for Anthropic's Messages API. Each adapter is a
// [sampling.Sampler], so the same value serves as a samplegen server's own
// model (direct mode: [Open] is what runtime.ServeConfig.NewModel takes,
// and runtime.WithServerSampler takes any adapter) and as an MCP client's
// sampling handler (package host). The package example runs one request
// against a stand-in server; [New] makes the adapter a [Config] names.
//
// # Configuration
//
// [FromEnv] reads the configuration users already have, and each adapter
// reads its SDK's own variables for what a Config leaves empty (a Config
// field comes first, then the variable, then the default):
//
//   - SAMPLEGEN_PROVIDER: openai, anthropic or ollama (the OpenAI-compatible
//     adapter at [OllamaBaseURL], sent no key there);
//   - SAMPLEGEN_MODEL: the model, such as gpt-4o-mini, claude-sonnet-4-5 or
//     llama3.2; required;
//   - OPENAI_API_KEY and OPENAI_BASE_URL, for openai and ollama. OpenAI's
//     own API needs a key; a compatible server at another address may not;
//   - ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN, sent as a bearer token)
//     and ANTHROPIC_BASE_URL. The Anthropic SDK's other sources of
//     credentials (profiles, federation) are not read.
//
// A configuration that cannot work (no model, no key for OpenAI's own API
// or Anthropic, a base URL that is not http or https) fails in New, saying
// what to set.
//
// # What reaches the model
//
// Both adapters send the messages (text, images, the assistant's tool
// calls and the user's tool results), the system prompt, maxTokens
// ([DefaultMaxTokens] where a request gives none), the stop sequences,
// the tools and toolChoice (auto, required, none), and, where the request
// carries the output schema its answer must follow
// ([sampling.OutputSchemaMetaKey]), the API's structured output. Neither
// reads modelPreferences or includeContext: the adapter answers with its
// configured model, and choosing among models or deciding what context to
// include is the client handler's job. Content an API cannot carry fails
// before anything is sent, saying which.
//
// The OpenAI-compatible adapter ([OpenAIModel] lists every field) also sends
// temperature where the request asks for one, 0 included (told from none
// by [sampling.Temperature]), and audio (wav, mp3). It sends
// max_completion_tokens to OpenAI's own API and max_tokens to every other
// server. Structured output is response_format json_schema, strict where
// the schema meets OpenAI's rules for strict schemas, not strict
// otherwise, and left to the prompt for a schema whose root is no object.
// Metadata goes to compatible servers only, as string pairs within the
// API's bounds: OpenAI's own API takes metadata only with store: true,
// which keeps the conversation on OpenAI's servers, and that is not a
// sampling request's choice to make.
//
// The Anthropic adapter ([AnthropicModel] lists every field) sends no
// temperature, 0 or not: API version 2026-10-21, which its SDK v2.15.0
// speaks, has none (nor top_p, top_k). Structured output is
// output_config.format json_schema, the schema first made fit for it by
// the SDK (constraints the API does not enforce move into descriptions, so
// the caller still checks the answer). Of the metadata only a "user_id"
// string is sent, the one key Anthropic's has. It reads no audio, and
// images only as JPEG, PNG, GIF or WebP.
//
// # What comes back
//
// The result holds the answer's text and tool calls ([mcp.ToolUseContent]),
// the model the provider names, the stop reason in MCP's words (maxTokens
// for a cut answer, toolUse, endTurn, stopSequence; a reason MCP has no
// word for passes as the provider words it), and the provider's token
// counts in its _meta ([sampling.UsageOf]). A model's refusal is the
// refusal's text with stop reason "refusal" from OpenAI, and a
// [sampling.RefusalError] naming the model from Anthropic (stop_reason
// refusal).
//
// # Retries
//
// Both SDKs retry 408, 409, 429 and 5xx answers (529, Anthropic's
// "overloaded", among them), network errors and attempts that outlast
// Config.RequestTimeout ([DefaultRequestTimeout] each), up to
// Config.MaxRetries times ([DefaultMaxRetries]; none when negative),
// waiting 0.5s doubling up to 8s, or what Retry-After or Retry-After-Ms
// asks. A Retry-After is waited out only up to 20 seconds and only where
// the wait ends before the context's deadline; a longer one is not
// retried, and a rate limit then comes back at once as a throttle that
// says when to ask again, for the caller to honour within its own
// deadline. The context passed to CreateMessage bounds all attempts, and
// cancelling it ends the HTTP request. An answer larger than 32 MiB is not
// read.
//
// # Errors
//
// A request the provider failed is an [*Error] worded for whoever must fix
// it, with the SDK's error (*openai.Error, *anthropic.Error) behind it for
// errors.As:
//
//   - 401 names where the rejected key came from (Config.APIKey,
//     OPENAI_API_KEY, ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN) and the
//     variable to set; 403 says the key may not use the model; 404 names
//     the model and the base URL's variable;
//   - 429 wraps a [sampling.RefusalError] whose RetryAfter is the wait the
//     provider asked for (1s where it named none, a day at most), so
//     errors.Is(err, [sampling.ErrRefused]) holds and a samplegen server
//     waits or falls back; an account out of quota is no throttle;
//   - 5xx says how often it was retried;
//   - with no status: every attempt timing out, a server that cannot be
//     reached, https to a plain-HTTP server, a TLS handshake that failed,
//     a connection that brought no HTTP answer, and a body that is not the
//     API's JSON, each in its own words, with what to check.
//
// A request whose context ended returns the context's error, wrapped. What
// of a provider's text goes into an error is clipped to a few hundred
// bytes: a provider's answer is not trusted to be short.
package provider

import (
	"cmp"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/samplegen/samplegen/sampling"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
)

// Providers, the values of [Config].Provider and SAMPLEGEN_PROVIDER.
const (
	OpenAI    = "openai"
	Anthropic = "anthropic"
	// Ollama is the OpenAI-compatible adapter at Ollama's local address
	// (OllamaBaseURL) unless a base URL is given.
	Ollama = "ollama"
)

// The environment [FromEnv] reads, besides the SDKs' own variables.
const (
	EnvProvider = "SAMPLEGEN_PROVIDER"
	EnvModel    = "SAMPLEGEN_MODEL"
)

// OllamaBaseURL is where Ollama serves its OpenAI-compatible API by default.
const OllamaBaseURL = "http://localhost:11434/v1"

// Defaults of [Config].
const (
	DefaultMaxRetries     = 3
	DefaultRequestTimeout = 2 * time.Minute
	// DefaultMaxTokens is the answer's length when a request gives none
	// (Anthropic's API requires one; MCP's maxTokens is required too, but
	// a zero reaches the adapter from careless callers).
	DefaultMaxTokens = 1024
)

// Config says which model answers and how to reach it.
type Config struct {
	// Provider is OpenAI, Anthropic or Ollama.
	Provider string
	// Model is the provider's model name, such as "gpt-4o-mini" or
	// "claude-sonnet-4-5". Required.
	Model string
	// APIKey defaults to OPENAI_API_KEY or ANTHROPIC_API_KEY (Ollama needs
	// none).
	APIKey string
	// BaseURL defaults to OPENAI_BASE_URL or ANTHROPIC_BASE_URL, and then
	// to the provider's own address (OllamaBaseURL for Ollama).
	BaseURL string
	// MaxRetries is how often a request is retried after a rate limit
	// (429), a server error (5xx) or a timeout: DefaultMaxRetries when
	// zero, none when negative.
	MaxRetries int
	// RequestTimeout bounds each attempt: DefaultRequestTimeout when zero.
	// The context passed to CreateMessage bounds them all.
	RequestTimeout time.Duration
	// HTTPClient, if set, makes the requests (a proxy, a test's transport).
	HTTPClient *http.Client
	// TracerProvider and MeterProvider take each request's span, "chat
	// {model}" (a child of the caller's span: under a client's sampling
	// handler, of the server's trace), and the gen_ai.client metrics;
	// nil means OpenTelemetry's global providers, which record nothing
	// until the program installs its own.
	TracerProvider trace.TracerProvider
	MeterProvider  metric.MeterProvider
}

func (c Config) telemetry() telemetryConfig {
	return telemetryConfig{tracerProvider: c.TracerProvider, meterProvider: c.MeterProvider}
}

// New returns the adapter c.Provider names (in any case): [NewOpenAI] for
// [OpenAI] and [Ollama], [NewAnthropic] for [Anthropic]. Where it fails the
// Sampler is nil, never an interface holding a nil adapter.
func New(c Config) (sampling.Sampler, error) {
	if c.Provider != "" && strings.TrimSpace(c.Model) == "" {
		return nil, fmt.Errorf("provider: %s needs a model: set %s (for example %s)", c.Provider, EnvModel, exampleModel(strings.ToLower(c.Provider)))
	}
	switch strings.ToLower(c.Provider) {
	case OpenAI, Ollama:
		m, err := NewOpenAI(c)
		if err != nil {
			return nil, err // not a typed nil in the interface
		}
		return m, nil
	case Anthropic:
		m, err := NewAnthropic(c)
		if err != nil {
			return nil, err
		}
		return m, nil
	case "":
		return nil, fmt.Errorf("provider: no provider named: set %s to %s, %s or %s", EnvProvider, OpenAI, Anthropic, Ollama)
	}
	return nil, fmt.Errorf("provider: %q is not a provider: set %s to %s, %s or %s", c.Provider, EnvProvider, OpenAI, Anthropic, Ollama)
}

// FromEnv reads a Config from SAMPLEGEN_PROVIDER and SAMPLEGEN_MODEL; the
// SDKs' variables (keys, base URLs) are read by the adapters, so that a
// Config built by hand honours them too. ok is false where
// SAMPLEGEN_PROVIDER is unset: no model is configured, which is no error.
func FromEnv() (c Config, ok bool, err error) {
	c.Provider = strings.ToLower(strings.TrimSpace(os.Getenv(EnvProvider)))
	c.Model = strings.TrimSpace(os.Getenv(EnvModel))
	if c.Provider == "" {
		if c.Model != "" {
			return c, false, fmt.Errorf("provider: %s=%q is set but %s is not: set it to %s, %s or %s", EnvModel, c.Model, EnvProvider, OpenAI, Anthropic, Ollama)
		}
		return c, false, nil
	}
	switch c.Provider {
	case OpenAI, Anthropic, Ollama:
	default:
		return c, false, fmt.Errorf("provider: %s=%q is not one of %s, %s, %s", EnvProvider, c.Provider, OpenAI, Anthropic, Ollama)
	}
	if c.Model == "" {
		return c, false, fmt.Errorf("provider: %s=%s needs a model: set %s (for example %s)", EnvProvider, c.Provider, EnvModel, exampleModel(c.Provider))
	}
	return c, true, nil
}

func exampleModel(provider string) string {
	switch provider {
	case Anthropic:
		return "claude-sonnet-4-5"
	case Ollama:
		return "llama3.2"
	}
	return "gpt-4o-mini"
}

func (c Config) maxRetries() int {
	if c.MaxRetries < 0 {
		return 0
	}
	return cmp.Or(c.MaxRetries, DefaultMaxRetries)
}

func (c Config) requestTimeout() time.Duration {
	return cmp.Or(c.RequestTimeout, DefaultRequestTimeout)
}
