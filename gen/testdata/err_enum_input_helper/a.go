package p

// Rewrite has an enum of its own and one it shares with the output.
//
//samplegen:tool rewrite
//samplegen:prompt const=prompt
//samplegen:output Out
type Rewrite struct {
	Tone  Tone  `json:"tone"`
	Level Level `json:"level"`
}

// Out has a level too.
type Out struct {
	Level Level `json:"level"`
}

// Tone is how a text sounds.
type Tone string

const (
	Formal Tone = "formal"
	Warm   Tone = "warm"
)

// Level is a reading level.
type Level string

const (
	Easy Level = "easy"
	Hard Level = "hard"
)

const prompt = `{{enum "level"}} {{enum "input:mood"}} {{enum "output:tone"}} {{enum "nothing"}} {{enum "tone"}}`
