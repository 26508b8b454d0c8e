package answer

import (
	"strings"
	"testing"
)

// TestNotationKeepsOtherValues holds that an integer written with a
// fraction or an exponent changes nothing but itself: where any number
// will do, 1.0 stands and the answer's own bytes are decoded; where an
// integer is wanted, only that literal is written plainly in them, so no
// other value goes through a float64.
func TestNotationKeepsOtherValues(t *testing.T) {
	rs := resolved(t, `{"type":"object","properties":{"id":{"type":"integer"},"score":{"type":"number"},"n":{"type":"integer"},"l":{"type":"array","items":{"type":"integer"}}}}`)
	type out struct {
		ID    int64   `json:"id"`
		Score float64 `json:"score"`
		N     int     `json:"n"`
		L     []int   `json:"l"`
	}
	const big = 9007199254740993 // 2^53+1: a float64 has it as ...992
	for _, tc := range []struct {
		raw, verbatim, repairs string
		want                   out
	}{
		{`{"id": 9007199254740993, "score": 1.0}`, `{"id": 9007199254740993, "score": 1.0}`, "", out{ID: big, Score: 1}},
		{`{"score": 2e0, "id": 9007199254740993}`, `{"score": 2e0, "id": 9007199254740993}`, "", out{ID: big, Score: 2}},
		{`{"id": 9007199254740993, "n": 1e2}`, `{"id": 9007199254740993, "n": 100}`, "/n: integer: wrote 1e2 as the integer 100", out{ID: big, N: 100}},
		{`{"l": [1.0, 20E-1], "score": 3.0, "id": 9007199254740993}`, `{"l": [1, 2], "score": 3.0, "id": 9007199254740993}`,
			"/l/0: integer: wrote 1.0 as the integer 1; /l/1: integer: wrote 20E-1 as the integer 2", out{ID: big, Score: 3, L: []int{1, 2}}},
	} {
		var got out
		repairs, err := Unmarshal(tc.raw, "endTurn", rs, &got)
		if err != nil || got.ID != tc.want.ID || got.Score != tc.want.Score || got.N != tc.want.N || !equal(canonical(got.L), canonical(tc.want.L)) || repairString(repairs) != tc.repairs {
			t.Errorf("Unmarshal(%s) = %+v, %q, %v; want %+v, %q", tc.raw, got, repairString(repairs), err, tc.want, tc.repairs)
		}
		// The parse itself, not only the scanner before it, keeps the
		// answer's bytes.
		if r := planFor(rs).parse(tc.raw, "endTurn"); r.err != nil || r.verbatim != tc.verbatim {
			t.Errorf("parse(%s): verbatim %q, %v; want %q", tc.raw, r.verbatim, r.err, tc.verbatim)
		}
	}
}

func repairString(rs []Repair) string {
	var parts []string
	for _, r := range rs {
		parts = append(parts, r.String())
	}
	return strings.Join(parts, "; ")
}

// TestIntegerRepairsCounted holds the integer repairs to the rule of every
// kind: at most MaxRepairsPerKind listed, 1+More over them the number
// made, and each found where coercion put its value (a key read in
// another case, a value wrapped in a list or taken out of one).
func TestIntegerRepairsCounted(t *testing.T) {
	list := resolved(t, `{"type":"array","items":{"type":"integer"}}`)
	obj := resolved(t, `{"type":"object","properties":{"count":{"type":"integer"},"ids":{"type":"array","items":{"type":"integer"}},"n":{"type":"integer"},"m":{"type":"integer"}},"additionalProperties":false}`)
	items := "[" + strings.Repeat("1.0, ", 99) + "1.0]"
	for _, tc := range []struct {
		name, raw string
		rs        any
		total     int    // integer repairs made
		paths     string // of the integer repairs listed
		value     string
	}{
		{"100 items", items, list, 100, "/0 /1 /2", ""},
		{"100 items under a renamed key", `{"IDS": ` + items + `}`, obj, 100, "/ids/0 /ids/1 /ids/2", ""},
		{"a renamed key", `{"Count": 2.0}`, obj, 1, "/count", `{"count":2}`},
		{"a value wrapped in a list", `{"ids": 3.0}`, obj, 1, "/ids/0", `{"ids":[3]}`},
		{"a list of one unwrapped", `{"n": [4.0]}`, obj, 1, "/n", `{"n":4}`},
		{"plain beside written", `{"n": 5, "m": 5.0, "x": 1}`, obj, 1, "/m", `{"m":5,"n":5}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			schema := list
			if tc.rs == obj {
				schema = obj
			}
			v, repairs, err := Parse(tc.raw, "endTurn", schema)
			if err != nil {
				t.Fatal(err)
			}
			var paths []string
			listed := 0
			for _, r := range repairs {
				if r.Kind == KindInteger {
					paths = append(paths, r.Path)
					listed++
				}
			}
			if n := count(repairs, KindInteger); n != tc.total || listed > MaxRepairsPerKind || strings.Join(paths, " ") != tc.paths {
				t.Errorf("integer repairs: %d in all, listed at %q; want %d at %q\n%s", n, paths, tc.total, tc.paths, repairString(repairs))
			}
			if tc.value != "" && string(appendJSON(nil, v)) != tc.value {
				t.Errorf("value %s, want %s", appendJSON(nil, v), tc.value)
			}
		})
	}
}

// TestPathsBounded holds the paths of repairs and errors short however
// long the model's keys: each key cut to maxPathSegment bytes and "…",
// the whole to maxPath and "/…".
func TestPathsBounded(t *testing.T) {
	long := func(c string) string { return strings.Repeat(c, 300<<10) }
	rs := resolved(t, `{"type":"object","properties":{"a":{"type":"integer"}},"additionalProperties":false}`)
	_, repairs, err := Parse(`{"a": 1, "`+long("x")+`": 1, "`+long("y")+`": 2, "`+long("z")+`": 3}`, "endTurn", rs)
	if err != nil {
		t.Fatal(err)
	}
	size := 0
	for _, r := range repairs {
		size += len(r.Path) + len(r.Detail)
		if len(r.Path) > maxPathSegment+len("/…") || !strings.HasSuffix(r.Path, "…") {
			t.Errorf("repair path of %d bytes: %.100q", len(r.Path), r.Path)
		}
	}
	if size > 1000 {
		t.Errorf("repairs of %d bytes", size)
	}

	// An error's paths, from the checker and from decoding.
	rs = resolved(t, `{"type":"object","additionalProperties":{"type":"integer"}}`)
	_, _, err = Parse(`{"`+long("k")+`": "x", "`+long("l")+`": "y"}`, "endTurn", rs)
	e, ok := err.(*Error)
	if !ok {
		t.Fatalf("error %v", err)
	}
	for _, v := range e.Violations() {
		if len(v.Path) > maxPathSegment+len("/…") {
			t.Errorf("error path of %d bytes", len(v.Path))
		}
	}
	var out map[string]int8
	if _, err := Unmarshal(`{"`+long("k")+`": 300}`, "endTurn", rs, &out); err == nil || len(err.(*Error).Path) > maxPathSegment+len("/…") {
		t.Errorf("decoding error %.200v", err)
	}

	// Deep paths end in "/…"; escapes and characters are not cut apart.
	var segs []seg
	for range MaxDepth {
		segs = append(segs, seg{key: strings.Repeat("é", 40), isKey: true})
	}
	if p := pointer(segs); len(p) > maxPath+len("/…") || !strings.HasSuffix(p, "/…") {
		t.Errorf("deep path of %d bytes: %.100q", len(p), p)
	}
	for _, tc := range []struct{ key, want string }{
		{strings.Repeat("a", 64), "/" + strings.Repeat("a", 64)},
		{strings.Repeat("a", 63) + "~b", "/" + strings.Repeat("a", 63) + "…"},
		{strings.Repeat("a", 63) + "é", "/" + strings.Repeat("a", 63) + "…"},
		{"a/b~c", "/a~1b~0c"},
	} {
		if got := pointer([]seg{{key: tc.key, isKey: true}}); got != tc.want {
			t.Errorf("pointer(%q) = %q, want %q", tc.key, got, tc.want)
		}
	}
}
