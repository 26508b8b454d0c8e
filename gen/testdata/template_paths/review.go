// Package paths is a samplegen test case: a prompt template that uses
// every construct whose field paths samplegen checks, all of them valid.
package paths

import (
	"iter"
	"strings"
)

// Digest digests a thread.
//
//samplegen:tool digest
//samplegen:prompt digest.tmpl
//samplegen:output Digest2
type Digest struct {
	Thread   Thread            `json:"thread"`
	Authors  map[string]Person `json:"authors"`
	Labels   []string          `json:"labels"`
	Limit    int               `json:"limit"`
	Lead     *Person           `json:"lead,omitempty"`
	Extra    map[string]any    `json:"extra"`
	Grid     [][]int           `json:"grid"`
	Language string            `json:"language"`
}

// Thread is a list of messages.
type Thread struct {
	Title    string    `json:"title"`
	Messages []Message `json:"messages"`
}

// Message is one message.
type Message struct {
	From string   `json:"from"`
	Text string   `json:"text"`
	Tags []string `json:"tags"`
}

// Person is an author.
type Person struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// Short is a method with no arguments the template calls.
func (m Message) Short() string { return strings.SplitN(m.Text, "\n", 2)[0] }

// Quote is a method with an argument.
func (m Message) Quote(prefix string) string { return prefix + m.Text }

// Words is an iterator the template ranges over.
func (m Message) Words() iter.Seq[string] { return strings.FieldsSeq(m.Text) }

// Display has a pointer receiver: callable where the person is a pointer.
func (p *Person) Display() string { return p.Name + " <" + p.Email + ">" }

// Digest2 is the answer.
type Digest2 struct {
	Summary string `json:"summary"`
}
