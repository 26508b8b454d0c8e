package rewrite

import (
	"context"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
)

// {{enum}} prints the input's enums with their meanings at run time.
func TestInputEnumsInThePrompt(t *testing.T) {
	var req *mcp.CreateMessageWithToolsParams
	s := runtime.SamplerFunc(func(_ context.Context, r *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		req = r
		return &mcp.CreateMessageWithToolsResult{Role: "assistant", Model: "fake", Content: []mcp.Content{&mcp.TextContent{Text: `{"text":"Dear sir.","level":"easy"}`}}}, nil
	})
	got, err := SampleRewrite(context.Background(), s, Rewrite{Text: "hi", Tone: Formal, Level: Easy})
	if err != nil || got.Level != Easy {
		t.Fatalf("got %+v, %v", got, err)
	}
	user := req.Messages[0].Content[0].(*mcp.TextContent).Text
	for _, want := range []string{
		"The tones:\n- \"formal\": as to a stranger at work\n- \"warm\": as to a friend",
		"The levels asked for:\n- \"easy\": a child reads it\n- \"hard\": an expert reads it",
		"one of:\n- \"easy\": a child reads it",
	} {
		if !strings.Contains(user, want) {
			t.Errorf("prompt lacks %q:\n%s", want, user)
		}
	}
}
