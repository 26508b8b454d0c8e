package support

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// The function tools run end to end: a go-sdk client calls them over
// in-memory transports and answers the sampling requests of SampleSummarize.
func TestFunctionTools(t *testing.T) {
	ctx := context.Background()
	srv := mcp.NewServer(&mcp.Implementation{Name: "support", Version: "1"}, nil)
	AddTools(srv)
	st, ct := mcp.NewInMemoryTransports()
	ss, err := srv.Connect(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ss.Close()
	model := func(context.Context, *mcp.CreateMessageRequest) (*mcp.CreateMessageResult, error) {
		return &mcp.CreateMessageResult{Role: "assistant", Model: "fake", Content: &mcp.TextContent{Text: `{"text":"The printer is on fire.","mood":"angry"}`}}, nil
	}
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "c", Version: "1"}, &mcp.ClientOptions{CreateMessageHandler: model}).Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()

	tools, err := cs.ListTools(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*mcp.Tool{}
	for _, tool := range tools.Tools {
		byName[tool.Name] = tool
	}
	if tr := byName["triage"]; tr == nil || tr.Title != "Triage a support ticket" || tr.Description != "Reads a ticket, asks the model for a summary and the customer's mood, and decides in Go where the ticket goes.\n\nAngry customers go to a person." {
		t.Errorf("triage tool: %+v", tr)
	}
	if len(byName) != 3 || byName["summarize"] == nil || byName["model.hint"] == nil {
		t.Errorf("tools: %v", byName)
	}

	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "triage", Arguments: map[string]any{"subject": "Help", "body": "It burns."}})
	if err != nil {
		t.Fatal(err)
	}
	var got TriageResult
	data, _ := json.Marshal(res.StructuredContent)
	if err := json.Unmarshal(data, &got); err != nil || res.IsError {
		t.Fatalf("triage: %v %s", err, data)
	}
	if want := (TriageResult{Summary: "The printer is on fire.", Escalate: true, Queue: "people"}); got != want {
		t.Errorf("triage = %+v, want %+v", got, want)
	}

	res, err = cs.CallTool(ctx, &mcp.CallToolParams{Name: "model.hint", Arguments: map[string]any{"name": "claude"}})
	if err != nil || res.IsError {
		t.Fatalf("model.hint: %v %+v", err, res)
	}
	data, _ = json.Marshal(res.StructuredContent)
	if string(data) != `{"hints":[{"name":"claude"}],"speedPriority":1}` {
		t.Errorf("model.hint = %s", data)
	}
}
