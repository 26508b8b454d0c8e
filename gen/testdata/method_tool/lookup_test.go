package lookup

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Each method tool runs on the value AddTools was given.
func TestMethodToolsRunOnTheirReceivers(t *testing.T) {
	ctx := context.Background()
	srv := mcp.NewServer(&mcp.Implementation{Name: "lookup", Version: "1"}, nil)
	client := &Client{plans: map[string]string{"Ada Lovelace": "pro", "Bob": "free"}}
	AddTools(srv, client, Map{"Ada": "Hello"})
	st, ct := mcp.NewInMemoryTransports()
	ss, err := srv.Connect(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ss.Close()
	model := func(context.Context, *mcp.CreateMessageRequest) (*mcp.CreateMessageResult, error) {
		return &mcp.CreateMessageResult{Role: "assistant", Model: "fake", Content: &mcp.TextContent{Text: "Ada Lovelace"}}, nil
	}
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "c", Version: "1"}, &mcp.ClientOptions{CreateMessageHandler: model}).Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()

	call := func(name, arg string) Customer {
		t.Helper()
		res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: name, Arguments: map[string]any{"name": arg}})
		if err != nil {
			t.Fatal(err)
		}
		var got Customer
		data, _ := json.Marshal(res.StructuredContent)
		if err := json.Unmarshal(data, &got); err != nil || res.IsError {
			t.Fatalf("%s: %v %s", name, err, data)
		}
		return got
	}
	if got := call("lookup", "ada lovelace"); got != (Customer{Name: "Ada Lovelace", Plan: "pro"}) {
		t.Errorf("lookup = %+v, want the client's record", got)
	}
	if got := call("greet", "Ada"); got.Name != "Hello, Ada" {
		t.Errorf("greet = %+v, want the map's words", got)
	}
	call("forget", "Bob")
	if _, ok := client.plans["Bob"]; ok {
		t.Error("forget did not reach the client AddTools was given")
	}
	if tool := LookupTool(); tool.Name != "lookup" || tool.Description != "Finds a customer in the directory, by the name the model writes in full." {
		t.Errorf("LookupTool() = %+v", tool)
	}
}
