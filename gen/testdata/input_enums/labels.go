package labels

//go:generate go tool samplegen

// Tag picks the labels of a text among those the caller gives.
//
//samplegen:tool tag
//samplegen:prompt tag.tmpl
//samplegen:output Tags
//samplegen:enum labels[] .Labels
//samplegen:enum route .Options.Routes
//samplegen:enum "by_part.*" .Labels
type Tag struct {
	Text    string   `json:"text"`
	Labels  []Label  `json:"labels" jsonschema:"minItems=1"`
	Options Options  `json:"options"`
	Extra   []string `json:"extra,omitempty"`
}

// Options are the tool's settings.
type Options struct {
	// Routes are where a text may go, with what each is for.
	Routes map[string]string `json:"routes"`
}

// Label is a label a caller defines.
type Label string

// Tags is what the model answers.
type Tags struct {
	Labels []string          `json:"labels"`
	Route  *string           `json:"route"`
	ByPart map[string]string `json:"by_part"`
}

// Pick is one label of a list of labels.
//
//samplegen:tool pick
//samplegen:prompt const=pickPrompt
//samplegen:output string
//samplegen:enum "" .Choices
type Pick struct {
	Text    string   `json:"text"`
	Choices []string `json:"choices"`
}

const pickPrompt = `Choose one of:
{{enum ""}}
for {{fence .Text}}`
