package p

import (
	"context"

	"github.com/samplegen/samplegen/runtime"
)

// In is an input.
type In struct {
	X string `json:"x"`
}

// Out is an output.
type Out struct {
	Y string `json:"y"`
}

// S has a method tool.
type S struct{}

// Method is a method.
//
//samplegen:tool method
func (S) Method(ctx context.Context, s runtime.Sampler, in In) (Out, error) { return Out{}, nil }

// Generic is generic.
//
//samplegen:tool generic
func Generic[T any](ctx context.Context, s runtime.Sampler, in T) (Out, error) { return Out{}, nil }

// NoSampler lacks the sampler.
//
//samplegen:tool no_sampler
func NoSampler(ctx context.Context, in In) (Out, error) { return Out{}, nil }

// StringIn takes a string.
//
//samplegen:tool string_in
func StringIn(ctx context.Context, s runtime.Sampler, in string) (Out, error) { return Out{}, nil }

// PointerOut returns a pointer.
//
//samplegen:tool pointer_out
func PointerOut(ctx context.Context, s runtime.Sampler, in In) (*Out, error) { return nil, nil }

// WithPrompt has directives of sampling tools.
//
//samplegen:tool with_prompt
//samplegen:prompt const=prompt
//samplegen:output Out
//samplegen:params temperature=0
func WithPrompt(ctx context.Context, s runtime.Sampler, in In) (Out, error) { return Out{}, nil }

const prompt = "x"

// Same has the name of another tool.
//
//samplegen:tool ask
func Same(ctx context.Context, s runtime.Sampler, in In) (Out, error) { return Out{}, nil }

// Ask is a sampling tool.
//
//samplegen:tool ask
//samplegen:prompt const=prompt
//samplegen:output Out
type Ask struct {
	X string `json:"x"`
}

// Clash generates ClashTool, which is declared.
//
//samplegen:tool clash
func Clash(ctx context.Context, s runtime.Sampler, in In) (Out, error) { return Out{}, nil }

// ClashTool is in the way.
func ClashTool() {}
