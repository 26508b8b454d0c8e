package classify

import (
	"fmt"

	"github.com/samplegen/samplegen/sampling"
	"github.com/samplegen/samplegen/textcheck"
)

// ClassifyLabels tells which of the labels given in the call apply to a
// text: any number of them, none included.
//
//samplegen:tool classify_labels
//samplegen:title Classify a text with labels of your own
//samplegen:prompt labels.tmpl
//samplegen:output LabelResult
//samplegen:enum labels[] .Labels
//samplegen:params temperature=0 max_tokens=300 retries=2 timeout=30s
type ClassifyLabels struct {
	// What to label.
	Text string `json:"text" jsonschema:"minLength=1,maxLength=20000"`
	// The labels to choose from, as the caller spells them.
	Labels []string `json:"labels" jsonschema:"minItems=1,maxItems=100,uniqueItems=true,minLength=1,maxLength=100,pattern=^[^\\n\\r]+$"`
}

// LabelResult is the labels that apply to a text.
type LabelResult struct {
	// Those of the given labels that apply, each once, in the
	// order given; empty when none does.
	Labels []string `json:"labels" jsonschema:"maxItems=100"`
}

// Validate refuses a label listed twice, which models write when two
// parts of a text fit the same label.
func (r LabelResult) Validate() error {
	seen := make(map[string]bool, len(r.Labels))
	for _, l := range r.Labels {
		if seen[l] {
			return fmt.Errorf("/labels: %q is listed twice: list each label that applies once", sampling.Clip(l, textcheck.MaxQuote))
		}
		seen[l] = true
	}
	return nil
}
