// Package language is samplegen's ready language tools: translation, tone
// rewriting, grammar correction and language detection, each asking the
// MCP client's model and returning a typed, checked Go value.
//
// # Tools
//
//   - translate (input [Translate], output [Translation]): the text in the
//     target language, given as an ISO 639-1 [Code], with its line breaks,
//     URLs, e-mail addresses, placeholders ({name}, %s) and inline code
//     kept, and the code of the language it was written in.
//   - rewrite_tone ([RewriteTone], [Rewrite]): the text in another [Tone]
//     (formal, friendly, concise...), in its own language, saying the same
//     things, without an introduction such as "Here is the formal
//     version:".
//   - correct_grammar ([CorrectGrammar], [GrammarResult]): the corrected
//     text and a list of corrections ([Correction]), each quoting the wrong
//     words exactly as the text has them, its correction and the reason.
//   - detect_language ([DetectLanguage], [Detection]): the text's language
//     as an ISO 639-1 code and a confidence.
//
// Each answer is checked where models often go wrong (Validate methods
// that see the call's input): lines merged in a translation, a placeholder
// or URL translated, a correction quoting words the text does not hold, a
// corrected text that differs from the text with no correction listed, a
// language given as a name. Such an answer is sent back to the model with
// what is wrong.
//
// Codes are checked against the standard's full list, the constants of
// [Code]: a translation's target that is not one is refused before any
// model is asked, and a model's answer that is not one (a name such as
// "English", an upper-case "EN", a region such as "pt-BR") is sent back to
// it with the code to write. [Code.Name] gives a code's English name and
// [ParseCode] reads a code however it is written.
//
// Every text is data to the model: each prompt fences it, and the system
// prompts hold only the task. translate, rewrite_tone and correct_grammar
// must see a text whole, so they take at most [MaxTextRunes] characters
// and refuse more before asking; detect_language reads the first 2000.
//
// # Adding the tools
//
// A server adds them all with AddTools, or one with its AddX function:
//
//	srv := mcp.NewServer(&mcp.Implementation{Name: "language"}, nil)
//	language.AddTools(srv)
//
// Go code calls SampleTranslate, SampleRewriteTone, SampleCorrectGrammar
// or SampleDetectLanguage with any runtime.Sampler, as the package example
// does. samplegen init -tool language copies this package into a new
// server, where its prompts (translate.tmpl, tone.tmpl, grammar.tmpl,
// detect.tmpl) and types are yours to change: run go generate after a
// change.
//
// # Testing and datasets
//
// The tests answer with a scripted model (samplegentest.Answers) as models
// write, prose and fences around the JSON, trailing commas, codes in the
// wrong form, answers a re-ask must fix, and serve the tools on both
// protocol eras (samplegentest.Serve). testdata holds a hand-labelled
// dataset for each tool, testdata/<tool>.jsonl, one case a line: {"id":
// ..., "args": the tool's input, "want": the fields of a right answer that
// can be checked}. detect_language has 39 cases (want: the language);
// translate 12 (want: the source language); correct_grammar 12 (want: the
// corrected text); rewrite_tone 11, whose want is empty, as a rewrite has
// no field to compare exactly: an evaluation checks that the answer is
// accepted and judges it.
package language

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/samplegen/samplegen/sampling"
	"github.com/samplegen/samplegen/textcheck"
)

//go:generate go tool samplegen

// Name returns the code's English name, such as "German" for "de", or ""
// when c is not an ISO 639-1 code.
func (c Code) Name() string { return names[c] }

// Valid reports whether c is an ISO 639-1 code, written as the standard
// writes it, in lower case.
func (c Code) Valid() bool { _, ok := names[c]; return ok }

// Codes returns every ISO 639-1 code, in alphabetical order.
func Codes() []Code {
	codes := make([]Code, 0, len(names))
	for c := range names {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	return codes
}

// ParseCode reads a language as people and models write it: a code in any
// case ("EN", " fr "), with a region ("pt-BR", "zh_Hant"), or an English
// name ("German"). Its error says what an ISO 639-1 code is.
func ParseCode(s string) (Code, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(t, "-_"); i == 2 {
		t = t[:2]
	}
	if c := Code(t); c.Valid() {
		return c, nil
	}
	if c, ok := byName(t); ok {
		return c, nil
	}
	return "", fmt.Errorf("%q is not an ISO 639-1 language code: write the two-letter code, such as en for English or zh for Chinese", sampling.Clip(s, textcheck.MaxQuote))
}

// byName finds the code of a language's English name, in lower case.
func byName(lower string) (Code, bool) {
	for c, n := range names {
		if strings.ToLower(n) == lower {
			return c, true
		}
	}
	return "", false
}

// checkCode is the error for a model's language field that is not a code
// as the schema asks for it, naming the code to write where it can tell.
func checkCode(field, got string) error {
	if Code(got).Valid() {
		return nil
	}
	if c, err := ParseCode(got); err == nil {
		return fmt.Errorf("%s: %q is not written as an ISO 639-1 code: write %q (%s)", field, sampling.Clip(got, textcheck.MaxQuote), c, c.Name())
	}
	return fmt.Errorf("%s: %q is not an ISO 639-1 code: write the two-letter lower-case code, such as en for English or zh for Chinese", field, sampling.Clip(got, textcheck.MaxQuote))
}

// MaxTextRunes is the longest text, in characters, that translate,
// rewrite_tone and correct_grammar take: they must see a text whole, so a
// longer one fails the call before any model is asked (a served tool's
// input schema refuses it already), where a cut text would come back as
// the translation or correction of only its start.
const MaxTextRunes = 12000

// whole returns text when it is at most MaxTextRunes characters long,
// for a prompt that must show it whole.
func whole(tool, text string) (string, error) {
	if n := utf8.RuneCountInString(text); n > MaxTextRunes {
		return "", fmt.Errorf("%s: the text has %d characters and the tool takes at most %d: split it and call the tool on each part", tool, n, MaxTextRunes)
	}
	return text, nil
}
