// Package teaching is samplegen's ready tool for explaining ideas:
// explain_concept explains a concept step by step at a learner's level,
// with a question after a step to check it landed.
//
// # Tools
//
// explain_concept (input [ExplainConcept], output [Lesson]) returns a
// one-sentence summary and numbered [Step]s, each with a title, an
// explanation at the chosen [Level] and, where it helps, a [Check]: a
// question with its answer; and the key terms it teaches, for a glossary. The lesson is checked where models go wrong:
// at least two steps, numbered 1, 2, 3 in order, each titled once and
// explained, each check a question, and each key term one that a
// step mentions. A lesson that fails is sent back
// to the model with what is wrong.
//
// # Adding the tool
//
// A server adds it with
//
//	teaching.AddTools(srv)
//
// or AddExplainConcept(srv); Go code calls SampleExplainConcept with any
// runtime.Sampler. samplegen init -tool teaching copies this
// package into a new server, where its prompt (explain.tmpl) is yours to
// change: run go generate after a change.
//
// # Testing
//
// The package's Example calls SampleExplainConcept with a scripted model
// (samplegentest.Answers) that answers as models do, and needs no network;
// its tests do the same with answers a re-ask must fix, and serve the
// tools on both protocol eras (samplegentest.Serve). testdata holds a
// labelled dataset for each tool, testdata/<tool>.jsonl, one case a line:
// {"id": ..., "args": the tool's input, "want": the fields of a right
// answer that can be checked}.
package teaching

import (
	"cmp"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/samplegen/samplegen/sampling"
	"github.com/samplegen/samplegen/textcheck"
)

//go:generate go tool samplegen

// ExplainConcept explains a concept step by step at a learner's level,
// with questions that check each step.
//
//samplegen:tool explain_concept
//samplegen:title Explain a concept step by step
//samplegen:prompt explain.tmpl
//samplegen:output Lesson
//samplegen:params temperature=0.3 max_tokens=2500 truncated_max_tokens=5000 retries=2 timeout=90s
type ExplainConcept struct {
	Concept  string `json:"concept" jsonschema:"description=What to explain such as photosynthesis or recursion or compound interest,minLength=1,maxLength=300"`
	Level    Level  `json:"level" jsonschema:"description=Who learns it"`
	Context  string `json:"context,omitempty" jsonschema:"description=What the learner already knows or why they ask; empty when unknown,maxLength=2000"`
	MaxSteps int    `json:"max_steps,omitempty" jsonschema:"description=The most steps; 6 when absent,minimum=2,maximum=12"`
}

// Level is who a lesson is for.
type Level string

const (
	Child        Level = "child"        // a child of about 8 to 11: short sentences, everyday examples and comparisons, and no jargon at all
	Beginner     Level = "beginner"     // an adult new to the subject: plain words, each term defined the first time it is used, and one concrete example
	Intermediate Level = "intermediate" // knows the basics of the subject: its precise terms, and how the parts connect and why
	Expert       Level = "expert"       // works in the field: skip the basics; the subtleties, the edge cases, the formal view and where common accounts are wrong
)

// Lesson is what explain_concept returns.
type Lesson struct {
	Summary string `json:"summary" jsonschema:"description=The concept in one sentence at the learner's level,minLength=1,maxLength=300"`
	Steps   []Step `json:"steps" jsonschema:"description=The steps in teaching order; each builds on the ones before,minItems=2,maxItems=12"`
	// KeyTerms serve a glossary, and a test of what a lesson covers.
	KeyTerms []string `json:"key_terms" jsonschema:"description=The terms the lesson teaches as the steps write them,maxItems=8"`
}

// Step is one step of a lesson.
type Step struct {
	Number      int    `json:"number" jsonschema:"description=The step's place counting from 1,minimum=1"`
	Title       string `json:"title" jsonschema:"description=The step in a few words,minLength=1,maxLength=80"`
	Explanation string `json:"explanation" jsonschema:"minLength=1,maxLength=1500"`
	Check       *Check `json:"check,omitempty" jsonschema:"description=A question that checks the step was understood"`
}

// Check is a question a learner answers to show a step landed.
type Check struct {
	Question string `json:"question" jsonschema:"minLength=1,maxLength=300"`
	Answer   string `json:"answer" jsonschema:"description=The answer a learner should give,minLength=1,maxLength=500"`
}

// Validate checks that the check is a question, with an answer that is
// not the question again. (Its errors name the field without a leading
// slash: the runtime puts the check's own path before them.)
func (c Check) Validate() error {
	q := strings.TrimSpace(c.Question)
	if !isQuestion(q) {
		return fmt.Errorf("question: %q does not end as a question: ask a question the learner can answer, ending with a question mark", sampling.Clip(q, textcheck.MaxQuote))
	}
	if strings.EqualFold(q, strings.TrimSpace(c.Answer)) {
		return errors.New("answer: it repeats the question: give the answer a learner should reach")
	}
	return nil
}

// isQuestion reports whether a trimmed text ends as a question does in
// the languages a lesson may be written in: a question mark of any
// script (? ？ ؟ ; ՞ ፧), before a closing quote or bracket or not, or the
// question particle Japanese and Chinese end a question with, with or
// without a full stop (…ですか。 …吗).
func isQuestion(q string) bool {
	q = strings.TrimRight(q, ` "'”’»)）」』*_`)
	if strings.ContainsAny(lastRune(q), "?？؟;;՞፧") {
		return true
	}
	q = strings.TrimRight(q, "。.")
	return strings.ContainsAny(lastRune(q), "か吗嗎呢")
}

func lastRune(s string) string {
	r, _ := utf8.DecodeLastRuneInString(s)
	if r == utf8.RuneError {
		return ""
	}
	return string(r)
}

// DefaultMaxSteps is the most steps of a lesson when the input does not
// say.
const DefaultMaxSteps = 6

// StepLimit is the most steps the lesson may have: MaxSteps, or
// DefaultMaxSteps when it is 0. The prompt and Validate both use it.
func (e ExplainConcept) StepLimit() int { return cmp.Or(e.MaxSteps, DefaultMaxSteps) }

// Validate checks that the lesson has from 2 steps to as many as asked,
// numbered 1, 2, 3 in order, that no two have the same title, that each
// explains more than its title, and that each key term is taught.
func (l Lesson) Validate(in ExplainConcept) error {
	if len(l.Steps) < 2 {
		return fmt.Errorf("/steps: %d step: break the explanation into at least 2 steps", len(l.Steps))
	}
	if most := in.StepLimit(); len(l.Steps) > most {
		return fmt.Errorf("/steps: %d steps, and the lesson may have at most %d: merge steps", len(l.Steps), most)
	}
	titles := map[string]int{}
	for i, s := range l.Steps {
		if s.Number != i+1 {
			return fmt.Errorf("/steps/%d: numbered %d, want %d: number the steps 1, 2, 3 in the order they are listed", i, s.Number, i+1)
		}
		key := strings.ToLower(strings.TrimSpace(s.Title))
		if j, dup := titles[key]; dup {
			return fmt.Errorf("/steps/%d: the title %q is step %d's too: give each step its own title", i, sampling.Clip(s.Title, textcheck.MaxQuote), j+1)
		}
		titles[key] = i
		if strings.EqualFold(strings.TrimSpace(s.Explanation), strings.TrimSpace(s.Title)) {
			return fmt.Errorf("/steps/%d: the explanation only repeats the title: explain the step", i)
		}
	}
	for i, term := range l.KeyTerms {
		if !l.teaches(term) {
			return fmt.Errorf("/key_terms/%d: no step mentions %q: list only terms the steps teach, as they write them", i, sampling.Clip(term, textcheck.MaxQuote))
		}
	}
	return nil
}

// teaches says whether a title or an explanation of a step mentions term,
// whatever its case.
func (l Lesson) teaches(term string) bool {
	term = strings.ToLower(strings.TrimSpace(term))
	if term == "" {
		return false
	}
	for _, s := range l.Steps {
		if strings.Contains(strings.ToLower(s.Title), term) || strings.Contains(strings.ToLower(s.Explanation), term) {
			return true
		}
	}
	return false
}
