package runtime

import "github.com/samplegen/samplegen/sampling"

// A Sampler asks a model for one completion. Inside a tool handler the
// runtime passes a Sampler bound to the calling client's session; outside
// one (a test, a server-side fallback) any model adapter will do, such as
// those of package provider.
//
// A Sampler speaks MCP's own sampling types, so an MCP client's sampling
// handler and a server's sampler are the same thing. It is
// [sampling.Sampler], the contract runtime, provider and host share.
type Sampler = sampling.Sampler

// SamplerFunc adapts a function to [Sampler].
type SamplerFunc = sampling.SamplerFunc
