package p

// Ptr has a Fallback with a pointer receiver.
//
//samplegen:tool ptr
//samplegen:prompt const=prompt
//samplegen:output Out
type Ptr struct{}

// Fallback has a pointer receiver.
func (*Ptr) Fallback(err error) (Out, error) { return Out{}, err }

// Sig has a Fallback with the wrong signature.
//
//samplegen:tool sig
//samplegen:prompt const=prompt
//samplegen:output Out
type Sig struct{}

// Fallback returns a pointer.
func (Sig) Fallback(err error) (*Out, error) { return nil, err }

// Out is an output.
type Out struct{}

const prompt = "Go."
