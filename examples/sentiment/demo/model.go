package main

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// demoModelName is what the offline model calls itself in sampling results,
// so no report or log can mistake it for a real LLM.
const demoModelName = "offline-demo-model (keyword counter, not an LLM)"

// demoModel answers sampling requests offline. It classifies by counting
// keywords, and it misbehaves the way real models do: it wraps its JSON in
// prose and a Markdown fence, capitalizes the enum value, and on its first
// try gives the confidence as a percentage, which the schema's maximum of 1
// refuses, so the runtime must re-ask.
type demoModel struct {
	transcript func(format string, args ...any)
}

func (m demoModel) CreateMessage(ctx context.Context, req *mcp.CreateMessageRequest) (*mcp.CreateMessageResult, error) {
	msgs := req.Params.Messages
	if len(msgs) == 0 {
		return nil, fmt.Errorf("demo model: the request has no messages")
	}
	text := textOf(msgs[0].Content)
	label, confidence := classify(fencedText(text))
	var answer string
	if len(msgs) == 1 {
		answer = fmt.Sprintf("Sure! Here is my analysis:\n```json\n{\"sentiment\": %q, \"confidence\": %d}\n```\nLet me know if you need anything else.",
			capitalize(label), int(confidence*100+0.5))
		m.transcript("asked to classify the text; answers with a percentage instead of a fraction:\n%s", indent(answer))
	} else {
		answer = fmt.Sprintf("```json\n{\"sentiment\": %q, \"confidence\": %.2f}\n```", capitalize(label), confidence)
		m.transcript("told why its answer was refused:\n%s\nanswers again:\n%s", indent(textOf(msgs[len(msgs)-1].Content)), indent(answer))
	}
	return &mcp.CreateMessageResult{
		Role:       "assistant",
		Model:      demoModelName,
		StopReason: "endTurn",
		Content:    &mcp.TextContent{Text: answer},
	}, nil
}

var (
	fence = regexp.MustCompile("(?s)(`{3,})\n(.*)\n`{3,}")
	words = regexp.MustCompile(`[\p{L}']+`)
)

// fencedText is the text to classify: the prompt puts it inside a fence.
func fencedText(prompt string) string {
	if m := fence.FindStringSubmatch(prompt); m != nil {
		return m[2]
	}
	return prompt
}

var lexicon = map[string]int{
	"love": 2, "loved": 2, "great": 2, "excellent": 2, "amazing": 2, "wonderful": 2, "fantastic": 2, "best": 2,
	"good": 1, "like": 1, "liked": 1, "happy": 1, "nice": 1, "fast": 1, "thanks": 1, "glad": 1, "enjoy": 1,
	"hate": -2, "hated": -2, "terrible": -2, "awful": -2, "worst": -2, "horrible": -2, "broken": -2, "useless": -2,
	"bad": -1, "slow": -1, "sad": -1, "angry": -1, "disappointed": -1, "never": -1, "late": -1, "poor": -1, "not": -1,
}

func classify(text string) (string, float64) {
	score := 0
	for _, w := range words.FindAllString(strings.ToLower(text), -1) {
		score += lexicon[w]
	}
	confidence := min(0.55+0.12*float64(abs(score)), 0.97)
	switch {
	case score > 0:
		return "positive", confidence
	case score < 0:
		return "negative", confidence
	default:
		return "neutral", 0.6
	}
}

func textOf(c mcp.Content) string {
	if t, ok := c.(*mcp.TextContent); ok {
		return t.Text
	}
	return ""
}

func capitalize(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

func abs(n int) int { return max(n, -n) }

func indent(s string) string { return "      " + strings.ReplaceAll(s, "\n", "\n      ") }
