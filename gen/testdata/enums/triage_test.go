package enums

import (
	"context"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
)

// The enum helper prints the values with their meanings at run time;
// integer enum values are JSON numbers.
func TestEnumsReachTheModel(t *testing.T) {
	var req *mcp.CreateMessageWithToolsParams
	s := runtime.SamplerFunc(func(_ context.Context, r *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		req = r
		answer := `{"category":"Bug","priority":3,"also":[],"by_team":{"backend":1},"channel":"chat","steps":[{"who":"backend","what":"fix"}],"label":9}`
		return &mcp.CreateMessageWithToolsResult{Role: "assistant", Model: "fake", Content: []mcp.Content{&mcp.TextContent{Text: answer}}}, nil
	})
	got, err := SampleClassify(context.Background(), s, Classify{Text: "It crashes", Channel: Email})
	if err != nil {
		t.Fatal(err)
	}
	if got.Category != Bug || got.Priority != High || got.Steps[0].Who != Backend || got.Label != LabelHot {
		t.Errorf("got %+v", got)
	}
	user := req.Messages[0].Content[0].(*mcp.TextContent).Text
	for _, want := range []string{"came by email", "- \"bug\": something does not work", "- 1: can wait\n- 2: this week\n- 3: today", "- \"backend\": servers and data\n- \"frontend\": what users see"} {
		if !strings.Contains(user, want) {
			t.Errorf("prompt lacks %q:\n%s", want, user)
		}
	}
	// The instructions give every enum's values; the meanings the prompt
	// lists itself with {{enum}} are not told a second time there.
	for _, want := range []string{"priority: 1 | 2 | 3, // How urgent", "who: \"backend\" | \"frontend\"", "9: needs attention", "also: (\"bug\" | \"feature\" | \"question\")[]"} {
		if !strings.Contains(req.SystemPrompt, want) {
			t.Errorf("instructions lack %q:\n%s", want, req.SystemPrompt)
		}
	}
	for _, listed := range []string{"can wait", "servers and data", "something does not work"} {
		if strings.Contains(req.SystemPrompt, listed) {
			t.Errorf("instructions repeat %q, which the prompt lists:\n%s", listed, req.SystemPrompt)
		}
	}
}
