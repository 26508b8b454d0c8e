package timer

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
)

// The model is told the unit, and what it writes in it is decoded.
func TestDurationsAreNanoseconds(t *testing.T) {
	var asked string
	s := runtime.SamplerFunc(func(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		data, _ := json.Marshal(req)
		asked = string(data)
		return &mcp.CreateMessageWithToolsResult{Role: "assistant", Model: "fake", Content: []mcp.Content{&mcp.TextContent{
			Text: `{"total": 5400000000000, "steps": [60000000000, 1500000000], "margin": null}`,
		}}}, nil
	})
	got, err := SampleEstimateTask(context.Background(), s, EstimateTask{Task: "a review", Budget: 2 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if got.Total != 90*time.Minute || len(got.Steps) != 2 || got.Steps[0] != time.Minute || got.Steps[1] != 1500*time.Millisecond || got.Margin != nil {
		t.Errorf("got %+v", got)
	}
	if !strings.Contains(asked, "nanoseconds") {
		t.Errorf("the request does not tell the unit:\n%s", asked)
	}
}
