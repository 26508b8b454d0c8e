package teaching_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/samplegen/samplegen/templates/teaching"
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

func TestExplainConceptDataset(t *testing.T) {
	levels := []teaching.Level{teaching.Child, teaching.Beginner, teaching.Intermediate, teaching.Expert}
	for _, c := range readDataset[teaching.ExplainConcept, teaching.Lesson](t, "testdata/explain_concept.jsonl", 10) {
		if c.Args.Concept == "" || !slices.Contains(levels, c.Args.Level) {
			t.Errorf("%s: concept %q at level %q", c.ID, c.Args.Concept, c.Args.Level)
		}
		// want holds only what an eval can check: the terms a lesson
		// should teach, at most as many as a lesson lists.
		if n := len(c.Want.KeyTerms); n == 0 || n > 8 || c.Want.Steps != nil || c.Want.Summary != "" {
			t.Errorf("%s: want %+v: only 1 to 8 key terms are checkable", c.ID, c.Want)
		}
	}
}
