// Package conformance is the example server that the official MCP
// conformance suite (@modelcontextprotocol/conformance) runs against in
// samplegen's interop tests: the sentiment example's typed tool, and the
// suite's test_sampling tool, written as a samplegen function tool.
//
// The suite's tools-call-sampling scenario calls test_sampling {prompt},
// expects one sampling/createMessage whose user message is the prompt with
// maxTokens 100, answers it with plain prose ("This is a test response from
// the client"), and wants text content back. A typed samplegen tool cannot
// take that answer: its output is parsed as JSON against a schema, and prose
// holds none. So test_sampling is a function tool ([runtime.AddFunc]): it
// asks through the runtime's Sampler, which works on both protocol eras, and
// keeps the model's text as it came, in a one-field object (the runtime
// returns a function tool's output as JSON text and structured content).
//
// Run it with go run ./examples/conformance/server -http 127.0.0.1:8080 and
// point the suite at http://127.0.0.1:8080/mcp.
package conformance

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/examples/sentiment"
	"github.com/samplegen/samplegen/runtime"
)

// SamplingInput is the input of test_sampling, as the suite calls it.
type SamplingInput struct {
	Prompt string `json:"prompt" jsonschema:"The prompt to send to the client's model"`
}

// SamplingOutput is the model's answer, kept verbatim after the prefix the
// suite's scenario describes.
type SamplingOutput struct {
	Text string `json:"text" jsonschema:"LLM response: then the model's answer as it came"`
}

// SamplingMaxTokens is the token limit the suite's scenario asks for.
const SamplingMaxTokens = 100

// AddTools adds analyze_sentiment and test_sampling to srv.
func AddTools(srv *mcp.Server, opts ...runtime.ToolOption) error {
	sentiment.AddTools(srv, opts...)
	in, err := jsonschema.For[SamplingInput](nil)
	if err != nil {
		return err
	}
	out, err := jsonschema.For[SamplingOutput](nil)
	if err != nil {
		return err
	}
	return runtime.AddFunc(srv, &mcp.Tool{
		Name:         "test_sampling",
		Description:  "Asks the client's model to answer the prompt and returns its answer as it came.",
		InputSchema:  in,
		OutputSchema: out,
	}, TestSampling, opts...)
}

// TestSampling asks the model to answer in.Prompt, as one user message.
func TestSampling(ctx context.Context, s runtime.Sampler, in SamplingInput) (SamplingOutput, error) {
	res, err := s.CreateMessage(ctx, &mcp.CreateMessageWithToolsParams{
		Messages:  []*mcp.SamplingMessageV2{{Role: "user", Content: []mcp.Content{&mcp.TextContent{Text: in.Prompt}}}},
		MaxTokens: SamplingMaxTokens,
	})
	if err != nil {
		// Returned as is: on a multi round-trip session this is how the
		// runtime learns that the call must go back to the client.
		return SamplingOutput{}, err
	}
	var text []string
	for _, c := range res.Content {
		if t, ok := c.(*mcp.TextContent); ok {
			text = append(text, t.Text)
		}
	}
	if len(text) == 0 {
		return SamplingOutput{}, fmt.Errorf("test_sampling: the model's answer has no text")
	}
	return SamplingOutput{Text: "LLM response: " + strings.Join(text, "\n")}, nil
}
