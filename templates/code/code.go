// Package code is samplegen's ready tools for source code: explain_code
// explains a piece of code for a reader of a given level, and review_code
// reviews it, each finding pointing at the lines it is about.
//
// # Tools
//
// explain_code (input [ExplainCode], output [Explanation]) returns a
// summary of what the code does and a walkthrough: its parts in order,
// each with the lines it covers and what a reader of the chosen
// [Audience] needs to know about them.
//
// review_code (input [ReviewCode], output [Review]) returns a one-paragraph
// verdict and a list of [Finding]s, each with the lines it is about
// (start_line to end_line, counted from 1), a [Severity], a [Category], a
// message and a suggested fix. An empty list is a valid review of good
// code.
//
// Both prompts show the model the code with its line numbers (see
// [Source.NumberedCode]), fenced and cut to a bounded size, so that the
// model can cite lines and nothing in the code can pass itself off as
// instructions. The answers are checked where models often go wrong: a
// line range must run forwards and stay inside the code, the walkthrough
// must go through the code in order, and a finding must say something the
// reader can act on (Validate methods that see the call's input); an answer that fails is sent back to the model with
// what is wrong (see runtime's re-asks).
//
// # Adding the tools
//
// A server adds both with
//
//	code.AddTools(srv)
//
// or one with AddExplainCode(srv) or AddReviewCode(srv); Go code calls
// them directly with SampleExplainCode and SampleReviewCode and any
// runtime.Sampler. samplegen init -tool code copies this package
// into a new server, where its prompts (explain.tmpl, review.tmpl) are
// yours to change: run go generate after a change.
//
// # Testing
//
// The package's Example calls SampleReviewCode with a scripted model
// (samplegentest.Answers) that answers as models do, and needs no network;
// its tests do the same with answers a re-ask must fix, and serve the
// tools on both protocol eras (samplegentest.Serve). testdata holds a
// labelled dataset for each tool, testdata/<tool>.jsonl, one case a line:
// {"id": ..., "args": the tool's input, "want": the fields of a right
// answer that can be checked}.
package code

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/samplegen/samplegen/textcheck"
)

//go:generate go tool samplegen

// MaxCodeRunes and MaxCodeLines bound the code the tools take: a file
// of about a thousand lines, which a model can still read whole. The
// schema's maxLength on code is MaxCodeRunes; both are checked in Go
// before any model is asked ([Source.Check]), and the prompt's bound on
// the numbered code (60000 characters) holds the longest code they allow
// whole, numbers included, so every line a model may cite is one it saw.
const (
	MaxCodeRunes = 40000
	MaxCodeLines = 2000
)

// Source is a piece of code and the language it is written in.
type Source struct {
	Code     string `json:"code" jsonschema:"description=The source code: one file or an excerpt of one,minLength=1,maxLength=40000"`
	Language string `json:"language,omitempty" jsonschema:"description=The programming language such as Go or Python; guessed from the code when empty,maxLength=40"`
}

// Lines is the number of lines of the code, as its numbering counts them:
// a final newline does not start another line.
func (s Source) Lines() int {
	if s.Code == "" {
		return 0
	}
	return strings.Count(strings.TrimSuffix(s.Code, "\n"), "\n") + 1
}

// Check reports what makes the code more than the tools take: over
// MaxCodeRunes characters or MaxCodeLines lines.
func (s Source) Check() error {
	if n := utf8.RuneCountInString(s.Code); n > MaxCodeRunes {
		return fmt.Errorf("the code has %d characters and the tools take at most %d: pass one file, or the part of it that matters", n, MaxCodeRunes)
	}
	if n := s.Lines(); n > MaxCodeLines {
		return fmt.Errorf("the code has %d lines and the tools take at most %d: pass one file, or the part of it that matters", n, MaxCodeLines)
	}
	return nil
}

// CheckedCode is the NumberedCode of code that passes Check, else
// Check's error: what the prompts show, so that a Go caller's code over
// the limits fails the call before any model is asked.
func (s Source) CheckedCode() (string, error) {
	if err := s.Check(); err != nil {
		return "", err
	}
	return s.NumberedCode(), nil
}

// NumberedCode is the code with each line prefixed by its number, as the
// prompts show it, so that the model can cite the lines it means:
//
//	1 | package main
//	2 |
//	3 | func main() {}
//
// The numbers are right-aligned to the width of the last one. It takes
// time and memory linear in the size of the code.
func (s Source) NumberedCode() string {
	n := s.Lines()
	if n == 0 {
		return ""
	}
	width := len(fmt.Sprint(n))
	var b strings.Builder
	b.Grow(len(s.Code) + n*(width+3))
	for i, line := range strings.Split(strings.TrimSuffix(s.Code, "\n"), "\n") {
		line = strings.TrimSuffix(line, "\r")
		if line == "" {
			fmt.Fprintf(&b, "%*d |\n", width, i+1) // no trailing space to trip over
			continue
		}
		fmt.Fprintf(&b, "%*d | %s\n", width, i+1, line)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// ExplainCode explains a piece of code for a reader of a given level: a
// summary of what it does, then a walkthrough of its parts in order, each
// with the lines it covers.
//
//samplegen:tool explain_code
//samplegen:title Explain code
//samplegen:prompt explain.tmpl
//samplegen:output Explanation
//samplegen:params temperature=0.2 max_tokens=2000 truncated_max_tokens=4000 retries=2 timeout=90s
type ExplainCode struct {
	Source
	Audience Audience `json:"audience,omitempty" jsonschema:"description=Who reads the explanation,default=practitioner"`
	Question string   `json:"question,omitempty" jsonschema:"description=What the reader wants to know about the code; empty for a general explanation,maxLength=500"`
}

// Audience is who an explanation is written for.
type Audience string

const (
	Newcomer     Audience = "newcomer"     // new to programming: explain every construct the code uses in plain words, explain any jargon, and say what each part is for before how it works
	Practitioner Audience = "practitioner" // a programmer who does not know this language or code base well: explain the idioms, the intent and how the parts fit together
	Expert       Audience = "expert"       // an expert in the language: skip what the syntax says, and explain the design, the subtle behaviour, the edge cases and the pitfalls
)

// Explanation is what explain_code returns.
type Explanation struct {
	Summary     string `json:"summary" jsonschema:"description=What the code does and why in two to four sentences,minLength=1,maxLength=800"`
	Walkthrough []Part `json:"walkthrough" jsonschema:"description=The parts of the code in the order they appear,minItems=1,maxItems=20"`
}

// Part is one stretch of code in a walkthrough.
type Part struct {
	StartLine   int    `json:"start_line" jsonschema:"description=The first line of the part as numbered in the prompt,minimum=1"`
	EndLine     int    `json:"end_line" jsonschema:"description=The last line of the part (equal to start_line for one line),minimum=1"`
	Explanation string `json:"explanation" jsonschema:"minLength=1,maxLength=1500"`
}

// Validate checks that the part's lines run forwards.
func (p Part) Validate() error { return checkRange(p.StartLine, p.EndLine) }

// Validate checks that the walkthrough goes through the code in order and
// stays inside it.
func (e Explanation) Validate(in ExplainCode) error {
	for i := 1; i < len(e.Walkthrough); i++ {
		if prev, p := e.Walkthrough[i-1], e.Walkthrough[i]; p.StartLine < prev.StartLine {
			return fmt.Errorf("/walkthrough/%d: the part starts at line %d, before the part above it (line %d): list the parts in the order of the code", i, p.StartLine, prev.StartLine)
		}
	}
	return checkLines(e.Walkthrough, "walkthrough", in.Lines(), func(p Part) (int, int) { return p.StartLine, p.EndLine })
}

// ReviewCode reviews a piece of code: a verdict and findings, each with
// the lines it is about, a severity, a category, what is wrong and how to
// fix it.
//
//samplegen:tool review_code
//samplegen:title Review code
//samplegen:prompt review.tmpl
//samplegen:output Review
//samplegen:params temperature=0 max_tokens=3000 truncated_max_tokens=6000 retries=2 timeout=120s
type ReviewCode struct {
	Source
	Focus string `json:"focus,omitempty" jsonschema:"description=What the review should look at most such as security or error handling; empty for everything,maxLength=300"`
}

// Review is what review_code returns.
type Review struct {
	Summary  string    `json:"summary" jsonschema:"description=The verdict on the code in one to three sentences,minLength=1,maxLength=600"`
	Findings []Finding `json:"findings" jsonschema:"description=The problems found most severe first; empty when there are none,maxItems=30"`
}

// Finding is one problem a review found.
type Finding struct {
	StartLine  int      `json:"start_line" jsonschema:"description=The first line of the problem as numbered in the prompt,minimum=1"`
	EndLine    int      `json:"end_line" jsonschema:"description=The last line of the problem (equal to start_line for one line),minimum=1"`
	Severity   Severity `json:"severity"`
	Category   Category `json:"category"`
	Message    string   `json:"message" jsonschema:"description=What is wrong and what it leads to,minLength=1,maxLength=600"`
	Suggestion string   `json:"suggestion,omitempty" jsonschema:"description=How to fix it: a sentence or a short code change,maxLength=1200"`
}

// Validate checks that every finding points at lines of the code, and
// that no problem is listed twice (the same lines and category).
func (r Review) Validate(in ReviewCode) error {
	type place struct {
		start, end int
		category   Category
	}
	seen := make(map[place]int, len(r.Findings))
	for i, f := range r.Findings {
		p := place{f.StartLine, f.EndLine, f.Category}
		if j, dup := seen[p]; dup {
			return fmt.Errorf("/findings/%d: lines %d to %d have a %s finding already (/findings/%d): list each problem once", i, f.StartLine, f.EndLine, f.Category, j)
		}
		seen[p] = i
	}
	return checkLines(r.Findings, "findings", in.Lines(), func(f Finding) (int, int) { return f.StartLine, f.EndLine })
}

// Validate checks the finding's lines and that it says more than its
// category: at least three words, as textcheck.Words counts them, so
// that a short message in Chinese or Japanese ("空指针解引用", six
// characters) passes where "bug" does not.
func (f Finding) Validate() error {
	if err := checkRange(f.StartLine, f.EndLine); err != nil {
		return err
	}
	if msg := strings.TrimSpace(f.Message); textcheck.Words(msg) < 3 || strings.EqualFold(msg, string(f.Category)) {
		return errors.New("message: say what is wrong in a sentence, not only its category")
	}
	return nil
}

// Severity is how much a finding matters.
type Severity string

const (
	Critical Severity = "critical" // exploitable, loses or corrupts data, or crashes: fix before merging
	Major    Severity = "major"    // wrong results or a failure under realistic conditions: fix soon
	Minor    Severity = "minor"    // works but fragile, slow or hard to change: fix when convenient
	Nit      Severity = "nit"      // style or naming: take it or leave it
)

// Category is what kind of problem a finding is.
type Category string

const (
	Correctness   Category = "correctness"    // the code does not do what it means to
	Security      Category = "security"       // an attacker could exploit it
	ErrorHandling Category = "error-handling" // failures are ignored, lost or reported badly
	Concurrency   Category = "concurrency"    // races, deadlocks, leaked goroutines or threads
	Performance   Category = "performance"    // needless work, memory or round trips
	Readability   Category = "readability"    // hard to follow, misleading names or comments
	Testing       Category = "testing"        // missing or weak tests of this code
)

// checkRange says what is wrong with a line range, if anything.
func checkRange(start, end int) error {
	if end < start {
		return fmt.Errorf("end_line %d is before start_line %d: give the first line as start_line and the last as end_line", end, start)
	}
	return nil
}

// checkLines says which ranges of items end beyond the code's last line:
// a model that cites line 120 of a 40-line file is making it up.
func checkLines[T any](items []T, field string, lines int, rangeOf func(T) (int, int)) error {
	var errs []error
	for i, it := range items {
		if start, end := rangeOf(it); end > lines {
			errs = append(errs, fmt.Errorf("/%s/%d: lines %d to %d are not all in the code, which has %d lines: cite lines as numbered in the prompt", field, i, start, end, lines))
		}
	}
	return errors.Join(errs...)
}
