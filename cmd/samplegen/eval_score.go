package main

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/samplegen/samplegen/sampling"
)

// How samplegen eval compares a field of the tool's result with the
// dataset's want (see evalUsageText):
//   - strings (enums among them) are equal when they are the same bytes,
//     or, with -fold-case, the same under Unicode case folding;
//   - numbers are equal when they differ by at most -tolerance (default 0:
//     exactly);
//   - booleans and null are equal when they are the same;
//   - a list is compared as a set: the same members, order and repeats
//     ignored (multi-label answers), members compared by these rules;
//   - an object is compared field by field over the fields want names, the
//     others ignored, as at the top level.
type compareRules struct {
	foldCase  bool
	tolerance float64
}

// equal says whether got matches want.
func (r compareRules) equal(want, got any) bool {
	switch w := want.(type) {
	case string:
		g, ok := got.(string)
		if !ok {
			return false
		}
		if r.foldCase {
			return strings.EqualFold(w, g)
		}
		return w == g
	case float64:
		g, ok := got.(float64)
		return ok && math.Abs(w-g) <= r.tolerance
	case bool:
		g, ok := got.(bool)
		return ok && w == g
	case nil:
		return got == nil
	case []any:
		g, ok := got.([]any)
		return ok && r.sameSet(w, g)
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return false
		}
		for k, wv := range w {
			gv, present := g[k]
			if !present || !r.equal(wv, gv) {
				return false
			}
		}
		return true
	}
	return false
}

// sameSet: every member of each list has an equal one in the other.
// Quadratic in the lists' lengths, which are the dataset's and bounded by
// the tool's result.
func (r compareRules) sameSet(want, got []any) bool {
	// equal takes the dataset's value first: an object of want names the
	// fields to compare, and the result's others are ignored.
	for _, w := range want {
		if !slices.ContainsFunc(got, func(g any) bool { return r.equal(w, g) }) {
			return false
		}
	}
	for _, g := range got {
		if !slices.ContainsFunc(want, func(w any) bool { return r.equal(w, g) }) {
			return false
		}
	}
	return true
}

// label is how a value shows as a class: a string as itself (folded to
// lower case with -fold-case), anything else as its JSON.
func (r compareRules) label(v any) string {
	s, ok := v.(string)
	if !ok {
		b, _ := json.Marshal(v)
		s = string(b)
	} else if r.foldCase {
		s = strings.ToLower(s)
	}
	return sampling.Clip(s, maxLabel)
}

// Labels of a result that has no class of the field.
const (
	labelMissing = "(missing)" // the result has no such field
	labelError   = "(error)"   // the call failed: no result
	// labelOther gathers the labels the results gave past the first
	// maxOtherLabels that the dataset never wants: a matrix is square in
	// its labels, and the results are untrusted.
	labelOther = "(other)"
)

// Bounds of the labels taken from results.
const (
	maxOtherLabels = 20
	maxLabel       = 200 // bytes of one label, before Clip's ellipsis
)

// A fieldVerdict is one field of one case.
type fieldVerdict struct {
	Want    any  `json:"want"`
	Got     any  `json:"got,omitempty"`
	Missing bool `json:"missing,omitempty"`
	Correct bool `json:"correct"`
}

// judge compares a result (nil when the call failed) with want, field by
// field.
func (r compareRules) judge(want map[string]any, result map[string]any, failed bool) (map[string]fieldVerdict, bool) {
	verdicts := make(map[string]fieldVerdict, len(want))
	all := !failed
	for field, w := range want {
		v := fieldVerdict{Want: w}
		got, present := result[field]
		switch {
		case failed:
		case !present:
			v.Missing = true
		default:
			v.Got = shownValue(got)
			v.Correct = r.equal(w, got)
		}
		all = all && v.Correct
		verdicts[field] = v
	}
	return verdicts, all
}

// maxGotShown bounds a result's field as kept in a case's verdict: the
// result is the server's, the field the model's, and either may be long.
const maxGotShown = 2 << 10

// shownValue is v, or, when its JSON is longer than maxGotShown, a string
// of its JSON's start: judged whole, kept short.
func shownValue(v any) any {
	b, err := json.Marshal(v)
	if err != nil || len(b) <= maxGotShown {
		return v
	}
	return fmt.Sprintf("(%d bytes of JSON) %s", len(b), sampling.Clip(string(b), maxGotShown))
}

// fieldScore is the accuracy of one field over the cases that want it.
type fieldScore struct {
	Cases    int     `json:"cases"`
	Correct  int     `json:"correct"`
	Accuracy float64 `json:"accuracy"`
}

// classScore is one class of a field: enum or multi-label.
type classScore struct {
	Support   int     `json:"support"`   // cases (or, multi-label, memberships) that want it
	Predicted int     `json:"predicted"` // cases (memberships) that got it
	TruePos   int     `json:"truePositives"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

// confusion is the confusion matrix of an enum field: Counts[i][j] is the
// cases that want Labels[i] and got Labels[j]. Labels holds the wanted
// classes, sorted, then any other label the results gave, sorted, then
// (missing) and (error) when they occur.
type confusion struct {
	Labels []string `json:"labels"`
	Counts [][]int  `json:"counts"`
}

// count is Counts at (want, got), 0 for labels it lacks.
func (c *confusion) count(want, got string) int {
	i, j := slices.Index(c.Labels, want), slices.Index(c.Labels, got)
	if i < 0 || j < 0 {
		return 0
	}
	return c.Counts[i][j]
}

// fieldKind says how per-class scores are taken for a field: from its
// want values across the dataset.
type fieldKind int

const (
	kindOther    fieldKind = iota // numbers, objects, mixed: accuracy only
	kindEnum                      // every want is a label: classes and a confusion matrix
	kindMultiSet                  // every want is a list of labels: per-label scores
)

// maxLabelWords and maxLabelBytes tell a label from free text: a want
// longer, or on more than one line, is text (a corrected sentence, a
// summary), whose every case would be a class of its own.
const (
	maxLabelWords = 4
	maxLabelBytes = 64
)

func isLabel(v any) bool {
	s, ok := v.(string)
	return ok && len(s) <= maxLabelBytes && !strings.ContainsAny(s, "\n\r") && len(strings.Fields(s)) <= maxLabelWords
}

func kindOf(wants []any) fieldKind {
	kind := kindOther
	for i, w := range wants {
		k := kindOther
		switch w := w.(type) {
		case string:
			if isLabel(w) {
				k = kindEnum
			}
		case []any:
			k = kindMultiSet
			for _, m := range w {
				if !isLabel(m) {
					k = kindOther
				}
			}
		}
		if i > 0 && k != kind {
			return kindOther
		}
		kind = k
	}
	return kind
}

// scoreFields computes per field accuracy, per class scores and confusion
// matrices over the cases that ran.
func (r compareRules) scoreFields(cases []*evalCase) (fields map[string]fieldScore, classes map[string]map[string]classScore, matrices map[string]*confusion) {
	fields = map[string]fieldScore{}
	classes = map[string]map[string]classScore{}
	matrices = map[string]*confusion{}
	wants := map[string][]any{}
	for _, c := range cases {
		if c.Skipped {
			continue
		}
		for f, v := range c.Fields {
			s := fields[f]
			s.Cases++
			if v.Correct {
				s.Correct++
			}
			s.Accuracy = ratio(s.Correct, s.Cases)
			fields[f] = s
			wants[f] = append(wants[f], v.Want)
		}
	}
	for f, ws := range wants {
		switch kindOf(ws) {
		case kindEnum:
			matrices[f], classes[f] = r.enumScores(f, cases)
		case kindMultiSet:
			classes[f] = r.multiLabelScores(f, cases)
		}
	}
	return fields, classes, matrices
}

// gotLabel is the class a case got for an enum field.
func (r compareRules) gotLabel(c *evalCase, field string) string {
	v := c.Fields[field]
	switch {
	case c.Error != "":
		return labelError
	case v.Missing:
		return labelMissing
	}
	return r.label(v.Got)
}

func (r compareRules) enumScores(field string, cases []*evalCase) (*confusion, map[string]classScore) {
	wanted, others := map[string]bool{}, map[string]bool{}
	for _, c := range cases {
		if v, ok := c.Fields[field]; ok && !c.Skipped {
			wanted[r.label(v.Want)] = true
		}
	}
	for _, c := range cases {
		if _, ok := c.Fields[field]; ok && !c.Skipped {
			if g := r.gotLabel(c, field); !wanted[g] {
				others[g] = true
			}
		}
	}
	labels := sortedKeys(wanted)
	var tail []string
	for _, special := range []string{labelMissing, labelError} {
		if others[special] {
			delete(others, special)
			tail = append(tail, special)
		}
	}
	extra := sortedKeys(others)
	if len(extra) > maxOtherLabels {
		extra = append(extra[:maxOtherLabels], labelOther)
	}
	labels = append(append(labels, extra...), tail...)
	m := &confusion{Labels: labels, Counts: make([][]int, len(labels))}
	for i := range m.Counts {
		m.Counts[i] = make([]int, len(labels))
	}
	for _, c := range cases {
		v, ok := c.Fields[field]
		if !ok || c.Skipped {
			continue
		}
		i, j := slices.Index(labels, r.label(v.Want)), slices.Index(labels, r.gotLabel(c, field))
		if j < 0 {
			j = slices.Index(labels, labelOther)
		}
		m.Counts[i][j]++
	}
	scores := map[string]classScore{}
	for i, l := range labels {
		if !wanted[l] {
			continue
		}
		var s classScore
		for j := range labels {
			s.Support += m.Counts[i][j]
			s.Predicted += m.Counts[j][i]
		}
		s.TruePos = m.Counts[i][i]
		s.finish()
		scores[l] = s
	}
	return m, scores
}

func (r compareRules) multiLabelScores(field string, cases []*evalCase) map[string]classScore {
	scores := map[string]classScore{}
	for _, c := range cases {
		if v, ok := c.Fields[field]; ok && !c.Skipped {
			for l := range r.labelSet(v.Want) {
				scores[l] = classScore{}
			}
		}
	}
	others := 0
	for _, c := range cases {
		v, ok := c.Fields[field]
		if !ok || c.Skipped {
			continue
		}
		want := r.labelSet(v.Want)
		got := r.labelSet(v.Got)
		for l := range want {
			s := scores[l]
			s.Support++
			if got[l] {
				s.TruePos++
			}
			scores[l] = s
		}
		for l := range got {
			if _, known := scores[l]; !known {
				if others == maxOtherLabels {
					l = labelOther
				} else {
					others++
				}
			}
			s := scores[l]
			s.Predicted++
			scores[l] = s
		}
	}
	for l, s := range scores {
		s.finish()
		scores[l] = s
	}
	return scores
}

// labelSet is the labels of a list of strings; of anything else, none.
func (r compareRules) labelSet(v any) map[string]bool {
	set := map[string]bool{}
	list, _ := v.([]any)
	for _, m := range list {
		if s, ok := m.(string); ok {
			set[r.label(s)] = true
		}
	}
	return set
}

// finish computes precision, recall and F1 from the counts; each is 0
// where its denominator is.
func (s *classScore) finish() {
	s.Precision = ratio(s.TruePos, s.Predicted)
	s.Recall = ratio(s.TruePos, s.Support)
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
}

func ratio(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) / float64(d)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// percentile is the nearest-rank p-th percentile (0 < p <= 100) of sorted
// values, 0 for none.
func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// A comparison is this run against an earlier one (-compare): the cases,
// matched by id, whose verdict flipped, and the change of each metric.
type comparison struct {
	Against       string             `json:"against"`
	Fixed         []string           `json:"fixed"`  // wrong then, correct now
	Broken        []string           `json:"broken"` // correct then, wrong now
	OnlyThen      int                `json:"onlyThen,omitempty"`
	OnlyNow       int                `json:"onlyNow,omitempty"`
	AccuracyThen  float64            `json:"accuracyThen"`
	AccuracyDelta float64            `json:"accuracyDelta"`
	FieldDelta    map[string]float64 `json:"fieldAccuracyDelta"`
	// F1Delta is per field, per class that both runs have.
	F1Delta map[string]map[string]float64 `json:"f1Delta"`
}

// compareWith compares now with then; cases are matched by id (a line
// without one has id "line N").
func compareWith(now, then *evalResult, name string) *comparison {
	c := &comparison{Against: name, Fixed: []string{}, Broken: []string{}, FieldDelta: map[string]float64{}, F1Delta: map[string]map[string]float64{}}
	before := map[string]*evalCase{}
	for _, k := range then.Cases {
		if !k.Skipped {
			before[k.ID] = k
		}
	}
	seen := map[string]bool{}
	for _, k := range now.Cases {
		if k.Skipped {
			continue
		}
		old, ok := before[k.ID]
		if !ok {
			c.OnlyNow++
			continue
		}
		seen[k.ID] = true
		switch {
		case !old.Correct && k.Correct:
			c.Fixed = append(c.Fixed, k.ID)
		case old.Correct && !k.Correct:
			c.Broken = append(c.Broken, k.ID)
		}
	}
	c.OnlyThen = len(before) - len(seen)
	c.AccuracyThen = then.Totals.Accuracy
	c.AccuracyDelta = now.Totals.Accuracy - then.Totals.Accuracy
	for f, s := range now.Totals.Fields {
		if old, ok := then.Totals.Fields[f]; ok {
			c.FieldDelta[f] = s.Accuracy - old.Accuracy
		}
	}
	for f, classes := range now.Totals.Classes {
		for l, s := range classes {
			if old, ok := then.Totals.Classes[f][l]; ok {
				if c.F1Delta[f] == nil {
					c.F1Delta[f] = map[string]float64{}
				}
				c.F1Delta[f][l] = s.F1 - old.F1
			}
		}
	}
	return c
}

// signed writes a delta with its sign, as a percentage of points.
func signed(d float64) string {
	return fmt.Sprintf("%+.1f", 100*d)
}
