package runtime

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

type labelled struct {
	Labels []string `json:"labels"`
}

type chosen struct {
	Label string `json:"label"`
}

// The tools compiled for label sets are kept up to maxCallTools, the
// newest, and a set above MaxCallEnumBytes is refused, not compiled.
func TestInputEnumCacheIsBounded(t *testing.T) {
	tool := NewTool(Spec[labelled, chosen]{
		Name:           "choose",
		InputSchema:    `{"type":"object","properties":{"labels":{"type":"array","items":{"type":"string"}}}}`,
		OutputSchema:   `{"type":"object","properties":{"label":{"type":"string"}},"required":["label"]}`,
		Prompt:         "{{enum \"label\"}}",
		EnumsFromInput: []EnumFromInput[labelled]{{Path: "label", Input: "labels", Values: func(in labelled) []EnumValue { return EnumList(in.Labels) }}},
	})
	model := SamplerFunc(func(_ context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		first, _, _ := strings.Cut(strings.TrimPrefix(req.Messages[0].Content[0].(*mcp.TextContent).Text, "- "), "\n")
		return &mcp.CreateMessageWithToolsResult{Model: "m", Content: []mcp.Content{&mcp.TextContent{Text: `{"label":` + first + `}`}}}, nil
	})
	sample := func(labels ...string) {
		t.Helper()
		got, err := tool.Sample(context.Background(), model, labelled{Labels: labels})
		if err != nil || got.Label != labels[0] {
			t.Fatalf("Sample(%.20q) = %+v, %v", labels, got, err)
		}
	}
	for i := range 3 * maxCallTools {
		sample(fmt.Sprint("label-", i))
	}
	if n := len(tool.calls.tools); n != maxCallTools || len(tool.calls.order) != maxCallTools {
		t.Errorf("%d tools kept (%d in order), want %d", n, len(tool.calls.order), maxCallTools)
	}
	sample("label-0") // long evicted: compiled again, and kept
	newest := tool.calls.tools[tool.calls.order[maxCallTools-1]]
	if !strings.Contains(newest.spec.OutputSchema, `"label-0"`) || len(tool.calls.tools) != maxCallTools {
		t.Errorf("the cache did not take the new set in place of the oldest")
	}
	last := tool.calls.order[maxCallTools-1]
	if _, err := tool.Sample(context.Background(), model, labelled{Labels: []string{strings.Repeat("x", MaxCallEnumBytes+1)}}); !errors.Is(err, ErrTooManyEnumValues) {
		t.Errorf("a label set above MaxCallEnumBytes: err = %v, want ErrTooManyEnumValues", err)
	}
	if tool.calls.order[maxCallTools-1] != last {
		t.Error("a label set above MaxCallEnumBytes was kept")
	}
}
