package p

import (
	"context"

	"github.com/modelcontextprotocol/go-sdk/mcp"
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

// Iface is an interface.
type Iface interface{ M() }

// OnInterface is declared on an interface, which Go refuses.
//
//samplegen:tool on_interface
func (Iface) OnInterface(ctx context.Context, s runtime.Sampler, in In) (Out, error) {
	return Out{}, nil
}

// OnOther is declared on a type of another package, which Go refuses.
//
//samplegen:tool on_other
func (*mcp.Server) OnOther(ctx context.Context, s runtime.Sampler, in In) (Out, error) {
	return Out{}, nil
}

// Box is generic.
type Box[T any] struct{ v T }

// OnGeneric is a method of a generic type.
//
//samplegen:tool on_generic
func (b *Box[T]) OnGeneric(ctx context.Context, s runtime.Sampler, in In) (Out, error) {
	return Out{}, nil
}

// A and B both have a method Do.
type A struct{}

// B is another receiver.
type B struct{}

// Do of A.
//
//samplegen:tool a_do
func (A) Do(ctx context.Context, s runtime.Sampler, in In) (Out, error) { return Out{}, nil }

// Do of B.
//
//samplegen:tool b_do
func (B) Do(ctx context.Context, s runtime.Sampler, in In) (Out, error) { return Out{}, nil }

// Wrong has a method tool of the wrong signature.
//
//samplegen:tool wrong
func (A) Wrong(ctx context.Context, in In) (Out, error) { return Out{}, nil }
