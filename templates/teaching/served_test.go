package teaching_test

import (
	"context"
	"strings"
	"testing"

	"github.com/samplegen/samplegen/samplegentest"
	"github.com/samplegen/samplegen/templates/teaching"
)

// Served as an MCP server, on either era, explain_concept takes its
// concept from the client, re-asks through it when the lesson has more
// steps than asked, and reports both rounds.
func TestServed(t *testing.T) {
	for _, era := range samplegentest.Eras {
		t.Run(string(era), func(t *testing.T) {
			model := samplegentest.Answers(
				goodLesson,
				`{"summary": "Plants make food from light.", "key_terms": ["chlorophyll"], "steps": [
				  {"number": 1, "title": "Light", "explanation": "Chlorophyll in leaves catches sunlight."},
				  {"number": 2, "title": "Food", "explanation": "The leaf uses it to make sugar."}]}`,
			).ExpectAllUsed(t)
			sess := samplegentest.Serve(t, teaching.AddTools, model, era)
			lesson, rep := samplegentest.Call[teaching.Lesson](t, sess, "explain_concept", teaching.ExplainConcept{Concept: "photosynthesis", Level: teaching.Child, MaxSteps: 2})
			if len(lesson.Steps) != 2 || lesson.Steps[1].Title != "Food" {
				t.Errorf("lesson: %+v", lesson)
			}
			if rounds := rep.Samples[0].Rounds; len(rounds) != 2 || !strings.Contains(rounds[0].Error, "3 steps, and the lesson may have at most 2") {
				t.Errorf("rounds: %+v", rounds)
			}
		})
	}
}

// The input schema refuses a level the tool does not know before the model is asked: the
// script holds no answer, and would fail the test if asked.
func TestServedRefusesBadInput(t *testing.T) {
	for _, era := range samplegentest.Eras {
		t.Run(string(era), func(t *testing.T) {
			model := samplegentest.Answers().ExpectAllUsed(t)
			sess := samplegentest.Serve(t, teaching.AddTools, model, era)
			_, _, err := samplegentest.TryCall[teaching.Lesson](context.Background(), sess, "explain_concept", map[string]any{"concept": "fractions", "level": "toddler"})
			if err == nil || !strings.Contains(err.Error(), "invalid arguments: /level") {
				t.Errorf("err = %v, want the input's level refused", err)
			}
		})
	}
}
