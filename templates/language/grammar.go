package language

import (
	"errors"
	"fmt"
	"strings"

	"github.com/samplegen/samplegen/sampling"
	"github.com/samplegen/samplegen/textcheck"
)

// CorrectGrammar corrects the spelling, grammar and punctuation of a text,
// in its own language, and lists each correction with its reason.
//
//samplegen:tool correct_grammar
//samplegen:title Correct the grammar of a text
//samplegen:prompt grammar.tmpl
//samplegen:output GrammarResult
//samplegen:params temperature=0 max_tokens=6000 truncated_max_tokens=12000 retries=2 timeout=120s
type CorrectGrammar struct {
	// What to correct.
	Text string `json:"text" jsonschema:"minLength=1,maxLength=12000"`
}

// WholeText is the text for the prompt, which shows it whole; its error,
// for a text over MaxTextRunes characters, fails the call before any
// model is asked.
func (in CorrectGrammar) WholeText() (string, error) { return whole("correct_grammar", in.Text) }

// GrammarResult is a text with its mistakes corrected.
type GrammarResult struct {
	// The whole text with every correction made and nothing else
	// changed.
	Corrected string `json:"corrected"`
	// Each change, in the order of the text; empty when the text has no
	// mistakes.
	Corrections []Correction `json:"corrections" jsonschema:"maxItems=200"`
}

// A Correction is one mistake and its fix.
type Correction struct {
	// The wrong words, copied exactly from the text.
	Original string `json:"original" jsonschema:"minLength=1,maxLength=500"`
	// What replaces them.
	Corrected string `json:"corrected" jsonschema:"maxLength=500"`
	// Which rule was broken, in a few words.
	Reason string `json:"reason" jsonschema:"maxLength=300"`
}

// Validate checks a correction on its own: it must change something.
func (c Correction) Validate() error {
	if c.Original == c.Corrected {
		return fmt.Errorf("original and corrected are both %q: list only changes", sampling.Clip(c.Original, textcheck.MaxQuote))
	}
	return nil
}

// Validate checks the corrections against the text: models paraphrase the
// words they quote as original, so that no one can find them, list changes
// they did not make, or return the text changed with no correction listed.
func (c GrammarResult) Validate(in CorrectGrammar) error {
	if strings.TrimSpace(c.Corrected) == "" {
		return errors.New("/corrected: it is empty: write the whole text with the corrections made")
	}
	for i, fix := range c.Corrections {
		if !strings.Contains(in.Text, fix.Original) {
			return fmt.Errorf("/corrections/%d/original: %q does not occur in the text: copy the wrong words exactly as the text writes them, same case and punctuation", i, sampling.Clip(fix.Original, textcheck.MaxQuote))
		}
		if !strings.Contains(c.Corrected, fix.Corrected) {
			return fmt.Errorf("/corrections/%d/corrected: %q does not occur in the corrected text: make every listed correction in it", i, sampling.Clip(fix.Corrected, textcheck.MaxQuote))
		}
	}
	changed := strings.TrimSpace(c.Corrected) != strings.TrimSpace(in.Text)
	switch {
	case changed && len(c.Corrections) == 0:
		return errors.New("/corrections: it is empty but the corrected text differs from the text: list every change, or return the text unchanged")
	case !changed && len(c.Corrections) > 0:
		return fmt.Errorf("/corrections: it lists %d but the corrected text is the text unchanged: make the corrections in it, or list none", len(c.Corrections))
	}
	return nil
}
