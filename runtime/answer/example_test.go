package answer_test

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/samplegen/samplegen/runtime/answer"
)

func mustSchema(text string) *jsonschema.Resolved {
	var s jsonschema.Schema
	if err := json.Unmarshal([]byte(text), &s); err != nil {
		panic(err)
	}
	rs, err := s.Resolve(nil)
	if err != nil {
		panic(err)
	}
	return rs
}

var schema = mustSchema(`{
  "type": "object",
  "properties": {
    "label": {"type": "string", "enum": ["positive", "negative", "neutral"]},
    "confidence": {"type": "number", "minimum": 0, "maximum": 1}
  },
  "required": ["label", "confidence"],
  "additionalProperties": false
}`)

func ExampleParse() {
	text := "Sure!\n```json\n{'label': 'Positive', 'confidence': '0.9',}\n```"
	v, repairs, err := answer.Parse(text, "endTurn", schema)
	if err != nil {
		fmt.Println(err)
		return
	}
	b, _ := json.Marshal(v)
	fmt.Println(string(b))
	for _, r := range repairs {
		fmt.Println(r)
	}
	// Output:
	// {"confidence":0.9,"label":"positive"}
	// fence: took the JSON from a Markdown fence (json)
	// quotes: read 4 strings in single quotes
	// trailing-comma: dropped a comma before a closing bracket
	// /confidence: number: read the number 0.9 from the string "0.9"
	// /label: enum-case: "Positive" → "positive"
}

func ExampleParse_refused() {
	for _, text := range []string{
		`{"label": "positive", "confidence": 7}`,
		`It could be positive or negative.`,
	} {
		_, _, err := answer.Parse(text, "endTurn", schema)
		fmt.Println(err)
	}
	_, _, err := answer.Parse(`{"label": "positive", "confid`, answer.StopMaxTokens, schema)
	fmt.Println(errors.Is(err, answer.ErrTruncated))
	// Output:
	// /confidence: 7 is above the maximum 1
	// the answer holds no JSON value; answer with the JSON value only
	// true
}

func ExampleUnmarshal() {
	var out struct {
		Label      string  `json:"label"`
		Confidence float64 `json:"confidence"`
	}
	repairs, err := answer.Unmarshal(`{"label": "negative", "confidence": 0.8}`, "endTurn", schema, &out)
	fmt.Printf("%+v %d %v\n", out, len(repairs), err)
	// Output:
	// {Label:negative Confidence:0.8} 0 <nil>
}
