package p

// Two is the second.
//
//samplegen:tool same
//samplegen:prompt const=prompt
//samplegen:output Out
type Two struct{}
