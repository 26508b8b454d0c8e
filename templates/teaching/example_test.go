package teaching_test

import (
	"context"
	"fmt"

	"github.com/samplegen/samplegen/samplegentest"
	"github.com/samplegen/samplegen/templates/teaching"
)

// SampleExplainConcept asks a model for a lesson and returns it typed.
// Here a scripted model answers, its first lesson numbering the steps from
// 0, which the tool sends back; served with AddTools, the MCP client's
// model answers instead.
func Example() {
	model := samplegentest.Answers(
		`{"summary": "A function that calls itself on a smaller problem.", "key_terms": ["base case"], "steps": [
		  {"number": 0, "title": "A smaller problem", "explanation": "Solve a big problem by solving a smaller one of the same kind."},
		  {"number": 1, "title": "Stopping", "explanation": "The base case is small enough to answer directly."}]}`,
		`{"summary": "A function that calls itself on a smaller problem.", "key_terms": ["base case"], "steps": [
		  {"number": 1, "title": "A smaller problem", "explanation": "Solve a big problem by solving a smaller one of the same kind."},
		  {"number": 2, "title": "Stopping", "explanation": "The base case is small enough to answer directly.",
		   "check": {"question": "What is the base case of factorial?", "answer": "0! = 1"}}]}`,
	)
	lesson, err := teaching.SampleExplainConcept(context.Background(), model, teaching.ExplainConcept{Concept: "recursion", Level: teaching.Beginner})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range lesson.Steps {
		fmt.Printf("%d. %s\n", s.Number, s.Title)
		if s.Check != nil {
			fmt.Printf("   Check: %s\n", s.Check.Question)
		}
	}
	// Output:
	// 1. A smaller problem
	// 2. Stopping
	//    Check: What is the base case of factorial?
}
