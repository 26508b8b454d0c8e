package runtime

import (
	"context"
	"errors"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/sampling"
)

// SamplingHandler answers an MCP client's sampling requests with s, for
// go-sdk's ClientOptions.CreateMessageWithToolsHandler. It serves pushed
// requests (protocol 2025-11-25 and older) and the input requests of multi
// round-trip calls (2026-07-28) alike. When s refuses (an error matching
// [ErrRefused], such as a person declining or a budget spent), the server is
// told in the form its era understands: JSON-RPC error -1 on a pushed
// request, a [sampling.Refusal] result on a multi round-trip call, so that
// either way the server goes on to its fallbacks instead of the call being
// aborted. A throttle ([sampling.Throttled]) says when to ask again: as the
// error's data {"retryAfterMs": N}, or beside the refusal in the result's
// _meta. (A refusal result is samplegen's convention: a server that does
// not know it reads an empty answer, which it will most likely refuse in
// turn.) Package host builds full handlers, with policies, on this one.
//
//	client := mcp.NewClient(impl, &mcp.ClientOptions{
//		CreateMessageWithToolsHandler: runtime.SamplingHandler(model),
//	})
func SamplingHandler(s Sampler) func(context.Context, *mcp.CreateMessageWithToolsRequest) (*mcp.CreateMessageWithToolsResult, error) {
	return func(ctx context.Context, req *mcp.CreateMessageWithToolsRequest) (*mcp.CreateMessageWithToolsResult, error) {
		res, err := s.CreateMessage(ctx, req.Params)
		if !errors.Is(err, ErrRefused) {
			return res, err
		}
		if r := req.Session.InitializeResult(); r != nil && r.ProtocolVersion >= protocolMRTR {
			return sampling.Refusal(err), nil
		}
		return nil, sampling.RefusalWireError(err)
	}
}
