package sampling

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// The estimate counts what a model reads: system prompt, every message's
// text, tool definitions and calls, tool results, and a flat 1000 for
// each image or audio block.
func TestEstimateUsageCountsEveryPartOfARequest(t *testing.T) {
	req := &mcp.CreateMessageWithToolsParams{
		SystemPrompt: strings.Repeat("s", 40), // 40 bytes
		Messages: []*mcp.SamplingMessageV2{
			{Role: "user", Content: []mcp.Content{
				&mcp.TextContent{Text: strings.Repeat("t", 40)},                     // 40
				&mcp.ImageContent{Data: make([]byte, 1<<20), MIMEType: "image/png"}, // 1000 tokens
			}},
			{Role: "assistant", Content: []mcp.Content{&mcp.ToolUseContent{ID: "1", Name: "lookup", Input: map[string]any{"q": "x"}}}},                              // 6 + 9
			{Role: "user", Content: []mcp.Content{&mcp.ToolResultContent{ToolUseID: "1", Content: []mcp.Content{&mcp.TextContent{Text: strings.Repeat("r", 20)}}}}}, // 20
			nil,
		},
		Tools: []*mcp.Tool{{Name: "lookup", Description: "Look up.", InputSchema: map[string]any{"type": "object"}}, nil}, // 6 + 8 + 17
	}
	// 40+40+15+20+31 = 146 bytes: 37 tokens, and 1000 for the image.
	if got := EstimateUsage(req, nil); got != (Usage{InputTokens: 1037}) {
		t.Errorf("EstimateUsage = %+v, want 1037 input tokens", got)
	}
	if got := EstimateUsage(nil, &mcp.CreateMessageWithToolsResult{Content: []mcp.Content{&mcp.AudioContent{Data: []byte("x")}}}); got != (Usage{OutputTokens: 1000}) {
		t.Errorf("EstimateUsage of an audio answer = %+v, want 1000 output tokens", got)
	}
	// An answer through a tool: its name and input, 7 + 22 bytes.
	res := &mcp.CreateMessageWithToolsResult{Content: []mcp.Content{&mcp.ToolUseContent{Name: "respond", Input: map[string]any{"sentiment": "positive"}}}}
	if got := EstimateUsage(nil, res); got != (Usage{OutputTokens: 8}) {
		t.Errorf("EstimateUsage of a tool call = %+v, want 8 output tokens", got)
	}
	if got := EstimateUsage(nil, nil); got != (Usage{}) {
		t.Errorf("EstimateUsage(nil, nil) = %+v, want none", got)
	}
}

// JSON is counted as encoding/json writes it, compact, whether it is one
// of the types JSON decodes to (walked), a json.RawMessage, a Go struct
// (marshalled), or nested past the depth the walk goes to.
func TestJSONSizeIsTheCompactJSON(t *testing.T) {
	type schema struct {
		Type       string         `json:"type"`
		Properties map[string]any `json:"properties,omitempty"`
	}
	deep := any("leaf")
	for range 3 * maxWalkDepth {
		deep = map[string]any{"k": []any{deep, 1.0}}
	}
	for _, v := range []any{
		nil, true, false, "text", "", 0.0, 1.0, -2.5, 0.1, 123456789.0, 1e-7, 1e21, -3e-9, 42, int64(-7),
		json.Number("12.50"),
		map[string]any{}, []any{}, map[string]any(nil), []any(nil),
		map[string]any{"type": "object", "properties": map[string]any{"text": map[string]any{"type": "string", "maxLength": 2000.0}}, "required": []any{"text"}},
		[]any{1.0, "two", nil, true, map[string]any{"a": []any{}}},
		json.RawMessage(`{"type":"object"}`),
		schema{Type: "object", Properties: map[string]any{"n": map[string]any{"type": "integer"}}},
		deep,
	} {
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if got := jsonSize(v, 0); got != int64(len(want)) {
			t.Errorf("jsonSize(%.60s) = %d, want %d", want, got, len(want))
		}
	}
	if got := fieldSize(nil); got != 0 {
		t.Errorf("fieldSize(nil) = %d, want 0: an absent field is not written", got)
	}
}

// The estimate runs per sampling request: over a request as it arrives
// from the wire (maps and lists) or as a samplegen server builds it
// (json.RawMessage schemas), it allocates nothing.
func TestEstimateUsageDoesNotAllocate(t *testing.T) {
	var decoded map[string]any
	if err := json.Unmarshal([]byte(`{"type":"object","properties":{"sentiment":{"type":"string","enum":["positive","negative","neutral"]},"confidence":{"type":"number","minimum":0,"maximum":1}},"required":["sentiment","confidence"]}`), &decoded); err != nil {
		t.Fatal(err)
	}
	req := &mcp.CreateMessageWithToolsParams{
		SystemPrompt: "You classify the sentiment of a text. Answer with JSON.",
		Messages: []*mcp.SamplingMessageV2{
			{Role: "user", Content: []mcp.Content{&mcp.TextContent{Text: strings.Repeat("I love it, but the battery died. ", 30)}}},
			{Role: "assistant", Content: []mcp.Content{&mcp.ToolUseContent{ID: "1", Name: "respond", Input: map[string]any{"sentiment": "Positive", "confidence": 0.8, "tags": []any{"battery", true, nil}}}}},
			{Role: "user", Content: []mcp.Content{&mcp.ToolResultContent{ToolUseID: "1", StructuredContent: decoded, Content: []mcp.Content{&mcp.TextContent{Text: "sentiment: give one of positive, negative, neutral"}}}}},
		},
		Tools: []*mcp.Tool{
			{Name: "respond", Description: "Give the answer.", InputSchema: decoded},
			{Name: "respond_raw", Description: "Give the answer.", InputSchema: json.RawMessage(`{"type":"object"}`)},
		},
	}
	res := &mcp.CreateMessageWithToolsResult{Content: []mcp.Content{&mcp.TextContent{Text: `{"sentiment":"positive","confidence":0.9}`}}}
	var u Usage
	if allocs := testing.AllocsPerRun(100, func() { u = EstimateUsage(req, res) }); allocs != 0 {
		t.Errorf("EstimateUsage allocates %v times a call, want 0", allocs)
	}
	if u.InputTokens < 300 || u.OutputTokens != 11 {
		t.Errorf("EstimateUsage = %+v, want over 300 in (the text alone is 990 bytes) and 11 out", u)
	}
}
