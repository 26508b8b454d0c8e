package answer

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// verbatim reports whether text is, as it stands, the answer: strict JSON,
// valid against the plan's schema, and such that coercion would change
// nothing (no field with a default missing, no key the schema does not
// list). It reads the text once and builds no value, so that [Unmarshal]
// of a clean answer costs little more than encoding/json alone.
//
// It is an accelerator, never a judge: any doubt (a keyword it does not
// check, a deviation from strict JSON, an invalid value) answers false and
// the full pipeline decides. A fuzz test holds that true implies Parse
// finds the same value with no repair.
func (p *plan) verbatim(text string) bool {
	if p.library {
		return false
	}
	sc := scanner{s: text}
	sc.space()
	if !sc.value(p.root) {
		return false
	}
	sc.space()
	return sc.i == len(sc.s)
}

type scanner struct {
	s     string
	i     int
	depth int
	buf   []byte
}

func (sc *scanner) space() {
	for sc.i < len(sc.s) {
		switch sc.s[sc.i] {
		case ' ', '\t', '\n', '\r':
			sc.i++
		default:
			return
		}
	}
}

func (sc *scanner) value(n *node) bool {
	if sc.i >= len(sc.s) {
		return false
	}
	if n != nil {
		if n.ref != nil {
			if !n.refOnly {
				return false
			}
			n = n.resolve()
			if n.ref != nil {
				return false
			}
		}
		if n.never || n.hasConst || (n.enum != nil && n.enumStr == nil) {
			return false
		}
	}
	switch c := sc.s[sc.i]; {
	case c == '{':
		return sc.object(n)
	case c == '[':
		return sc.array(n)
	case c == '"':
		s, ok := sc.str()
		return ok && sc.checkString(s, n)
	case c == '-' || '0' <= c && c <= '9':
		return sc.number(n)
	case c == 't':
		return sc.literal("true", tBoolean, n)
	case c == 'f':
		return sc.literal("false", tBoolean, n)
	case c == 'n':
		return sc.literal("null", tNull, n)
	}
	return false
}

func (sc *scanner) literal(word string, t types, n *node) bool {
	if !strings.HasPrefix(sc.s[sc.i:], word) {
		return false
	}
	sc.i += len(word)
	return n == nil || (n.allows(t) && n.enum == nil)
}

func (sc *scanner) number(n *node) bool {
	s, start := sc.s, sc.i
	i, missing := scanNumber(s, start)
	if missing != "" {
		return false
	}
	sc.i = i
	lit := s[start:i]
	plain := !strings.ContainsAny(lit, ".eE")
	if n == nil && plain {
		return true
	}
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil {
		return false
	}
	if n == nil {
		return true
	}
	t := tNumber
	if _, frac := math.Modf(f); frac == 0 {
		t = tInteger
		if !plain && math.Abs(f) < 1e21 && n.wantsInteger() {
			// An integer written as 5.0 or 1e2 where the schema wants an
			// integer: encoding/json will not decode it into a Go
			// integer, so Parse writes it plainly. Where any number will
			// do, it stands as written.
			return false
		}
	}
	if n.enum != nil {
		return false
	}
	if !n.allows(t) {
		return false
	}
	switch {
	case n.minimum != nil && f < *n.minimum,
		n.maximum != nil && f > *n.maximum,
		n.exclusiveMinimum != nil && f <= *n.exclusiveMinimum,
		n.exclusiveMaximum != nil && f >= *n.exclusiveMaximum:
		return false
	case n.multipleOf != nil:
		if _, frac := math.Modf(f / *n.multipleOf); frac != 0 {
			return false
		}
	}
	return true
}

// str reads a strict JSON string; anything the full parser would have to
// repair answers false.
func (sc *scanner) str() (string, bool) {
	s := sc.s
	start := sc.i + 1
	i := start
	for i < len(s) {
		c := s[i]
		switch {
		case c == '"':
			sc.i = i + 1
			return s[start:i], true
		case c == '\\':
			return sc.escaped(start)
		case c < 0x20:
			return "", false
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return "", false
			}
			i += size
		default:
			i++
		}
	}
	return "", false
}

func (sc *scanner) escaped(start int) (string, bool) {
	s := sc.s
	b := sc.buf[:0]
	i := start
	for i < len(s) {
		c := s[i]
		switch {
		case c == '"':
			sc.i = i + 1
			sc.buf = b
			return string(b), true
		case c < 0x20:
			return "", false
		case c == '\\':
			if i+1 >= len(s) {
				return "", false
			}
			switch c, simple := simpleEscape(s[i+1]); {
			case simple:
				b = append(b, c)
			case s[i+1] == 'u':
				r, n, ok := unicodeEscape(s[i:])
				if !ok {
					return "", false
				}
				b = utf8.AppendRune(b, r)
				i += n
				continue
			default:
				return "", false
			}
			i += 2
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return "", false
			}
			b = append(b, s[i:i+size]...)
			i += size
		default:
			b = append(b, c)
			i++
		}
	}
	return "", false
}

func (sc *scanner) checkString(s string, n *node) bool {
	if n == nil {
		return true
	}
	if !n.allows(tString) {
		return false
	}
	if n.enumStr != nil {
		found := false
		for _, e := range n.enumStr {
			if e == s {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	if n.minLength >= 0 || n.maxLength >= 0 {
		k := utf8.RuneCountInString(s)
		if n.minLength >= 0 && k < n.minLength || n.maxLength >= 0 && k > n.maxLength {
			return false
		}
	}
	return n.pattern == nil || n.pattern.MatchString(s)
}

func (sc *scanner) enter() bool {
	sc.depth++
	return sc.depth <= MaxDepth
}

func (sc *scanner) array(n *node) bool {
	if !sc.enter() {
		return false
	}
	var items *node
	if n != nil {
		if !n.allows(tArray) || n.enum != nil || n.unique {
			return false
		}
		items = n.items
	}
	sc.i++
	sc.space()
	count := 0
	if sc.i < len(sc.s) && sc.s[sc.i] == ']' {
		sc.i++
	} else {
		for {
			sc.space()
			if !sc.value(items) {
				return false
			}
			count++
			sc.space()
			if sc.i >= len(sc.s) {
				return false
			}
			if sc.s[sc.i] == ']' {
				sc.i++
				break
			}
			if sc.s[sc.i] != ',' {
				return false
			}
			sc.i++
		}
	}
	sc.depth--
	return n == nil || (n.minItems < 0 || count >= n.minItems) && (n.maxItems < 0 || count <= n.maxItems)
}

func (sc *scanner) object(n *node) bool {
	if !sc.enter() {
		return false
	}
	// An object with no schema, or one the masks cannot cover, is left to
	// the full pipeline, which also reads its repeated keys.
	if n == nil || !n.allows(tObject) || n.enum != nil || !n.masks {
		return false
	}
	sc.i++
	sc.space()
	var seen uint64
	count := 0
	if sc.i < len(sc.s) && sc.s[sc.i] == '}' {
		sc.i++
	} else {
		for {
			sc.space()
			if sc.i >= len(sc.s) || sc.s[sc.i] != '"' {
				return false
			}
			key, ok := sc.str()
			if !ok {
				return false
			}
			sc.space()
			if sc.i >= len(sc.s) || sc.s[sc.i] != ':' {
				return false
			}
			sc.i++
			sc.space()
			// A key the schema does not list, or given twice, is left to the
			// full pipeline (coercion may rename or drop it).
			idx, known := n.propIndex[key]
			if !known || seen&(1<<idx) != 0 {
				return false
			}
			seen |= 1 << idx
			if !sc.value(n.props[key]) {
				return false
			}
			count++
			sc.space()
			if sc.i >= len(sc.s) {
				return false
			}
			if sc.s[sc.i] == '}' {
				sc.i++
				break
			}
			if sc.s[sc.i] != ',' {
				return false
			}
			sc.i++
		}
	}
	sc.depth--
	return seen&n.requiredMask == n.requiredMask && n.defaultMask&^seen == 0 &&
		(n.minProps < 0 || count >= n.minProps) && (n.maxProps < 0 || count <= n.maxProps)
}
