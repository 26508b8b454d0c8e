package answer

import (
	"fmt"
	"strings"

	"github.com/google/jsonschema-go/jsonschema"
)

// Text is Parse for an output that is plain text: a summary, a translation,
// a reply. Use it where the output schema is {"type": "string"}, with or
// without length bounds and a pattern, but without enum or const; an enum
// answer goes through Parse, which matches "Positive" to "positive" and
// finds the value in prose, where Text takes the text as it stands.
//
// The model's text is the value, verbatim, except that:
//   - reasoning blocks are set aside as Parse does them ([KindThink]);
//   - JSON white space is trimmed at both ends (without a repair);
//   - an answer that is one Markdown fence and nothing else gives the
//     fence's content ([KindFence]);
//   - an answer that is exactly one JSON string literal (the model quoted
//     it anyway), alone or in a json fence, gives the string ([KindQuoted]).
//
// A stop reason of [StopMaxTokens] is an *Error matching [ErrTruncated],
// however whole the text looks: a cut summary is not a whole value. An
// empty answer, one longer than [MaxInputBytes], and one the schema rejects
// (minLength, maxLength, pattern, ...) are *Errors too, worded as Parse
// words them. On error the repairs are those made before it.
func Text(text, stopReason string, schema *jsonschema.Resolved) (string, []Repair, error) {
	s, repairs, err := planFor(schema).text(text, stopReason)
	return s, capRepairs(repairs), err
}

func (p *plan) text(text, stopReason string) (string, []Repair, error) {
	if p.loops {
		return "", nil, &Error{Msg: "the output schema refers to itself without end; no answer can be checked against it"}
	}
	if len(text) > MaxInputBytes {
		return "", nil, &Error{Msg: fmt.Sprintf("the answer is %d bytes long, more than the %d this parser reads; answer more briefly", len(text), MaxInputBytes)}
	}
	body, repairs, openThink := stripThink(text)
	if stopReason == StopMaxTokens {
		return "", repairs, &Error{Truncated: true, Msg: "the answer was cut off at the token limit; answer again, more briefly"}
	}
	s := strings.Trim(body, jsonSpace)
	if openThink && s == "" {
		return "", repairs, &Error{Msg: "the answer is all reasoning: a <think> block was never closed and no answer comes before it; close the block, then give the answer"}
	}
	if inner, lang, ok := wholeFence(s); ok {
		detail := "took the text from a Markdown fence"
		if lang != "" {
			detail += " (" + clip(lang, showMax) + ")"
		}
		repairs = append(repairs, Repair{Kind: KindFence, Detail: detail})
		s = inner
		if strings.EqualFold(lang, "json") {
			if str, ok := stringLiteral(s); ok {
				repairs = append(repairs, Repair{Kind: KindQuoted, Detail: "read the JSON string in the fence as the text"})
				s = str
			}
		}
	} else if str, ok := stringLiteral(s); ok {
		repairs = append(repairs, Repair{Kind: KindQuoted, Detail: "read the answer, a JSON string, as the text it holds"})
		s = str
	}
	if s == "" {
		return "", repairs, &Error{Msg: "the answer is empty; answer with the text itself"}
	}
	var chk checker
	if chk.run(s, p.root, true) == nil && (!p.library || p.rs.Validate(s) == nil) && p.dateTimeError(s) == nil {
		return s, repairs, nil
	}
	if e := p.judge(&chk, s); e != nil {
		return "", repairs, e
	}
	return s, repairs, nil
}

// stringLiteral reads s as exactly one strict JSON string literal.
func stringLiteral(s string) (string, bool) {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return "", false
	}
	sc := scanner{s: s}
	if strings.IndexByte(s, '\\') >= 0 {
		// One allocation for the unescaped text, however long.
		sc.buf = make([]byte, 0, len(s))
	}
	str, ok := sc.str()
	return str, ok && sc.i == len(s)
}

// wholeFence reports whether s is one Markdown fence and nothing else: an
// opening line of three or more backticks or tildes, a closing line of at
// least as many of the same as the last line, and no closing line between
// them. body is the fence's content, JSON white space trimmed; lang its
// info string.
func wholeFence(s string) (body, lang string, ok bool) {
	first := strings.IndexByte(s, '\n')
	last := strings.LastIndexByte(s, '\n')
	if first < 0 {
		return "", "", false
	}
	open := strings.TrimSpace(s[:first])
	marker, n := fenceMarker(open)
	if n == 0 {
		return "", "", false
	}
	lang = strings.TrimSpace(open[n:])
	if marker == '`' && strings.IndexByte(lang, '`') >= 0 {
		return "", "", false // inline code, not a fence
	}
	closes := func(line string) bool {
		line = strings.TrimSpace(line)
		m, k := fenceMarker(line)
		return m == marker && k >= n && strings.TrimSpace(line[k:]) == ""
	}
	if !closes(s[last+1:]) {
		return "", "", false
	}
	if last == first {
		return "", lang, true
	}
	inner := s[first+1 : last]
	for rest := inner; rest != ""; {
		line := rest
		if i := strings.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = ""
		}
		if closes(line) {
			return "", "", false // two fences, or a fence and more text
		}
	}
	return strings.Trim(inner, jsonSpace), lang, true
}
