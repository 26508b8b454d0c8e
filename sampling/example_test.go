package sampling_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/sampling"
)

// A client answers a server's sampling requests with a Sampler through
// Handler, and the server learns the answer's token counts from its _meta.
// Here the model is a function; package provider has real ones.
func Example() {
	model := sampling.SamplerFunc(func(_ context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		temp, set := sampling.Temperature(req)
		res := &mcp.CreateMessageWithToolsResult{
			Role:    "assistant",
			Model:   "fixed-model",
			Content: []mcp.Content{&mcp.TextContent{Text: fmt.Sprintf("asked at temperature %v (set: %v)", temp, set)}},
		}
		sampling.SetUsage(res, sampling.Usage{InputTokens: 12, OutputTokens: 5})
		return res, nil
	})

	ctx := context.Background()
	// A server of protocol 2025-11-25, which pushes its sampling requests
	// (on 2026-07-28 they travel in the tool's result, answered by the
	// same handler).
	server := mcp.NewServer(&mcp.Implementation{Name: "server", Version: "1"}, &mcp.ServerOptions{SupportedProtocolVersions: []string{"2025-11-25"}})
	client := mcp.NewClient(&mcp.Implementation{Name: "client", Version: "1"}, &mcp.ClientOptions{
		CreateMessageWithToolsHandler: sampling.Handler(model),
	})
	st, ct := mcp.NewInMemoryTransports()
	ss, err := server.Connect(ctx, st, nil)
	if err != nil {
		log.Fatal(err)
	}
	cs, err := client.Connect(ctx, ct, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer cs.Close()

	res, err := ss.CreateMessageWithTools(ctx, &mcp.CreateMessageWithToolsParams{
		Messages:  []*mcp.SamplingMessageV2{{Role: "user", Content: []mcp.Content{&mcp.TextContent{Text: "Say hi."}}}},
		MaxTokens: 20,
		Meta:      mcp.Meta{sampling.TemperatureMetaKey: 0}, // temperature 0, not none
	})
	if err != nil {
		log.Fatal(err)
	}
	usage, _ := sampling.UsageOf(res)
	fmt.Println(res.Content[0].(*mcp.TextContent).Text)
	fmt.Printf("%s: %d tokens in, %d out\n", res.Model, usage.InputTokens, usage.OutputTokens)
	// Output:
	// asked at temperature 0 (set: true)
	// fixed-model: 12 tokens in, 5 out
}

// A client's policy refuses with a wait; the server reads when to ask
// again, whichever era carried the refusal.
func ExampleThrottled() {
	err := sampling.Throttled("5 requests a minute", 1500*time.Millisecond)
	wire := sampling.RefusalWireError(err) // a pushed request's answer
	r, _ := sampling.RefusalOfWireError(wire)
	fmt.Println(wire.Code, r.Reason, r.RetryAfter)

	res := sampling.Refusal(err) // a multi round-trip call's answer
	r, _ = sampling.RefusalOf(res)
	fmt.Println(r.Reason, r.RetryAfter)
	// Output:
	// -1 5 requests a minute 1.5s
	// 5 requests a minute 1.5s
}
