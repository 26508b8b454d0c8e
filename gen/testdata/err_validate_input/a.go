package p

import "context"

// Ask is an input.
//
//samplegen:tool a
//samplegen:prompt const=prompt
//samplegen:output Out
type Ask struct {
	X string `json:"x"`
}

// Other is another input.
//
//samplegen:tool b
//samplegen:prompt const=prompt
//samplegen:output Bad
type Other struct {
	X string `json:"x"`
}

const prompt = "{{.X}}"

// Out takes the input of another tool.
type Out struct {
	Y string `json:"y"`
}

// Validate takes the wrong input.
func (Out) Validate(in Other) error { return nil }

// Bad has a Validate of two parameters.
type Bad struct {
	Y string `json:"y"`
}

// Validate takes more than the input.
func (Bad) Validate(ctx context.Context, in Other) error { return nil }
