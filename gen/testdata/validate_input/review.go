package review

import (
	"fmt"
	"strings"
)

//go:generate go tool samplegen

// Review finds problems in a piece of code.
//
//samplegen:tool review
//samplegen:prompt const=reviewPrompt
//samplegen:output Findings
//samplegen:params retries=1
type Review struct {
	Code string `json:"code"`
}

const reviewPrompt = `Review this code and point at lines by number:
{{fence .Code}}`

// Findings are the problems found.
type Findings struct {
	Items []Finding `json:"items"`
}

// Finding is one problem at one line.
type Finding struct {
	Line int    `json:"line"`
	Note string `json:"note"`
}

// Validate checks what a finding says of itself.
func (f Finding) Validate() error {
	if strings.TrimSpace(f.Note) == "" {
		return fmt.Errorf("the note is empty: say what is wrong")
	}
	return nil
}

// Validate checks the findings against the code they are about.
func (fs Findings) Validate(in Review) error {
	lines := strings.Count(in.Code, "\n") + 1
	for _, f := range fs.Items {
		if f.Line < 1 || f.Line > lines {
			return fmt.Errorf("line %d is not a line of the code, which has %d lines", f.Line, lines)
		}
	}
	return nil
}

// Fallback points at a line that is not there, which Validate refuses.
func (Review) Fallback(error) (Findings, error) {
	return Findings{Items: []Finding{{Line: 99, Note: "?"}}}, nil
}
