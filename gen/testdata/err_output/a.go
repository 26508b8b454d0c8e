package p

// NoSuch names an output type that does not exist.
//
//samplegen:tool no_such
//samplegen:prompt const=prompt
//samplegen:output Missing
type NoSuch struct{}

// NotAType names a constant.
//
//samplegen:tool not_a_type
//samplegen:prompt const=prompt
//samplegen:output prompt
type NotAType struct{}

// Qualified names another package's type.
//
//samplegen:tool qualified
//samplegen:prompt const=prompt
//samplegen:output time.Time
type Qualified struct{}

const prompt = "Go."
