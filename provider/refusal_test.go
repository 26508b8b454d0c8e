package provider

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

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
		t.Fatalf("CreateMessage = %v, want a refusal naming the model and its words", err)
	}
	if r.Usage == nil || *r.Usage != (sampling.Usage{InputTokens: 9, OutputTokens: 7}) {
		t.Errorf("the refusal's usage = %v, want what the model spent (9 in, 7 out), for a host's budget", r.Usage)
	}
}

// What an adapter's errors say never carries a base URL's password, and a
// rate limit's throttle (which a client handler passes to the server that
// asked) carries a fixed reason, not the provider's words about the
// account.
func TestErrorsKeepTheHostsSecrets(t *testing.T) {
	status := http.StatusUnauthorized
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(status)
		w.Write([]byte(`{"error":{"message":"Rate limit reached for gpt-4o in organization org-SECRET123 on requests per min","type":"requests","code":"rate_limit_exceeded"}}`))
	}))
	defer srv.Close()
	base := strings.Replace(srv.URL, "http://", "http://svc:hunter2@", 1) + "/v1"
	model, err := NewOpenAI(Config{Provider: OpenAI, Model: "gpt-4o", APIKey: "k", BaseURL: base, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	ask := func() error {
		_, err := model.CreateMessage(context.Background(), &mcp.CreateMessageWithToolsParams{
			MaxTokens: 50,
			Messages:  []*mcp.SamplingMessageV2{{Role: "user", Content: []mcp.Content{&mcp.TextContent{Text: "hi"}}}},
		})
		return err
	}
	if err := ask(); err == nil || strings.Contains(err.Error(), "hunter2") || !strings.Contains(err.Error(), "svc:xxxxx@") {
		t.Errorf("401: %v, want the base URL shown without its password", err)
	}
	status = http.StatusTooManyRequests
	err = ask()
	var r *sampling.RefusalError
	if !errors.As(err, &r) || r.Reason != "the client's model is rate limited" || r.RetryAfter != time.Hour {
		t.Fatalf("429: %v, want a throttle of an hour with a fixed reason", err)
	}
	if !strings.Contains(err.Error(), "org-SECRET123") {
		t.Errorf("429: %v: this side's error should still say what the provider said", err)
	}
}
