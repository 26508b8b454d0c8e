package host

import (
	"context"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/sampling"
)

// A Middleware wraps a Sampler in a policy: it may refuse a request, change
// it (on a copy), wait, or pass it on and look at the result. Every piece
// of this package is one, or (for [Budget]) has a method that is one.
type Middleware func(next sampling.Sampler) sampling.Sampler

// Chain wraps model in mws, the first outermost: a request meets mws[0]
// first and model last. Chain(model) is model.
func Chain(model sampling.Sampler, mws ...Middleware) sampling.Sampler {
	s := model
	for i := len(mws) - 1; i >= 0; i-- {
		s = mws[i](s)
	}
	return s
}

// Deny returns a Sampler that refuses every request with reason: the
// policy for a server the host does not let sample at all.
func Deny(reason string) sampling.Sampler {
	return sampling.SamplerFunc(func(context.Context, *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		return nil, sampling.Refused(reason)
	})
}
