package code_test

import (
	"context"
	"fmt"

	"github.com/samplegen/samplegen/samplegentest"
	"github.com/samplegen/samplegen/templates/code"
)

// SampleReviewCode asks a model for a review and returns it typed. Here a
// scripted model answers as models often do, in a Markdown fence with the
// severity capitalised; served with AddTools, the MCP client's model
// answers instead.
func Example() {
	model := samplegentest.Answers("Here is my review:\n```json\n" + `{
  "summary": "The handler ignores the error of Close.",
  "findings": [{"start_line": 4, "end_line": 4, "severity": "Minor", "category": "error-handling",
    "message": "The error of f.Close is dropped, so a failed write goes unnoticed.",
    "suggestion": "Return the error of Close when the write succeeded."}]
}` + "\n```")
	review, err := code.SampleReviewCode(context.Background(), model, code.ReviewCode{Source: code.Source{
		Language: "Go",
		Code:     "func save(f *os.File, b []byte) error {\n\t_, err := f.Write(b)\n\tdefer f.Close()\n\tf.Close()\n\treturn err\n}\n",
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range review.Findings {
		fmt.Printf("lines %d-%d %s %s: %s\n", f.StartLine, f.EndLine, f.Severity, f.Category, f.Message)
	}
	// Output: lines 4-4 minor error-handling: The error of f.Close is dropped, so a failed write goes unnoticed.
}

// NumberedCode is the code as the prompts show it.
func ExampleSource_NumberedCode() {
	src := code.Source{Code: "a := 1\nb := 2\n\nfmt.Println(a + b)\n"}
	fmt.Println(src.NumberedCode())
	// Output:
	// 1 | a := 1
	// 2 | b := 2
	// 3 |
	// 4 | fmt.Println(a + b)
}
