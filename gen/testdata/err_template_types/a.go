package p

// Write writes.
//
//samplegen:tool write
//samplegen:prompt write.tmpl
//samplegen:output Out
type Write struct {
	Title  string         `json:"title"`
	Count  int            `json:"count"`
	Mood   Mood           `json:"mood"`
	Items  []Item         `json:"items"`
	Author Author         `json:"author"`
	ByID   map[int]string `json:"-"`
}

// Item is an element.
type Item struct {
	Name string `json:"name"`
}

// Author has methods.
type Author struct {
	Name string `json:"name"`
}

// Display has a pointer receiver.
func (a *Author) Display() string { return a.Name }

// Greet takes an argument.
func (a Author) Greet(prefix string) string { return prefix + a.Name }

// Mood is a named string.
type Mood string

// Out is the output.
type Out struct {
	Kind Kind `json:"kind"`
}

// Kind is an enum.
type Kind string

const (
	A Kind = "a" // the first
	B Kind = "b" // the second
)
