package samplegentest_test

import (
	"context"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/samplegen/samplegen/samplegentest"
)

func TestExcerpt(t *testing.T) {
	if got := samplegentest.Excerpt(5, "hello"); got != "```\nhello\n```" {
		t.Errorf("whole: %q", got)
	}
	if got := samplegentest.Excerpt(3, "héllo"); got != "```\nhél…\n```" {
		t.Errorf("cut: %q", got)
	}
}

func TestAsked(t *testing.T) {
	model := samplegentest.Answers("a", "b")
	for _, text := range []string{"first", "second"} {
		req := &mcp.CreateMessageWithToolsParams{Messages: []*mcp.SamplingMessageV2{
			{Role: "user", Content: []mcp.Content{&mcp.TextContent{Text: "earlier"}}},
			{Role: "user", Content: []mcp.Content{&mcp.TextContent{Text: text}}},
		}}
		if _, err := model.CreateMessage(context.Background(), req); err != nil {
			t.Fatal(err)
		}
	}
	if model.Asked(0) != "first" || model.Asked(1) != "second" || model.Asked(2) != "" || model.Asked(-1) != "" {
		t.Errorf("asked %q, %q, %q", model.Asked(0), model.Asked(1), model.Asked(2))
	}
}
