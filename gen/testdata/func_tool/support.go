// Package support is a samplegen test case: function tools, which call the
// SampleX functions of sampling tools and plain Go in between.
package support

import (
	"context"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
)

// Summarize summarizes a ticket's text in one sentence and reads its mood.
//
//samplegen:tool summarize
//samplegen:prompt const=summarizePrompt
//samplegen:output Summary
type Summarize struct {
	Text string `json:"text"`
}

const summarizePrompt = `Summarize in one sentence, and say the mood: {{fence .Text}}`

// Summary is a one-sentence summary.
type Summary struct {
	Text string `json:"text"`
	Mood Mood   `json:"mood"`
}

// Mood is how the customer feels.
type Mood string

const (
	Calm  Mood = "calm"  // no urgency in the words
	Angry Mood = "angry" // complaints, threats, capitals
)

// Ticket is a support request.
type Ticket struct {
	Subject string `json:"subject" jsonschema:"minLength=1"`
	Body    string `json:"body"`
}

// TriageResult says what to do with a ticket.
type TriageResult struct {
	Summary  string `json:"summary"`
	Escalate bool   `json:"escalate"`
	Queue    string `json:"queue"`
}

// Triage reads a ticket, asks the model for a summary and the customer's
// mood, and decides in Go where the ticket goes.
//
// Angry customers go to a person.
//
//samplegen:tool triage
//samplegen:title Triage a support ticket
func Triage(ctx context.Context, s runtime.Sampler, in Ticket) (TriageResult, error) {
	sum, err := SampleSummarize(ctx, s, Summarize{Text: in.Subject + "\n\n" + in.Body})
	if err != nil {
		return TriageResult{}, err
	}
	res := TriageResult{Summary: sum.Text, Queue: "bots"}
	if sum.Mood == Angry || strings.Contains(strings.ToLower(in.Subject), "refund") {
		res.Escalate, res.Queue = true, "people"
	}
	return res, nil
}

// hint is an unexported function tool whose input and output types come
// from another package.
//
//samplegen:tool model.hint
func hint(_ context.Context, _ runtime.Sampler, in mcp.ModelHint) (mcp.ModelPreferences, error) {
	return mcp.ModelPreferences{Hints: []*mcp.ModelHint{&in}, SpeedPriority: 1}, nil
}
