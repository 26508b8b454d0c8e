package summarize_test

import (
	"testing"

	"github.com/samplegen/samplegen/samplegentest"
	"github.com/samplegen/samplegen/templates/summarize"
)

// TestDataset reads every case (samplegentest.Cases checks the lines, the
// fields and the schemas): each request must be one the tool takes, and
// there are at least 10.
func TestDataset(t *testing.T) {
	cases := samplegentest.Cases[summarize.Summarize, summarize.Summary](t, "testdata/summarize.jsonl", summarize.SummarizeTool())
	if len(cases) < 10 {
		t.Errorf("%d cases, want at least 10", len(cases))
	}
	for _, c := range cases {
		if _, err := c.Args.Budget(); err != nil {
			t.Errorf("%s: %v", c.ID, err)
		}
	}
}
