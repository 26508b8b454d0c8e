// Package enums is a samplegen test case: string and integer enums, their
// constants anywhere in the package, their comments, and the enum helper.
package enums

// Classify sorts a ticket.
//
//samplegen:tool classify
//samplegen:prompt classify.tmpl
//samplegen:output Verdict
type Classify struct {
	Text    string   `json:"text"`
	Channel Channel  `json:"channel"`
	Seen    Priority `json:"seen,omitempty"`
}

// Verdict is the model's answer.
type Verdict struct {
	Category Category            `json:"category"`
	Priority Priority            `json:"priority" jsonschema:"description=How urgent,default=2"`
	Also     []Category          `json:"also"`
	ByTeam   map[string]Priority `json:"by_team"`
	Channel  Channel             `json:"channel"`
	Steps    []Step              `json:"steps"`
	Label    Label               `json:"label"`
}

// Step is one thing to do.
type Step struct {
	Who  Team   `json:"who"`
	What string `json:"what"`
}

// Category is what a ticket is about.
type Category string

const (
	Bug     Category = "bug"     // something does not work as documented
	Feature Category = "feature" // a request for something new
	// a question about how to use the product
	Question Category = "question"
)

// Priority is an integer enum declared with iota.
type Priority int

const (
	Low    Priority = iota + 1 // can wait
	Medium                     // this week
	High                       // today
	Urgent = High              // an alias: the value counts once
)

// Channel has constants without comments: it is an enum, but has no
// meanings to show.
type Channel string

const (
	Email Channel = "email"
	Chat  Channel = "chat"
)

// Label is a uint8 enum whose constants are in two declarations.
type Label uint8

// LabelNone is no label.
const LabelNone Label = 0

const LabelHot Label = 9 // needs attention
