package code_test

import (
	"context"
	"strings"
	"testing"

	"github.com/samplegen/samplegen/samplegentest"
	"github.com/samplegen/samplegen/templates/code"
)

// Served as an MCP server, on either era, review_code takes its code from
// the client, re-asks through it when a finding cites a line the code does
// not have, and reports both rounds.
func TestServed(t *testing.T) {
	for _, era := range samplegentest.Eras {
		t.Run(string(era), func(t *testing.T) {
			model := samplegentest.Answers(
				`{"summary": "Leaks the file.", "findings": [{"start_line": 2, "end_line": 30, "severity": "major", "category": "correctness", "message": "The file is never closed."}]}`,
				"```json\n"+`{"summary": "Leaks the file.", "findings": [{"start_line": 2, "end_line": 8, "severity": "Major", "category": "correctness", "message": "The file is never closed."}]}`+"\n```",
			).ExpectAllUsed(t)
			sess := samplegentest.Serve(t, code.AddTools, model, era)
			review, rep := samplegentest.Call[code.Review](t, sess, "review_code", code.ReviewCode{Source: leaky})
			if len(review.Findings) != 1 || review.Findings[0].EndLine != 8 || review.Findings[0].Severity != code.Major {
				t.Errorf("review: %+v", review)
			}
			if rounds := rep.Samples[0].Rounds; len(rounds) != 2 || !strings.Contains(rounds[0].Error, "lines 2 to 30 are not all in the code, which has 9 lines") {
				t.Errorf("rounds: %+v", rounds)
			}
		})
	}
}

// The input schema refuses an empty code before the model is asked: the
// script holds no answer, and would fail the test if asked.
func TestServedRefusesBadInput(t *testing.T) {
	for _, era := range samplegentest.Eras {
		t.Run(string(era), func(t *testing.T) {
			model := samplegentest.Answers().ExpectAllUsed(t)
			sess := samplegentest.Serve(t, code.AddTools, model, era)
			_, _, err := samplegentest.TryCall[code.Review](context.Background(), sess, "review_code", code.ReviewCode{})
			if err == nil || !strings.Contains(err.Error(), "invalid arguments: /code") {
				t.Errorf("err = %v, want the input's code refused", err)
			}
		})
	}
}
