package answer

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/google/jsonschema-go/jsonschema"
)

// The benchmark value: a code review, about 1 KiB as JSON.
type benchIssue struct {
	Line     int    `json:"line"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
}

type benchReview struct {
	Summary string       `json:"summary"`
	Approve bool         `json:"approve"`
	Score   float64      `json:"score"`
	Issues  []benchIssue `json:"issues"`
}

const benchSchema = `{
  "type": "object",
  "properties": {
    "summary": {"type": "string", "maxLength": 400},
    "approve": {"type": "boolean"},
    "score": {"type": "number", "minimum": 0, "maximum": 1},
    "issues": {
      "type": "array",
      "items": {
        "type": "object",
        "properties": {
          "line": {"type": "integer", "minimum": 1},
          "severity": {"type": "string", "enum": ["low", "medium", "high"]},
          "message": {"type": "string"}
        },
        "required": ["line", "severity", "message"],
        "additionalProperties": false
      }
    }
  },
  "required": ["summary", "approve", "score", "issues"],
  "additionalProperties": false
}`

// benchClean is a clean answer of about 1 KiB.
func benchClean() string {
	var b strings.Builder
	b.WriteString(`{"summary": "The change adds a cache in front of the store; two issues need fixing before merge.", "approve": false, "score": 0.42, "issues": [`)
	for i := 0; b.Len() < 950; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, `{"line": %d, "severity": "medium", "message": "map written without holding the lock"}`, i+10)
	}
	b.WriteString(`]}`)
	return b.String()
}

// benchMessy is the same answer as a model might really give it, about 1
// KiB: prose and a fence around it, single quotes, a comment, trailing
// commas, a number and a boolean in strings, enum values in capitals.
func benchMessy() string {
	var b strings.Builder
	b.WriteString("Here is my review of the change:\n\n```json\n{\n  // overall verdict\n  'summary': 'The change adds a cache in front of the store; two issues need fixing.',\n  \"approve\": \"false\",\n  \"score\": \"0.42\",\n  \"issues\": [\n")
	for i := 0; b.Len() < 900; i++ {
		fmt.Fprintf(&b, "    {\"line\": %d, \"severity\": \"Medium\", \"message\": \"map written without the lock\",},\n", i+10)
	}
	b.WriteString("  ],\n}\n```\n\nLet me know if you want more detail.")
	return b.String()
}

func BenchmarkClean(b *testing.B) {
	schema := resolved(b, benchSchema)
	text := benchClean()
	b.SetBytes(int64(len(text)))
	var want benchReview
	if err := json.Unmarshal([]byte(text), &want); err != nil {
		b.Fatal(err)
	}
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			var r benchReview
			if err := json.Unmarshal([]byte(text), &r); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("answer-unmarshal", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			var r benchReview
			if _, err := Unmarshal(text, "endTurn", schema, &r); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("answer-parse", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			if _, _, err := Parse(text, "endTurn", schema); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("jsonschema-go-validate", func(b *testing.B) {
		v, _, _ := Parse(text, "endTurn", schema)
		for b.Loop() {
			if err := schema.Validate(v); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkMessy(b *testing.B) {
	schema := resolved(b, benchSchema)
	text := benchMessy()
	v, repairs, err := Parse(text, "endTurn", schema)
	if err != nil {
		b.Fatalf("%v\n%s", err, text)
	}
	b.Logf("%d bytes, %d repairs: %v", len(text), len(repairs), repairs)
	_ = v
	b.Run("answer-parse", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			if _, _, err := Parse(text, "endTurn", schema); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("answer-unmarshal", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			var r benchReview
			if _, err := Unmarshal(text, "endTurn", schema, &r); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkAdversarial times the inputs TestLimits only runs: inputs built
// to make a careless parser quadratic, each half of MaxInputBytes, and
// answers near MaxInputBytes made of spans for jsonrepair. Linear work
// keeps each in the low milliseconds, and the budget of jsonrepair keeps its
// share to one call of MaxRepairBytes at worst.
func BenchmarkAdversarial(b *testing.B) {
	var s jsonschema.Schema
	if err := json.Unmarshal([]byte(ruleSchema), &s); err != nil {
		b.Fatal(err)
	}
	schema, err := s.Resolve(nil)
	if err != nil {
		b.Fatal(err)
	}
	inputs := adversarial()
	for _, name := range slices.Sorted(maps.Keys(inputs)) {
		b.Run(strings.ReplaceAll(name, " ", "_"), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(inputs[name])))
			for b.Loop() {
				Parse(inputs[name], "endTurn", schema)
			}
		})
	}
}
