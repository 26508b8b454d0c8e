package scores

import (
	"context"
	"net/netip"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
)

// answer answers each ask with the next of texts, and records the text of
// the last message of each ask.
func answer(texts ...string) (runtime.Sampler, *[]string) {
	var asks []string
	return runtime.SamplerFunc(func(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		text := texts[min(len(asks), len(texts)-1)]
		last := ""
		if n := len(req.Messages); n > 0 {
			for _, c := range req.Messages[n-1].Content {
				if tc, ok := c.(*mcp.TextContent); ok {
					last += tc.Text
				}
			}
		}
		asks = append(asks, last)
		return &mcp.CreateMessageWithToolsResult{Role: "assistant", Model: "fake", Content: []mcp.Content{&mcp.TextContent{Text: text}}}, nil
	}), &asks
}

// The keys the model writes are decoded as encoding/json decodes them.
func TestIntegerKeysDecode(t *testing.T) {
	s, _ := answer(`{"by_line": {"1": "good", "-2": "poor"}, "by_count": {"40": 3}, "hosts": {"10.0.0.1": true}, "tiers": {"tier-2": "gold"}, "free": {"7": [1]}}`)
	got, err := SampleScore(context.Background(), s, Score{Lines: map[int]string{1: "a", 2: "b"}})
	if err != nil {
		t.Fatal(err)
	}
	if got.ByLine[1] != Good || got.ByLine[-2] != Poor || got.ByCount[40] != 3 || !got.Hosts[netip.MustParseAddr("10.0.0.1")] || got.Tiers[2] != "gold" {
		t.Errorf("got %+v", got)
	}
}

// A key that is not an integer is re-asked with the schema's reason, and
// the next answer is taken.
func TestNonIntegerKeyReasked(t *testing.T) {
	s, asks := answer(`{"by_line": {"one": "good"}, "by_count": {}, "hosts": {}, "tiers": {}, "free": {}}`,
		`{"by_line": {"1": "good"}, "by_count": {}, "hosts": {}, "tiers": {}, "free": {}}`)
	got, err := SampleScore(context.Background(), s, Score{})
	if err != nil {
		t.Fatal(err)
	}
	if len(*asks) != 2 || got.ByLine[1] != Good {
		t.Fatalf("after %d asks got %+v", len(*asks), got)
	}
	if reask := (*asks)[1]; !strings.Contains(reask, "/by_line") || !strings.Contains(reask, `"one"`) {
		t.Errorf("the re-ask does not name the field /by_line and the key \"one\":\n%s", reask)
	}
}
