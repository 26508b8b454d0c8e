package classify_test

import (
	"context"
	"fmt"

	"github.com/samplegen/samplegen/samplegentest"
	"github.com/samplegen/samplegen/templates/classify"
)

// Each tool is a SampleX function that any runtime.Sampler answers; served
// with AddTools, the MCP client's model does. Here a scripted model answers
// as models often do, in prose with the value's case wrong, and the runtime
// still returns a typed result.
func Example() {
	model := samplegentest.Answers(`Here is my classification: {"sentiment": "Negative", "confidence": 0.9}`)
	res, err := classify.SampleClassifySentiment(context.Background(), model, classify.ClassifySentiment{
		Text: "Stopped working after two weeks and support never answered.",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Sentiment, res.Confidence)
	// Output: negative 0.9
}
