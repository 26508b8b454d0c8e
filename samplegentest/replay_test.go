package samplegentest_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/samplegen/samplegen/examples/sentiment"
	"github.com/samplegen/samplegen/replay"
	"github.com/samplegen/samplegen/samplegentest"
)

// record writes a replay file of one served call of analyze_sentiment on
// text, answered by model, as a real recording would.
func record(t *testing.T, file, text string, model *samplegentest.Script) {
	t.Helper()
	rec, err := replay.Record(file)
	if err != nil {
		t.Fatal(err)
	}
	sess := samplegentest.Serve(t, sentiment.AddTools, rec.Wrap(model))
	samplegentest.Call[sentiment.SentimentResult](t, sess, "analyze_sentiment", map[string]any{"text": text})
	if err := rec.Close(); err != nil || rec.Recorded() != len(model.Requests()) {
		t.Fatalf("recorded %d of %d: %v", rec.Recorded(), len(model.Requests()), err)
	}
}

func TestReplayHit(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sentiment.jsonl")
	record(t, file, "I love it", samplegentest.Answers(messyWrong, right))
	for _, era := range samplegentest.Eras {
		t.Run(string(era), func(t *testing.T) {
			sess := samplegentest.Serve(t, sentiment.AddTools, samplegentest.Replay(t, file), era)
			out, rep := samplegentest.Call[sentiment.SentimentResult](t, sess, "analyze_sentiment", map[string]any{"text": "I love it"})
			if out != (sentiment.SentimentResult{Sentiment: sentiment.Positive, Confidence: 0.9}) || len(rep.Samples[0].Rounds) != 2 {
				t.Errorf("%+v in %d rounds, want the recorded answers, both", out, len(rep.Samples[0].Rounds))
			}
		})
	}
}

// A request the file does not hold fails the test with the replay
// package's explanation.
func TestReplayMissFailsTheTest(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sentiment.jsonl")
	record(t, file, "I love it", samplegentest.Answers(right))
	rec := &recorder{TB: t}
	rec.run(func() {
		sess := samplegentest.Serve(rec, sentiment.AddTools, samplegentest.Replay(rec, file))
		_, _, _ = samplegentest.TryCall[sentiment.SentimentResult](t.Context(), sess, "analyze_sentiment", map[string]any{"text": "I hate it"})
	})
	if n := strings.Count(rec.msg, "has no answer"); n != 1 {
		t.Errorf("the miss failed the test %d times, want once: %q", n, rec.msg)
	}
	for _, want := range []string{"has no answer for this sampling request", "line 1", `asked "`, "I hate it", "Record it again"} {
		if !strings.Contains(rec.msg, want) {
			t.Errorf("failure %q does not say %q", rec.msg, want)
		}
	}
}

func TestReplayOfAMissingFileSaysHowToRecord(t *testing.T) {
	rec := &recorder{TB: t}
	rec.run(func() { samplegentest.Replay(rec, filepath.Join(t.TempDir(), "none.jsonl")) })
	if !rec.failed || !strings.Contains(rec.msg, samplegentest.EnvRecord+"=1") || !strings.Contains(rec.msg, "-tags "+samplegentest.RecordTag) {
		t.Errorf("failure %q, want how to record", rec.msg)
	}
}
