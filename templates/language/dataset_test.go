package language_test

import (
	"testing"

	"github.com/samplegen/samplegen/samplegentest"
	"github.com/samplegen/samplegen/templates/language"
)

// TestDatasets reads every labelled case (samplegentest.Cases checks the
// lines, the fields and the schemas, the tones and codes among them);
// each request must be one the tool takes and each want a right answer's;
// detect_language, a classifier, holds at least 30 cases and each
// generative tool 10.
func TestDatasets(t *testing.T) {
	for _, c := range atLeast(t, 10, samplegentest.Cases[language.Translate, language.Translation](t, "testdata/translate.jsonl", language.TranslateTool())) {
		if _, err := c.Args.TargetName(); err != nil {
			t.Errorf("%s: %v", c.ID, err)
		}
		if _, err := c.Args.SourceName(); err != nil {
			t.Errorf("%s: %v", c.ID, err)
		}
	}
	atLeast(t, 10, samplegentest.Cases[language.RewriteTone, language.Rewrite](t, "testdata/rewrite_tone.jsonl", language.RewriteToneTool()))
	atLeast(t, 10, samplegentest.Cases[language.CorrectGrammar, language.GrammarResult](t, "testdata/correct_grammar.jsonl", language.CorrectGrammarTool()))
	for _, c := range atLeast(t, 30, samplegentest.Cases[language.DetectLanguage, language.Detection](t, "testdata/detect_language.jsonl", language.DetectLanguageTool())) {
		if err := c.Want.Validate(); err != nil {
			t.Errorf("%s: want: %v", c.ID, err)
		}
	}
}

// atLeast fails t when a dataset holds fewer than n cases, and returns
// them.
func atLeast[C any](t *testing.T, n int, cases []C) []C {
	t.Helper()
	if len(cases) < n {
		t.Errorf("the dataset holds %d cases, want at least %d", len(cases), n)
	}
	return cases
}
