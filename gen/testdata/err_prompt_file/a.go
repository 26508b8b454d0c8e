package p

// Missing has no prompt file.
//
//samplegen:tool missing
//samplegen:prompt missing.tmpl
//samplegen:output Out
type Missing struct{}

// Out is an output.
type Out struct{}
