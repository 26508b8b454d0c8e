package answer

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestRepairsAreBounded holds the repairs of an answer to a few of each
// kind and a count of the rest, however many were made.
func TestRepairsAreBounded(t *testing.T) {
	const n = 100_000
	var b strings.Builder
	b.WriteString(`{"label": "positive"`)
	for i := range n {
		fmt.Fprintf(&b, `,"%x":1`, i)
	}
	b.WriteString("}")
	v, repairs, err := Parse(b.String(), "endTurn", resolved(t, ruleSchema))
	if err != nil || !equal(v, map[string]any{"label": "positive", "urgent": false}) {
		t.Fatalf("Parse = %s, %v", show(v), err)
	}
	report, _ := json.Marshal(repairs)
	t.Logf("%d repairs, %d bytes: %v", len(repairs), len(report), repairs)
	if len(repairs) > 2*MaxRepairsPerKind || len(report) > 2<<10 {
		t.Errorf("%d unknown keys gave %d repairs, %d bytes as JSON: %v", n, len(repairs), len(report), repairs)
	}
	if got := count(repairs, KindUnknownKey); got != n {
		t.Errorf("the repairs count %d unknown keys, want %d", got, n)
	}
	if last := repairs[MaxRepairsPerKind-1]; last.Kind != KindUnknownKey || last.More != n-MaxRepairsPerKind ||
		!strings.HasSuffix(last.String(), fmt.Sprintf("(and %d more of this kind)", n-MaxRepairsPerKind)) {
		t.Errorf("the last unknown-key repair listed is %#v, %q", last, last)
	}

	// The same in an array of enum values, and what Unmarshal returns.
	items := strings.TrimSuffix(strings.Repeat(`"YES",`, n), ",")
	var out struct {
		Labels []string `json:"labels"`
	}
	repairs, err = Unmarshal(`{"labels": [`+items+`]}`, "endTurn", resolved(t, `{"type":"object","properties":{"labels":{"type":"array","items":{"enum":["yes","no"]}}}}`), &out)
	if err != nil || len(out.Labels) != n || out.Labels[n-1] != "yes" {
		t.Fatalf("Unmarshal: %d labels, %v", len(out.Labels), err)
	}
	if len(repairs) != MaxRepairsPerKind || count(repairs, KindEnumCase) != n || repairs[0].Path != "/labels/0" || repairs[2].Path != "/labels/2" {
		t.Errorf("repairs %v", repairs)
	}
}

// count is the repairs of kind that rs stand for.
func count(rs []Repair, kind string) int {
	n := 0
	for _, r := range rs {
		if r.Kind == kind {
			n += r.count()
		}
	}
	return n
}

func TestCapRepairs(t *testing.T) {
	var rs []Repair
	for i := range 7 {
		rs = append(rs, Repair{Kind: "a", Detail: fmt.Sprint(i)}, Repair{Kind: "b", Detail: fmt.Sprint(i), More: i})
	}
	got := capRepairs(rs)
	var parts []string
	for _, r := range got {
		parts = append(parts, fmt.Sprintf("%s:%s+%d", r.Kind, r.Detail, r.More))
	}
	if s := strings.Join(parts, " "); s != "a:0+0 b:0+0 a:1+0 b:1+1 a:2+4 b:2+24" {
		t.Errorf("capRepairs = %s", s)
	}
	if count(got, "a") != 7 || count(got, "b") != 7+21 {
		t.Errorf("counts %d, %d", count(got, "a"), count(got, "b"))
	}
	if rs[5].More != 2 {
		t.Error("capRepairs changed its argument")
	}
	short := rs[:3]
	if got := capRepairs(short); &got[0] != &short[0] || len(got) != 3 {
		t.Error("capRepairs copied a list within the bound")
	}
}

// TestKeysByCase holds one rule for keys that name one field: the same
// value is read once, with one repair; different values are refused, as a
// key given twice is, naming both keys.
func TestKeysByCase(t *testing.T) {
	const strict = `{"type":"object","properties":{"sentiment":{"enum":["positive","negative"]},"n":{"type":"integer"}},"required":["sentiment"],"additionalProperties":false}`
	const open = `{"type":"object","properties":{"sentiment":{"enum":["positive","negative"]},"n":{"type":"integer"}},"required":["sentiment"]}`
	for _, tc := range []struct {
		name, schema, raw string
		want              string // the value as JSON, or "" for an error
		repairs           string // the kinds, or the error's message
	}{
		{"two cases, two values", strict, `{"Sentiment":"positive","SENTIMENT":"negative"}`, "",
			`/sentiment: the keys "SENTIMENT" and "Sentiment" both give the field "sentiment", with different values; give it once`},
		{"two cases, two values, other keys allowed", open, `{"Sentiment":"positive","SENTIMENT":"negative"}`, "",
			`/sentiment: the keys "SENTIMENT" and "Sentiment" both give the field "sentiment", with different values; give it once`},
		{"the field and another case, two values", strict, `{"sentiment":"positive","Sentiment":"negative"}`, "",
			`/sentiment: the keys "sentiment" and "Sentiment" both give the field "sentiment", with different values; give it once`},
		{"two cases, one value", strict, `{"Sentiment":"positive","SENTIMENT":"positive","n":1}`, `{"n":1,"sentiment":"positive"}`, "key-case"},
		{"three cases, one value", strict, `{"Sentiment":"positive","SENTIMENT":"positive","senTiment":"positive"}`, `{"sentiment":"positive"}`, "key-case"},
		{"the field and another case, one value", strict, `{"sentiment":"positive","Sentiment":"positive"}`, `{"sentiment":"positive"}`, "duplicate-key"},
		{"one other case", strict, `{"Sentiment":"positive"}`, `{"sentiment":"positive"}`, "key-case"},
		// Where other keys are allowed, a key beside the field itself is one
		// of them, not the field again.
		{"the field and another key allowed", open, `{"sentiment":"positive","Sentiment":"negative"}`, `{"Sentiment":"negative","sentiment":"positive"}`, ""},
		// Exact repeats stay the parser's.
		{"an exact repeat", strict, `{"sentiment":"positive","sentiment":"negative"}`, "", `the key "sentiment" appears twice with different values`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, repairs, err := Parse(tc.raw, "endTurn", resolved(t, tc.schema))
			if tc.want == "" {
				if err == nil || !strings.Contains(err.Error(), tc.repairs) {
					t.Fatalf("Parse(%s) = %s, %v; want an error saying %q", tc.raw, show(v), err, tc.repairs)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%s): %v", tc.raw, err)
			}
			if got := string(appendJSON(nil, v)); got != tc.want || kinds(repairs) != tc.repairs {
				t.Errorf("Parse(%s) = %s, %q (%v); want %s, %q", tc.raw, got, kinds(repairs), repairs, tc.want, tc.repairs)
			}
		})
	}
	_, repairs, _ := Parse(`{"Sentiment":"positive","SENTIMENT":"positive"}`, "endTurn", resolved(t, strict))
	if len(repairs) != 1 || repairs[0].Detail != `read the keys "SENTIMENT" and "Sentiment" as "sentiment"` || repairs[0].Path != "/sentiment" {
		t.Errorf("repairs %v", repairs)
	}
}

// TestIntegers holds an integer written with a fraction or an exponent
// decodable into a Go integer, with a repair, and a value the Go type cannot
// hold an *Error at its path.
func TestIntegers(t *testing.T) {
	type item struct {
		X int8 `json:"x"`
	}
	type out struct {
		N int64            `json:"n"`
		U uint8            `json:"u"`
		L []item           `json:"l"`
		M map[string]int32 `json:"m"`
		S string           `json:"s"`
		F float64          `json:"f"`
	}
	const schema = `{"type":"object","properties":{
		"n":{"type":"integer"},"u":{"type":"integer"},
		"l":{"type":"array","items":{"type":"object","properties":{"x":{"type":"integer"}}}},
		"m":{"type":"object","additionalProperties":{"$ref":"#/$defs/int"}},
		"s":{}, "f":{"type":"number"}},
		"$defs":{"int":{"type":"integer"}}}`
	rs := resolved(t, schema)
	for _, tc := range []struct {
		raw     string
		want    out
		repairs string // the repairs as String gives them, "; "-separated
	}{
		{`{"n": 1e2}`, out{N: 100}, "/n: integer: wrote 1e2 as the integer 100"},
		{`{"n": 5.0, "u": 2.5e1}`, out{N: 5, U: 25}, "/n: integer: wrote 5.0 as the integer 5; /u: integer: wrote 2.5e1 as the integer 25"},
		{`{"l": [{"x": 1}, {"x": 1.0E1}]}`, out{L: []item{{1}, {10}}}, "/l/1/x: integer: wrote 1.0E1 as the integer 10"},
		{`{"m": {"a/b": -3.000}}`, out{M: map[string]int32{"a/b": -3}}, "/m/a~1b: integer: wrote -3.000 as the integer -3"},
		// Where the schema wants any number, the notation is no repair, and
		// the value still decodes.
		{`{"f": 1.0, "n": 2}`, out{F: 1, N: 2}, ""},
		// In a fence, with other repairs.
		{"```json\n{'n': 3.0,}\n```", out{N: 3}, "fence: took the JSON from a Markdown fence (json); quotes: read a string in single quotes; trailing-comma: dropped a comma before a closing bracket; /n: integer: wrote 3.0 as the integer 3"},
	} {
		var got out
		repairs, err := Unmarshal(tc.raw, "endTurn", rs, &got)
		var rstr []string
		for _, r := range repairs {
			rstr = append(rstr, r.String())
		}
		if err != nil || !equal(canonical(got), canonical(tc.want)) || strings.Join(rstr, "; ") != tc.repairs {
			t.Errorf("Unmarshal(%s) = %+v, %q, %v; want %+v, %q", tc.raw, got, strings.Join(rstr, "; "), err, tc.want, tc.repairs)
		}
	}
	// A real fraction is refused as before.
	if _, err := Unmarshal(`{"n": 1.5}`, "endTurn", rs, new(out)); err == nil || err.Error() != "/n: expected an integer, got a number 1.5" {
		t.Errorf("a fraction: %v", err)
	}

	// What the schema allows and the Go type cannot hold is an *Error at
	// its path, from the answer's own bytes and from a repaired value.
	for _, tc := range []struct{ raw, want string }{
		{`{"n": 9223372036854775808}`, "/n: 9223372036854775808 does not fit in int64"},
		{`{"n": 1e19}`, "/n: 10000000000000000000 does not fit in int64"},
		// Repaired, the value is re-encoded from a float64, which has the
		// digits it has.
		{`{'n': 9223372036854775808}`, "/n: 9223372036854776000 does not fit in int64"},
		{`{"u": 256}`, "/u: 256 does not fit in uint8"},
		{`{"u": -1}`, "/u: -1 does not fit in uint8"},
		{`{"l": [{"x": 1}, {"x": 300}]}`, "/l/1/x: 300 does not fit in int8"},
		{`{"m": {"a\"b": 3000000000}}`, `/m/a"b: 3000000000 does not fit in int32`},
		{`{"s": 5}`, "/s: the output type string cannot hold a number"},
		{`{"s": [5]}`, "/s: the output type string cannot hold an array"},
		{`{"s": true}`, "/s: the output type string cannot hold a boolean"},
		{`{"n": 1e300}`, "/n: 1e300 does not fit in int64"},
	} {
		_, err := Unmarshal(tc.raw, "endTurn", rs, new(out))
		var e *Error
		if !errors.As(err, &e) || err.Error() != tc.want {
			t.Errorf("Unmarshal(%s): %T %v, want an *Error %q", tc.raw, err, err, tc.want)
		}
	}
	// A fraction where the schema allows any number and Go wants an
	// integer.
	var loose struct {
		N int `json:"n"`
	}
	if _, err := Unmarshal(`{"n": 2.5}`, "endTurn", resolved(t, `{"type":"object","properties":{"n":{"type":"number"}}}`), &loose); err == nil ||
		err.Error() != "/n: 2.5 is not an integer, which the output type int wants" {
		t.Errorf("a fraction for an int: %v", err)
	}
}

// hugeError is an UnmarshalJSON method's error that quotes all it was given.
type hugeError struct{}

func (*hugeError) UnmarshalJSON(b []byte) error { return fmt.Errorf("cannot take %s", b) }

// TestErrorsAreShort feeds a string, a number or a key of about 1 MB to
// each place an error can quote it, and holds each message to an excerpt.
func TestErrorsAreShort(t *testing.T) {
	const limit = 2 << 10
	const n = MaxInputBytes - 4096
	big := strings.Repeat("x", n)
	half := strings.Repeat("y", n/2)
	digits := "1" + strings.Repeat("0", n)                // out of float64's range
	fraction := "0." + strings.Repeat("1", n)             // in range, a megabyte long
	foldsToLabel := "L" + strings.Repeat("_", n) + "abel" // "label" when case and separators are ignored
	var enum []string
	for i := range 500 {
		enum = append(enum, fmt.Sprintf("value number %d of a long list of allowed values", i))
	}
	enumJSON, _ := json.Marshal(enum)
	longEnum := `{"type":"object","properties":{"v":{"enum":` + string(enumJSON) + `}},"additionalProperties":false}`
	anyOf := `{"type":"object","properties":{"v":{"anyOf":[{"type":"string","maxLength":3},{"type":"number"}]}}}`
	parse := []struct{ name, schema, raw string }{
		{"a syntax error after a long key", ruleSchema, `{"` + big + `" 1}`},
		{"a syntax error after a long key's value", ruleSchema, `{"` + big + `": 1 2}`},
		{"a syntax error in a long string", `{}`, `{"a": "` + big + `"` + ` x}`},
		{"a long number out of range", ruleSchema, `{"score": ` + digits + `}`},
		{"a long number of the wrong type", ruleSchema, `{"label": "positive", "note": ` + fraction + `}`},
		{"a long number over the maximum", ruleSchema, `{"label": "positive", "score": ` + fraction[2:] + `}`},
		{"a long string for an enum", ruleSchema, `{"label": "` + big + `"}`},
		{"a long string for a number", ruleSchema, `{"label": "positive", "score": "` + big + `"}`},
		{"a long string against a pattern", `{"type":"string","pattern":"^[a-z]{1,3}$"}`, `"` + big + `"`},
		{"a long string under a minimum length", `{"type":"string","minLength":2000000}`, `"` + big + `"`},
		{"a long string over a maximum length", `{"type":"string","maxLength":3}`, `"` + big + `"`},
		{"a long unknown key", `{"type":"object","additionalProperties":{"type":"number"}}`, `{"` + big + `": "x"}`},
		{"a long key where none is allowed", `{"type":"object","properties":{"a":{}},"additionalProperties":false,"required":["a"]}`, `{"` + big + `": 1}`},
		{"a long key twice", `{}`, `{"` + half + `": 1, "` + half + `": 2}`},
		{"a long key folding to a field, twice", ruleSchema, `{"` + foldsToLabel + `": "positive", "LABEL": "negative"}`},
		{"jsonrepair on a long string", ruleSchema, `{"label": "positive" "note": "` + strings.Repeat("z", MaxRepairBytes-64) + `" x}`},
		{"an explanation naming another value", ruleSchema, `{"label": "negative, not neutral ` + strings.Repeat("w ", MaxProseBytes/2-20) + `"}`},
		{"two values alike", ruleSchema, `{"label": "positive", "note": "` + half[:n/2-40] + `"} {"label": "negative", "note": "` + half[:n/2-40] + `"}`},
		{"jsonschema-go's message about a long string", anyOf, `{"v": "` + big + `"}`},
		{"a long list of allowed values", longEnum, `{"v": "` + big + `"}`},
		{"a long list of allowed values, two named", longEnum, `{"v": "` + enum[1] + " or " + enum[2] + `"}`},
		{"a cut-off long string", ruleSchema, `{"label": "` + big},
	}
	for _, tc := range parse {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := Parse(tc.raw, "endTurn", resolved(t, tc.schema))
			if err == nil {
				t.Fatal("no error")
			}
			if msg := err.Error(); len(msg) > limit {
				t.Errorf("the error is %d bytes: %.3000q", len(msg), msg)
			} else {
				t.Logf("%d bytes: %.300q", len(msg), msg)
			}
		})
	}
	t.Run("Unmarshal", func(t *testing.T) {
		loose := resolved(t, `{"type":"object","properties":{"n":{},"s":{},"h":{}}}`)
		var out struct {
			N int        `json:"n"`
			S string     `json:"s"`
			H *hugeError `json:"h"`
		}
		for _, raw := range []string{
			`{"n": ` + fraction + `}`, `{"s": ` + fraction + `}`, `{"n": "` + big + `"}`,
			`{"h": "` + big + `"}`, `{'h': "` + big + `"}`, `{"` + big + `": 1, "n": 0.5}`,
		} {
			_, err := Unmarshal(raw, "endTurn", loose, &out)
			if err == nil {
				t.Errorf("Unmarshal(%.60q): no error", raw)
			} else if msg := err.Error(); len(msg) > limit {
				t.Errorf("Unmarshal(%.60q): the error is %d bytes: %.3000q", raw, len(msg), msg)
			} else {
				t.Logf("%d bytes: %.300q", len(msg), msg)
			}
		}
	})
	t.Run("Text and Check", func(t *testing.T) {
		_, _, err := Text(big, "endTurn", resolved(t, `{"type":"string","maxLength":3,"pattern":"^a"}`))
		if err == nil || len(err.Error()) > limit {
			t.Errorf("Text: %.3000v", err)
		}
		err = Check(map[string]any{"label": big, big: big}, resolved(t, ruleSchema))
		if err == nil || len(err.Error()) > limit {
			t.Errorf("Check: %.3000v", err)
		}
		// A long list of allowed fields.
		props := map[string]any{}
		for _, v := range enum {
			props[v] = map[string]any{}
		}
		schema, _ := json.Marshal(map[string]any{"type": "object", "properties": props, "additionalProperties": false})
		many := map[string]any{}
		for i := range 2 * MaxErrors {
			many[fmt.Sprint(i, half[:n/(4*MaxErrors)])] = i
		}
		err = Check(many, resolved(t, string(schema)))
		if err == nil || len(err.Error()) > limit {
			t.Errorf("Check: %.3000v", err)
		} else {
			t.Logf("%d bytes: %.300q", len(err.Error()), err)
		}
	})
}
