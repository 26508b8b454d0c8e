package runtime_test

import (
	"context"
	"fmt"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
)

func Example() {
	type Ticket struct {
		Text string `json:"text"`
	}
	type Verdict struct {
		Label string `json:"label"`
	}
	tool := runtime.NewTool(runtime.Spec[Ticket, Verdict]{
		Name:         "classify",
		InputSchema:  `{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}`,
		OutputSchema: `{"type":"object","properties":{"label":{"type":"string","enum":["spam","ham"]}},"required":["label"]}`,
		Prompt:       "Is this spam? {{fence .Text}}",
	})

	// A stand-in for the client's model, answering the way models do.
	model := runtime.SamplerFunc(func(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		return &mcp.CreateMessageWithToolsResult{
			Model:   "example-model",
			Content: []mcp.Content{&mcp.TextContent{Text: "Sure! ```json\n{\"label\": \"Spam\"}\n```"}},
		}, nil
	})

	var report runtime.Report
	verdict, err := tool.Sample(context.Background(), model, Ticket{Text: "WIN A PRIZE"}, runtime.WithReport(&report))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%+v\n", verdict)
	for _, r := range report.Repairs() {
		fmt.Println(r)
	}
	// Output:
	// {Label:spam}
	// prose: took the JSON from the text around it
	// /label: enum-case: "Spam" → "spam"
}
