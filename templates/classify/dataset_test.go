package classify_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/samplegen/samplegen/samplegentest"
	"github.com/samplegen/samplegen/templates/classify"
)

// TestDatasets reads every labelled case (samplegentest.Cases checks the
// lines, the fields, the schemas and the enum values of want); each
// classifier holds at least 30 cases, and each want is a right answer.
func TestDatasets(t *testing.T) {
	atLeast(t, 30, samplegentest.Cases[classify.ClassifySentiment, classify.SentimentResult](t, "testdata/classify_sentiment.jsonl", classify.ClassifySentimentTool()))
	atLeast(t, 30, samplegentest.Cases[classify.ClassifyIntent, classify.IntentResult](t, "testdata/classify_intent.jsonl", classify.ClassifyIntentTool()))
	for _, c := range atLeast(t, 30, samplegentest.Cases[classify.ModerateContent, classify.Moderation](t, "testdata/moderate_content.jsonl", classify.ModerateContentTool())) {
		if err := c.Want.Validate(); err != nil {
			t.Errorf("%s: want: %v", c.ID, err)
		}
		// The severities' definitions: high is "dangerous or illegal",
		// low "mild: rude, borderline or easy to misread". A text that
		// helps with a crime, or a scam (spam naming money to be made),
		// is neither mild nor borderline.
		if slices.Contains(c.Want.Categories, classify.Illegal) && c.Want.Severity != classify.SeverityHigh {
			t.Errorf("%s: illegal at severity %q: the package defines illegal content as high", c.ID, c.Want.Severity)
		}
		if slices.Contains(c.Want.Categories, classify.Spam) && c.Want.Severity == classify.SeverityLow && strings.Contains(c.Args.Text, "$") {
			t.Errorf("%s: a money scam at severity low, which is for mild or borderline texts", c.ID)
		}
	}
	for _, c := range atLeast(t, 30, samplegentest.Cases[classify.ClassifyLabels, classify.LabelResult](t, "testdata/classify_labels.jsonl", classify.ClassifyLabelsTool())) {
		if err := c.Want.Validate(); err != nil {
			t.Errorf("%s: want: %v", c.ID, err)
		}
		for _, l := range c.Want.Labels {
			if !slices.Contains(c.Args.Labels, l) {
				t.Errorf("%s: want %q, which is not among the case's labels %q", c.ID, l, c.Args.Labels)
			}
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
