package runtime_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
)

// toolModel answers through the respond tool, as a client that declares
// sampling.tools would let a model do.
type toolModel struct {
	mu       sync.Mutex
	inputs   []map[string]any
	requests []*mcp.CreateMessageWithToolsParams
}

func (m *toolModel) handler(_ context.Context, req *mcp.CreateMessageWithToolsRequest) (*mcp.CreateMessageWithToolsResult, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests = append(m.requests, req.Params)
	input := m.inputs[0]
	m.inputs = m.inputs[1:]
	return &mcp.CreateMessageWithToolsResult{
		Role: "assistant", Model: "tool-model", StopReason: "toolUse",
		Content: []mcp.Content{&mcp.ToolUseContent{ID: "call-" + string(rune('a'+len(m.requests))), Name: runtime.RespondTool, Input: input}},
	}, nil
}

func TestClientWithSamplingToolsAnswersThroughRespond(t *testing.T) {
	for _, protocol := range []string{legacyProtocol, mrtrProtocol} {
		t.Run(protocol, func(t *testing.T) {
			srv := newServer(protocol)
			runtime.NewTool(verdictSpec()).Add(srv, quiet())
			model := &toolModel{inputs: []map[string]any{
				{"label": "Spam", "score": 2},
				{"label": "Spam", "score": 0.8},
			}}
			cs := connect(t, srv, &mcp.ClientOptions{CreateMessageWithToolsHandler: model.handler})
			res := callClassify(t, cs, "win a prize")
			if res.IsError {
				t.Fatalf("tool error: %s", textOf(res))
			}
			if got := decode[Verdict](t, res.StructuredContent); got != (Verdict{Label: "spam", Score: 0.8}) {
				t.Errorf("result = %+v", got)
			}
			first, second := model.requests[0], model.requests[1]
			if len(first.Tools) != 1 || first.Tools[0].Name != "respond" || first.ToolChoice == nil || first.ToolChoice.Mode != "required" {
				t.Fatalf("the request does not require the respond tool: tools %v, choice %+v", first.Tools, first.ToolChoice)
			}
			if schema := decode[map[string]any](t, first.Tools[0].InputSchema); schema["properties"] == nil || schema["type"] != "object" {
				t.Errorf("respond's input schema is not the output schema: %v", schema)
			}
			if !strings.Contains(first.SystemPrompt, "calling the respond tool") || strings.Contains(first.SystemPrompt, `"maximum"`) {
				t.Errorf("system prompt:\n%s", first.SystemPrompt)
			}
			msgs := second.Messages
			if len(msgs) != 3 {
				t.Fatalf("re-ask has %d messages", len(msgs))
			}
			use, ok := msgs[1].Content[0].(*mcp.ToolUseContent)
			result, ok2 := msgs[2].Content[0].(*mcp.ToolResultContent)
			if !ok || !ok2 || result.ToolUseID != use.ID || !result.IsError {
				t.Fatalf("re-ask is not a tool_use answered by an error tool_result: %#v %#v", msgs[1].Content[0], msgs[2].Content[0])
			}
			if got := result.Content[0].(*mcp.TextContent).Text; !strings.Contains(got, "/score: 2 is above the maximum 1") {
				t.Errorf("tool result text = %q", got)
			}
		})
	}
}
