package runtime

import (
	"context"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// pushDriver sends sampling/createMessage to the client in the middle of the
// call and waits for the answer: the protocol of 2025-11-25 and older.
type pushDriver struct{ session *mcp.ServerSession }

func (p pushDriver) CreateMessage(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
	return p.session.CreateMessageWithTools(ctx, req)
}

func (pushDriver) settle(string) (*mcp.CallToolResult, error) { return nil, nil }
