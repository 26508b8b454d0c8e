// Package outputs is a samplegen test case: outputs that are not objects
// (plain text, an enum, a list, a number, a boolean), of sampling tools and
// of function tools.
package outputs

import (
	"context"
	"errors"
	"strings"

	"github.com/samplegen/samplegen/runtime"
)

// Summarize writes a short summary of a text: a text output, the model's
// plain text, of at most 400 characters.
//
//samplegen:tool summarize
//samplegen:prompt summarize.tmpl
//samplegen:output Summary maxLength=400
//samplegen:params temperature=0.3 max_tokens=200
type Summarize struct {
	Text string `json:"text" jsonschema:"minLength=1"`
}

// Summary is a few sentences of plain text.
type Summary string

// Validate refuses a summary of only white space.
func (s Summary) Validate() error {
	if strings.TrimSpace(string(s)) == "" {
		return errors.New("the summary is empty")
	}
	return nil
}

// Headline writes a headline for a text: a predeclared string output.
//
//samplegen:tool headline
//samplegen:prompt const=headlinePrompt
//samplegen:output string minLength=1,maxLength=80,description=A headline\, without a final period
type Headline struct {
	Text string `json:"text"`
}

const headlinePrompt = `Write a headline for this text:

{{fence .Text}}`

// ReadMood says how the writer of a text feels: an enum output, which
// falls back to neutral.
//
//samplegen:tool read_mood
//samplegen:prompt const=moodPrompt
//samplegen:output Mood default=neutral
type ReadMood struct {
	Text string `json:"text"`
}

const moodPrompt = `How does the writer of this text feel? Answer one of:
{{enum ""}}

{{fence .Text}}`

// Mood is how a writer feels.
type Mood string

const (
	Happy   Mood = "happy"   // pleased, grateful or excited
	Upset   Mood = "upset"   // angry, sad or disappointed
	Neutral Mood = "neutral" // neither, or no feelings shown
)

// Extract lists the action items of a meeting's notes: a list of structs.
//
//samplegen:tool extract
//samplegen:prompt const=extractPrompt
//samplegen:output Items maxItems=20
type Extract struct {
	Notes string `json:"notes"`
}

const extractPrompt = `List the action items of these notes, each with its kind:
{{enum "[].kind"}}

{{fence .Notes}}`

// Items are action items, in the order of the notes.
type Items []Item

// An Item is one thing to do.
type Item struct {
	Task  string `json:"task" jsonschema:"minLength=1"`
	Owner string `json:"owner,omitempty"`
	Kind  Kind   `json:"kind"`
}

// Kind is what sort of action an item is.
type Kind string

const (
	Fix    Kind = "fix"    // something is broken
	Build  Kind = "build"  // something new
	Decide Kind = "decide" // a choice to make
)

// Rate says how sure of itself a claim sounds: a number output.
//
//samplegen:tool rate
//samplegen:prompt const=ratePrompt
//samplegen:output float64 minimum=0,maximum=1
type Rate struct {
	Claim string `json:"claim"`
}

const ratePrompt = `From 0 to 1, how sure of itself does this claim sound?

{{fence .Claim}}`

// IsSpam says whether a message is spam: a boolean output.
//
//samplegen:tool is_spam
//samplegen:prompt const=spamPrompt
//samplegen:output Spam
type IsSpam struct {
	Message string `json:"message"`
}

const spamPrompt = `Is this message spam? Answer true or false.

{{fence .Message}}`

// Spam is whether a message is spam.
type Spam bool

// CountItems counts the action items of a meeting's notes: a function tool
// whose output is a predeclared type.
//
//samplegen:tool count_items
func CountItems(ctx context.Context, s runtime.Sampler, in Extract) (int, error) {
	items, err := SampleExtract(ctx, s, in)
	return len(items), err
}

// Tally counts the action items of a meeting's notes by kind: a function
// tool whose output is a map.
//
//samplegen:tool tally
func TallyItems(ctx context.Context, s runtime.Sampler, in Extract) (Tally, error) {
	items, err := SampleExtract(ctx, s, in)
	if err != nil {
		return nil, err
	}
	t := Tally{}
	for _, it := range items {
		t[string(it.Kind)]++
	}
	return t, nil
}

// Tally is a count by kind.
type Tally map[string]int

// Prioritize reads the mood of a message and decides in Go how soon to
// answer it: a function tool whose output is an integer enum.
//
//samplegen:tool prioritize
func Prioritize(ctx context.Context, s runtime.Sampler, in ReadMood) (Priority, error) {
	mood, err := SampleReadMood(ctx, s, in)
	if err != nil {
		return 0, err
	}
	if mood == Upset {
		return High, nil
	}
	return Low, nil
}

// Priority is how soon to answer.
type Priority int

const (
	Low  Priority = iota + 1 // this week
	High                     // today
)

// Brief summarizes a text: a function tool whose output is a text type.
//
//samplegen:tool brief
func Brief(ctx context.Context, s runtime.Sampler, in Summarize) (Summary, error) {
	return SampleSummarize(ctx, s, in)
}

// ListOwners lists who owns the action items of a meeting's notes: a
// function tool whose output is an alias of a list.
//
//samplegen:tool list_owners
func ListOwners(ctx context.Context, s runtime.Sampler, in Extract) (Owners, error) {
	items, err := SampleExtract(ctx, s, in)
	owners := Owners{}
	for _, it := range items {
		if it.Owner != "" {
			owners = append(owners, it.Owner)
		}
	}
	return owners, err
}

// Owners are names.
type Owners = []string
