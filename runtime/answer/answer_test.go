package answer

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/jsonschema-go/jsonschema"
)

const sentimentSchema = `{
  "type": "object",
  "properties": {
    "sentiment": {"type": "string", "enum": ["positive", "negative", "neutral"]},
    "confidence": {"type": "number", "minimum": 0, "maximum": 1},
    "tags": {"type": "array", "items": {"type": "string"}},
    "urgent": {"type": "boolean", "default": false}
  },
  "required": ["sentiment", "confidence"],
  "additionalProperties": false
}`

func resolved(t testing.TB, text string) *jsonschema.Resolved {
	t.Helper()
	var s jsonschema.Schema
	if err := json.Unmarshal([]byte(text), &s); err != nil {
		t.Fatal(err)
	}
	rs, err := s.Resolve(nil)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func TestParseRules(t *testing.T) {
	schema := resolved(t, sentimentSchema)
	for _, tc := range []struct {
		name, raw string
		want      string // the value as JSON
		repairs   string // the kinds of repair, in order
	}{
		{"clean", `{"sentiment":"positive","confidence":0.9}`, `{"confidence":0.9,"sentiment":"positive","urgent":false}`, "default"},
		{"fenced", "```json\n{\"sentiment\":\"negative\",\"confidence\":0.5,\"urgent\":true}\n```", `{"confidence":0.5,"sentiment":"negative","urgent":true}`, "fence"},
		{"tilde fence", "~~~\n{\"sentiment\":\"negative\",\"confidence\":0.5,\"urgent\":true}\n~~~", `{"confidence":0.5,"sentiment":"negative","urgent":true}`, "fence"},
		{"prose around", `Sure! {"sentiment":"neutral","confidence":1,"urgent":false} Hope that helps.`, `{"confidence":1,"sentiment":"neutral","urgent":false}`, "prose"},
		{"think first", "<think>maybe {positive}?</think>\n{\"sentiment\":\"positive\",\"confidence\":0.7,\"urgent\":false}", `{"confidence":0.7,"sentiment":"positive","urgent":false}`, "think"},
		{"trailing commas", `{"sentiment":"positive","confidence":0.7,"tags":["a","b",],"urgent":false,}`, `{"confidence":0.7,"sentiment":"positive","tags":["a","b"],"urgent":false}`, "trailing-comma"},
		{"enum case", `{"sentiment":"Very-Positive ","confidence":0.7,"urgent":false}`, "", ""},
		{"enum case fixed", `{"sentiment":"NEGATIVE","confidence":0.7,"urgent":false}`, `{"confidence":0.7,"sentiment":"negative","urgent":false}`, "enum-case"},
		{"number from string", `{"sentiment":"positive","confidence":"0.8","urgent":false}`, `{"confidence":0.8,"sentiment":"positive","urgent":false}`, "number"},
		{"boolean from string", `{"sentiment":"positive","confidence":0.8,"urgent":"TRUE"}`, `{"confidence":0.8,"sentiment":"positive","urgent":true}`, "boolean"},
		{"unknown key dropped", `{"sentiment":"positive","confidence":0.8,"urgent":false,"reason":"nice"}`, `{"confidence":0.8,"sentiment":"positive","urgent":false}`, "unknown-key"},
		{"braces inside strings", `Answer: {"sentiment":"positive","confidence":0.8,"tags":["}{"],"urgent":false} ok`, `{"confidence":0.8,"sentiment":"positive","tags":["}{"],"urgent":false}`, "prose"},
		{"the cleanest candidate wins", "{\"sentiment\":\"positive\",\"confidence\":0.1,\"urgent\":false}\n```json\n{\"sentiment\":\"Negative\",\"confidence\":\"0.9\",\"urgent\":false}\n```", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, repairs, err := Parse(tc.raw, "endTurn", schema)
			if tc.want == "" {
				// Cases whose point is what is refused or preferred.
				switch tc.name {
				case "enum case":
					if err == nil {
						t.Fatalf("matched %q to an enum value by more than case and separators: %v", "Very-Positive", v)
					}
				case "the cleanest candidate wins":
					// The whole text is not JSON; the first span needs no coercion.
					if err != nil || show(v) != `{"confidence":0.1,"sentiment":"positive","urgent":false}` {
						t.Fatalf("got %s, %v; want the candidate with the fewest repairs", show(v), err)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("error: %v", err)
			}
			if got := show(v); got != tc.want {
				t.Errorf("value = %s, want %s", got, tc.want)
			}
			var kinds []string
			for _, r := range repairs {
				kinds = append(kinds, r.Kind)
			}
			if got := strings.Join(kinds, " "); got != tc.repairs {
				t.Errorf("repairs = %q, want %q (%v)", got, tc.repairs, repairs)
			}
		})
	}
}

func TestParseErrorsSayWhereWhatAndWhatCame(t *testing.T) {
	schema := resolved(t, sentimentSchema)
	for raw, want := range map[string]string{
		`{"sentiment":"happy","confidence":0.5}`:              `/sentiment: expected one of "positive", "negative", "neutral", got "happy"`,
		`{"sentiment":"positive","confidence":7}`:             `/confidence: 7 is above the maximum 1`,
		`{"sentiment":"positive"}`:                            `/confidence: this required field is missing`,
		`{"sentiment":"positive","confidence":[1,2]}`:         `/confidence: expected a number, got an array [1,2]`,
		`{"sentiment":"positive","confidence":0.5,"tags":{}}`: `/tags: expected an array, got an object {}`,
		`I'd rather not say.`:                                 `the answer holds no JSON value`,
		`{"sentiment": "positive", "confidence": 0.5`:         `not valid JSON`,
	} {
		_, _, err := Parse(raw, "endTurn", schema)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%s) error = %v, want %q", raw, err, want)
		}
	}
}

func TestParseRefusesTruncatedAnswers(t *testing.T) {
	schema := resolved(t, `{"type":"object","properties":{"label":{"type":"string"}},"required":["label"]}`)
	for _, raw := range []string{
		`{"label": "positive", "detail": {"label": "neg`,
		`Here you go: {"items": [{"label": "a"}, {"label": "b"}`, // a complete inner object must not pass for the whole
		"```json\n{\"label\": \"a\"}",                            // an unclosed fence
	} {
		v, _, err := Parse(raw, StopMaxTokens, schema)
		if !errors.Is(err, ErrTruncated) {
			t.Errorf("Parse(%q, maxTokens) = %v, %v; want ErrTruncated", raw, v, err)
		}
	}
	// A complete answer is fine even at the token limit.
	if _, _, err := Parse(`{"label": "a"}`, StopMaxTokens, schema); err != nil {
		t.Errorf("a complete answer at the token limit was refused: %v", err)
	}
}

func asError(err error, target **Error) bool { return errors.As(err, target) }
