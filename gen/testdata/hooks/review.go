// Package hooks is a samplegen test case: Validate methods on the output
// type and on types nested in it, and a Fallback method on the input type.
package hooks

import (
	"errors"
	"fmt"
	"strings"
)

// Review reviews a pull request.
//
//samplegen:tool review
//samplegen:prompt const=prompt
//samplegen:output Verdict
//samplegen:params retries=1
type Review struct {
	Diff string `json:"diff"`
}

const prompt = `Review: {{fence .Diff}}`

// Verdict is the review.
type Verdict struct {
	Approve  bool      `json:"approve"`
	Comments []Comment `json:"comments"`
	Summary  *Summary  `json:"summary,omitempty"`
}

// Validate holds the verdict together: a rejection says why.
func (v Verdict) Validate() error {
	if !v.Approve && len(v.Comments) == 0 {
		return errors.New("a rejection needs at least one comment")
	}
	return nil
}

// A Comment is about one line.
type Comment struct {
	Line int    `json:"line" jsonschema:"minimum=1"`
	Text string `json:"text"`
}

// Validate, with a pointer receiver, is called on each comment too.
func (c *Comment) Validate() error {
	if strings.TrimSpace(c.Text) == "" {
		return fmt.Errorf("line %d: empty comment", c.Line)
	}
	return nil
}

// Summary is optional.
type Summary struct {
	Text string `json:"text"`
}

// Validate is called on the summary when there is one.
func (s Summary) Validate() error {
	if len(s.Text) > 80 {
		return errors.New("summary longer than 80 bytes")
	}
	return nil
}

// Fallback approves nothing when the model fails.
func (r Review) Fallback(err error) (Verdict, error) {
	return Verdict{Comments: []Comment{{Line: 1, Text: "no review: " + err.Error()}}}, nil
}
