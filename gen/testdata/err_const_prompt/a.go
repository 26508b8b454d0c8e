package p

// Raw has an unknown field in a raw string constant.
//
//samplegen:tool raw
//samplegen:prompt const=rawPrompt
//samplegen:output Out
type Raw struct {
	Name string
}

const rawPrompt = `Hello {{.Name}}.
Bye {{.Nam}}.`

// Quoted has one in an interpreted string constant.
//
//samplegen:tool quoted
//samplegen:prompt const=quotedPrompt
//samplegen:output Out
type Quoted struct {
	Name string
}

const quotedPrompt = "Hello\n  {{.Nam}}"

// Missing names no constant.
//
//samplegen:tool missing
//samplegen:prompt const=nope
//samplegen:output Out
type Missing struct{}

// NotString names an int constant.
//
//samplegen:tool not_string
//samplegen:prompt const=answer
//samplegen:output Out
type NotString struct{}

const answer = 42

// Out is an output.
type Out struct{}
