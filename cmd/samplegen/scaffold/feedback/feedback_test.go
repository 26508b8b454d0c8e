package feedback_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/samplegen/samplegen/cmd/samplegen/scaffold/feedback"
	"github.com/samplegen/samplegen/runtime"
	"github.com/samplegen/samplegen/samplegentest"
)

// The tests run offline: a scripted model answers the served tools, and
// the answers recorded in testdata/recorded.jsonl answer the cases of
// testdata/cases.jsonl in TestRecordedAnswers. The recording that came
// with the server was made from each case's scripted_answer, not by a
// real model. After a change to a prompt or a type, or a new case, the
// recorded requests no longer match what the tools ask, and the test says
// so; to record the answers of a real model, run
//
//	SAMPLEGEN_RECORD=1 SAMPLEGEN_PROVIDER=openai SAMPLEGEN_MODEL=gpt-4o-mini OPENAI_API_KEY=sk-... \
//		go test -tags samplegen_record -run TestRecordedAnswers ./feedback
//
// (or SAMPLEGEN_PROVIDER=anthropic with ANTHROPIC_API_KEY, or ollama),
// check what the model answered, and commit the file.

// A model's messy answer (prose, a fence, an enum in the wrong case) is
// repaired into the typed result, on either protocol era, and the report
// says what was repaired.
func TestClassifyFeedback(t *testing.T) {
	for _, era := range samplegentest.Eras {
		t.Run(string(era), func(t *testing.T) {
			model := samplegentest.Answers("Here is the classification:\n```json\n" +
				`{"kind": "Bug", "sentiment": "negative", "summary": "Exporting a report to CSV crashes the app."}` + "\n```").ExpectAllUsed(t)
			sess := samplegentest.Serve(t, feedback.AddTools, model, era)
			got, rep := samplegentest.Call[feedback.Classification](t, sess, "classify_feedback",
				feedback.ClassifyFeedback{Message: "Every time I export a report to CSV the app crashes."})
			want := feedback.Classification{Kind: feedback.Bug, Sentiment: feedback.Negative, Summary: "Exporting a report to CSV crashes the app."}
			if got != want {
				t.Errorf("got %+v, want %+v", got, want)
			}
			if rep.Outcome != runtime.OutcomeOK || len(rep.Samples) != 1 || len(rep.Samples[0].Repairs()) == 0 {
				t.Errorf("report: outcome %q, %d sample(s), want ok with the fence and the case repaired", rep.Outcome, len(rep.Samples))
			}
			if ask, _ := json.Marshal(model.Requests()[0].Messages); !strings.Contains(string(ask), "export a report") {
				t.Errorf("the prompt does not show the message: %s", ask)
			}
		})
	}
}

// A summary that only names the kind fails Validate, and the model is
// asked again with the reason.
func TestClassifyFeedbackReasksAnEmptySummary(t *testing.T) {
	model := samplegentest.Answers(
		`{"kind": "praise", "sentiment": "positive", "summary": "Praise."}`,
		`{"kind": "praise", "sentiment": "positive", "summary": "The user likes the new dashboard."}`,
	).ExpectAllUsed(t)
	sess := samplegentest.Serve(t, feedback.AddTools, model, samplegentest.MultiRoundTrip)
	got, rep := samplegentest.Call[feedback.Classification](t, sess, "classify_feedback", feedback.ClassifyFeedback{Message: "Love the new dashboard!"})
	if got.Summary != "The user likes the new dashboard." || len(rep.Samples[0].Rounds) != 2 {
		t.Errorf("got %+v after %d round(s), want the second answer after 2", got, len(rep.Samples[0].Rounds))
	}
	if reask := rep.Samples[0].Rounds[0].Error; !strings.Contains(reask, "not only its kind") {
		t.Errorf("the first round was refused with %q, want Validate's reason", reask)
	}
}

// RouteFeedback's rules, over the served function tool.
func TestRouteFeedback(t *testing.T) {
	for _, era := range samplegentest.Eras {
		t.Run(string(era), func(t *testing.T) {
			model := samplegentest.Answers(`{"kind": "complaint", "sentiment": "negative", "summary": "The price rose without notice."}`).ExpectAllUsed(t)
			sess := samplegentest.Serve(t, feedback.AddTools, model, era)
			got, _ := samplegentest.Call[feedback.Route](t, sess, "route_feedback",
				feedback.Feedback{Message: "You raised the price by 40% without telling anyone.", Paying: true})
			if got.Team != feedback.Support || !got.NeedsReply || got.Classification.Kind != feedback.Complaint {
				t.Errorf("got %+v, want support with a reply: a paying user's complaint", got)
			}
		})
	}
}

// A client that cannot sample is answered by the server's own model
// (direct mode: what main's -provider and -model give the server).
func TestRouteFeedbackDirect(t *testing.T) {
	model := samplegentest.Answers(`{"kind": "feature_request", "sentiment": "neutral", "summary": "The user wants a dark mode."}`).ExpectAllUsed(t)
	sess := samplegentest.Serve(t, feedback.AddTools, nil, samplegentest.ServerModel(model))
	got, rep := samplegentest.Call[feedback.Route](t, sess, "route_feedback", feedback.Feedback{Message: "Please add a dark mode."})
	if got.Team != feedback.Product || got.NeedsReply || rep.Samples[0].Era != runtime.EraDirect {
		t.Errorf("got %+v by %s, want product with no reply, by the server's model", got, rep.Samples[0].Era)
	}
}

// Recorded answers: each case of testdata/cases.jsonl is asked as it was
// when recorded, and the model's answers decide the route. A case whose
// prompt changed since is not in the file, and fails saying how to record
// again.
func TestRecordedAnswers(t *testing.T) {
	model := samplegentest.Replay(t, "testdata/recorded.jsonl")
	for _, tc := range Cases(t) {
		got, err := feedback.RouteFeedback(t.Context(), model, tc.Feedback)
		if err != nil {
			t.Errorf("%q: %v", tc.Feedback.Message, err)
			continue
		}
		if got.Team != tc.Team || got.NeedsReply != tc.NeedsReply {
			t.Errorf("%q: routed to %s (reply %v), want %s (reply %v); the model said %+v", tc.Feedback.Message, got.Team, got.NeedsReply, tc.Team, tc.NeedsReply, got.Classification)
		}
	}
}

// A Case is a line of testdata/cases.jsonl: a message and where it goes.
type Case struct {
	Feedback   feedback.Feedback `json:"feedback"`
	Team       feedback.Team     `json:"team"`
	NeedsReply bool              `json:"needs_reply"`
	// ScriptedAnswer is the answer the recording that came with the
	// server was made with; a recording from a real model ignores it.
	ScriptedAnswer string `json:"scripted_answer,omitempty"`
}

// Cases reads testdata/cases.jsonl.
func Cases(t testing.TB) []Case {
	t.Helper()
	data, err := os.ReadFile("testdata/cases.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var cases []Case
	for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var c Case
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			t.Fatalf("testdata/cases.jsonl:%d: %v", i+1, err)
		}
		cases = append(cases, c)
	}
	return cases
}
