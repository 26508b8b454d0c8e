package paths

import (
	"context"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
)

// The template that samplegen checked renders at run time without error.
func TestPromptRenders(t *testing.T) {
	var prompt string
	s := runtime.SamplerFunc(func(_ context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		prompt = req.Messages[0].Content[0].(*mcp.TextContent).Text
		return &mcp.CreateMessageWithToolsResult{Role: "assistant", Model: "fake", Content: []mcp.Content{&mcp.TextContent{Text: `{"summary":"ok"}`}}}, nil
	})
	in := Digest{
		Thread: Thread{Title: "Release", Messages: []Message{
			{From: "ann", Text: "ship it\nnow", Tags: []string{"go"}},
			{From: "bob", Text: "wait", Tags: []string{"hold", "x"}},
			{From: "cy", Text: "later", Tags: []string{"z"}},
		}},
		Authors:  map[string]Person{"ann": {Name: "Ann", Email: "ann@example.com"}},
		Labels:   []string{"a", "b"},
		Limit:    2,
		Extra:    map[string]any{"anything": map[string]any{"goes": "yes"}},
		Grid:     [][]int{{1, 2}},
		Language: "English",
	}
	if _, err := SampleDigest(context.Background(), s, in); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`Thread: "Release"`, "- ann: ship it (1 tags #go) > ship it", "by Ann <ann@example.com>", "(unknown author)", "ann=Ann", "012", "Labels: a, b", "  a; b", "yes", "Release"} {
		if !strings.Contains(prompt, want) {
			t.Errorf("prompt lacks %q:\n%s", want, prompt)
		}
	}
	if strings.Contains(prompt, "cy:") {
		t.Errorf("break did not stop at the limit:\n%s", prompt)
	}
}
