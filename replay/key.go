package replay

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/sampling"
)

// asked is what a request is looked up by: what it asks the model, and
// nothing that changes from run to run.
type asked struct {
	SystemPrompt  string                   `json:"systemPrompt,omitempty"`
	Messages      []*mcp.SamplingMessageV2 `json:"messages,omitempty"`
	Tools         []*mcp.Tool              `json:"tools,omitempty"`
	ToolChoice    *mcp.ToolChoice          `json:"toolChoice,omitempty"`
	MaxTokens     int64                    `json:"maxTokens,omitempty"`
	Temperature   *float64                 `json:"temperature,omitempty"`
	StopSequences []string                 `json:"stopSequences,omitempty"`
	OutputSchema  any                      `json:"outputSchema,omitempty"`
}

// A key is the hash of a request's canonical form.
type key [sha256.Size]byte

// canonical returns the canonical form of what req asks, and its key. The
// form is JSON with sorted object keys, numbers in one notation, every
// _meta left out (progress tokens and trace ids change from run to run) and
// empty values dropped, so that a request and its recording, which went
// through JSON and omitempty, give the same form.
func canonical(req *mcp.CreateMessageWithToolsParams) ([]byte, key, error) {
	a := asked{
		SystemPrompt:  req.SystemPrompt,
		Messages:      req.Messages,
		Tools:         req.Tools,
		ToolChoice:    req.ToolChoice,
		MaxTokens:     req.MaxTokens,
		StopSequences: req.StopSequences,
		OutputSchema:  req.Meta[sampling.OutputSchemaMetaKey],
	}
	if t, ok := sampling.Temperature(req); ok {
		a.Temperature = &t
	}
	b, err := json.Marshal(a)
	if err != nil {
		return nil, key{}, err
	}
	tree, err := decodeTree(b)
	if err != nil {
		return nil, key{}, err
	}
	form, err := json.Marshal(normalize(tree))
	if err != nil {
		return nil, key{}, err
	}
	return form, sha256.Sum256(form), nil
}

// decodeTree decodes JSON keeping numbers as text.
func decodeTree(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var tree any
	err := d.Decode(&tree)
	return tree, err
}

// normalize puts a decoded tree in canonical form (see canonical); it
// returns nil for a value that is empty.
func normalize(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, child := range v {
			if k == "_meta" {
				delete(v, k)
				continue
			}
			if n := normalize(child); n == nil {
				delete(v, k)
			} else {
				v[k] = n
			}
		}
		if len(v) == 0 {
			return nil
		}
		return v
	case []any:
		if len(v) == 0 {
			return nil
		}
		for i, child := range v {
			v[i] = normalize(child)
		}
		return v
	case json.Number:
		// One notation for one number: 1, 1.0 and 1e0 alike.
		if f, err := v.Float64(); err == nil && !math.IsInf(f, 0) {
			return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
		}
		return v
	}
	return v
}

// A leaf is one scalar of a canonical form, at its path.
type leaf struct {
	path  string
	value any // string, json.Number, bool or nil
}

// leaves lists the scalars of a canonical form in order.
func leaves(form []byte) []leaf {
	tree, err := decodeTree(form)
	if err != nil {
		return nil
	}
	var out []leaf
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(v))
			for k := range v {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				p := k
				if path != "" {
					p = path + "." + k
				}
				walk(p, v[k])
			}
		case []any:
			for i, child := range v {
				walk(fmt.Sprintf("%s[%d]", path, i), child)
			}
		default:
			out = append(out, leaf{path, v})
		}
	}
	walk("", tree)
	return out
}

// distance is how far apart two canonical forms are: 1 for each value one
// has and the other lacks, and for each pair of values that differ, 1 less
// the share of the longer text they have in common at either end, so that
// a long prompt changed at one word is nearer than a short one changed
// whole.
func distance(diffs []difference) float64 {
	d := 0.0
	for _, diff := range diffs {
		a, aok := diff.asked.(string)
		r, rok := diff.present.(string)
		if !diff.inAsked || !diff.inRec || !aok || !rok {
			d++
			continue
		}
		d += 1 - float64(commonEnds(a, r))/float64(max(len(a), len(r)))
	}
	return d
}

// commonEnds is the length of the prefix and suffix a and b share.
func commonEnds(a, b string) int {
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		p++
	}
	s := 0
	for s < len(a)-p && s < len(b)-p && a[len(a)-1-s] == b[len(b)-1-s] {
		s++
	}
	return p + s
}

// A difference is one path where two canonical forms disagree.
type difference struct {
	path           string
	asked, present any
	inAsked, inRec bool
}

// differences lists where recorded differs from asked, in asked's order
// and then recorded's.
func differences(askedLeaves, recordedLeaves []leaf) []difference {
	rec := make(map[string]any, len(recordedLeaves))
	for _, l := range recordedLeaves {
		rec[l.path] = l.value
	}
	seen := make(map[string]bool, len(askedLeaves))
	var out []difference
	for _, l := range askedLeaves {
		seen[l.path] = true
		r, ok := rec[l.path]
		if !ok || r != l.value {
			out = append(out, difference{path: l.path, asked: l.value, present: r, inAsked: true, inRec: ok})
		}
	}
	for _, l := range recordedLeaves {
		if !seen[l.path] {
			out = append(out, difference{path: l.path, present: l.value, inRec: true})
		}
	}
	return out
}

// maxShown bounds the differences a miss shows, and snippetLen the text
// of each side.
const (
	maxShown   = 4
	snippetLen = 60
)

// describe writes the first differences readably, each side's text
// clipped around where the two part.
func describe(diffs []difference) []string {
	var out []string
	for i, d := range diffs {
		if i == maxShown {
			out = append(out, fmt.Sprintf("and %d more", len(diffs)-maxShown))
			break
		}
		a, r := "nothing", "nothing"
		as, aok := d.asked.(string)
		rs, rok := d.present.(string)
		switch {
		case d.inAsked && d.inRec && aok && rok:
			a, r = snippets(as, rs)
		default:
			if d.inAsked {
				a = scalar(d.asked)
			}
			if d.inRec {
				r = scalar(d.present)
			}
		}
		out = append(out, fmt.Sprintf("%s: asked %s, recorded %s", sampling.Clip(d.path, 120), a, r))
	}
	return out
}

// snippets quotes a and b from a little before the first byte where they
// differ, so a long prompt shows where it changed.
func snippets(a, b string) (string, string) {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	start := max(i-snippetLen/3, 0)
	return quoteFrom(a, start), quoteFrom(b, start)
}

// quoteFrom quotes s from start, moved back to the start of a character,
// clipped.
func quoteFrom(s string, start int) string {
	start = min(start, len(s))
	for start > 0 && start < len(s) && s[start]&0xC0 == 0x80 {
		start--
	}
	q := strconv.Quote(sampling.Clip(s[start:], snippetLen))
	if start > 0 {
		q = `"…` + q[1:]
	}
	return q
}

func scalar(v any) string {
	switch v := v.(type) {
	case string:
		return strconv.Quote(sampling.Clip(v, snippetLen))
	case nil:
		return "null"
	}
	return sampling.Clip(fmt.Sprint(v), snippetLen)
}

// ordinal writes n as 1st, 2nd, 3rd, 4th...
func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}

// lineList writes line numbers, the first few of them.
func lineList(lines []int) string {
	var b strings.Builder
	for i, l := range lines {
		if i == 5 {
			fmt.Fprintf(&b, " and %d more", len(lines)-5)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(l))
	}
	return b.String()
}
