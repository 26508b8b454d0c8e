// Package summary is a samplegen test case: a Fallback hook.
package summary

import "errors"

// Summarize writes a one-line summary of a document.
//
//samplegen:tool summarize
//samplegen:prompt summarize.tmpl
//samplegen:output Summary
type Summarize struct {
	Title string `json:"title"`
	Body  string `json:"body"`
}

// Summary is the answer.
type Summary struct {
	Line string `json:"line" jsonschema:"maxLength=120"`
}

// Fallback uses the title when sampling fails.
func (s Summarize) Fallback(err error) (Summary, error) {
	if s.Title == "" {
		return Summary{}, errors.Join(errors.New("no title to fall back on"), err)
	}
	return Summary{Line: s.Title}, nil
}
