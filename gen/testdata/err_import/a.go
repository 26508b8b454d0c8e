package p

import "example.com/does/not/exist"

// A uses a type from a package that cannot be found.
//
//samplegen:tool a
//samplegen:prompt const=prompt
//samplegen:output Out
type A struct {
	X exist.Thing `json:"x"`
}

// Out is the output.
type Out struct{}

const prompt = "x"
