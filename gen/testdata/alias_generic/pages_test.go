package pages

import (
	"context"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
)

func TestAliasesWork(t *testing.T) {
	s := runtime.SamplerFunc(func(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		return &mcp.CreateMessageWithToolsResult{Role: "assistant", Model: "fake", Content: []mcp.Content{&mcp.TextContent{Text: `{"items": ["a", "b"], "more": true}`}}}, nil
	})
	var got StrPage
	got, err := SampleSearch(context.Background(), s, Search{Text: "go", Filter: Filter{Lang: "en"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Items) != 2 || !got.More {
		t.Errorf("got %+v", got)
	}
}
