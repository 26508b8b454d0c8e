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
