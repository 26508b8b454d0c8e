// Package textcheck holds checks of the text a model writes, shared by
// the Validate methods of samplegen's ready tools (templates/...) and
// open to any tool's: how many words a text has, in any script, and
// whether an answer opens with an introduction ("Here is the summary:")
// instead of being the answer.
//
// It is a public package, not an internal one, because samplegen init
// -tool copies the ready tools into a server's own module, which imports
// it from there.
//
// Both checks take time linear in the text.
package textcheck

import (
	"strings"
	"unicode"
)

// Words counts the words of a text as a reader would: runs of letters or
// digits separated by spaces or punctuation ("12.5", "1,000" and "don't"
// are one word each; a bullet marker is none). Chinese and Japanese are
// written without spaces, so there every two characters count as one
// word, and a 5,000-character Japanese reply is 2,500 words, not one.
func Words(text string) int {
	words, cjk := 0, 0
	in := false
	var prev rune
	for _, r := range text {
		switch {
		case (r == '.' || r == ',') && unicode.IsDigit(prev):
			// inside a number ("12.5", "1,000"), not a break
		case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana):
			cjk++
			in = false
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
			if !in {
				words++
			}
			in = true
		case r == '\'' || r == '’' || r == '-':
			// inside a word ("don't", "state-of-the-art"), not a break
		default:
			in = false
		}
		prev = r
	}
	return words + (cjk+1)/2
}

// openers start a line that introduces an answer when the line ends with
// a colon: "Sure! Here is the formal version:".
var openers = []string{"here is", "here's", "here are", "below is", "sure", "certainly", "of course", "okay", "ok,"}

// Introduction returns the first line of text when it introduces the
// answer rather than being part of it: a line that opens as a model's
// preface does ("Here is", "Sure", "Certainly", "Of course"...) and ends
// with a colon, or, when labels are given, a line that starts with one of
// them as a heading ("Summary:", "**TL;DR**" for the labels "summary"
// and "tl;dr"), compared in lower case, with Markdown bold ignored. It returns "" for any other text.
func Introduction(text string, labels ...string) string {
	first, _, _ := strings.Cut(strings.TrimSpace(text), "\n")
	lower := strings.ToLower(strings.TrimSpace(first))
	bare := strings.TrimLeft(lower, "*_# ")
	for _, label := range labels {
		rest, ok := strings.CutPrefix(bare, strings.ToLower(label))
		// A label is a heading: the line ends there, or a colon or the
		// end of its bold follows ("Summary:", "**TL;DR**"), where
		// "Summary of the talk" is a sentence.
		if ok && (rest == "" || strings.ContainsAny(rest[:1], ":*_")) {
			return first
		}
	}
	if !strings.HasSuffix(strings.TrimRight(lower, "*_ "), ":") {
		return ""
	}
	for _, opener := range openers {
		if strings.HasPrefix(bare, opener) {
			return first
		}
	}
	return ""
}

// MaxQuote is the most bytes of a model's text (or a caller's) that an
// error quotes, cut with sampling.Clip: enough to find the words, and an
// answer of any size makes an error of bounded size.
const MaxQuote = 60
