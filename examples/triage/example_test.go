package triage_test

import (
	"context"
	"fmt"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/examples/triage"
	"github.com/samplegen/samplegen/runtime"
)

// A function tool is a plain Go function: call it with any runtime.Sampler.
// Here a canned model answers; served with AddTools, the MCP client's model
// does.
func ExampleTriage() {
	model := runtime.SamplerFunc(func(context.Context, *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		return &mcp.CreateMessageWithToolsResult{Role: "assistant", Model: "canned", Content: []mcp.Content{
			&mcp.TextContent{Text: `{"line": "Checkout fails with error 500 since the update.", "category": "bug", "priority": 3}`},
		}}, nil
	})
	d, err := triage.Triage(context.Background(), model, triage.Ticket{
		Subject:  "Checkout broken",
		Body:     "Since this morning's update every checkout fails with a 500.",
		Customer: &triage.Customer{Name: "Acme", Plan: triage.Enterprise},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.Queue, d.Priority, d.Summary.Line)
	// Output: on-call 3 Checkout fails with error 500 since the update.
}
