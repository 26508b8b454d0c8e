package answer

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// A time.Time field's schema, as samplegen writes it, beside the pointer
// (oneOf with null), list and map forms.
const dueSchema = `{
  "type": "object",
  "properties": {
    "title": {"type": "string"},
    "due": {"type": "string", "format": "date-time"},
    "remind": {"oneOf": [{"type": "string", "format": "date-time"}, {"type": "null"}]},
    "dates": {"type": "array", "items": {"type": "string", "format": "date-time"}},
    "by_step": {"type": "object", "additionalProperties": {"$ref": "#/$defs/when"}}
  },
  "required": ["title", "due"],
  "additionalProperties": false,
  "$defs": {"when": {"type": "string", "format": "date-time"}}
}`

func TestDateTimeIsCheckedAtItsPath(t *testing.T) {
	schema := resolved(t, dueSchema)
	for raw, want := range map[string]string{
		`{"title": "a", "due": "tomorrow"}`:                                              `/due: "tomorrow" is not a date-time (RFC 3339, such as "2026-03-01T09:30:00Z")`,
		`{"title": "a", "due": "2026-03-01"}`:                                            `/due: "2026-03-01" is not a date-time`,
		`{"title": "a", "due": "2026-03-01T09:30:00Z", "remind": "at noon"}`:             `/remind: "at noon" is not a date-time`,
		`{"title": "a", "due": "2026-03-01T09:30:00Z", "dates": ["x"]}`:                  `/dates/0: "x" is not a date-time`,
		`{"title": "a", "due": "2026-03-01T09:30:00Z", "by_step": {"b": "y", "a": "z"}}`: `/by_step/a: "z" is not a date-time`,
		// In a fence, and needing a repair first: the same check.
		"```json\n{'title': 'a', 'due': 'soon',}\n```": `/due: "soon" is not a date-time`,
	} {
		_, _, err := Parse(raw, "endTurn", schema)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%s) error = %v, want %q", raw, err, want)
		}
		var out struct {
			Due time.Time `json:"due"`
		}
		if _, err := Unmarshal(raw, "endTurn", schema, &out); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Unmarshal(%s) error = %v, want %q", raw, err, want)
		}
	}
}

func TestValidDateTimesPass(t *testing.T) {
	schema := resolved(t, dueSchema)
	raw := `{"title": "a", "due": "2026-03-01T09:30:00+01:00", "remind": null, "dates": ["2026-03-01T09:30:00.5Z"], "by_step": {"a": "2026-03-02T00:00:00Z"}}`
	var out struct {
		Due    time.Time            `json:"due"`
		Remind *time.Time           `json:"remind"`
		Dates  []time.Time          `json:"dates"`
		ByStep map[string]time.Time `json:"by_step"`
	}
	repairs, err := Unmarshal(raw, "endTurn", schema, &out)
	if err != nil || len(repairs) != 0 {
		t.Fatalf("Unmarshal: repairs %v, err %v", repairs, err)
	}
	if out.Due.Hour() != 9 || out.Remind != nil || len(out.Dates) != 1 || out.ByStep["a"].Day() != 2 {
		t.Errorf("got %+v", out)
	}
	if err := Check(mustDecode(t, raw), schema); err != nil {
		t.Errorf("Check refuses a valid value: %v", err)
	}
	if err := Check(mustDecode(t, `{"title": "a", "due": "noon"}`), schema); err == nil || !strings.Contains(err.Error(), `/due: "noon" is not a date-time`) {
		t.Errorf("Check: %v", err)
	}
	if Valid([]byte(`{"title": "a", "due": "noon"}`), schema) {
		t.Errorf("Valid says yes to a date-time that is not one")
	}
}

// A string output that is a date-time is checked too.
func TestTextDateTime(t *testing.T) {
	schema := resolved(t, `{"type": "string", "format": "date-time"}`)
	if _, _, err := Text("next week", "endTurn", schema); err == nil || !strings.Contains(err.Error(), `"next week" is not a date-time`) {
		t.Errorf("Text: %v", err)
	}
	if got, _, err := Text("2026-03-01T09:30:00Z", "endTurn", schema); err != nil || got != "2026-03-01T09:30:00Z" {
		t.Errorf("Text: %q, %v", got, err)
	}
}

func mustDecode(t *testing.T, raw string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// Under anyOf (and oneOf) a date-time branch need not pass when another
// branch that holds the value does; when none does, the format error stands.
func TestDateTimeUnderAnyOf(t *testing.T) {
	// jsonschema-go ignores formats, so for oneOf the date-time branch
	// says what a date-time starts with, or "next week" would pass both.
	for key, dateTime := range map[string]string{"anyOf": `{"type": "string", "format": "date-time"}`, "oneOf": `{"type": "string", "format": "date-time", "pattern": "^[0-9]"}`} {
		schema := resolved(t, `{"type": "object", "properties": {"when": {"`+key+`": [`+dateTime+`, {"type": "string", "pattern": "^next"}]}}}`)
		for raw, want := range map[string]string{
			`{"when": "next week"}`:            "",
			`{"when": "2026-03-01T09:30:00Z"}`: "",
			`{"when": "2026-03-01"}`:           `/when: "2026-03-01" is not a date-time`,
		} {
			err := Check(mustDecode(t, raw), schema)
			if want == "" && err != nil || want != "" && (err == nil || !strings.Contains(err.Error(), want)) {
				t.Errorf("%s: Check(%s) = %v, want %q", key, raw, err, want)
			}
		}
	}
}

// Branches within branches, each admitting the value and each failing
// deep down, are walked once for each value, not once for each way down:
// the work (counted in allocations) grows with the depth, not as 2^depth.
func TestDateTimeNestedBranchesAreLinear(t *testing.T) {
	schema := resolved(t, `{
  "$ref": "#/$defs/n",
  "$defs": {"n": {"anyOf": [
    {"type": "object", "properties": {"c": {"$ref": "#/$defs/n"}, "d": {"type": "string", "format": "date-time"}}},
    {"type": "object", "properties": {"c": {"$ref": "#/$defs/n"}, "d": {"type": "string", "format": "date-time"}}, "required": ["c"]}
  ]}}
}`)
	allocs := func(depth int) float64 {
		raw := strings.Repeat(`{"c": `, depth) + `{"d": "never"}` + strings.Repeat("}", depth)
		v := mustDecode(t, raw)
		want := "/" + strings.Repeat("c/", depth) + `d: "never" is not a date-time`
		// The format check alone: jsonschema-go's own anyOf is not ours.
		p := planFor(schema)
		if err := p.dateTimeError(v); err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("depth %d: dateTimeError = %v, want %q", depth, err, want)
		}
		return testing.AllocsPerRun(3, func() { _ = p.dateTimeError(v) })
	}
	small, large := allocs(8), allocs(16)
	if large > 4*small {
		t.Errorf("allocations at depth 16: %.0f, at depth 8: %.0f; want them to grow with the depth", large, small)
	}
}
