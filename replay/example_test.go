package replay_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/replay"
	"github.com/samplegen/samplegen/sampling"
)

func Example() {
	dir, err := os.MkdirTemp("", "replay-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "sentiment.jsonl")
	ctx := context.Background()

	// Once, against the real model (here a stand-in, so the example runs
	// offline): every exchange goes to the file.
	rec, err := replay.Record(file)
	if err != nil {
		fmt.Println(err)
		return
	}
	model := rec.Wrap(sampling.SamplerFunc(func(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		res := &mcp.CreateMessageWithToolsResult{
			Role:       "assistant",
			Model:      "gpt-4o-mini",
			StopReason: "endTurn",
			Content:    []mcp.Content{&mcp.TextContent{Text: `{"sentiment":"positive"}`}},
		}
		sampling.SetUsage(res, sampling.Usage{InputTokens: 31, OutputTokens: 6})
		return res, nil
	}))
	if _, err := model.CreateMessage(ctx, ask("I love it")); err != nil {
		fmt.Println(err)
		return
	}
	if err := rec.Close(); err != nil {
		fmt.Println(err)
		return
	}

	// In every test run after: the same request gets the recorded answer.
	replayed, err := replay.Open(file)
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := replayed.CreateMessage(ctx, ask("I love it"))
	if err != nil {
		fmt.Println(err)
		return
	}
	usage, _ := sampling.UsageOf(res)
	fmt.Println(res.Model, res.Content[0].(*mcp.TextContent).Text, usage.InputTokens, usage.OutputTokens)

	// A request the file does not hold fails, pointing at the nearest one.
	_, err = replayed.CreateMessage(ctx, ask("I hate it"))
	var miss *replay.MissError
	if errors.As(err, &miss) {
		fmt.Println(errors.Is(err, replay.ErrNotRecorded), "nearest: line", miss.NearestLine)
		fmt.Println(miss.Diff[0])
	}
	// Output:
	// gpt-4o-mini {"sentiment":"positive"} 31 6
	// true nearest: line 1
	// messages[0].content.text: asked "Classify: I hate it", recorded "Classify: I love it"
}

// ask is the request a sentiment tool might make.
func ask(text string) *mcp.CreateMessageWithToolsParams {
	return &mcp.CreateMessageWithToolsParams{
		SystemPrompt: "You classify the sentiment of texts.",
		Messages:     []*mcp.SamplingMessageV2{{Role: "user", Content: []mcp.Content{&mcp.TextContent{Text: "Classify: " + text}}}},
		MaxTokens:    64,
		Meta:         mcp.Meta{sampling.TemperatureMetaKey: 0},
	}
}
