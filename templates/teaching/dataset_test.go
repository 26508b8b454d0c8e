package teaching_test

import (
	"testing"

	"github.com/samplegen/samplegen/samplegentest"
	"github.com/samplegen/samplegen/templates/teaching"
)

func TestExplainConceptDataset(t *testing.T) {
	for _, c := range atLeast(t, 10, samplegentest.Cases[teaching.ExplainConcept, teaching.Lesson](t, "testdata/explain_concept.jsonl", teaching.ExplainConceptTool())) {
		// want holds only what an eval can check: the terms a lesson
		// should teach, at most as many as a lesson lists.
		if n := len(c.Want.KeyTerms); n == 0 || n > 8 || c.Want.Steps != nil || c.Want.Summary != "" {
			t.Errorf("%s: want %+v: only 1 to 8 key terms are checkable", c.ID, c.Want)
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
