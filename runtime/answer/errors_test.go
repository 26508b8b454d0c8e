package answer

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// parseError is Parse's error as an *Error, failing the test otherwise.
func parseError(t *testing.T, raw, schema string) *Error {
	t.Helper()
	v, repairs, err := Parse(raw, "endTurn", resolved(t, schema))
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("Parse(%.200q) = %s (repairs %v), %v; want an *Error", raw, show(v), repairs, err)
	}
	return e
}

func paths(e *Error) string {
	var ps []string
	for _, v := range e.Violations() {
		ps = append(ps, v.Path)
	}
	return strings.Join(ps, " ")
}

func TestErrorsNameEveryViolation(t *testing.T) {
	for _, tc := range []struct {
		name, schema, raw string
		paths             string // the paths of the violations, in order
		msg               string // the whole message, when given
	}{
		{
			name: "three wrong fields", schema: ruleSchema,
			raw:   `{"label": "happy", "score": 7, "count": 1.5, "urgent": true}`,
			paths: "/count /label /score",
			msg: "/count: expected an integer, got a number 1.5\n" +
				`/label: expected one of "positive", "negative", "neutral", got "happy"` + "\n" +
				"/score: 7 is above the maximum 1",
		},
		{
			name:   "missing fields in their place",
			schema: `{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"string"},"c":{"type":"string"}},"required":["c","a","b"]}`,
			raw:    `{"b": 1}`, paths: "/a /b /c",
			msg: "/a: this required field is missing\n/b: expected a string, got an integer 1\n/c: this required field is missing",
		},
		{
			name:   "unknown fields in their place",
			schema: `{"type":"object","properties":{"a":{"type":"number"},"c":{"type":"number"}},"additionalProperties":{"type":"string"}}`,
			raw:    `{"a": "x", "b": 2, "c": "y", "d": 3}`, paths: "/a /b /c /d",
		},
		{
			name:   "nested, by index",
			schema: `{"type":"array","items":{"type":"object","properties":{"id":{"type":"integer","minimum":1},"tags":{"type":"array","items":{"type":"string","minLength":1}}},"required":["id"]}}`,
			raw:    `[{"id": 0}, {"id": 2, "tags": ["", "ok", ""]}, {"tags": []}]`, paths: "/0/id /1/tags/0 /1/tags/2 /2/id",
		},
		{
			name:   "a node's several keywords",
			schema: `{"type":"object","properties":{"n":{"type":"number","maximum":10,"multipleOf":3},"s":{"type":"string","maxLength":2,"pattern":"^[a-z]+$"}}}`,
			raw:    `{"n": 11, "s": "ABC"}`, paths: "/n /n /s /s",
			msg: "/n: 11 is above the maximum 10\n/n: 11 is not a multiple of 3\n" +
				"/s: the string is 3 characters long, longer than the maximum 2\n/s: \"ABC\" does not match the pattern ^[a-z]+$",
		},
		{
			name:   "the object and its fields",
			schema: `{"type":"object","properties":{"a":{"type":"string"}},"minProperties":2}`,
			raw:    `{"a": 1}`, paths: " /a",
			msg: "expected at least 2 fields, got 1\n/a: expected a string, got an integer 1",
		},
		{
			name:   "a type error ends the checks of its node",
			schema: `{"type":"object","properties":{"a":{"type":"string","enum":["x"],"minLength":3}}}`,
			raw:    `{"a": 12}`, paths: "/a",
			msg: `/a: expected a string, got an integer 12`,
		},
		{
			name:   "repeated items",
			schema: `{"type":"array","uniqueItems":true}`,
			raw:    `[1, 2, 1, 3, 2]`, paths: " ",
			msg: "items 0 and 2 are equal; the items must differ\nitems 1 and 4 are equal; the items must differ",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := parseError(t, tc.raw, tc.schema)
			if got := paths(e); got != tc.paths {
				t.Errorf("paths = %q, want %q\n%v", got, tc.paths, e)
			}
			if tc.msg != "" && e.Error() != tc.msg {
				t.Errorf("error =\n%s\nwant\n%s", e, tc.msg)
			}
			if e.Omitted != 0 {
				t.Errorf("Omitted = %d, want 0", e.Omitted)
			}
		})
	}
}

func TestErrorsAreBounded(t *testing.T) {
	schema := `{"type":"array","items":{"type":"integer"}}`
	items := make([]string, MaxErrors+3)
	for i := range items {
		items[i] = fmt.Sprintf(`"w%d"`, i)
	}
	e := parseError(t, "["+strings.Join(items, ", ")+"]", schema)
	if got := len(e.Violations()); got != MaxErrors || e.Omitted != 3 {
		t.Fatalf("%d violations named and %d omitted, want %d and 3:\n%v", got, e.Omitted, MaxErrors, e)
	}
	lines := strings.Split(e.Error(), "\n")
	if len(lines) != MaxErrors+1 || lines[0] != `/0: expected an integer, got a string "w0"` ||
		lines[MaxErrors-1] != fmt.Sprintf(`/%d: expected an integer, got a string "w%d"`, MaxErrors-1, MaxErrors-1) ||
		lines[MaxErrors] != "(and 3 more)" {
		t.Errorf("error =\n%s", e)
	}

	// Many violations, each about a long value, still make a short message.
	long := `"` + strings.Repeat("é", 10000) + `"`
	many := make([]string, 40)
	for i := range many {
		many[i] = long
	}
	e = parseError(t, "["+strings.Join(many, ",")+"]", schema)
	if msg := e.Error(); len(msg) > 2000 || !strings.HasSuffix(msg, fmt.Sprintf("(and %d more)", 40-MaxErrors)) {
		t.Errorf("error (%d bytes) = %.3000s", len(msg), msg)
	}
}

func TestErrorsQuoteExcerpts(t *testing.T) {
	const limit = 400 // bytes: a few excerpts and the words around them
	huge := "1" + strings.Repeat("0", 1_000_000)
	for _, tc := range []struct {
		name, schema, raw, want string
	}{
		{
			name: "a million-digit number", schema: ruleSchema,
			raw:  `{"label": "positive", "score": ` + huge + `}`,
			want: "the number 1000000000000000000000000000000000000... (1000001 characters) is out of range",
		},
		{
			name: "a huge number in range of float64", schema: ruleSchema,
			raw:  `{"label": "positive", "score": 1` + strings.Repeat("0", 300) + `}`,
			want: "/score: 1e+300 is above the maximum 1",
		},
		{
			name: "a long number with a fraction", schema: `{"type":"integer"}`,
			raw:  `0.` + strings.Repeat("5", 500_000),
			want: "expected an integer, got a number 0.5555555555555556",
		},
		{
			name: "a 1 MB string", schema: ruleSchema,
			raw:  `{"label": "` + strings.Repeat("x", 1<<20-100) + `"}`,
			want: `/label: expected one of "positive", "negative", "neutral", got "xxxxxxxxxxxxxxxx`,
		},
		{
			name: "a big object", schema: `{"type":"object","properties":{"a":{"type":"string"}}}`,
			raw:  `{"a": {` + strings.Repeat(`"k": 1, `, 50_000) + `"k": 1}, "b": [` + strings.Repeat(`[1, 2], `, 50_000) + `3]}`,
			want: `/a: expected a string, got an object {"k":1}`,
		},
		{
			name: "a long key", schema: `{"type":"object","additionalProperties":{"type":"number"}}`,
			raw:  `{"` + strings.Repeat("k", 500_000) + `": "x"}`,
			want: "/kkkkkkkkkk",
		},
		{
			name: "a long key repeated", schema: `{}`,
			raw:  `{"` + strings.Repeat("k", 500_000) + `": 1, "` + strings.Repeat("k", 500_000) + `": 2}`,
			want: `the key "kkkkkkkk`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := parseError(t, tc.raw, tc.schema)
			msg := e.Error()
			if len(msg) > limit || !strings.Contains(msg, tc.want) {
				t.Errorf("error (%d bytes) = %.1000q, want at most %d bytes saying %q", len(msg), msg, limit, tc.want)
			}
		})
	}
}

func TestShowIsAnExcerpt(t *testing.T) {
	for _, tc := range []struct {
		v    any
		want string
	}{
		{"short", `"short"`},
		{"a <b>", `"a \u003cb\u003e"`},
		{strings.Repeat("x", 100), `"` + strings.Repeat("x", 76) + "..."},
		{strings.Repeat("é", 100), `"` + strings.Repeat("é", 38) + "..."},
		{[]any{1.0, "a", nil, true}, `[1,"a",null,true]`},
		{map[string]any{"b": 1.0, "a": []any{}}, `{"a":[],"b":1}`},
		{[]any(nil), `null`},
		{1e21, `1e+21`},
		{[]any{1e21, 1e-7}, `[1e+21,1e-7]`},
	} {
		if got := show(tc.v); got != tc.want {
			t.Errorf("show(%.40v) = %s, want %s", tc.v, got, tc.want)
		}
	}
	big := make([]any, 1<<16)
	for i := range big {
		big[i] = strings.Repeat("y", 1000)
	}
	if got := show(big); len(got) > showMax || !strings.HasSuffix(got, "...") {
		t.Errorf("show of a big list = %q", got)
	}
	if raceEnabled {
		return // allocation counts rise under the race detector
	}
	if n := testing.AllocsPerRun(10, func() { show(big) }); n > 8 {
		t.Errorf("show of a big list makes %v allocations: it reads more than the excerpt", n)
	}
	huge := strings.Repeat("<é>", 1<<18)
	for name, v := range map[string]any{"a big list": big, "a 768 KiB string": huge, "a list of one": []any{huge}, "an object": map[string]any{huge: huge}} {
		if n := bytesPerRun(10, func() { show(v) }); n > 4<<10 {
			t.Errorf("show of %s allocates %d bytes: it encodes more than the excerpt", name, n)
		}
	}
}

// bytesPerRun is the bytes f allocates, on average over runs.
func bytesPerRun(runs int, f func()) uint64 {
	var before, after runtime.MemStats
	f()
	runtime.ReadMemStats(&before)
	for range runs {
		f()
	}
	runtime.ReadMemStats(&after)
	return (after.TotalAlloc - before.TotalAlloc) / uint64(runs)
}

func TestErrorsStaySingle(t *testing.T) {
	for _, tc := range []struct {
		name, schema, raw, want string
	}{
		{"a refusal to choose", ruleSchema, `{"label": "negative, or perhaps neutral", "score": 7}`, `/label: "negative, or perhaps neutral" starts with "negative" but goes on to name "neutral"`},
		{"a syntax error", ruleSchema, `{"label": "positive", "score": 7,, "count": "x"}`, "not valid JSON"},
		{"jsonschema-go's wording", `{"type":"object","properties":{"v":{"anyOf":[{"type":"string","maxLength":3},{"type":"number"}]},"w":{"not":{"type":"null"}}}}`, `{"v": "abcd", "w": null}`, "the value does not match the schema: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := parseError(t, tc.raw, tc.schema)
			if len(e.More) != 0 || e.Omitted != 0 || !strings.Contains(e.Error(), tc.want) {
				t.Errorf("error = %q, want one message saying %q", e, tc.want)
			}
		})
	}
	// Where jsonschema-go judges, the checker still words what it sees.
	e := parseError(t, `{"v": "abcd", "n": "x", "m": true}`,
		`{"type":"object","properties":{"v":{"anyOf":[{"type":"string","maxLength":3},{"type":"number"}]},"n":{"type":"integer"},"m":{"type":"string"}}}`)
	if got := paths(e); got != "/m /n" {
		t.Errorf("library schema: paths %q, want the checker's \"/m /n\"\n%v", got, e)
	}
}

func TestErrorsMatchAsBefore(t *testing.T) {
	_, _, err := Parse(`{"label": "happy", "score": 7}`, "endTurn", resolved(t, ruleSchema))
	var e *Error
	if !errors.As(err, &e) || e.Path != "/label" || !strings.HasPrefix(e.Msg, "expected one of") || len(e.More) != 1 || e.More[0].Path != "/score" {
		t.Fatalf("error %#v", err)
	}
	if errors.Is(err, ErrTruncated) {
		t.Error("an invalid value matches ErrTruncated")
	}
	if vs := e.Violations(); len(vs) != 2 || vs[0] != (Violation{e.Path, e.Msg}) || vs[1] != e.More[0] {
		t.Errorf("Violations() = %v", vs)
	}
}

// TestCheckAllocations holds the verdict-only check free of allocations on
// a valid value, and the worded one too.
func TestCheckAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts rise under the race detector")
	}
	rs := resolved(t, benchSchema)
	p := planFor(rs)
	var ps parser
	v, ok := ps.parseText(benchClean())
	if !ok {
		t.Fatal(ps.err.msg)
	}
	var c checker
	for _, quiet := range []bool{true, false} {
		if e := c.run(v, p.root, quiet); e != nil {
			t.Fatal(e)
		}
		if n := testing.AllocsPerRun(100, func() { c.run(v, p.root, quiet) }); n != 0 {
			t.Errorf("quiet=%v: %v allocations checking a valid value", quiet, n)
		}
	}
}
