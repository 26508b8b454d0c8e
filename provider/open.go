package provider

import "github.com/samplegen/samplegen/sampling"

// Open returns the adapter for provider (OpenAI, Anthropic or Ollama) and
// model, with keys and base URLs from the providers' own variables. It is
// what runtime.ServeConfig.NewModel takes, for direct mode:
//
//	serve := runtime.ServeFlags(flag.CommandLine) // -provider, -model, SAMPLEGEN_PROVIDER, SAMPLEGEN_MODEL
//	serve.NewModel = provider.Open
func Open(provider, model string) (sampling.Sampler, error) {
	return New(Config{Provider: provider, Model: model})
}
