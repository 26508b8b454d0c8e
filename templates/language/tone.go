package language

import (
	"errors"
	"fmt"
	"strings"

	"github.com/samplegen/samplegen/sampling"
	"github.com/samplegen/samplegen/textcheck"
)

// RewriteTone rewrites a text in another tone, in the same language and
// saying the same things.
//
//samplegen:tool rewrite_tone
//samplegen:title Rewrite a text in another tone
//samplegen:prompt tone.tmpl
//samplegen:output Rewrite
//samplegen:params temperature=0.3 max_tokens=4000 truncated_max_tokens=8000 retries=2 timeout=90s
type RewriteTone struct {
	// What to rewrite.
	Text string `json:"text" jsonschema:"minLength=1,maxLength=12000"`
	// The tone to write it in.
	Tone Tone `json:"tone"`
}

// WholeText is the text for the prompt, which shows it whole; its error,
// for a text over MaxTextRunes characters, fails the call before any
// model is asked.
func (in RewriteTone) WholeText() (string, error) { return whole("rewrite_tone", in.Text) }

// Tone is how a text sounds to its reader.
type Tone string

const (
	Formal       Tone = "formal"       // complete sentences, no contractions or slang, respectful distance
	Casual       Tone = "casual"       // relaxed and conversational, contractions welcome
	Friendly     Tone = "friendly"     // warm and personal, still clear
	Professional Tone = "professional" // businesslike, clear and courteous, no jokes
	Polite       Tone = "polite"       // softened requests and criticism, thanks where due
	Confident    Tone = "confident"    // direct, no hedging or needless apologies
	Empathetic   Tone = "empathetic"   // acknowledges the reader's feelings and situation first
	Concise      Tone = "concise"      // as short as possible without losing any fact or request
	Enthusiastic Tone = "enthusiastic" // upbeat and energetic, without exaggerating the facts
	NeutralTone  Tone = "neutral"      // plain and factual, no emotion either way
)

// Rewrite is a text rewritten in another tone.
type Rewrite struct {
	// The rewritten text, and nothing else.
	Text string `json:"text" jsonschema:"minLength=1"`
}

// Validate checks what models get wrong when they rewrite: an
// introduction before the text ("Here is the rewritten text:"), a concise
// version that is longer than the original, and URLs, placeholders or
// code changed.
func (r Rewrite) Validate(in RewriteTone) error {
	text := strings.TrimSpace(r.Text)
	if text == "" {
		return errors.New("/text: it is empty: write the whole rewritten text")
	}
	if p := textcheck.Introduction(text); p != "" && textcheck.Introduction(in.Text) == "" {
		return fmt.Errorf("/text: it starts with %q: give only the rewritten text, without an introduction", sampling.Clip(p, textcheck.MaxQuote))
	}
	if in.Tone == Concise && len([]rune(text)) > len([]rune(strings.TrimSpace(in.Text))) {
		return errors.New("/text: it is longer than the original, and the tone is concise: make it shorter")
	}
	return keptVerbatim("/text", in.Text, r.Text)
}
