package p

// Greet greets.
//
//samplegen:tool greet
//samplegen:prompt greet.tmpl
//samplegen:output Out
type Greet struct {
	Name string `json:"name"`
}

// Out is an output.
type Out struct{}
