package runtime

import (
	"context"
	"errors"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/internal/telemetry"
	"github.com/samplegen/samplegen/sampling"
)

// pushDriver sends sampling/createMessage to the client in the middle of the
// call and waits for the answer: the protocol of 2025-11-25 and older.
type pushDriver struct{ session *mcp.ServerSession }

// CreateMessage reads a refusal (error -1) back into the
// [sampling.RefusalError] it stands for, so that a function tool and
// Sampler middleware see a refusal alike on both eras.
func (p pushDriver) CreateMessage(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
	if telemetry.ChatFrom(ctx) == nil {
		// Not a SampleX call (a function tool asking its Sampler itself):
		// the chat span a SampleX call has, opened here.
		return askTraced(ctx, pushSender(p), req, EraPush)
	}
	return pushSender(p).CreateMessage(ctx, req)
}

// pushSender sends one sampling request of a pushDriver.
type pushSender pushDriver

func (p pushSender) CreateMessage(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
	res, err := p.session.CreateMessageWithTools(ctx, withTraceContext(ctx, req))
	var wire *jsonrpc.Error
	if errors.As(err, &wire) {
		if r, ok := sampling.RefusalOfWireError(wire); ok {
			return nil, r
		}
	}
	return res, err
}

func (pushDriver) settle(string) (*mcp.CallToolResult, error) { return nil, nil }
