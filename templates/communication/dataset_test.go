package communication_test

import (
	"testing"

	"github.com/samplegen/samplegen/samplegentest"
	"github.com/samplegen/samplegen/templates/communication"
)

func TestDraftReplyDataset(t *testing.T) {
	for _, c := range atLeast(t, 10, samplegentest.Cases[communication.DraftReply, communication.Reply](t, "testdata/draft_reply.jsonl", communication.DraftReplyTool())) {
		if len(c.Args.Conversation) == 0 || c.Args.Conversation[0].Text == "" {
			t.Errorf("%s: no conversation", c.ID)
		}
		// want holds only what an eval can check: the reply's language.
		if len(c.Want.Language) != 2 || c.Want.Subject != "" || c.Want.Text != "" {
			t.Errorf("%s: want %+v: only a two-letter language is checkable", c.ID, c.Want)
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
