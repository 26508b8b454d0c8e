// Package clash is a samplegen test case: the package declares the names
// the generated file would import, and the input and output types have the
// names of the generated functions' parameters.
package clash

// in is an input named like a parameter.
//
//samplegen:tool clash
//samplegen:prompt const=prompt
//samplegen:output s
//samplegen:params timeout=90s
type in struct {
	X string `json:"x"`
}

type s struct {
	Y string `json:"y"`
}

const prompt = "{{.X}}"

type mcp struct{}

const time = 1

var runtime, runtimepkg = mcp{}, time
