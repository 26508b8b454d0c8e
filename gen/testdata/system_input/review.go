// Package review is a samplegen test case: input fields in the system
// prompt. Those that can hold text and are not fenced there are warnings;
// fenced ones, numbers, booleans and enums are not.
package review

import "strings"

// Review reviews a change.
//
//samplegen:tool review
//samplegen:prompt review.tmpl
//samplegen:output Verdict
type Review struct {
	Title    string            `json:"title"`
	Body     string            `json:"body"`
	Author   Author            `json:"author"`
	Tags     []string          `json:"tags"`
	Lines    int               `json:"lines"`
	Draft    bool              `json:"draft"`
	Language Language          `json:"language"`
	Style    *string           `json:"style,omitempty"`
	Notes    map[string]string `json:"notes"`
}

// Author is who wrote the change.
type Author struct {
	Name string `json:"name"`
}

// Upper is a method whose result comes from the input.
func (a Author) Upper() string { return strings.ToUpper(a.Name) }

// Language is an enum: the input schema confines it to its constants.
type Language string

// The languages.
const (
	Go     Language = "go"
	Python Language = "python"
)

// Verdict is the model's answer.
type Verdict struct {
	Approve bool `json:"approve"`
}

// Translate has a prompt in a constant, whose warnings point into the Go
// file.
//
//samplegen:tool translate
//samplegen:prompt const=translatePrompt
//samplegen:output string
type Translate struct {
	Text   string `json:"text"`
	Target string `json:"target"`
}

const translatePrompt = `{{define "system"}}You translate into {{.Target}}.{{end -}}
{{fence .Text}}`
