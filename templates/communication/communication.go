// Package communication is samplegen's ready tool for writing to people:
// draft_reply drafts the next message of a conversation, for one side of
// it, with a goal and a tone.
//
// # Tools
//
// draft_reply (input [DraftReply], output [Reply]) reads a conversation
// whose messages each carry a [Role]: written by the side the reply is
// drafted for ([Self]), by the side it goes to ([Other]), or an internal
// note the other side never saw ([Note]). It returns the reply's text, a
// subject line for an email ([Channel]), and the language of the reply,
// which is that of the other side's last message. The draft is checked where
// models go wrong: it is not empty; it is one message from one side, with
// no "Customer:" or "Dana:" line that writes the other side's part; it
// quotes no internal note (eight words in a row of one); it has a subject
// for an email and none elsewhere; it keeps to the words asked for (a
// tenth over passes) and is signed with the name asked for. A draft that
// fails is sent back to the model with what is wrong.
//
// # Adding the tool
//
// A server adds it with
//
//	communication.AddTools(srv)
//
// or AddDraftReply(srv); Go code calls SampleDraftReply with any
// runtime.Sampler. samplegen init -tool communication copies this package
// into a new server, where its prompt (reply.tmpl) is yours to change:
// run go generate after a change.
//
// # Testing
//
// The package's Example calls SampleDraftReply with a scripted model
// (samplegentest.Answers) that answers as models do, and needs no network;
// its tests do the same with answers a re-ask must fix, and serve the
// tools on both protocol eras (samplegentest.Serve). testdata holds a
// labelled dataset for each tool, testdata/<tool>.jsonl, one case a line:
// {"id": ..., "args": the tool's input, "want": the fields of a right
// answer that can be checked}.
package communication

import (
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/samplegen/samplegen/sampling"
	"github.com/samplegen/samplegen/textcheck"
)

//go:generate go tool samplegen

// DefaultMaxWords is the length of a reply when the input does not say.
const DefaultMaxWords = 200

// DraftReply drafts the next message of a conversation for one side of it,
// with a goal and a tone.
//
//samplegen:tool draft_reply
//samplegen:title Draft a reply
//samplegen:prompt reply.tmpl
//samplegen:output Reply
//samplegen:params temperature=0.5 max_tokens=1500 truncated_max_tokens=3000 retries=2 timeout=60s
type DraftReply struct {
	Conversation []Message `json:"conversation" jsonschema:"description=The messages so far oldest first,minItems=1,maxItems=40"`
	Goal         string    `json:"goal,omitempty" jsonschema:"description=What the reply should achieve such as offer a refund or ask for the order number,maxLength=500"`
	Tone         Tone      `json:"tone,omitempty" jsonschema:"description=How the reply should sound,default=friendly"`
	Channel      Channel   `json:"channel,omitempty" jsonschema:"description=Where the reply is sent,default=email"`
	MaxWords     int       `json:"max_words,omitempty" jsonschema:"description=The longest reply in words; 200 when absent,minimum=10,maximum=1000"`
	SignAs       string    `json:"sign_as,omitempty" jsonschema:"description=The name to sign the reply with; no signature when empty,maxLength=80"`
}

// Message is one message of a conversation.
type Message struct {
	Role Role   `json:"role"`
	Name string `json:"name,omitempty" jsonschema:"description=Who wrote it as the conversation shows it,maxLength=80"`
	Text string `json:"text" jsonschema:"minLength=1,maxLength=8000"`
}

// Role is which side of a conversation a message comes from.
type Role string

const (
	Self  Role = "self"  // the side the reply is drafted for: its earlier messages
	Other Role = "other" // the side the reply goes to
	Note  Role = "note"  // an internal note of the drafting side, which the other side never saw
)

// Tone is how a reply sounds.
type Tone string

const (
	Friendly   Tone = "friendly"   // warm and personal, in plain words
	Formal     Tone = "formal"     // courteous and impersonal, full sentences, no contractions
	Neutral    Tone = "neutral"    // matter-of-fact, neither warm nor cold
	Apologetic Tone = "apologetic" // own the problem and say sorry once, then say how it is fixed
	Firm       Tone = "firm"       // polite, but do not give way: state the decision and the reason
)

// Channel is where a reply is sent.
type Channel string

const (
	Email  Channel = "email"  // a subject line, a greeting and paragraphs
	Chat   Channel = "chat"   // short lines, no subject and no greeting ceremony
	Ticket Channel = "ticket" // a support ticket's reply: no subject, paragraphs
)

// Reply is what draft_reply returns.
type Reply struct {
	Subject string `json:"subject,omitempty" jsonschema:"description=The subject line for an email; empty for other channels,maxLength=120"`
	Text    string `json:"text" jsonschema:"description=The reply itself ready to send,minLength=1,maxLength=8000"`
	// Language lets a caller check that the reply is in the language it
	// answers, as the prompt asks.
	Language string `json:"language" jsonschema:"description=The ISO 639-1 code of the language the reply is written in such as en or de,pattern=^[a-z]{2}$"`
}

// turnLabel matches a line that opens a turn of a transcript, "Customer:"
// or "Assistant:", the way a model writes the other side's part when it
// continues a conversation instead of replying to it. Words a reply uses
// as labels of its own ("Note:", "Support: support@example.com") are not
// in the list.
var turnLabel = regexp.MustCompile(`(?im)^[ \t>*_]*(user|assistant|customer|agent|human|ai|bot|system|other|self)[ \t*_]*:`)

// validateText checks that the reply says something and is one message
// from one side. A turn label is a transcript's when it opens the reply,
// when the words after it are spoken (a sentence, ending in . ! or ?),
// or when a second line opens with one too; a line of the reply that only
// names a value ("System: Windows 11", "User: dana@example.com") is not.
// Validate checks the names of the conversation's other side apart.
func (r Reply) validateText() error {
	text := strings.TrimSpace(r.Text)
	if text == "" {
		return errors.New("/text: the reply is empty: write the message to send")
	}
	locs := turnLabel.FindAllStringIndex(text, -1)
	for _, loc := range locs {
		said, _, _ := strings.Cut(text[loc[1]:], "\n")
		said = strings.TrimRight(said, " \t*_")
		if loc[0] == 0 || len(locs) > 1 || strings.HasSuffix(said, ".") || strings.HasSuffix(said, "!") || strings.HasSuffix(said, "?") {
			return fmt.Errorf("/text: %q reads as a turn of a transcript: write only the reply itself, with no speaker labels and nothing in the other side's voice", strings.TrimSpace(text[loc[0]:loc[1]]))
		}
	}
	if strings.ContainsAny(r.Subject, "\r\n") {
		return errors.New("/subject: a subject is one line")
	}
	return nil
}

// WordLimit is the most words the reply may have: MaxWords, or
// DefaultMaxWords when it is 0. The prompt and Validate both use it.
func (d DraftReply) WordLimit() int { return cmp.Or(d.MaxWords, DefaultMaxWords) }

// Validate checks the reply against the conversation and the request: a
// subject for an email and none elsewhere, the length asked for, the
// signature asked for, no line in the voice of someone else in the
// conversation, and no internal note quoted to the other side.
func (r Reply) Validate(in DraftReply) error {
	if err := r.validateText(); err != nil {
		return err
	}
	var errs []error
	email := in.Channel == "" || in.Channel == Email
	switch {
	case email && strings.TrimSpace(r.Subject) == "":
		errs = append(errs, errors.New("/subject: an email needs a subject line"))
	case !email && r.Subject != "":
		errs = append(errs, fmt.Errorf("/subject: a %s reply has no subject: leave it empty", in.Channel))
	}
	limit := in.WordLimit()
	if n := textcheck.Words(r.Text); n > limit+limit/10 { // a tenth over is close enough to send
		errs = append(errs, fmt.Errorf("/text: %d words, and the reply may have at most %d: shorten it", n, limit))
	}
	if sign := strings.TrimSpace(in.SignAs); sign != "" && !strings.Contains(r.Text, sign) {
		errs = append(errs, fmt.Errorf("/text: sign the reply with the name asked for, %q", sampling.Clip(sign, textcheck.MaxQuote)))
	}
	lower := strings.ToLower(r.Text)
	names := map[string]bool{}
	for _, m := range in.Conversation {
		if name := strings.ToLower(strings.TrimSpace(m.Name)); name != "" && m.Role == Other {
			names[name] = true
		}
		if m.Role == Note {
			if quote := firstSharedRun(lower, strings.ToLower(m.Text)); quote != "" {
				errs = append(errs, fmt.Errorf("/text: it quotes an internal note (%q), which the other side must not see: say what it means for them in your own words", sampling.Clip(quote, textcheck.MaxQuote)))
			}
		}
	}
	for _, line := range strings.Split(lower, "\n") {
		line = strings.TrimLeft(line, " \t>*_-")
		for name := range names {
			if rest, ok := strings.CutPrefix(line, name); ok && strings.HasPrefix(strings.TrimLeft(rest, " *_"), ":") {
				errs = append(errs, fmt.Errorf("/text: a line opens with %q as a speaker: write only your side's message, not %s's", sampling.Clip(name, textcheck.MaxQuote)+":", sampling.Clip(name, textcheck.MaxQuote)))
				break
			}
		}
	}
	return errors.Join(errs...)
}

// quoteWords is how many words in a row of an internal note make a quote
// of it: fewer are phrases any reply shares ("your refund of").
const quoteWords = 8

// firstSharedRun returns the first run of quoteWords words of note that
// text holds, or "". It compares word runs through a set, so the work is
// linear in the two texts.
func firstSharedRun(text, note string) string {
	nw := strings.Fields(note)
	if len(nw) < quoteWords {
		return ""
	}
	tw := strings.Fields(text)
	runs := make(map[string]bool, len(tw))
	for i := 0; i+quoteWords <= len(tw); i++ {
		runs[strings.Join(tw[i:i+quoteWords], " ")] = true
	}
	for i := 0; i+quoteWords <= len(nw); i++ {
		if run := strings.Join(nw[i:i+quoteWords], " "); runs[run] {
			return run
		}
	}
	return ""
}
