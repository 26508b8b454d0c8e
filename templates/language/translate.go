package language

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/samplegen/samplegen/sampling"
	"github.com/samplegen/samplegen/textcheck"
)

// Translate translates a text into another language, keeping its
// formatting: line breaks, lists, Markdown, code, URLs and placeholders.
//
//samplegen:tool translate
//samplegen:title Translate a text
//samplegen:prompt translate.tmpl
//samplegen:output Translation
//samplegen:params temperature=0 max_tokens=8000 truncated_max_tokens=16000 retries=2 timeout=120s
type Translate struct {
	// What to translate.
	Text string `json:"text" jsonschema:"minLength=1,maxLength=12000"`
	// The language to translate into, as an ISO 639-1 code such
	// as "fr" for French.
	Target Code `json:"target"`
	// The language the text is written in, when the caller knows
	// it; the model tells it otherwise.
	Source Code `json:"source,omitempty"`
}

// TargetName is the English name of the target language, for the prompt.
// Its error, for a target that is not a code, fails the call before any
// model is asked (a served tool's input schema refuses such a target
// already; this holds for Go callers of SampleTranslate too).
func (t Translate) TargetName() (string, error) {
	if !t.Target.Valid() {
		return "", fmt.Errorf("translate: target %q is not an ISO 639-1 code: pass a two-letter code such as fr, or use ParseCode", sampling.Clip(string(t.Target), textcheck.MaxQuote))
	}
	return t.Target.Name(), nil
}

// SourceName is the English name of the source language, or "" when the
// caller did not give one; its error is TargetName's, for the source.
func (t Translate) SourceName() (string, error) {
	if t.Source != "" && !t.Source.Valid() {
		return "", fmt.Errorf("translate: source %q is not an ISO 639-1 code: pass a two-letter code such as en, or leave it empty", sampling.Clip(string(t.Source), textcheck.MaxQuote))
	}
	return t.Source.Name(), nil
}

// WholeText is the text for the prompt, which shows it whole; its error,
// for a text over MaxTextRunes characters, fails the call before any
// model is asked.
func (in Translate) WholeText() (string, error) { return whole("translate", in.Text) }

// Translation is a text in another language.
type Translation struct {
	// The whole text in the target language, formatted as
	// the original.
	Translation string `json:"translation" jsonschema:"minLength=1"`
	// The ISO 639-1 code of the language the text was
	// written in, such as "en".
	SourceLanguage string `json:"source_language"`
}

// Validate checks what models get wrong when they translate: a source
// language that is a name rather than a code, lines merged or split, and
// URLs, placeholders and code spans translated or dropped.
func (t Translation) Validate(in Translate) error {
	if err := checkCode("/source_language", t.SourceLanguage); err != nil {
		return err
	}
	if strings.TrimSpace(t.Translation) == "" {
		return errors.New("/translation: it is empty: write the whole text in the target language")
	}
	if want, got := lines(in.Text), lines(t.Translation); want != got {
		return fmt.Errorf("/translation: the text has %d lines and the translation %d: keep every line break, one translated line for each line of the text, blank lines included", want, got)
	}
	return keptVerbatim("/translation", in.Text, t.Translation)
}

// SourceCode returns the source language as a Code.
func (t Translation) SourceCode() Code { return Code(t.SourceLanguage) }

// verbatim finds what a translation or rewrite must copy as it is: URLs,
// e-mail addresses, placeholders ({name}, {{name}}, %s, %d, $1) and inline
// code. It runs in time linear in the text (Go's regexp is RE2).
var verbatim = regexp.MustCompile("https?://[^\\s)>\\]]+|[\\w.+-]+@[\\w-]+\\.[\\w.-]+|\\{\\{[^{}\\n]{1,40}\\}\\}|\\{[A-Za-z_][\\w.]{0,40}\\}|%[sdvfq]|\\$\\d|`[^`\\n]{1,80}`")

// keptVerbatim returns an error naming the first URL, address, placeholder
// or code span of the text that out does not hold as the text writes it.
func keptVerbatim(field, text, out string) error {
	for _, m := range verbatim.FindAllString(text, 100) {
		m = strings.TrimRight(m, ".,;:!?")
		if !strings.Contains(out, m) {
			return fmt.Errorf("%s: %q is missing: copy URLs, e-mail addresses, placeholders and code exactly as the text has them", field, sampling.Clip(m, textcheck.MaxQuote))
		}
	}
	return nil
}

// lines counts the lines of a text, ignoring line breaks at its end.
func lines(s string) int {
	s = strings.TrimRight(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	return strings.Count(s, "\n") + 1
}
