package answer

import (
	"fmt"
	"strings"

	"github.com/kaptinlin/jsonrepair"
)

// The second tier of syntax repair: github.com/kaptinlin/jsonrepair, a Go
// port of josdejong/jsonrepair, for what the first tier does not read
// (missing commas and colons, unescaped quotes inside strings, string
// concatenation, ellipses, ...). The library edits text and says nothing of
// what it changed, so the text before and after is diffed and every edit
// becomes a named Repair. Its completion of cut-off values is never used:
// it only sees balanced text, and a result that invents structure (adds a
// bracket) is refused.

// libraryRepair repairs text with jsonrepair and names each edit. ok is
// false when the library fails, the text is out of its limits or of what is
// left of the parse's budget, or the edits are too many or invent
// structure.
//
// The budget is what makes the second tier linear in the answer: the
// library's cost grows with the square of its input, and is all paid before
// the edits can be counted (it says nothing until it is done), so the only
// bound that holds is on what it is given.
func (st *state) libraryRepair(text string) (fixed string, repairs []Repair, ok bool) {
	if len(text) > st.repairBytes || st.repairCalls <= 0 || !balanced(text) {
		return "", nil, false
	}
	st.repairBytes -= len(text)
	st.repairCalls--
	fixed, err := safeRepair(text)
	if err != nil || fixed == text {
		return "", nil, false
	}
	hunks, ok := diff(text, fixed, 8*MaxLibraryEdits)
	if !ok || len(hunks) > MaxLibraryEdits {
		return "", nil, false
	}
	for _, h := range hunks {
		if strings.ContainsAny(h.ins, "{}[]") {
			return "", nil, false
		}
		line, col := lineCol(text, h.start)
		kind, what := classify(text[h.start:h.end], h.ins)
		repairs = append(repairs, Repair{Kind: kind, Detail: fmt.Sprintf("jsonrepair %s at line %d, column %d", what, line, col)})
	}
	return fixed, repairs, true
}

// safeRepair runs the library, turning a panic into an error: a bug in a
// dependency must not take a server down with it.
func safeRepair(text string) (out string, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = "", fmt.Errorf("jsonrepair panicked: %v", r)
		}
	}()
	return jsonrepair.Repair(text)
}

// classify names one edit: what was deleted and what inserted in its place.
func classify(del, ins string) (kind, what string) {
	if before, ok := strings.CutSuffix(ins, ","); ok && del != "" && !strings.HasSuffix(del, ",") {
		if k, w := classify(del, before); k != KindSyntax {
			return KindMissingComma, w + ` and inserted a missing ","`
		}
	}
	d, i := strings.TrimSpace(del), strings.TrimSpace(ins)
	switch {
	case d == "" && i == ",":
		return KindMissingComma, `inserted a missing ","`
	case d == "" && i == ":":
		return KindMissingColon, `inserted a missing ":"`
	case d == "" && i == `"`:
		return KindMissingQuote, `inserted a missing '"'`
	case ins == `"`+del+`"`:
		return KindMissingQuote, fmt.Sprintf("put the bare word %q in quotes", excerpt(del))
	case len(del) >= 2 && len(ins) == len(del) && ins[0] == '"' && ins[len(ins)-1] == '"' && del[1:len(del)-1] == ins[1:len(ins)-1]:
		return KindQuotes, fmt.Sprintf("replaced the quotes of %s with '\"'", clip(del, showMax))
	case d == "" && i == `\`:
		return KindEscape, `escaped a '"' inside a string`
	case i == `"` && d != "" && strings.Trim(d, "'`\u2018\u2019\u201c\u201d") == "":
		return KindQuotes, fmt.Sprintf("replaced %q with '\"'", excerpt(del))
	case (d == "True" || d == "False" || d == "None") && (i == "true" || i == "false" || i == "null"):
		return KindPython, fmt.Sprintf("replaced %s with %s", d, i)
	case i == "" && (strings.HasPrefix(d, "//") || strings.HasPrefix(d, "/*") || strings.HasPrefix(d, "#")):
		return KindComment, fmt.Sprintf("dropped the comment %q", excerpt(d))
	case i == "" && d != "" && strings.Trim(d, ", \t\r\n") == "":
		return KindTrailingComma, fmt.Sprintf("dropped the extra %q", excerpt(d))
	case i == "" && strings.Trim(d, "., \t\r\n") == "" && strings.Contains(d, "..."):
		return KindEllipsis, `dropped an ellipsis "..."`
	case del == "":
		return KindSyntax, fmt.Sprintf("inserted %q", excerpt(ins))
	case ins == "":
		return KindSyntax, fmt.Sprintf("deleted %q", excerpt(del))
	}
	return KindSyntax, fmt.Sprintf("replaced %q with %q", excerpt(del), excerpt(ins))
}

// onlyQuotes reports whether s is made of quote characters only.
func onlyQuotes(s string) bool {
	return strings.Trim(s, "\"'`\u2018\u2019\u201c\u201d") == ""
}

// A hunk is one edit: a[start:end] replaced by ins.
type hunk struct {
	start, end   int // in a
	bStart, bEnd int // in b
	ins          string
}

// diff finds the shortest edit script from a to b (Myers' algorithm, on
// bytes) and groups it into hunks. It gives up (ok false) beyond maxD
// single-byte edits.
func diff(a, b string, maxD int) (hunks []hunk, ok bool) {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	x0, y0 := a[pre:len(a)-suf], b[pre:len(b)-suf]
	n, m := len(x0), len(y0)
	if n+m > 0 && min(n, m) == 0 {
		return []hunk{{start: pre, end: pre + n, bStart: pre, bEnd: pre + m, ins: y0}}, n+m <= maxD
	}
	off := maxD + 1
	v := make([]int, 2*maxD+3)
	var trace [][]int
	D := -1
	for d := 0; d <= maxD && D < 0; d++ {
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = v[off+k+1]
			} else {
				x = v[off+k-1] + 1
			}
			y := x - k
			for x < n && y < m && x0[x] == y0[y] {
				x++
				y++
			}
			v[off+k] = x
			if x >= n && y >= m {
				D = d
				break
			}
		}
		trace = append(trace, append([]int(nil), v...))
	}
	if D < 0 {
		return nil, false
	}
	// Walk back from the end, one edit per step.
	type edit struct {
		at  int    // position in a
		ins string // inserted byte, or "" for a deletion of a[at]
	}
	edits := make([]edit, 0, D)
	x, y := n, m
	for d := D; d > 0; d-- {
		prev := trace[d-1]
		k := x - y
		var pk int
		if k == -d || (k != d && prev[off+k-1] < prev[off+k+1]) {
			pk = k + 1
		} else {
			pk = k - 1
		}
		px := prev[off+pk]
		py := px - pk
		if pk == k+1 {
			edits = append(edits, edit{at: px, ins: y0[py : py+1]})
		} else {
			edits = append(edits, edit{at: px})
		}
		x, y = px, py
	}
	for i, j := 0, len(edits)-1; i < j; i, j = i+1, j-1 {
		edits[i], edits[j] = edits[j], edits[i]
	}
	// Group the edits into hunks, each with its place in a and in b.
	shift := 0 // bytes inserted less bytes deleted so far
	for _, e := range edits {
		h := hunk{start: pre + e.at, end: pre + e.at, bStart: pre + e.at + shift, bEnd: pre + e.at + shift}
		if e.ins == "" {
			h.end++
			shift--
		} else {
			h.bEnd++
			shift++
		}
		if k := len(hunks) - 1; k >= 0 && hunks[k].end == h.start {
			hunks[k].end, hunks[k].bEnd = h.end, h.bEnd
			continue
		}
		hunks = append(hunks, h)
	}
	// An edit inside a word is shown as a change of the whole word:
	// "undefined" → "null", not "u" deleted and "defined" → "ull".
	word := func(c byte) bool {
		return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c >= 0x80
	}
	hasWord := func(s string) bool {
		for i := 0; i < len(s); i++ {
			if word(s[i]) {
				return true
			}
		}
		return false
	}
	merged := make([]hunk, 0, len(hunks))
	for i, h := range hunks {
		if hasWord(a[h.start:h.end]) || hasWord(b[h.bStart:h.bEnd]) || onlyQuotes(a[h.start:h.end]) && onlyQuotes(b[h.bStart:h.bEnd]) {
			// Grow within the equal text around the hunk only.
			lo, hi := 0, len(a)
			if i > 0 {
				lo = hunks[i-1].end
			}
			if i+1 < len(hunks) {
				hi = hunks[i+1].start
			}
			for h.start > lo && word(a[h.start-1]) {
				h.start, h.bStart = h.start-1, h.bStart-1
			}
			for h.end < hi && word(a[h.end]) {
				h.end, h.bEnd = h.end+1, h.bEnd+1
			}
		}
		if k := len(merged) - 1; k >= 0 && merged[k].end >= h.start {
			merged[k].end, merged[k].bEnd = h.end, h.bEnd
			continue
		}
		merged = append(merged, h)
	}
	hunks = merged
	for i := range hunks {
		hunks[i].ins = b[hunks[i].bStart:hunks[i].bEnd]
	}
	return hunks, true
}
