// Package rewrite is a samplegen test case: {{enum}} lists the enums of
// the input too.
package rewrite

//go:generate go tool samplegen

// Rewrite rewrites a text in a tone.
//
//samplegen:tool rewrite
//samplegen:prompt rewrite.tmpl
//samplegen:output Rewritten
type Rewrite struct {
	Text  string `json:"text"`
	Tone  Tone   `json:"tone"`
	Level Level  `json:"level"`
}

// Rewritten is the text rewritten, and the level it reads at.
type Rewritten struct {
	Text  string `json:"text"`
	Level Level  `json:"level"`
}

// Tone is how a text sounds.
type Tone string

const (
	Formal Tone = "formal" // as to a stranger at work
	Warm   Tone = "warm"   // as to a friend
)

// Level is a reading level.
type Level string

const (
	Easy Level = "easy" // a child reads it
	Hard Level = "hard" // an expert reads it
)
