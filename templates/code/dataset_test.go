package code_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/samplegen/samplegen/templates/code"
)

// A case is one line of a tool's labelled dataset, testdata/<tool>.jsonl:
// the tool's arguments and the checkable fields of a right answer.
type datasetCase[In, Out any] struct {
	ID   string `json:"id"`
	Args In     `json:"args"`
	Want Out    `json:"want"`
}

// readDataset decodes every line of path strictly: an unknown field, in
// the case or in its args or want, is an error, so a dataset cannot drift
// from the tool's types unseen.
func readDataset[In, Out any](t *testing.T, path string, min int) []datasetCase[In, Out] {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var cases []datasetCase[In, Out]
	ids := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		var c datasetCase[In, Out]
		if err := dec.Decode(&c); err != nil {
			t.Fatalf("%s:%d: %v", path, n, err)
		}
		if c.ID == "" || ids[c.ID] {
			t.Fatalf("%s:%d: the id %q is empty or used twice", path, n, c.ID)
		}
		ids[c.ID] = true
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(cases) < min {
		t.Fatalf("%s holds %d cases, want at least %d", path, len(cases), min)
	}
	return cases
}

func TestReviewDataset(t *testing.T) {
	severities := []code.Severity{code.Critical, code.Major, code.Minor, code.Nit}
	categories := []code.Category{code.Correctness, code.Security, code.ErrorHandling, code.Concurrency, code.Performance, code.Readability, code.Testing}
	for _, c := range readDataset[code.ReviewCode, code.Review](t, "testdata/review_code.jsonl", 10) {
		lines := c.Args.Lines()
		if lines == 0 || c.Want.Findings == nil {
			t.Errorf("%s: no code, or no findings list (want [] for clean code)", c.ID)
		}
		for i, f := range c.Want.Findings {
			if f.StartLine < 1 || f.EndLine < f.StartLine || f.EndLine > lines {
				t.Errorf("%s: finding %d: lines %d-%d are not a range in the code's %d lines", c.ID, i, f.StartLine, f.EndLine, lines)
			}
			if !slices.Contains(severities, f.Severity) || !slices.Contains(categories, f.Category) {
				t.Errorf("%s: finding %d: %q/%q is not a severity and a category", c.ID, i, f.Severity, f.Category)
			}
		}
	}
}

func TestExplainDataset(t *testing.T) {
	for _, c := range readDataset[code.ExplainCode, code.Explanation](t, "testdata/explain_code.jsonl", 10) {
		lines := c.Args.Lines()
		if !slices.Contains([]code.Audience{code.Newcomer, code.Practitioner, code.Expert}, c.Args.Audience) {
			t.Errorf("%s: audience %q", c.ID, c.Args.Audience)
		}
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
