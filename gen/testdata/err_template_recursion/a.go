package p

// Nest calls templates that call themselves, directly and through another.
//
//samplegen:tool nest
//samplegen:prompt nest.tmpl
//samplegen:output Out
type Nest struct {
	Name     string `json:"name"`
	Children []Nest `json:"children"`
}

// Loop's prompt, in a constant, calls itself through a block.
//
//samplegen:tool loop
//samplegen:prompt const=loopPrompt
//samplegen:output Out
type Loop struct {
	Text string `json:"text"`
}

// Out is the output.
type Out struct{}

const loopPrompt = `{{block "again" .}}{{fence .Text}}
{{template "again" .}}{{end}}`
