package classify_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/samplegen/samplegen/samplegentest"
	"github.com/samplegen/samplegen/templates/classify"
)

// Served as an MCP server, on either era, the tools take their arguments
// from the client, re-ask through it, and report what they did.
func TestServed(t *testing.T) {
	for _, era := range samplegentest.Eras {
		t.Run(string(era), func(t *testing.T) {
			model := samplegentest.Answers(
				`{"flagged": true, "categories": [], "severity": "medium"}`,
				`{"flagged": true, "categories": ["spam"], "severity": "low", "reason": "An unsolicited ad."}`,
				`I'd say: {"labels": ["URGENT", "bug"]}`,
			).ExpectAllUsed(t)
			sess := samplegentest.Serve(t, classify.AddTools, model, era)

			mod, rep := samplegentest.Call[classify.Moderation](t, sess, "moderate_content", classify.ModerateContent{Text: "Buy cheap watches at example.biz!!!"})
			if !mod.Flagged || !slices.Equal(mod.Categories, []classify.Category{classify.Spam}) || mod.Severity != classify.SeverityLow {
				t.Errorf("moderate_content: %+v", mod)
			}
			if rounds := rep.Samples[0].Rounds; len(rounds) != 2 || !strings.Contains(rounds[0].Error, "categories is empty") {
				t.Errorf("moderate_content rounds: %+v", rounds)
			}

			labels, _ := samplegentest.Call[classify.LabelResult](t, sess, "classify_labels",
				classify.ClassifyLabels{Text: "Production is down!", Labels: []string{"urgent", "bug", "billing"}})
			if !slices.Equal(labels.Labels, []string{"urgent", "bug"}) {
				t.Errorf("classify_labels: %+v", labels)
			}

			// The input schema refuses a call without labels before the
			// model is asked (the script holds no answer for it).
			_, _, err := samplegentest.TryCall[classify.LabelResult](context.Background(), sess, "classify_labels",
				classify.ClassifyLabels{Text: "Production is down!", Labels: []string{}})
			if err == nil || !strings.Contains(err.Error(), "invalid arguments: /labels") {
				t.Errorf("classify_labels without labels: %v, want an error about labels", err)
			}
		})
	}
}
