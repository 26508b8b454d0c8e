package language_test

import (
	"context"
	"fmt"

	"github.com/samplegen/samplegen/samplegentest"
	"github.com/samplegen/samplegen/templates/language"
)

// Each tool is a SampleX function that any runtime.Sampler answers; served
// with AddTools, the MCP client's model does. Here a scripted model first
// names the language instead of giving its code, is told the code to
// write, and then answers right.
func Example() {
	model := samplegentest.Answers(
		`{"language": "German", "confidence": 0.95}`,
		`{"language": "de", "confidence": 0.95}`,
	)
	got, err := language.SampleDetectLanguage(context.Background(), model, language.DetectLanguage{
		Text: "Könnten Sie mir bitte sagen, wann der nächste Bus fährt?",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(got.Code(), got.Code().Name(), got.Confidence, len(model.Requests()), "asks")
	// Output: de German 0.95 2 asks
}
