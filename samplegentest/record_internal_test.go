package samplegentest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/sampling"
)

// Recording rewrites the file from scratch with this run's exchanges, and
// tests that share a file all write to it.
func TestRecordingRewritesTheFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sub", "x.jsonl")
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(`{"version":1,"old":true}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	live := Answers("first", "second")
	saved := liveModel
	t.Cleanup(func() { liveModel = saved })
	liveModel = func() (sampling.Sampler, error) { return live, nil }
	t.Setenv(EnvRecord, "1")

	for i, prompt := range []string{"a", "b"} {
		t.Run(prompt, func(t *testing.T) {
			res, err := Replay(t, file).CreateMessage(context.Background(), askText(prompt))
			if err != nil || res.Content[0].(*mcp.TextContent).Text != []string{"first", "second"}[i] {
				t.Fatalf("%v %+v", err, res)
			}
		})
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(string(b)), "\n"); len(lines) != 2 || strings.Contains(string(b), `"old"`) {
		t.Fatalf("file after recording:\n%s\nwant the two new exchanges only", b)
	}

	t.Setenv(EnvRecord, "")
	model := Replay(t, file)
	for i, prompt := range []string{"b", "a"} {
		res, err := model.CreateMessage(context.Background(), askText(prompt))
		if err != nil || res.Content[0].(*mcp.TextContent).Text != []string{"second", "first"}[i] {
			t.Errorf("replaying %q: %v %+v", prompt, err, res)
		}
	}
}

func askText(s string) *mcp.CreateMessageWithToolsParams {
	return &mcp.CreateMessageWithToolsParams{MaxTokens: 10, Messages: []*mcp.SamplingMessageV2{{Role: "user", Content: []mcp.Content{&mcp.TextContent{Text: s}}}}}
}
