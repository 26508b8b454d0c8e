package host

import (
	"context"
	"errors"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/sampling"
)

// A ContextFunc returns the context a request asked for (see
// [Request.IncludeContext]): what the host knows of this server or of all
// its servers (resources read, earlier results, the conversation), as text
// for the model. It returns "" to add nothing.
type ContextFunc func(ctx context.Context, req *Request) (string, error)

// IncludeContext honours the includeContext of the requests that ask for
// context ("thisServer" or "allServers"): it calls add, and appends what
// add returns to a copy of the request's system prompt, after a blank line.
// Requests that ask for none pass on untouched, without calling add. An
// error from add refuses the request, as [Approve] does for an approver's
// error: the server reads "the host could not gather the context the
// request asked for", and the error in this process wraps the cause.
// (The spec soft-deprecates "thisServer" and "allServers" as of
// 2025-11-25, and a server may only ask for them if the client declared
// the sampling.context capability; a host that does not is free to
// ignore them, which is what passing no IncludeContext does.)
func IncludeContext(add ContextFunc) Middleware {
	if add == nil {
		panic("host: IncludeContext(nil): give a ContextFunc")
	}
	return func(next sampling.Sampler) sampling.Sampler {
		return sampling.SamplerFunc(func(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
			r := newRequest(ctx, req)
			if which := r.IncludeContext(); which != "thisServer" && which != "allServers" {
				return next.CreateMessage(ctx, req)
			}
			text, err := add(ctx, r)
			switch {
			case errors.Is(err, sampling.ErrRefused):
				return nil, err
			case err != nil:
				return nil, hookFailed("context", r.Server.Name, err, "the host could not gather the context the request asked for")
			case text == "":
				return next.CreateMessage(ctx, req)
			}
			with := *req
			if with.SystemPrompt == "" {
				with.SystemPrompt = text
			} else {
				with.SystemPrompt += "\n\n" + text
			}
			return next.CreateMessage(ctx, &with)
		})
	}
}
