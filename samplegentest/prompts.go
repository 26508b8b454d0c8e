package samplegentest

import (
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/samplegen/samplegen/prompt"
)

// Excerpt is what a prompt's {{excerpt n .}} shows of text, for a test
// that checks a prompt holds a text as it should: the text fenced, cut to
// its first n characters and "…" when it is longer, without the line
// after the fence that says how much was cut. It is written apart from
// the prompt package's excerpt, so that a test of one against the other
// can fail.
func Excerpt(n int, text string) string {
	if r := []rune(text); len(r) > n {
		text = string(r[:n]) + "…"
	}
	return prompt.Fence(text)
}

// Asked returns the text of the last message of the script's i-th
// request, from 0: the prompt of a first ask, or, for a re-ask, what the
// tool told the model was wrong with its answer. It is "" when there is
// no such request.
func (s *Script) Asked(i int) string {
	reqs := s.Requests()
	if i < 0 || i >= len(reqs) || len(reqs[i].Messages) == 0 {
		return ""
	}
	var b strings.Builder
	for _, c := range reqs[i].Messages[len(reqs[i].Messages)-1].Content {
		if t, ok := c.(*mcp.TextContent); ok {
			b.WriteString(t.Text)
		}
	}
	return b.String()
}
