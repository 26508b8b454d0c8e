package answer

import (
	"fmt"
	"regexp"
	"strings"
)

// A candidate is a piece of the answer that may be the JSON value.
type candidate struct {
	text     string
	repair   *Repair // how it was taken out of the answer; nil for the whole text
	complete bool    // nothing suggests the value was cut off
}

var thinkBlock = regexp.MustCompile(`(?is)<(think|thinking|reasoning|reflection)>.*?</(?:think|thinking|reasoning|reflection)>`)

// stripThink sets aside reasoning blocks, whose braces and words are not the
// answer.
func stripThink(text string) (string, []Repair) {
	var repairs []Repair
	out := thinkBlock.ReplaceAllStringFunc(text, func(m string) string {
		tag := m[1:strings.IndexByte(m, '>')]
		repairs = append(repairs, Repair{Kind: KindThink, Detail: fmt.Sprintf("set aside a <%s> block", strings.ToLower(tag))})
		return ""
	})
	return out, repairs
}

// candidates lists the places the value may be, most literal first.
func candidates(text string) []candidate {
	trimmed := strings.TrimSpace(text)
	cs := []candidate{{text: trimmed, complete: true}}
	for _, f := range fences(trimmed) {
		cs = append(cs, candidate{
			text:     f.body,
			repair:   &Repair{Kind: KindFence, Detail: "took the JSON from a Markdown fence" + f.lang},
			complete: f.closed,
		})
	}
	for _, s := range spans(trimmed) {
		if s == trimmed {
			continue
		}
		cs = append(cs, candidate{
			text:   s,
			repair: &Repair{Kind: KindProse, Detail: "took the JSON from the text around it"},
			// A span out of prose may be the inner part of a value that was
			// cut off; it is never taken from a truncated answer.
			complete: false,
		})
	}
	return cs
}

type fence struct {
	body   string
	lang   string // " (json)" or ""
	closed bool
}

// fences finds Markdown code fences: a line starting with three or more
// backticks or tildes, up to a line with at least as many of the same.
func fences(text string) []fence {
	var out []fence
	lines := strings.SplitAfter(text, "\n")
	for i := 0; i < len(lines); i++ {
		open := strings.TrimSpace(lines[i])
		marker, n := fenceMarker(open)
		if n == 0 {
			continue
		}
		lang := strings.TrimSpace(open[n:])
		var body strings.Builder
		closed := false
		j := i + 1
		for ; j < len(lines); j++ {
			l := strings.TrimSpace(lines[j])
			if m, k := fenceMarker(l); k >= n && m == marker && strings.TrimSpace(l[k:]) == "" {
				closed = true
				break
			}
			body.WriteString(lines[j])
		}
		f := fence{body: strings.TrimSpace(body.String()), closed: closed}
		if lang != "" {
			f.lang = " (" + lang + ")"
		}
		out = append(out, f)
		i = j
	}
	return out
}

func fenceMarker(line string) (byte, int) {
	if len(line) < 3 || (line[0] != '`' && line[0] != '~') {
		return 0, 0
	}
	n := 0
	for n < len(line) && line[n] == line[0] {
		n++
	}
	if n < 3 {
		return 0, 0
	}
	return line[0], n
}

// spans finds the outermost balanced {...} and [...] spans, skipping brackets
// inside strings.
func spans(text string) []string {
	var out []string
	for i := 0; i < len(text); i++ {
		if text[i] != '{' && text[i] != '[' {
			continue
		}
		if end := matchBracket(text, i); end > 0 {
			out = append(out, text[i:end])
			i = end - 1
		}
	}
	return out
}

// matchBracket returns the index just past the bracket that closes the one at
// start, or -1.
func matchBracket(text string, start int) int {
	var stack []byte
	inString := byte(0)
	for i := start; i < len(text); i++ {
		c := text[i]
		if inString != 0 {
			switch c {
			case '\\':
				i++
			case inString:
				inString = 0
			}
			continue
		}
		switch c {
		case '"':
			inString = c
		case '{':
			stack = append(stack, '}')
		case '[':
			stack = append(stack, ']')
		case '}', ']':
			if len(stack) == 0 || stack[len(stack)-1] != c {
				return -1
			}
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				return i + 1
			}
		}
	}
	return -1
}

// dropTrailingCommas removes commas that stand just before } or ], outside
// strings, and says how many it removed.
func dropTrailingCommas(text string) (string, int) {
	var b strings.Builder
	n := 0
	inString := false
	for i := 0; i < len(text); i++ {
		c := text[i]
		if inString {
			b.WriteByte(c)
			switch c {
			case '\\':
				if i+1 < len(text) {
					i++
					b.WriteByte(text[i])
				}
			case '"':
				inString = false
			}
			continue
		}
		if c == '"' {
			inString = true
		}
		if c == ',' {
			j := i + 1
			for j < len(text) && strings.IndexByte(" \t\r\n", text[j]) >= 0 {
				j++
			}
			if j < len(text) && (text[j] == '}' || text[j] == ']') {
				n++
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String(), n
}
