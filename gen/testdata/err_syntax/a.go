package p

// A is fine.
//
//samplegen:tool a
//samplegen:prompt const=prompt
//samplegen:output Out
type A struct {
	X string `json:"x"`
}

// Out is the output.
type Out struct {
	Y string `json:"y"
}

func broken( {
}

const prompt = "x"
