package hooks

import (
	"context"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
)

func answers(texts ...string) (runtime.Sampler, *[]string) {
	var asked []string
	return runtime.SamplerFunc(func(_ context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		last := req.Messages[len(req.Messages)-1].Content[0].(*mcp.TextContent).Text
		asked = append(asked, last)
		text := texts[0]
		texts = texts[1:]
		return &mcp.CreateMessageWithToolsResult{Role: "assistant", Model: "fake", Content: []mcp.Content{&mcp.TextContent{Text: text}}}, nil
	}), &asked
}

// A nested Validate error goes back to the model with the value's path.
func TestNestedValidateReasks(t *testing.T) {
	s, asked := answers(
		`{"approve":false,"comments":[{"line":3,"text":" "}]}`,
		`{"approve":false,"comments":[{"line":3,"text":"off by one"}]}`,
	)
	var rep runtime.Report
	got, err := SampleReview(context.Background(), s, Review{Diff: "-a\n+b"}, runtime.WithReport(&rep))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Comments) != 1 || got.Comments[0].Text != "off by one" || len(rep.Rounds) != 2 {
		t.Fatalf("got %+v after %d rounds", got, len(rep.Rounds))
	}
	if reask := (*asked)[1]; !strings.Contains(reask, "/comments/0") || !strings.Contains(reask, "line 3: empty comment") {
		t.Errorf("re-ask does not carry the nested error with its path: %q", reask)
	}
}

// When the rounds run out, Fallback answers.
func TestFallback(t *testing.T) {
	s, _ := answers(`{"approve":false,"comments":[]}`, `{"approve":false,"comments":[]}`)
	got, err := SampleReview(context.Background(), s, Review{Diff: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Approve || len(got.Comments) != 1 || !strings.HasPrefix(got.Comments[0].Text, "no review: ") {
		t.Errorf("got %+v", got)
	}
}
