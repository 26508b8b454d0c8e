// Package recursive is a samplegen test case: types that contain
// themselves, directly, through another type, through a slice or a map,
// and generic ones.
package recursive

// Outline outlines a document as a tree of sections.
//
//samplegen:tool outline
//samplegen:prompt const=prompt
//samplegen:output Section
type Outline struct {
	Text  string   `json:"text"`
	Hints Category `json:"hints"`
}

// Section is the output, and recursive itself: its children are sections.
type Section struct {
	Title    string    `json:"title"`
	Kind     Kind      `json:"kind"`
	Children []Section `json:"children" jsonschema:"description=Subsections in order"`
	Parent   *Section  `json:"parent,omitempty"`
	Links    Links     `json:"links"`
	Extra    Plain     `json:"extra"`
	Other    Plain     `json:"other"`
}

// Kind is an enum, shown once although the tree repeats it.
type Kind string

const (
	Chapter Kind = "chapter" // a top-level division
	Part    Kind = "part"    // a division of a chapter
)

// Links is a named map whose values refer back to Section.
type Links map[string]*Section

// Plain is not recursive, and used twice: it stays inline.
type Plain struct {
	Note string `json:"note"`
}

// Category and Item refer to each other.
type Category struct {
	Name  string `json:"name"`
	Items []Item `json:"items"`
}

// Item belongs to a category and may hold one.
type Item struct {
	Label string    `json:"label"`
	Sub   *Category `json:"sub,omitempty"`
	List  List[int] `json:"list"`
}

// List is a recursive generic type.
type List[T any] struct {
	Value T        `json:"value"`
	Next  *List[T] `json:"next,omitempty"`
}

const prompt = `Outline {{fence .Text}}{{range .Hints.Items}}{{.Label}}{{with .Sub}}{{.Name}}{{end}}{{.List.Next.Next.Value}}{{end}}
Kinds:
{{enum "kind"}}`
