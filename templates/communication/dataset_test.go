package communication_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"

	"testing"

	"github.com/samplegen/samplegen/templates/communication"
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

func TestDraftReplyDataset(t *testing.T) {
	for _, c := range readDataset[communication.DraftReply, communication.Reply](t, "testdata/draft_reply.jsonl", 10) {
		if len(c.Args.Conversation) == 0 || c.Args.Conversation[0].Text == "" {
			t.Errorf("%s: no conversation", c.ID)
		}
		for i, m := range c.Args.Conversation {
			if m.Role != communication.Self && m.Role != communication.Other && m.Role != communication.Note {
				t.Errorf("%s: message %d has role %q", c.ID, i, m.Role)
			}
		}
		// want holds only what an eval can check: the reply's language.
		if len(c.Want.Language) != 2 || c.Want.Subject != "" || c.Want.Text != "" {
			t.Errorf("%s: want %+v: only a two-letter language is checkable", c.ID, c.Want)
		}
	}
}
