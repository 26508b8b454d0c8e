// Package support is a samplegen test case: several tools over two files,
// unexported input types, prompts in a folder.
package support

// Triage sorts a support ticket.
//
//samplegen:tool support.triage
//samplegen:prompt prompts/triage.tmpl
//samplegen:output TriageResult
type Triage struct {
	Subject string            `json:"subject"`
	Body    string            `json:"body"`
	Labels  map[string]string `json:"labels,omitempty"`
	Extra   any               `json:"extra,omitempty"`
	Raw     []byte            `json:"raw,omitempty"`
}

// TriageResult is where a ticket goes.
type TriageResult struct {
	Queue    Queue      `json:"queue"`
	Priority int        `json:"priority" jsonschema:"minimum=1,maximum=4,default=3"`
	Items    []Item     `json:"items"`
	Tags     [2]Tag     `json:"tags"`
	Meta     Meta       `json:"meta"`
	Weight   float32    `json:"weight,string"`
	Kinds    Page[Kind] `json:"kinds"`
}

// Page is a generic struct.
type Page[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

// Item is one thing a ticket asks for.
type Item struct {
	Kind Kind   `json:"kind"`
	What string `json:"what"`
}

// Meta is embedded data.
type Meta struct {
	Base
	Note string `json:"note,omitempty" jsonschema:"title=Note,pattern=^[a-z ]*$"`
}

// Base is embedded in Meta.
type Base struct {
	Source string `json:"source" jsonschema:"enum=mail,enum=web"`
}

// Queue is a support queue.
type Queue string

const (
	Billing Queue = "billing" // money matters
	Tech    Queue = "tech"    // it does not work
)

// Kind is a kind of request.
type Kind string

// Kinds of request.
const (
	Question Kind = "question" // the user wants to know something
	Bug      Kind = "bug"      // something is broken
)

// Tag is a label without documentation: no Enums entry.
type Tag string

const (
	Urgent Tag = "urgent"
	Later  Tag = "later"
)
