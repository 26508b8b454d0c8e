package provider_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/provider"
	"github.com/samplegen/samplegen/sampling"
)

// One sampling request answered by a model behind OpenAI's Chat Completions
// API. The server here stands in for OpenAI, Ollama or vLLM, answering as
// they do; Config.BaseURL points the adapter at it.
func Example() {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{
			"id": "chatcmpl-1", "object": "chat.completion", "created": 1767225600,
			"model": "gpt-4o-mini-2024-07-18",
			"choices": [{"index": 0, "finish_reason": "stop",
				"message": {"role": "assistant", "content": "Hello! How can I help?", "refusal": null}}],
			"usage": {"prompt_tokens": 9, "completion_tokens": 7, "total_tokens": 16}
		}`)
	}))
	defer server.Close()

	model, err := provider.New(provider.Config{
		Provider: provider.OpenAI,
		Model:    "gpt-4o-mini",
		APIKey:   "sk-example",
		BaseURL:  server.URL + "/v1",
	})
	if err != nil {
		log.Fatal(err)
	}
	res, err := model.CreateMessage(context.Background(), &mcp.CreateMessageWithToolsParams{
		Messages:  []*mcp.SamplingMessageV2{{Role: "user", Content: []mcp.Content{&mcp.TextContent{Text: "Say hi."}}}},
		MaxTokens: 100,
	})
	if err != nil {
		log.Fatal(err)
	}
	usage, _ := sampling.UsageOf(res)
	fmt.Println(res.Content[0].(*mcp.TextContent).Text)
	fmt.Println(res.Model, res.StopReason)
	fmt.Println(usage.InputTokens, "tokens in,", usage.OutputTokens, "out")
	// Output:
	// Hello! How can I help?
	// gpt-4o-mini-2024-07-18 endTurn
	// 9 tokens in, 7 out
}

// Direct mode's configuration, from the variables a user sets: here a
// local Ollama. With SAMPLEGEN_PROVIDER unset, FromEnv says no model is
// configured, which is no error.
func ExampleFromEnv() {
	os.Setenv(provider.EnvProvider, "ollama") // as the user's shell would
	os.Setenv(provider.EnvModel, "llama3.2")
	defer os.Unsetenv(provider.EnvProvider)
	defer os.Unsetenv(provider.EnvModel)

	c, ok, err := provider.FromEnv()
	if err != nil {
		log.Fatal(err) // a provider without a model, or one not known
	}
	if !ok {
		fmt.Println("no model configured")
		return
	}
	model, err := provider.New(c)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s answers with %s\n", c.Provider, model.(*provider.OpenAIModel).Model())
	// Output: ollama answers with llama3.2
}
