package p

// Greet greets.
//
//samplegen:tool greet
//samplegen:prompt greet.tmpl
//samplegen:output Out
type Greet struct {
	Name    string  `json:"name"`
	Address Address `json:"address"`
	secret  string
}

// Address is nested.
type Address struct {
	City string `json:"city"`
}

// Out is an output.
type Out struct{}
