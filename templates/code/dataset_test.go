package code_test

import (
	"testing"

	"github.com/samplegen/samplegen/samplegentest"
	"github.com/samplegen/samplegen/templates/code"
)

func TestReviewDataset(t *testing.T) {
	for _, c := range atLeast(t, 10, samplegentest.Cases[code.ReviewCode, code.Review](t, "testdata/review_code.jsonl", code.ReviewCodeTool())) {
		lines := c.Args.Lines()
		if lines == 0 || c.Want.Findings == nil {
			t.Errorf("%s: no code, or no findings list (want [] for clean code)", c.ID)
		}
		for i, f := range c.Want.Findings {
			if f.StartLine < 1 || f.EndLine < f.StartLine || f.EndLine > lines {
				t.Errorf("%s: finding %d: lines %d-%d are not a range in the code's %d lines", c.ID, i, f.StartLine, f.EndLine, lines)
			}
		}
	}
}

func TestExplainDataset(t *testing.T) {
	for _, c := range atLeast(t, 10, samplegentest.Cases[code.ExplainCode, code.Explanation](t, "testdata/explain_code.jsonl", code.ExplainCodeTool())) {
		lines := c.Args.Lines()
		if len(c.Want.Walkthrough) == 0 {
			t.Errorf("%s: no walkthrough to compare", c.ID)
		}
		if err := c.Want.Validate(c.Args); err != nil {
			t.Errorf("%s: %v", c.ID, err)
		}
		for i, p := range c.Want.Walkthrough {
			if p.StartLine < 1 || p.EndLine < p.StartLine || p.EndLine > lines {
				t.Errorf("%s: part %d: lines %d-%d are not a range in the code's %d lines", c.ID, i, p.StartLine, p.EndLine, lines)
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
