package review

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
)

func answering(answers ...string) (runtime.Sampler, *[]*mcp.CreateMessageWithToolsParams) {
	var reqs []*mcp.CreateMessageWithToolsParams
	return runtime.SamplerFunc(func(_ context.Context, r *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		reqs = append(reqs, r)
		if len(answers) == 0 {
			return nil, errors.New("no answer left")
		}
		a := answers[0]
		answers = answers[1:]
		return &mcp.CreateMessageWithToolsResult{Role: "assistant", Model: "fake", Content: []mcp.Content{&mcp.TextContent{Text: a}}}, nil
	}), &reqs
}

// Validate(in) judges the answer against the call's input, beside the
// nested Validate(), and its error is what the re-ask says.
func TestValidateSeesTheInput(t *testing.T) {
	s, reqs := answering(`{"items":[{"line":12,"note":"off by one"}]}`, `{"items":[{"line":2,"note":"off by one"}]}`)
	got, err := SampleReview(context.Background(), s, Review{Code: "a := 1\nb := a"})
	if err != nil || len(got.Items) != 1 || got.Items[0].Line != 2 {
		t.Fatalf("got %+v, %v", got, err)
	}
	again := (*reqs)[1].Messages[2].Content[0].(*mcp.TextContent).Text
	if !strings.Contains(again, "line 12 is not a line of the code, which has 2 lines") {
		t.Errorf("re-ask:\n%s", again)
	}

	s, reqs = answering(`{"items":[{"line":1,"note":""}]}`, `{"items":[{"line":1,"note":"x"}]}`)
	if _, err := SampleReview(context.Background(), s, Review{Code: "a"}); err != nil {
		t.Fatal(err)
	}
	if again := (*reqs)[1].Messages[2].Content[0].(*mcp.TextContent).Text; !strings.Contains(again, "/items/0: the note is empty") {
		t.Errorf("re-ask of the nested Validate:\n%s", again)
	}

	// The Fallback's value is held to the input too: line 99 of 1 is not.
	s, _ = answering()
	if _, err := SampleReview(context.Background(), s, Review{Code: "a"}); err == nil || !strings.Contains(err.Error(), "the Fallback method returned a value that is not valid (line 99 is not a line of the code, which has 1 lines)") {
		t.Errorf("Fallback value: %v", err)
	}
}
