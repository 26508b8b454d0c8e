package templates_test

import (
	"context"
	"fmt"

	"github.com/samplegen/samplegen/samplegentest"
	"github.com/samplegen/samplegen/templates/classify"
)

// A library package is a samplegen package like any other: call its tools
// from Go with any model (here a scripted one that answers as models do,
// in a fence and with the wrong case), or serve them with its AddTools.
func Example() {
	model := samplegentest.Answers("```json\n{\"sentiment\": \"Positive\", \"confidence\": 0.9}\n```")
	out, err := classify.SampleClassifySentiment(context.Background(), model, classify.ClassifySentiment{Text: "I love it"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(out.Sentiment, out.Confidence)
	// Output: positive 0.9
}
