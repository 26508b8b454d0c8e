package answer

import (
	"fmt"
	"slices"
	"strings"
)

// A candidate is a piece of the answer that may be the value.
type candidate struct {
	text   string
	origin Repair // how it was taken out of the answer; Kind "" for the whole text
	// complete is false where something suggests the value was cut off: an
	// unclosed fence or tag, a span inside an unclosed bracket. Incomplete
	// candidates are never taken from an answer stopped at the token limit.
	complete bool
	prose    bool // read the text as a bare string, not as JSON
	base     int  // the weight of origin
}

// Tags whose content is reasoning, not the answer.
var thinkTags = []string{"think", "thinking", "reasoning", "reflection", "thought", "scratchpad"}

// Tags models put their answer in.
var answerTags = []string{"answer", "final_answer", "final", "output", "result", "response", "json"}

// stripThink sets aside reasoning blocks, whose braces and words are not the
// answer: <think>...</think> and the like, and everything before a closing
// </think> that has no opening tag (models whose template opens the block
// in the prompt). open reports a block that was never closed: everything
// after it was set aside.
func stripThink(text string) (body string, repairs []Repair, open bool) {
	if strings.IndexByte(text, '<') < 0 {
		return text, nil, false
	}
	body = text
	for _, tag := range thinkTags {
		opener, closer := "<"+tag+">", "</"+tag+">"
		// A closing tag with no opening one before it.
		if c := indexFold(body, closer); c >= 0 && indexFold(body[:c], opener) < 0 {
			body = body[c+len(closer):]
			repairs = append(repairs, Repair{Kind: KindThink, Detail: fmt.Sprintf("set aside the reasoning before %s", closer)})
		}
		o := indexFold(body, opener)
		if o < 0 {
			continue
		}
		var b strings.Builder
		b.Grow(len(body) - len(opener)) // one allocation, however long the text
		rest, blocks := body, 0
		for o >= 0 {
			b.WriteString(rest[:o])
			c := indexFold(rest[o:], closer)
			if c < 0 {
				open = true
				rest = ""
				break
			}
			blocks++
			rest = rest[o+c+len(closer):]
			o = indexFold(rest, opener)
		}
		b.WriteString(rest)
		body = b.String()
		switch {
		case blocks == 1:
			repairs = append(repairs, Repair{Kind: KindThink, Detail: fmt.Sprintf("set aside a %s block", opener)})
		case blocks > 1:
			repairs = append(repairs, Repair{Kind: KindThink, Detail: fmt.Sprintf("set aside %d %s blocks", blocks, opener)})
		}
		if open {
			repairs = append(repairs, Repair{Kind: KindThink, Detail: fmt.Sprintf("set aside an unclosed %s block and all after it", opener)})
		}
	}
	return body, repairs, open
}

// indexFold is strings.Index ignoring ASCII case; sub is lower case.
func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		j := strings.IndexByte(s[i:], sub[0])
		if j < 0 {
			return -1
		}
		i += j
		if i+len(sub) <= len(s) && strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

// tagged finds the content of answer tags: <answer>...</answer> and the
// like.
func tagged(text string) []candidate {
	if strings.IndexByte(text, '<') < 0 {
		return nil
	}
	var out []candidate
	for _, tag := range answerTags {
		rest := text
		for {
			o := indexFold(rest, "<"+tag+">")
			if o < 0 {
				break
			}
			rest = rest[o+len(tag)+2:]
			c := indexFold(rest, "</"+tag+">")
			content := rest
			if c >= 0 {
				content, rest = rest[:c], rest[c:]
			}
			out = append(out, candidate{
				text:     strings.TrimSpace(content),
				origin:   Repair{Kind: KindTag, Detail: fmt.Sprintf("took the answer from a <%s> tag", tag)},
				complete: c >= 0,
				base:     weight(KindTag),
			})
			if c < 0 || len(out) >= MaxCandidates {
				break
			}
		}
	}
	return out
}

type fence struct {
	body   string
	lang   string
	closed bool
}

// fences finds Markdown code fences: a line starting with three or more
// backticks or tildes, up to a line with at least as many of the same.
func fences(text string) []fence {
	if !strings.Contains(text, "```") && !strings.Contains(text, "~~~") {
		return nil
	}
	var out []fence
	// line returns the line starting at i, trimmed, and where the next starts.
	line := func(i int) (string, int) {
		j := strings.IndexByte(text[i:], '\n')
		if j < 0 {
			return strings.TrimSpace(text[i:]), len(text)
		}
		return strings.TrimSpace(text[i : i+j]), i + j + 1
	}
	for i := 0; i < len(text); {
		open, next := line(i)
		marker, n := fenceMarker(open)
		i = next
		if n == 0 {
			continue
		}
		bodyStart, bodyEnd := i, len(text)
		closed := false
		for i < len(text) {
			l, next := line(i)
			if m, k := fenceMarker(l); k >= n && m == marker && strings.TrimSpace(l[k:]) == "" {
				bodyEnd, closed = i, true
				i = next
				break
			}
			i = next
		}
		out = append(out, fence{body: strings.TrimSpace(text[bodyStart:bodyEnd]), lang: strings.TrimSpace(open[n:]), closed: closed})
		if len(out) >= MaxCandidates {
			break
		}
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

// A span is a balanced {...} or [...] in the text.
type span struct {
	start, end int
	top        bool // no bracket was open around it
}

// spans finds the outermost balanced {...} and [...] spans in one pass,
// skipping brackets inside double-quoted strings. dangling reports that the
// text ended inside a bracket or a string: something was cut off.
func spans(text string) (out []span, dangling bool) {
	type open struct {
		at     int
		closer byte
	}
	var stack []open
	inString := false
	for i := 0; i < len(text); i++ {
		c := text[i]
		if inString {
			switch c {
			case '\\':
				i++
			case '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			// Quotes count only inside brackets: prose has stray ones.
			inString = len(stack) > 0
		case '{':
			stack = append(stack, open{i, '}'})
		case '[':
			stack = append(stack, open{i, ']'})
		case '}', ']':
			// Look a few openers down for the match; further down, the
			// closer is a stray (and looking further would be quadratic).
			k := len(stack) - 1
			for k >= 0 && k >= len(stack)-4 && stack[k].closer != c {
				k--
			}
			if k < 0 || stack[k].closer != c {
				continue
			}
			// Openers above the match were never closed: drop them.
			start := stack[k].at
			stack = stack[:k]
			s := span{start: start, end: i + 1, top: len(stack) == 0}
			// Keep only outermost spans: this one contains any kept since
			// its start.
			for len(out) > 0 && out[len(out)-1].start > start {
				out = out[:len(out)-1]
			}
			out = append(out, s)
		}
	}
	return out, len(stack) > 0 || inString
}

// balanced reports whether text is one bracketed value whose brackets and
// double quotes close, nested at most MaxDepth deep: the shape a syntax
// repair may work on without completing anything.
func balanced(text string) bool {
	if text == "" || (text[0] != '{' && text[0] != '[') {
		return false
	}
	var stack []byte
	inString := false
	for i := 0; i < len(text); i++ {
		c := text[i]
		if inString {
			switch c {
			case '\\':
				i++
			case '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '{':
			stack = append(stack, '}')
		case '[':
			stack = append(stack, ']')
		case '}', ']':
			if len(stack) == 0 || stack[len(stack)-1] != c {
				return false
			}
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				// One value: "[1] and [2]" is two, and no repair's to join.
				return strings.Trim(text[i+1:], jsonSpace) == ""
			}
		}
		if len(stack) > MaxDepth {
			return false
		}
	}
	return len(stack) == 0 && !inString
}

// candidates lists the places the value may be, cheapest first: the whole
// text, answer tags and fences, spans of brackets in prose, then the bare
// text of the answer and its tags read as a string (for enum answers).
func candidates(body string, truncated, prose bool) []candidate {
	trimmed := strings.Trim(body, jsonSpace)
	cs := []candidate{{text: trimmed, complete: true}}
	cs = append(cs, tagged(trimmed)...)
	for _, f := range fences(trimmed) {
		detail := "took the JSON from a Markdown fence"
		if f.lang != "" {
			detail += " (" + f.lang + ")"
		}
		cs = append(cs, candidate{text: f.body, origin: Repair{Kind: KindFence, Detail: detail}, complete: f.closed, base: weight(KindFence)})
	}
	ss, dangling := spans(trimmed)
	for _, s := range ss {
		cs = append(cs, candidate{
			text:   trimmed[s.start:s.end],
			origin: Repair{Kind: KindProse, Detail: "took the JSON from the text around it"},
			// A span is whole only if no bracket was open around it and the
			// answer did not stop inside another one.
			complete: s.top && !dangling,
			base:     weight(KindProse),
		})
		if len(cs) >= MaxCandidates {
			break
		}
	}
	if prose && !truncated {
		n := len(cs)
		for _, c := range cs[:n] {
			// Only prose is read as prose: text that starts like JSON
			// and does not read as JSON is broken JSON, not an answer in
			// words.
			if c.origin.Kind != "" && c.origin.Kind != KindTag || len(c.text) > MaxProseBytes || c.text == "" || strings.IndexByte(`{["`, c.text[0]) >= 0 {
				continue
			}
			c.prose = true
			c.base += weight(KindBareText)
			cs = append(cs, c)
		}
	}
	if len(cs) > MaxCandidates {
		cs = cs[:MaxCandidates]
	}
	// Same text, same outcome: keep the cheapest.
	out := cs[:0]
	for _, c := range cs {
		if !slices.ContainsFunc(out, func(o candidate) bool { return o.prose == c.prose && o.text == c.text }) {
			out = append(out, c)
		}
	}
	return out
}
