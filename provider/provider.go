// Package provider answers MCP sampling requests with a real model, through
// the providers' official Go SDKs: [NewOpenAI] for OpenAI and every server
// that speaks its Chat Completions API (Ollama, vLLM, llama.cpp's server, LM
// Studio), [NewAnthropic] for Anthropic's Messages API. Each adapter is a
// [sampling.Sampler], so the same value serves as a samplegen server's own
// model (direct mode, runtime.WithServerSampler) and as an MCP client's
// sampling handler (package host).
//
//	model, err := provider.New(provider.Config{Provider: provider.OpenAI, Model: "gpt-4o-mini"})
//	if err != nil {
//		log.Fatal(err)
//	}
//	res, err := model.CreateMessage(ctx, &mcp.CreateMessageWithToolsParams{
//		Messages:  []*mcp.SamplingMessageV2{{Role: "user", Content: []mcp.Content{&mcp.TextContent{Text: "Say hi."}}}},
//		MaxTokens: 100,
//	})
//
// [FromEnv] reads the configuration users already have: SAMPLEGEN_PROVIDER
// (openai, anthropic or ollama), SAMPLEGEN_MODEL, and the SDKs' own
// OPENAI_API_KEY, OPENAI_BASE_URL, ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL.
//
// Every field of a sampling request that the provider's API can take
// reaches it: messages (text and images), system prompt, max tokens, stop
// sequences, tools and tool choice, metadata where the API has a place for
// it, the output schema of a request that asks for JSON
// ([sampling.OutputSchemaMetaKey]) as structured output, and temperature
// (0 included, told from none by [sampling.Temperature]) for the
// OpenAI-compatible adapter. Anthropic's Messages API, at the version its
// SDK v2.15.0 speaks, takes no temperature at all, so that adapter sends
// none. Each adapter's doc lists what it maps and what it cannot. Stop reasons come
// back in MCP's words (maxTokens, toolUse, endTurn, stopSequence), and the
// provider's token counts in the result's _meta ([sampling.UsageOf]).
//
// Rate limits (429, honouring Retry-After), server errors and timeouts are
// retried with bounded backoff; a bad key fails at once, naming the
// variable to set; cancelling the context ends the HTTP request.
package provider

import (
	"cmp"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/samplegen/samplegen/sampling"
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
}

// New returns the adapter c names.
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
