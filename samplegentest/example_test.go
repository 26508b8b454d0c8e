package samplegentest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/samplegen/samplegen/examples/sentiment"
	"github.com/samplegen/samplegen/samplegentest"
)

// testSentiment is the body of a test of the sentiment example's tool, as
// it would sit in func TestSentiment(t *testing.T): on each era, a model
// first answers in a mess (fenced, the label mis-cased) and wrong (a
// confidence above 1), then right; the tool repairs the mess, re-asks for
// the error, and returns the typed result with the call's report.
func testSentiment(t testing.TB) {
	for _, era := range samplegentest.Eras {
		model := samplegentest.Answers(
			"```json\n{\"sentiment\": \"Positive\", \"confidence\": 1.5}\n```",
			`{"sentiment": "positive", "confidence": 0.9}`,
		)
		sess := samplegentest.Serve(t, sentiment.AddTools, model, era)
		out, rep := samplegentest.Call[sentiment.SentimentResult](t, sess, "analyze_sentiment",
			sentiment.AnalyzeSentiment{Text: "I love it"})

		sample := rep.Samples[0]
		fmt.Printf("%s: %s %.1f, %s after %d rounds\n", era, out.Sentiment, out.Confidence, rep.Outcome, len(sample.Rounds))
		for _, r := range sample.Repairs() {
			fmt.Printf("  repaired: %s\n", r.Kind)
		}
		fmt.Printf("  re-asked for: %s\n", sample.Rounds[0].Error)
	}
}

func Example() {
	t := &exampleT{}
	defer t.end()
	testSentiment(t)
	// Output:
	// 2025-11-25: positive 0.9, ok after 2 rounds
	//   repaired: fence
	//   repaired: enum-case
	//   re-asked for: /confidence: 1.5 is above the maximum 1
	// 2026-07-28: positive 0.9, ok after 2 rounds
	//   repaired: fence
	//   repaired: enum-case
	//   re-asked for: /confidence: 1.5 is above the maximum 1
}

// exampleT stands in for the *testing.T of a real test, so that the
// example runs: it runs cleanups at the end and prints failures.
type exampleT struct {
	testing.TB
	cleanups []func()
}

func (t *exampleT) Helper()                           {}
func (t *exampleT) Context() context.Context          { return context.Background() }
func (t *exampleT) Cleanup(f func())                  { t.cleanups = append(t.cleanups, f) }
func (t *exampleT) Logf(format string, args ...any)   {}
func (t *exampleT) Errorf(format string, args ...any) { fmt.Printf("FAIL: "+format+"\n", args...) }
func (t *exampleT) Fatalf(format string, args ...any) {
	t.Errorf(format, args...)
	panic("FAIL")
}

func (t *exampleT) end() {
	for i := len(t.cleanups) - 1; i >= 0; i-- {
		t.cleanups[i]()
	}
}
