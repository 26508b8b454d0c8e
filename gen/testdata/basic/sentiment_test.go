package sentiment

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
)

// This test runs in a copy of the case next to the generated file: the
// generated code works with the real runtime.
func TestGeneratedCodeRuns(t *testing.T) {
	var prompt string
	s := runtime.SamplerFunc(func(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		data, _ := json.Marshal(req)
		prompt = string(data)
		return &mcp.CreateMessageWithToolsResult{
			Role:    "assistant",
			Model:   "fake",
			Content: []mcp.Content{&mcp.TextContent{Text: `{"sentiment":"positive","confidence":0.9,"aspects":[]}`}},
		}, nil
	})
	got, err := SampleAnalyzeSentiment(context.Background(), s, AnalyzeSentiment{Text: "I love it", Author: Author{Name: "Ann"}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Sentiment != Positive || got.Confidence != 0.9 {
		t.Errorf("got %+v", got)
	}
	for _, want := range []string{"I love it", "written by Ann"} {
		if !strings.Contains(prompt, want) {
			t.Errorf("request lacks %q: %s", want, prompt)
		}
	}

	tool := AnalyzeSentimentTool()
	if tool.Name != "analyze_sentiment" || tool.InputSchema == nil || tool.OutputSchema == nil {
		t.Errorf("tool %+v", tool)
	}
	srv := mcp.NewServer(&mcp.Implementation{Name: "test", Version: "v0.0.1"}, nil)
	AddTools(srv)
}
