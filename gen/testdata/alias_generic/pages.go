// Package pages is a samplegen test case: aliases of instances of a generic
// type, as a tool's input and output.
package pages

// A Page is a generic page of results.
type Page[T any] struct {
	Items []T  `json:"items"`
	More  bool `json:"more"`
}

// Query is a generic query.
type Query[T any] struct {
	Text   string `json:"text"`
	Filter T      `json:"filter"`
}

// StrPage is the output: a page of strings.
type StrPage = Page[string]

// Search searches for texts: an alias of an instance is the input.
//
//samplegen:tool search
//samplegen:prompt const=prompt
//samplegen:output StrPage
type Search = Query[Filter]

// Filter narrows a search.
type Filter struct {
	Lang string `json:"lang,omitempty"`
}

const prompt = `Find texts about {{.Text}} in {{.Filter.Lang}}.`
