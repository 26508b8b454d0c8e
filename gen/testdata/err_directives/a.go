package p

// Bad has every kind of directive mistake.
//
//samplegen:tool bad name
//samplegen:prompt a.tmpl
//samplegen:output Out
//samplegen:params temperature=hot max_tokens=0 retries=-1 timeout=soon top_p=1
//samplegen:params retries=1 retries=2
//samplegen:model gpt
//samplegen:output Out
type Bad struct {
	X string
}

// BadName has a name MCP does not allow.
//
//samplegen:tool bad/name!
//samplegen:prompt a.tmpl
//samplegen:output Out
type BadName struct{}

// NoTool has directives but no tool name.
//
//samplegen:prompt a.tmpl
type NoTool struct{}

// NoPrompt lacks the prompt and output directives.
//
//samplegen:tool no_prompt
type NoPrompt struct{}

// Spaced writes the directive with a space.
//
// samplegen:tool spaced
type Spaced struct{}

// NotStruct is not a struct.
//
//samplegen:tool not_struct
//samplegen:prompt a.tmpl
//samplegen:output Out
type NotStruct string

// Func is a function.
//
//samplegen:tool func
func Func() {}

//samplegen:tool floating

// Out is an output.
type Out struct{}
