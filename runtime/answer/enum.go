package answer

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// enum matches v to one of n's values. In order, each rule taken only when
// it names exactly one value:
//
//  1. the value itself;
//  2. the value when case, spaces, separators and decoration are ignored
//     ("Positive", "TECH_SUPPORT", "**neutral**.");
//  3. the value followed by an explanation ("negative - the customer is
//     angry"), when the explanation names no other value;
//  4. for an answer that is bare prose only, the one value the prose names
//     as a word ("The sentiment is **Neutral**."), when it names no other
//     and neither negates nor hedges ("not", "could", "maybe", ...).
//
// Where two values fit alike, c refuses rather than guess.
func (c *coercer) enum(v any, n *node) (any, bool) {
	for _, e := range n.enum {
		if equal(e, v) {
			return v, false
		}
	}
	s, ok := v.(string)
	if !ok {
		return v, false
	}
	if n.enumStr == nil {
		if f, ok := looseNumber(s); ok {
			for _, e := range n.enum {
				if equal(e, f) {
					c.note(KindNumber, "read the number %s from the string %q", show(f), excerpt(s))
					return f, true
				}
			}
		}
		return v, false
	}
	if i, ok := n.enumFold[foldWord(s)]; ok {
		if i < 0 {
			c.refuse("%s matches more than one of the allowed values when case and separators are ignored; answer with one of %s exactly", show(s), showList(n.enumStr))
			return v, false
		}
		if c.listed(KindEnumCase) {
			c.repairs = append(c.repairs, Repair{Path: pointer(c.segs), Kind: KindEnumCase, Detail: arrow(s, n.enumStr[i])})
		}
		return n.enumStr[i], true
	}
	if len(s) > MaxProseBytes {
		return v, false
	}
	toks := tokens(s)
	if i, rest, ok := n.leading(toks); ok {
		if i < 0 {
			c.refuse("%s starts with more than one of the allowed values; answer with one of %s exactly", show(s), showList(n.enumStr))
			return v, false
		}
		if others := n.named(rest); len(others) > 0 {
			c.refuse("%s starts with %s but goes on to name %s; answer with exactly one of %s", show(s), show(n.enumStr[i]), n.showValues(others), showList(n.enumStr))
			return v, false
		}
		c.note(KindEnumExplanation, "took %s from the start of %s", show(n.enumStr[i]), show(s))
		return n.enumStr[i], true
	}
	if !c.prose {
		return v, false
	}
	found := n.named(toks)
	switch {
	case len(found) > 1:
		c.refuse("the answer names more than one of the allowed values (%s); answer with exactly one of %s", n.showValues(found), showList(n.enumStr))
	case len(found) == 1:
		i := found[0]
		if h := n.hedge(toks, i); h != "" {
			c.refuse("the answer names %s but also says %q, which is not a clear choice; answer with exactly one of %s", show(n.enumStr[i]), h, showList(n.enumStr))
			return v, false
		}
		c.note(KindEnumProse, "took %s, the only allowed value the text names", show(n.enumStr[i]))
		return n.enumStr[i], true
	}
	return v, false
}

// arrow says from → to, with one allocation in the common case.
func arrow(from, to string) string {
	if len(from) <= 78 && len(to) <= 78 && plainASCII(from) && plainASCII(to) {
		return `"` + from + `" → "` + to + `"`
	}
	return show(from) + " → " + show(to)
}

func (n *node) showValues(idx []int) string {
	vals := make([]string, len(idx))
	for j, i := range idx {
		vals[j] = n.enumStr[i]
	}
	return showList(vals)
}

// leading finds the value the tokens start with, preferring the longest;
// i is -1 when two different values start them alike.
func (n *node) leading(toks []string) (i int, rest []string, ok bool) {
	best, bestLen := -1, 0
	tie := false
	for j, et := range n.enumToks {
		if len(et) == 0 || len(et) > len(toks) || !hasTokens(toks, et) {
			continue
		}
		switch {
		case len(et) > bestLen:
			best, bestLen, tie = j, len(et), false
		case len(et) == bestLen:
			tie = true
		}
	}
	if bestLen == 0 {
		return 0, nil, false
	}
	if tie {
		return -1, nil, true
	}
	return best, toks[bestLen:], true
}

// named lists the values the tokens name, each once, reading from the left
// and taking the longest value at each place.
func (n *node) named(toks []string) []int {
	var found []int
	for i := 0; i < len(toks); {
		best, bestLen := -1, 0
		for j, et := range n.enumToks {
			if len(et) > bestLen && len(et) <= len(toks)-i && hasTokens(toks[i:], et) {
				best, bestLen = j, len(et)
			}
		}
		if best < 0 {
			i++
			continue
		}
		if !containsInt(found, best) {
			found = append(found, best)
		}
		i += bestLen
	}
	return found
}

var hedges = map[string]bool{
	"not": true, "no": true, "never": true, "neither": true, "nor": true, "t": true, // "isn't" reads as "isn", "t"
	"cannot": true, "unable": true, "unclear": true, "unsure": true, "uncertain": true, "unknown": true,
	"maybe": true, "perhaps": true, "possibly": true, "might": true, "could": true,
	"either": true, "whether": true, "sorry": true,
}

// hedge returns a word of the tokens, outside the value i itself, that
// negates or hedges, or "".
func (n *node) hedge(toks []string, i int) string {
	et := n.enumToks[i]
	for k := 0; k < len(toks); k++ {
		if len(et) <= len(toks)-k && hasTokens(toks[k:], et) {
			k += len(et) - 1
			continue
		}
		if hedges[toks[k]] {
			return toks[k]
		}
	}
	return ""
}

func hasTokens(toks, prefix []string) bool {
	for i, t := range prefix {
		if toks[i] != t {
			return false
		}
	}
	return true
}

func containsInt(s []int, x int) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

// foldWord keeps only the letters and digits of s, in lower case:
// "TECH_SUPPORT", "Tech support" and "**tech-support**." all fold to
// "techsupport".
func foldWord(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// tokens splits s into lower-case words of letters and digits, also where
// camelCase turns from lower to upper case.
func tokens(s string) []string {
	var out []string
	var b strings.Builder
	prevLower := false
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case unicode.IsUpper(r):
			if prevLower {
				flush()
			}
			b.WriteRune(unicode.ToLower(r))
			prevLower = false
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
			prevLower = unicode.IsLower(r) || unicode.IsDigit(r)
		default:
			flush()
			prevLower = false
		}
	}
	flush()
	return out
}
