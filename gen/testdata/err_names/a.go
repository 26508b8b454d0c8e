package p

// Ask collides with a declared function.
//
//samplegen:tool ask
//samplegen:prompt const=prompt
//samplegen:output Out
type Ask struct{}

// SampleAsk is declared by hand.
func SampleAsk() {}

// Tools generates AddTools, as does the package.
//
//samplegen:tool tools
//samplegen:prompt const=prompt
//samplegen:output Out
type Tools struct{}

// Out is an output.
type Out struct{}

const prompt = "Go."
