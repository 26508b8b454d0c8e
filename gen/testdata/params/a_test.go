package params

import (
	"context"
	"slices"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
)

// The parameters the directives give reach the sampling request.
func TestParamsReachTheRequest(t *testing.T) {
	var req *mcp.CreateMessageWithToolsParams
	s := runtime.SamplerFunc(func(_ context.Context, r *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		req = r
		return &mcp.CreateMessageWithToolsResult{Role: "assistant", Model: "fake", Content: []mcp.Content{&mcp.TextContent{Text: `{"text":"hi"}`}}}, nil
	})
	if _, err := SampleDraft(context.Background(), s, Draft{Message: "hello"}); err != nil {
		t.Fatal(err)
	}
	if req.MaxTokens != 300 || req.Temperature != 0.7 || !slices.Equal(req.StopSequences, []string{"\n\nUser:", "END", "raw, with comma"}) {
		t.Errorf("request: max tokens %d, temperature %v, stop %q", req.MaxTokens, req.Temperature, req.StopSequences)
	}
	p := req.ModelPreferences
	if p == nil || len(p.Hints) != 2 || p.Hints[0].Name != "claude-sonnet" || p.CostPriority != 0.2 || p.SpeedPriority != 0.5 || p.IntelligencePriority != 1 {
		t.Errorf("model preferences: %+v", p)
	}
	if tool := DraftTool(); tool.Title != "Draft a reply" {
		t.Errorf("title %q", tool.Title)
	}
}
