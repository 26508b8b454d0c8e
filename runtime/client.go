package runtime

import (
	"context"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/sampling"
)

// SamplingHandler is [sampling.Handler]: it answers an MCP client's
// sampling requests with s, for go-sdk's
// ClientOptions.CreateMessageWithToolsHandler, on both eras, telling the
// server of a refusal, a throttle or a failed model in the form its era
// understands. Package host builds full handlers, with policies, on it; a
// client needs neither this package nor host to use it.
//
//	client := mcp.NewClient(impl, &mcp.ClientOptions{
//		CreateMessageWithToolsHandler: runtime.SamplingHandler(model),
//	})
func SamplingHandler(s Sampler, opts ...sampling.HandlerOption) func(context.Context, *mcp.CreateMessageWithToolsRequest) (*mcp.CreateMessageWithToolsResult, error) {
	return sampling.Handler(s, opts...)
}
