package p

// Write writes.
//
//samplegen:tool write
//samplegen:prompt const=prompt
//samplegen:output Out
type Write struct {
	Title string `json:"title"`
}

// Out is the output.
type Out struct{}

const prompt = `Title:
  {{.Title | upper}}`
