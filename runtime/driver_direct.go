package runtime

import (
	"context"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// directDriver asks the server's own model, with no client sampling at all:
// the route for clients that never sample, and for tools served under
// [SamplingServer].
type directDriver struct{ Sampler }

func (directDriver) settle(string) (*mcp.CallToolResult, error) { return nil, nil }

// noDriver stands for a client that cannot be asked to sample on a server
// with no model of its own: asking it fails with ErrCannotSample, which the
// handler answers with -32021 unless a Fallback hook or defaults answer.
type noDriver struct{}

func (noDriver) CreateMessage(context.Context, *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
	return nil, ErrCannotSample
}

func (noDriver) settle(string) (*mcp.CallToolResult, error) { return nil, nil }
