// Package summarize is samplegen's ready summarization tool: summarize
// asks the MCP client's model to condense a text into the length and style
// the caller picks and returns a typed, checked [Summary].
//
// # Tools
//
// summarize (input [Summarize], output [Summary]) takes the text, a
// [Style] (paragraph, bullets, headline or tldr), a word budget (max_words;
// 0 for the style's own, [Style.DefaultWords]) and an optional focus
// ("decisions and deadlines"). It returns the summary in that style and
// up to five key points. The answer is held to the request where models
// often miss it: a summary over its budget or longer than the text, a
// bullets summary written as prose, a headline of two lines or with a
// final period, a paragraph broken into a list, an introduction ("Here is
// a summary:", "TL;DR:") before the summary. Such an answer is sent back
// to the model with what to fix. Words are counted by textcheck.Words, in any script.
//
// The text is data to the model: the prompt fences it and shows at most
// its first 100,000 characters (saying so when it cuts), the focus is
// fenced too, and the system prompt holds only the task. A request no
// summary could meet (a style that is none of the constants, a budget out
// of range, a text without words) fails before any model is asked.
//
// # Adding the tool
//
// A server adds it with AddTools (or AddSummarize):
//
//	srv := mcp.NewServer(&mcp.Implementation{Name: "summarizer"}, nil)
//	summarize.AddTools(srv)
//
// Go code calls SampleSummarize with any runtime.Sampler, as the package
// example does. samplegen init -tool summarize copies this package into a
// new server, where its prompt (summarize.tmpl) and types are yours to
// change: run go generate after a change.
//
// # Testing and datasets
//
// The tests answer with a scripted model (samplegentest.Answers) as models
// write, prose and fences around the JSON, keys in another case, trailing
// commas, answers a re-ask must fix, and serve the tool on both protocol
// eras (samplegentest.Serve). testdata/summarize.jsonl holds 11 cases, one
// a line: {"id": ..., "args": the tool's input, "want": {}}; a summary has
// no field to compare exactly, so an evaluation checks that each answer is
// accepted (Validate) and judges it.
package summarize

import (
	"errors"
	"fmt"
	"strings"

	"github.com/samplegen/samplegen/sampling"
	"github.com/samplegen/samplegen/textcheck"
)

//go:generate go tool samplegen

// Summarize condenses a text into a summary of the length and style the
// caller picks, with its key points.
//
//samplegen:tool summarize
//samplegen:title Summarize a text
//samplegen:prompt summarize.tmpl
//samplegen:output Summary
//samplegen:params temperature=0.2 max_tokens=1500 truncated_max_tokens=3000 retries=2 timeout=120s
type Summarize struct {
	// What to summarize: an article, a thread, a transcript, a
	// report.
	Text string `json:"text" jsonschema:"minLength=1,maxLength=100000"`
	// The summary's form.
	Style Style `json:"style,omitempty" jsonschema:"default=paragraph"`
	// The most words the summary may have; 0 for the style's
	// own budget.
	MaxWords int `json:"max_words,omitempty" jsonschema:"minimum=0,maximum=1000"`
	// What the reader cares about most, such as "decisions and
	// deadlines"; empty for a general summary.
	Focus string `json:"focus,omitempty" jsonschema:"maxLength=200"`
}

// Style is the form of a summary.
type Style string

const (
	Paragraph Style = "paragraph" // one paragraph of plain prose
	Bullets   Style = "bullets"   // a list of points, one per line, each starting with "- "
	Headline  Style = "headline"  // a single line like a news headline, without a final period
	TLDR      Style = "tldr"      // one or two plain sentences with the gist
)

// DefaultWords is the word budget of a summary in style s when the caller
// gives none.
func (s Style) DefaultWords() int {
	switch s {
	case Bullets:
		return 100
	case Headline:
		return 15
	case TLDR:
		return 40
	}
	return 120
}

// MaxWordsLimit is the largest word budget a caller may ask for.
const MaxWordsLimit = 1000

// Budget is the summary's word budget: MaxWords, or the style's own. Its
// error, for a budget out of range, a style that is none of the constants
// or a text without words, fails the call before any model is asked (a served tool's
// input schema refuses those already; this holds for Go callers too).
func (in Summarize) Budget() (int, error) {
	switch in.style() {
	case Paragraph, Bullets, Headline, TLDR:
	default:
		return 0, fmt.Errorf("summarize: style %q is none of paragraph, bullets, headline, tldr", sampling.Clip(string(in.Style), textcheck.MaxQuote))
	}
	if in.MaxWords < 0 || in.MaxWords > MaxWordsLimit {
		return 0, fmt.Errorf("summarize: max_words is %d: ask for 1 to %d words, or 0 for the style's own budget", in.MaxWords, MaxWordsLimit)
	}
	if textcheck.Words(in.Text) == 0 {
		return 0, errors.New("summarize: the text has no words to summarize")
	}
	if in.MaxWords == 0 {
		return in.style().DefaultWords(), nil
	}
	return in.MaxWords, nil
}

// Form says, for the prompt, what the summary must look like.
func (in Summarize) Form() (string, error) {
	budget, err := in.Budget()
	if err != nil {
		return "", err
	}
	switch in.style() {
	case Bullets:
		return fmt.Sprintf("3 to 7 points, each on its own line starting with \"- \", at most %d words in all", budget), nil
	case Headline:
		return fmt.Sprintf("a single line like a news headline, at most %d words, without a final period", budget), nil
	case TLDR:
		return fmt.Sprintf("one or two plain sentences with the gist, at most %d words", budget), nil
	}
	return fmt.Sprintf("one paragraph of plain prose, at most %d words", budget), nil
}

// style is the request's style, paragraph when none is given.
func (in Summarize) style() Style {
	if in.Style == "" {
		return Paragraph
	}
	return in.Style
}

// Summary is a text's summary.
type Summary struct {
	// The summary in the style asked for, in the language of the
	// text.
	Summary string `json:"summary" jsonschema:"minLength=1"`
	// The facts a reader must not miss (names, numbers,
	// dates, decisions), each a short phrase.
	KeyPoints []string `json:"key_points,omitempty" jsonschema:"maxItems=5"`
}

// maxKeyPointWords is the most words of one key point.
const maxKeyPointWords = 25

// Validate holds the summary to the request: its budget, its style, and
// no longer than the text itself.
func (s Summary) Validate(in Summarize) error {
	text := strings.TrimSpace(s.Summary)
	if text == "" {
		return errors.New("/summary: it is empty: write the summary")
	}
	if p := textcheck.Introduction(text, "summary", "tl;dr"); p != "" {
		return fmt.Errorf("/summary: it starts with %q: give only the summary, without an introduction", sampling.Clip(p, textcheck.MaxQuote))
	}
	budget, err := in.Budget()
	if err != nil {
		return err
	}
	n := textcheck.Words(text)
	if n > budget {
		return fmt.Errorf("/summary: it has %d words and the limit is %d: shorten it", n, budget)
	}
	if of := textcheck.Words(in.Text); n > of {
		return fmt.Errorf("/summary: it has %d words and the text only %d: a summary is shorter than its text", n, of)
	}
	if err := checkStyle(in.style(), text); err != nil {
		return fmt.Errorf("/summary: %w", err)
	}
	for i, p := range s.KeyPoints {
		if strings.TrimSpace(p) == "" {
			return fmt.Errorf("/key_points/%d: it is empty: drop it or write the point", i)
		}
		if w := textcheck.Words(p); w > maxKeyPointWords {
			return fmt.Errorf("/key_points/%d: it has %d words: make each key point a phrase of at most %d", i, w, maxKeyPointWords)
		}
	}
	return nil
}

// checkStyle checks the shape of a summary, trimmed, in style s.
func checkStyle(s Style, text string) error {
	lines := strings.Split(text, "\n")
	switch s {
	case Bullets:
		points := 0
		for i, line := range lines {
			line = strings.TrimSpace(line)
			if line == "" {
				continue
			}
			if !isBullet(line) {
				return fmt.Errorf("the style is bullets and line %d is not a point: write each point on its own line starting with \"- \"", i+1)
			}
			points++
		}
		if points < 2 {
			return fmt.Errorf("the style is bullets and it has %d point: write at least 2, each on its own line starting with \"- \"", points)
		}
	case Headline:
		if len(lines) > 1 {
			return fmt.Errorf("the style is headline and it has %d lines: write a single line", len(lines))
		}
		if isBullet(text) {
			return errors.New("the style is headline and it is a list item: write a headline")
		}
		if strings.HasSuffix(text, ".") && !strings.HasSuffix(text, "...") {
			return errors.New("the style is headline and it ends with a period: drop it")
		}
	case Paragraph, TLDR:
		for i, line := range lines {
			if strings.TrimSpace(line) == "" {
				return fmt.Errorf("the style is %s and line %d is blank: write a single paragraph", s, i+1)
			}
			if isBullet(strings.TrimSpace(line)) {
				return fmt.Errorf("the style is %s and line %d is a list item: write prose, not a list", s, i+1)
			}
		}
	}
	return nil
}

// isBullet reports whether a trimmed line is an item of a Markdown list or
// a bulleted one.
func isBullet(line string) bool {
	for _, marker := range []string{"- ", "* ", "• ", "+ "} {
		if strings.HasPrefix(line, marker) {
			return true
		}
	}
	return false
}
