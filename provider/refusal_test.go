package provider

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/sampling"
)

// A model's refusal comes back as a sampling refusal naming the model and
// what it said, from the OpenAI adapter as from the Anthropic one (aimock
// cannot send OpenAI's refusal field; this stand-in sends the API's shape).
func TestOpenAIRefusalIsARefusal(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"id":"c1","object":"chat.completion","created":1,"model":"gpt-4o-2024-08-06",` +
			`"choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":"I can't help with that."},"finish_reason":"stop"}],` +
			`"usage":{"prompt_tokens":9,"completion_tokens":7,"total_tokens":16}}`))
	}))
	defer srv.Close()
	model, err := NewOpenAI(Config{Provider: OpenAI, Model: "gpt-4o", APIKey: "k", BaseURL: srv.URL + "/v1"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = model.CreateMessage(context.Background(), &mcp.CreateMessageWithToolsParams{
		MaxTokens: 50,
		Messages:  []*mcp.SamplingMessageV2{{Role: "user", Content: []mcp.Content{&mcp.TextContent{Text: "hi"}}}},
	})
	var r *sampling.RefusalError
	if !errors.Is(err, sampling.ErrRefused) || !errors.As(err, &r) || !strings.Contains(r.Reason, "gpt-4o-2024-08-06 refused to answer: I can't help with that.") || r.RetryAfter != 0 {
		t.Errorf("CreateMessage = %v, want a refusal naming the model and its words", err)
	}
}
