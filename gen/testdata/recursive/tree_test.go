package recursive

import (
	"context"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
)

// The runtime reads an answer against a schema with "$ref": "#", $defs and
// nullable pointers, and the prompt's {{enum}} finds the enum.
func TestRecursiveAnswer(t *testing.T) {
	var prompt string
	s := runtime.SamplerFunc(func(_ context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		prompt = req.Messages[0].Content[0].(*mcp.TextContent).Text
		answer := `{"title":"Book","kind":"chapter","parent":null,"links":{},"extra":{"note":""},"other":{"note":""},
			"children":[{"title":"One","kind":"part","children":[],"links":{},"extra":{"note":""},"other":{"note":""}}]}`
		return &mcp.CreateMessageWithToolsResult{Role: "assistant", Model: "fake", Content: []mcp.Content{&mcp.TextContent{Text: answer}}}, nil
	})
	got, err := SampleOutline(context.Background(), s, Outline{Text: "a book", Hints: Category{Items: []Item{{Label: "x", List: List[int]{Value: 1, Next: &List[int]{Value: 2, Next: &List[int]{Value: 3}}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Children) != 1 || got.Children[0].Kind != Part || got.Parent != nil {
		t.Errorf("got %+v", got)
	}
	if !strings.Contains(prompt, "- \"chapter\"") || !strings.Contains(prompt, "x3") {
		t.Errorf("prompt:\n%s", prompt)
	}
}
