// Package plan is a samplegen test case: the generated file asserts the
// fields of every struct type the schemas were built from, so that a
// change to one fails the build until go generate runs again
// (TestStaleFieldsFailBuild).
package plan

import (
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/prompt"
)

// MakePlan plans a task.
//
//samplegen:tool make_plan
//samplegen:prompt const=planPrompt
//samplegen:output Plan
type MakePlan struct {
	Task  string `json:"task"`
	owner string // unexported: no schema, but part of the type's shape
	base         // embedded: its fields are the input's
	// Notes are the client's annotations, a struct of another module:
	// not checked, so that upgrading the SDK does not break the build of
	// those who import this package (samplegen -check compares it).
	Notes *mcp.Annotations `json:"notes,omitempty"`
	// Zone is a struct of another package with unexported fields, which
	// this package cannot write out: not checked.
	Zone *time.Location `json:"zone,omitempty"`
	// Example is a struct of another package of this module (the case is
	// generated inside samplegen's), whose fields are all exported:
	// checked too.
	Example *prompt.EnumValue `json:"example,omitempty"`
}

type base struct {
	Budget int `json:"budget" jsonschema:"minimum=0"`
}

const planPrompt = `Plan {{.Task}} within {{.Budget}}.`

// Plan is the answer.
type Plan struct {
	Steps Page[Step] `json:"steps"`
}

// A Page is a generic list, instantiated in the output.
type Page[T any] struct {
	Items []T  `json:"items"`
	More  bool `json:"more"`
}

// A Step is one step of a plan.
type Step struct {
	Title string `json:"title"`
	Hours int    `json:"hours"`
	Later *Step  `json:"later,omitempty"`
}
