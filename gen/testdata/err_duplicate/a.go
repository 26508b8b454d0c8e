package p

// One is the first.
//
//samplegen:tool same
//samplegen:prompt const=prompt
//samplegen:output Out
type One struct{}

// Out is an output.
type Out struct{}

const prompt = "Go."
