package answer

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file is the first tier of syntax repair: a JSON parser that also
// reads the handful of deviations models make most often, and names each one
// it meets. On strict JSON it takes no detour, so clean answers cost one pass.
// What it cannot read goes to the second tier (repair.go).

// A fix is a kind of syntax deviation the parser read past.
type fix uint8

const (
	fixTrailingComma fix = iota
	fixComment
	fixSingleQuote
	fixSmartQuote
	fixUnquotedKey
	fixPython
	fixControl
	fixEscape
	fixUTF8
	fixDuplicate
	fixSpace
	numFixes
)

var fixInfo = [numFixes]struct {
	kind, one, many string
}{
	fixTrailingComma: {KindTrailingComma, "dropped a comma before a closing bracket", "dropped %d commas before closing brackets"},
	fixComment:       {KindComment, "dropped a comment", "dropped %d comments"},
	fixSingleQuote:   {KindQuotes, "read a string in single quotes", "read %d strings in single quotes"},
	fixSmartQuote:    {KindQuotes, "read a string in typographic quotes", "read %d strings in typographic quotes"},
	fixUnquotedKey:   {KindUnquotedKey, "read a key without quotes", "read %d keys without quotes"},
	fixPython:        {KindPython, "read a Python literal (True, False, None) as JSON", "read %d Python literals (True, False, None) as JSON"},
	fixControl:       {KindControl, "kept a raw control character (such as a newline) inside a string", "kept %d raw control characters (such as newlines) inside strings"},
	fixEscape:        {KindEscape, "read an invalid escape as the character escaped", "read %d invalid escapes as the characters escaped"},
	fixUTF8:          {KindUTF8, "replaced an invalid UTF-8 byte with U+FFFD", "replaced %d invalid UTF-8 bytes with U+FFFD"},
	fixDuplicate:     {KindDuplicateKey, "dropped a repeated key with the same value", "dropped %d repeated keys with the same values"},
	fixSpace:         {KindWhitespace, "read a non-ASCII space character as a space", "read %d non-ASCII space characters as spaces"},
}

type fixRecord struct {
	n    int
	path string // where in the value it was first met
	at   int    // where in the text
}

// A syntaxError says where and why text is not JSON the parser can read.
type syntaxError struct {
	off   int
	msg   string
	eof   bool // the text ended inside a value: it is incomplete
	limit bool // a limit was exceeded
}

// seg is one step of a path into the value: a key, or an index when key is
// unset.
type seg struct {
	key   string
	index int
	isKey bool
}

type parser struct {
	s      string
	i      int
	depth  int
	nfix   int
	fixes  [numFixes]fixRecord
	segs   []seg
	err    *syntaxError
	buf    []byte
	elems  []any    // scratch stack for array elements
	pairs  []member // scratch stack for object members
	hasMap bool     // the value holds an object
	// The integers written with a fraction or an exponent ("5.0", "1e2"),
	// as a trie of their places in the value (nil for none); trail is the
	// trie's nodes along segs, valid for the first trailOK of them.
	ints    *intTrie
	trail   []*intTrie
	trailOK int
}

// An intTrie holds the places in a parsed value of the integers written
// with a fraction or an exponent: a node for each value on the way to one.
// Coercion follows it through the value as it renames keys and wraps and
// unwraps values, so each is found where the value ends up; its size is
// at most that of the text.
type intTrie struct {
	kids  map[seg]*intTrie
	order []seg // the keys of kids, in the order of the text
	// At a leaf: the literal as written, and where it is in the text.
	leaf       bool
	lit        string
	start, end int
	f          float64
}

// child is the node of the value at s in t's, or nil.
func (t *intTrie) child(s seg) *intTrie {
	if t == nil {
		return nil
	}
	return t.kids[s]
}

// put makes u the node of the value at s in t's.
func (t *intTrie) put(s seg, u *intTrie) {
	if t.kids == nil {
		t.kids = make(map[seg]*intTrie)
	}
	if _, ok := t.kids[s]; !ok {
		t.order = append(t.order, s)
	}
	t.kids[s] = u
}

// under is a node whose value holds u's at s: for a value that coercion
// wrapped in a list or an object. It is nil when u is.
func under(s seg, u *intTrie) *intTrie {
	if u == nil {
		return nil
	}
	t := &intTrie{}
	t.put(s, u)
	return t
}

// parseText reads one JSON value that makes up the whole of s (space and
// comments around it allowed). On failure p.err says why.
func (p *parser) parseText(s string) (any, bool) {
	p.reset(s)
	if !p.space() {
		return nil, false
	}
	if p.i >= len(p.s) {
		return p.eof("expected a JSON value, found the end of the text")
	}
	v, ok := p.value()
	if !ok {
		return nil, false
	}
	if !p.space() {
		return nil, false
	}
	if p.i < len(p.s) {
		return p.fail("unexpected %s after the JSON value", p.found())
	}
	return v, true
}

func (p *parser) reset(s string) {
	clear(p.elems)
	clear(p.pairs)
	clear(p.trail)
	*p = parser{s: s, segs: p.segs[:0], buf: p.buf[:0], elems: p.elems[:0], pairs: p.pairs[:0], trail: p.trail[:0]}
}

// popSeg ends the last step of the path.
func (p *parser) popSeg() {
	p.segs = p.segs[:len(p.segs)-1]
	p.trailOK = min(p.trailOK, len(p.segs))
}

// noteInt notes an integer written with a fraction or an exponent, the
// literal s[start:end], in the trie. The nodes along the path are kept in
// trail while the parser stays under them, so the trie costs time linear
// in the text.
func (p *parser) noteInt(start, end int, f float64) {
	if p.ints == nil {
		p.ints = &intTrie{}
	}
	t := p.ints
	if p.trailOK > 0 {
		t = p.trail[p.trailOK-1]
	}
	for i := p.trailOK; i < len(p.segs); i++ {
		u := t.child(p.segs[i])
		if u == nil {
			u = &intTrie{}
			t.put(p.segs[i], u)
		}
		p.trail = append(p.trail[:i], u)
		t = u
	}
	p.trailOK = len(p.segs)
	t.leaf, t.lit, t.start, t.end, t.f = true, p.s[start:end], start, end, f
}

func (p *parser) note(f fix) {
	r := &p.fixes[f]
	if r.n == 0 {
		r.path, r.at = pointer(p.segs), p.i
	}
	r.n++
	p.nfix++
}

// repairs lists what the parser read past, one repair per kind, in the
// order first met.
func (p *parser) repairs(into []Repair) []Repair {
	if p.nfix == 0 {
		return into
	}
	var order [numFixes]fix
	k := 0
	for f := range numFixes {
		if p.fixes[f].n > 0 {
			order[k] = f
			k++
		}
	}
	slices.SortStableFunc(order[:k], func(a, b fix) int { return p.fixes[a].at - p.fixes[b].at })
	for _, f := range order[:k] {
		r := p.fixes[f]
		detail := fixInfo[f].one
		if r.n > 1 {
			detail = fmt.Sprintf(fixInfo[f].many, r.n)
		}
		into = append(into, Repair{Path: r.path, Kind: fixInfo[f].kind, Detail: detail})
	}
	return into
}

func (p *parser) fail(format string, args ...any) (any, bool) {
	p.err = &syntaxError{off: p.i, msg: fmt.Sprintf(format, args...)}
	return nil, false
}

func (p *parser) eof(msg string) (any, bool) {
	p.err = &syntaxError{off: p.i, msg: msg, eof: true}
	return nil, false
}

// found names what is at the parser's position, for error messages.
func (p *parser) found() string {
	if p.i >= len(p.s) {
		return "the end of the text"
	}
	r, _ := utf8.DecodeRuneInString(p.s[p.i:])
	return strconv.QuoteRune(r)
}

// space skips white space and comments.
func (p *parser) space() bool {
	s := p.s
	for p.i < len(s) {
		switch c := s[p.i]; {
		case c == ' ' || c == '\n' || c == '\r' || c == '\t':
			p.i++
		case c == '\f' || c == '\v':
			p.note(fixSpace)
			p.i++
		case c == '/' && p.i+1 < len(s) && s[p.i+1] == '/',
			c == '#' && p.i+1 < len(s) && (s[p.i+1] == ' ' || s[p.i+1] == '\t'):
			p.note(fixComment)
			if j := strings.IndexByte(s[p.i:], '\n'); j >= 0 {
				p.i += j + 1
			} else {
				p.i = len(s)
			}
		case c == '/' && p.i+1 < len(s) && s[p.i+1] == '*':
			j := strings.Index(s[p.i+2:], "*/")
			if j < 0 {
				p.i = len(s)
				p.eof("a /* comment is not closed")
				return false
			}
			p.note(fixComment)
			p.i += 2 + j + 2
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRuneInString(s[p.i:])
			if r != '\ufeff' && !unicode.IsSpace(r) {
				return true
			}
			p.note(fixSpace)
			p.i += n
		default:
			return true
		}
	}
	return true
}

func (p *parser) value() (any, bool) {
	s := p.s
	switch c := s[p.i]; c {
	case '{':
		return p.object()
	case '[':
		return p.array()
	case '"':
		return p.str(`"`, false)
	case '\'':
		p.note(fixSingleQuote)
		return p.str(`'`, false)
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return p.number()
	case 't':
		return p.literal("true", true, false)
	case 'f':
		return p.literal("false", false, false)
	case 'n':
		return p.literal("null", nil, false)
	case 'T':
		return p.literal("True", true, true)
	case 'F':
		return p.literal("False", false, true)
	case 'N':
		return p.literal("None", nil, true)
	}
	if strings.HasPrefix(s[p.i:], "\u201c") {
		p.note(fixSmartQuote)
		return p.str("\u201d", true)
	}
	return p.fail("expected a JSON value, found %s", p.found())
}

func isIdent(c byte) bool {
	return c == '_' || c == '$' || c == '-' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func (p *parser) literal(word string, v any, python bool) (any, bool) {
	rest := p.s[p.i:]
	if !strings.HasPrefix(rest, word) {
		if len(rest) < len(word) && strings.HasPrefix(word, rest) {
			return p.eof("the text ends inside " + word)
		}
		return p.fail("expected a JSON value, found %s", p.found())
	}
	if end := p.i + len(word); end < len(p.s) && isIdent(p.s[end]) {
		return p.fail("expected a JSON value, found %s", p.found())
	}
	if python {
		p.note(fixPython)
	}
	p.i += len(word)
	return v, true
}

// simpleEscape returns the byte a one-character JSON escape (\n, \", ...)
// stands for.
func simpleEscape(e byte) (byte, bool) {
	switch e {
	case '"', '\\', '/':
		return e, true
	case 'b':
		return '\b', true
	case 'f':
		return '\f', true
	case 'n':
		return '\n', true
	case 'r':
		return '\r', true
	case 't':
		return '\t', true
	}
	return 0, false
}

func (p *parser) number() (any, bool) {
	s, start := p.s, p.i
	end, missing := scanNumber(s, start)
	p.i = end
	switch {
	case missing != "" && end >= len(s):
		return p.eof("the text ends inside a number")
	case missing != "":
		return p.fail("expected %s, found %s", missing, p.found())
	case end < len(s) && (isIdent(s[end]) || s[end] == '.'):
		return p.fail("unexpected %s in a number", p.found())
	}
	f, err := strconv.ParseFloat(s[start:end], 64)
	if err != nil {
		p.i = start
		num := s[start:end]
		if len(num) > showMax {
			return p.fail("the number %s (%d characters) is out of range", clip(num, showMax/2), len(num))
		}
		return p.fail("the number %s is out of range", num)
	}
	if math.Abs(f) < 1e21 && f == math.Trunc(f) && strings.ContainsAny(s[start:end], ".eE") {
		p.noteInt(start, end, f)
	}
	return f, true
}

// scanNumber reads JSON's number grammar from s[i:], for the lenient parser
// and the strict scanner alike. It returns where the number ends, or where
// it went wrong and what was wanted there ("a digit", "a digit after the
// decimal point", "a digit in the exponent"); missing is "" for a number.
func scanNumber(s string, i int) (end int, missing string) {
	if s[i] == '-' {
		i++
	}
	digits := func() int {
		j := i
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
		return i - j
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case digits() == 0:
		return i, "a digit"
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return i, "a digit after the decimal point"
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return i, "a digit in the exponent"
		}
	}
	return i, ""
}

// str reads a string whose opening quote is at p.i and whose closing quote
// is closer. Only strings in double quotes are JSON; the parser has noted the
// others before calling.
func (p *parser) str(closer string, smart bool) (any, bool) {
	s, err := p.stringBody(closer, smart)
	if err {
		return nil, false
	}
	return s, true
}

func (p *parser) stringBody(closer string, smart bool) (string, bool) {
	s := p.s
	open := 1
	if smart {
		open = len("\u201c")
	}
	start := p.i + open
	i := start
	q := closer[0]
	if !smart {
		// The common case: no escapes, no control characters, valid UTF-8.
		for i < len(s) {
			c := s[i]
			if c == q {
				p.i = i + 1
				return s[start:i], false
			}
			if c == '\\' || c < 0x20 {
				break
			}
			if c >= utf8.RuneSelf {
				r, n := utf8.DecodeRuneInString(s[i:])
				if r == utf8.RuneError && n == 1 {
					break
				}
				i += n
				continue
			}
			i++
		}
	}
	b := append(p.buf[:0], s[start:i]...)
	for {
		if i >= len(s) {
			p.i = len(s)
			p.eof("the text ends inside a string")
			return "", true
		}
		if strings.HasPrefix(s[i:], closer) {
			p.i = i + len(closer)
			p.buf = b
			return string(b), false
		}
		c := s[i]
		switch {
		case c == '\\':
			if i+1 >= len(s) {
				p.i = len(s)
				p.eof("the text ends inside a string")
				return "", true
			}
			e := s[i+1]
			i += 2
			switch c, simple := simpleEscape(e); {
			case simple:
				b = append(b, c)
			case e == 'u':
				r, n, ok := unicodeEscape(s[i-2:])
				if !ok {
					if len(s)-(i-2) < 6 && hexPrefix(s[i:]) {
						p.i = len(s)
						p.eof("the text ends inside a string")
						return "", true
					}
					p.note(fixEscape)
					b = append(b, 'u')
					continue
				}
				b = utf8.AppendRune(b, r)
				i += n - 2
			case e == '\'':
				if q != '\'' {
					p.note(fixEscape)
				}
				b = append(b, e)
			default:
				p.note(fixEscape)
				i--
			}
		case c < 0x20:
			p.note(fixControl)
			b = append(b, c)
			i++
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				p.note(fixUTF8)
				b = utf8.AppendRune(b, utf8.RuneError)
			} else {
				b = append(b, s[i:i+n]...)
			}
			i += n
		default:
			b = append(b, c)
			i++
		}
	}
}

func hexPrefix(s string) bool {
	for i := 0; i < len(s); i++ {
		if _, ok := hexVal(s[i]); !ok {
			return false
		}
	}
	return true
}

func hexVal(c byte) (rune, bool) {
	switch {
	case '0' <= c && c <= '9':
		return rune(c - '0'), true
	case 'a' <= c && c <= 'f':
		return rune(c - 'a' + 10), true
	case 'A' <= c && c <= 'F':
		return rune(c - 'A' + 10), true
	}
	return 0, false
}

func hex4(s string) (rune, bool) {
	if len(s) < 4 {
		return 0, false
	}
	var r rune
	for i := range 4 {
		h, ok := hexVal(s[i])
		if !ok {
			return 0, false
		}
		r = r<<4 | h
	}
	return r, true
}

// unicodeEscape reads \uXXXX at the start of s, with its low surrogate when
// it is a high one. A lone surrogate reads as U+FFFD, as encoding/json does.
// It returns the rune and the bytes read.
func unicodeEscape(s string) (rune, int, bool) {
	r, ok := hex4(s[2:])
	if !ok {
		return 0, 0, false
	}
	if 0xD800 <= r && r < 0xDC00 {
		if len(s) >= 12 && s[6] == '\\' && s[7] == 'u' {
			if lo, ok := hex4(s[8:]); ok && 0xDC00 <= lo && lo < 0xE000 {
				return (r-0xD800)<<10 | (lo - 0xDC00) + 0x10000, 12, true
			}
		}
		return utf8.RuneError, 6, true
	}
	if 0xDC00 <= r && r < 0xE000 {
		return utf8.RuneError, 6, true
	}
	return r, 6, true
}

func (p *parser) enter() bool {
	p.depth++
	if p.depth > MaxDepth {
		p.err = &syntaxError{off: p.i, msg: fmt.Sprintf("the value is nested more than %d levels deep", MaxDepth), limit: true}
		return false
	}
	return true
}

func (p *parser) object() (any, bool) {
	if !p.enter() {
		return nil, false
	}
	p.hasMap = true
	p.i++ // {
	if !p.space() {
		return nil, false
	}
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		p.depth--
		return map[string]any{}, true
	}
	base := len(p.pairs)
	for {
		if p.i >= len(p.s) {
			return p.eof("the text ends inside an object")
		}
		key, ok := p.key()
		if !ok {
			return nil, false
		}
		if !p.space() {
			return nil, false
		}
		if p.i >= len(p.s) {
			return p.eof("the text ends inside an object")
		}
		if p.s[p.i] != ':' {
			return p.fail("expected ':' after the key %q, found %s", excerpt(key), p.found())
		}
		p.i++
		p.segs = append(p.segs, seg{key: key, isKey: true})
		if !p.space() {
			return nil, false
		}
		if p.i >= len(p.s) {
			return p.eof("the text ends inside an object")
		}
		v, ok := p.value()
		if !ok {
			return nil, false
		}
		p.pairs = append(p.pairs, member{key, v})
		p.popSeg()
		if !p.space() {
			return nil, false
		}
		if p.i >= len(p.s) {
			return p.eof("the text ends inside an object")
		}
		switch p.s[p.i] {
		case ',':
			p.i++
			if !p.space() {
				return nil, false
			}
			if p.i < len(p.s) && p.s[p.i] == '}' {
				p.note(fixTrailingComma)
				return p.endObject(base)
			}
		case '}':
			return p.endObject(base)
		default:
			return p.fail("expected ',' or '}' after the value of %q, found %s", excerpt(key), p.found())
		}
	}
}

// endObject makes the map of the members read since base. A key given
// twice with the same value is read once; with different values it is an
// error, for neither can be chosen.
func (p *parser) endObject(base int) (any, bool) {
	p.i++
	members := p.pairs[base:]
	m := make(map[string]any, len(members))
	var first map[string]int // where each key first came, made at the first repeat
	for i, e := range members {
		n := len(m)
		m[e.key] = e.value
		if len(m) > n {
			continue
		}
		if first == nil {
			first = make(map[string]int, i)
			for j := i - 1; j >= 0; j-- {
				first[members[j].key] = j
			}
		}
		if j, ok := first[e.key]; ok && !equal(members[j].value, e.value) {
			p.i--
			return p.fail("the key %q appears twice with different values", excerpt(e.key))
		}
		p.note(fixDuplicate)
	}
	clear(members)
	p.pairs = p.pairs[:base]
	p.depth--
	return m, true
}

func (p *parser) key() (string, bool) {
	s := p.s
	switch c := s[p.i]; {
	case c == '"':
		k, failed := p.stringBody(`"`, false)
		return k, !failed
	case c == '\'':
		p.note(fixSingleQuote)
		k, failed := p.stringBody(`'`, false)
		return k, !failed
	case strings.HasPrefix(s[p.i:], "\u201c"):
		p.note(fixSmartQuote)
		k, failed := p.stringBody("\u201d", true)
		return k, !failed
	case c == '_' || c == '$' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		j := p.i
		for j < len(s) && isIdent(s[j]) {
			j++
		}
		p.note(fixUnquotedKey)
		k := s[p.i:j]
		p.i = j
		return k, true
	}
	p.fail("expected a key in double quotes, found %s", p.found())
	return "", false
}

func (p *parser) array() (any, bool) {
	if !p.enter() {
		return nil, false
	}
	p.i++ // [
	if !p.space() {
		return nil, false
	}
	if p.i < len(p.s) && p.s[p.i] == ']' {
		p.i++
		p.depth--
		return []any{}, true
	}
	base := len(p.elems)
	for n := 0; ; n++ {
		if p.i >= len(p.s) {
			return p.eof("the text ends inside an array")
		}
		p.segs = append(p.segs, seg{index: n})
		v, ok := p.value()
		if !ok {
			return nil, false
		}
		p.popSeg()
		p.elems = append(p.elems, v)
		if !p.space() {
			return nil, false
		}
		if p.i >= len(p.s) {
			return p.eof("the text ends inside an array")
		}
		switch p.s[p.i] {
		case ',':
			p.i++
			if !p.space() {
				return nil, false
			}
			if p.i < len(p.s) && p.s[p.i] == ']' {
				p.note(fixTrailingComma)
				return p.endArray(base), true
			}
		case ']':
			return p.endArray(base), true
		default:
			return p.fail("expected ',' or ']' after an array item, found %s", p.found())
		}
	}
}

func (p *parser) endArray(base int) []any {
	p.i++
	a := make([]any, len(p.elems)-base)
	copy(a, p.elems[base:])
	clear(p.elems[base:])
	p.elems = p.elems[:base]
	p.depth--
	return a
}

type member struct {
	key   string
	value any
}

// Paths are made of the model's own keys, so a repair or an error could
// otherwise be as long as the answer: a key is cut to maxPathSegment bytes
// and ends in "…", and a path longer than maxPath ends, after its last
// step that fits, in "/…".
const (
	maxPathSegment = 64
	maxPath        = 512
)

// pointer writes segs as a JSON Pointer, cut as maxPath and maxPathSegment
// say.
func pointer(segs []seg) string {
	if len(segs) == 0 {
		return ""
	}
	size := 0
	for _, s := range segs {
		size += 1 + min(len(s.key), maxPathSegment) + 4
	}
	b := make([]byte, 0, min(size, maxPath+maxPathSegment+8))
	for _, s := range segs {
		at := len(b)
		b = append(b, '/')
		if s.isKey {
			b = appendSegment(b, s.key)
		} else {
			b = strconv.AppendInt(b, int64(s.index), 10)
		}
		if len(b) > maxPath {
			b = append(b[:at], "/…"...)
			break
		}
	}
	return string(b)
}

// appendSegment writes key as a step of a JSON Pointer ("~" as "~0", "/"
// as "~1"), in at most maxPathSegment bytes and "…" when it is cut.
func appendSegment(b []byte, key string) []byte {
	start := len(b)
	for i, r := range key {
		size := utf8.RuneLen(r)
		if r == utf8.RuneError {
			_, size = utf8.DecodeRuneInString(key[i:])
		}
		switch r {
		case '~', '/':
			size = 2
		}
		if len(b)-start+size > maxPathSegment {
			return append(b, "…"...)
		}
		switch r {
		case '~':
			b = append(b, "~0"...)
		case '/':
			b = append(b, "~1"...)
		default:
			b = append(b, key[i:i+size]...)
		}
	}
	return b
}

// lineCol turns a byte offset in s into a 1-based line and column (in
// characters).
func lineCol(s string, off int) (int, int) {
	off = min(off, len(s))
	line := 1 + strings.Count(s[:off], "\n")
	start := strings.LastIndexByte(s[:off], '\n') + 1
	return line, 1 + utf8.RuneCountInString(s[start:off])
}
