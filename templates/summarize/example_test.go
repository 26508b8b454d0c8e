package summarize_test

import (
	"context"
	"fmt"

	"github.com/samplegen/samplegen/samplegentest"
	"github.com/samplegen/samplegen/templates/summarize"
)

// SampleSummarize asks any runtime.Sampler; served with AddTools, the MCP
// client's model answers. Here a scripted model first writes a bullets
// summary as prose, is told what to fix, and then answers in a Markdown
// fence, as models often do.
func Example() {
	model := samplegentest.Answers(
		`{"summary": "Revenue rose 12% and the pricing change moves to Q4."}`,
		"```json\n{\"summary\": \"- Revenue up 12% to 2.4M\\n- Pricing change postponed to Q4\", \"key_points\": [\"2.4M revenue\", \"Q4\"]}\n```",
	)
	sum, err := summarize.SampleSummarize(context.Background(), model, summarize.Summarize{
		Text:  "Ana presented the revenue figures: 2.4M, up 12% on Q2. We agreed to postpone the pricing change to Q4.",
		Style: summarize.Bullets,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sum.Summary)
	fmt.Println(sum.KeyPoints, len(model.Requests()), "asks")
	// Output:
	// - Revenue up 12% to 2.4M
	// - Pricing change postponed to Q4
	// [2.4M revenue Q4] 2 asks
}
