package runtime

import (
	"context"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// A Sampler asks a model for one completion. Inside a tool handler the
// runtime passes a Sampler bound to the calling client's session; outside
// one (a test, a server-side fallback) any model adapter will do.
//
// A Sampler speaks MCP's own sampling types, so an MCP client's sampling
// handler and a server's sampler are the same thing.
type Sampler interface {
	CreateMessage(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error)
}

// SamplerFunc adapts a function to [Sampler].
type SamplerFunc func(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error)

// CreateMessage calls f.
func (f SamplerFunc) CreateMessage(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
	return f(ctx, req)
}
