package answer

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/jsonschema-go/jsonschema"
)

// fuzzSchemas cover the keywords the parser coerces and checks, the ones it
// leaves to jsonschema-go, and no schema at all.
var fuzzSchemas = []string{
	sentimentSchema,
	benchSchema,
	`{"type":"object","properties":{"label":{"type":"string","enum":["positive","negative","neutral"]}},"required":["label"],"additionalProperties":false}`,
	`{"type":"object","properties":{"labels":{"type":"array","items":{"type":"string","enum":["spam","abuse","self_harm","none"]},"uniqueItems":true,"minItems":1}},"required":["labels"]}`,
	`{"type":"object","properties":{"ok":{"type":"boolean"},"note":{"type":["string","null"],"maxLength":20,"pattern":"^[a-z ]*$"},"n":{"type":"integer","multipleOf":2,"exclusiveMaximum":100,"default":4}},"required":["ok"],"minProperties":1,"maxProperties":3}`,
	`{"$defs":{"item":{"type":"object","properties":{"id":{"type":"integer","minimum":1},"tags":{"type":"array","items":{"$ref":"#/$defs/tag"}}},"required":["id"]},"tag":{"type":"string","minLength":1}},"type":"array","items":{"$ref":"#/$defs/item"},"maxItems":4}`,
	`{"type":"object","properties":{"v":{"anyOf":[{"type":"string","enum":["a","b"]},{"type":"number"}]},"w":{"not":{"type":"null"}}},"required":["v"]}`,
	`{"type":"object","properties":{"level":{"enum":[1,2,3]},"kind":{"const":"x"},"extra":{"type":"object","additionalProperties":{"type":"number"}}},"additionalProperties":{"type":"string"}}`,
	`{"type":"string","enum":["tech_support","billing","cancel_subscription","other"]}`,
	`{"type":"number"}`,
	`{}`,
}

func fuzzResolved(tb testing.TB) []*jsonschema.Resolved {
	out := make([]*jsonschema.Resolved, len(fuzzSchemas))
	for i, text := range fuzzSchemas {
		out[i] = resolved(tb, text)
	}
	return out
}

func addSeeds(f *testing.F) {
	for _, raw := range []string{
		`{"sentiment":"positive","confidence":0.9}`,
		"```json\n{\"label\": \"Neutral\",}\n```",
		`<think>{x}</think>{'label': 'negative', note: None}`,
		`Sure: {"labels": "spam"} hope it helps`,
		`[{"id": "3", "tags": "a"}, {"id": 2, "tags": ["", "b"]}]`,
		`{"ok": "yes", "note": "Hello World", "n": "1,000"}`,
		`{"v": "A", "w": null, "level": "2", "kind": "x"}`,
		`It could be positive or negative.`,
		`The intent is **Tech Support**.`,
		`"{\"label\": \"positive\"}"`,
		`{"a": 1 "b": 2}`,
		`{"msg": "he said "hi" to me"}`,
		`{"summary": "cut off`,
		`12,5`,
		"{\"summary\": \"x\ny\", \"approve\": True, \"score\": \"0.5\", \"issues\": [{\"line\": 3.0, \"severity\": \"HIGH\", \"message\": \"m\",},]}",
		strings.Repeat("[", 200) + strings.Repeat("]", 200),
		"\xff\xfe{\"label\": \"\\ud800\"}",
		`{"Label": "positive", "LABEL": "negative", "n": 1e2, "id": 5.0, "level": 2.0}`,
		`{"Labels": ["spam"], "labels": ["spam"], "ok": true, "Ok": true}`,
	} {
		for i := range fuzzSchemas {
			f.Add(raw, false, uint8(i))
		}
		f.Add(raw, true, uint8(0))
	}
}

// FuzzParse holds the promises of Parse on any input: no panic, no hang; a
// value it returns is valid (by jsonschema-go's verdict, not its own); a
// value with no repair is the answer's own JSON, so nothing was changed
// silently; Unmarshal agrees with Parse; errors are *Error.
func FuzzParse(f *testing.F) {
	schemas := fuzzResolved(f)
	addSeeds(f)
	f.Fuzz(func(t *testing.T, text string, maxTokens bool, which uint8) {
		rs := schemas[int(which)%len(schemas)]
		stop := "endTurn"
		if maxTokens {
			stop = StopMaxTokens
		}
		v, repairs, err := Parse(text, stop, rs)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T %v, want an *Error", err, err)
			}
			if e.Msg == "" {
				t.Fatal("an error with no message")
			}
		} else {
			if verr := rs.Validate(v); verr != nil {
				t.Fatalf("Parse(%q) = %s, which jsonschema-go rejects: %v", text, show(v), verr)
			}
			if len(repairs) == 0 {
				var plain any
				if json.Unmarshal([]byte(text), &plain) != nil || !equal(canonical(plain), v) {
					t.Fatalf("Parse(%q) = %s with no repair reported, but that is not the answer's JSON", text, show(v))
				}
			}
		}
		var out any
		_, uerr := Unmarshal(text, stop, rs, &out)
		if (uerr == nil) != (err == nil) {
			t.Fatalf("Unmarshal error %v, Parse error %v", uerr, err)
		}
		if uerr == nil && !equal(canonical(out), canonical(v)) {
			t.Fatalf("Unmarshal gave %s, Parse %s", show(out), show(v))
		}
	})
}

// FuzzChecker holds the compiled validator's verdict equal to
// jsonschema-go's, for every schema the checker judges alone.
func FuzzChecker(f *testing.F) {
	schemas := fuzzResolved(f)
	addSeeds(f)
	f.Fuzz(func(t *testing.T, text string, _ bool, which uint8) {
		rs := schemas[int(which)%len(schemas)]
		p := planFor(rs)
		if p.library {
			return
		}
		var ps parser
		v, ok := ps.parseText(text)
		if !ok {
			return
		}
		var c checker
		mine := c.run(v, p.root, false)
		theirs := rs.Validate(v)
		if (mine == nil) != (theirs == nil) {
			t.Fatalf("value %s: checker says %v, jsonschema-go says %v", show(v), mine, theirs)
		}
		if quiet := c.run(v, p.root, true); (quiet == nil) != (mine == nil) {
			t.Fatalf("value %s: the quiet check says %v, the worded one %v", show(v), quiet, mine)
		}
		if mine != nil && (mine.Msg == "" || len(mine.More) >= MaxErrors || mine.Omitted < 0) {
			t.Fatalf("value %s: a malformed error %#v", show(v), mine)
		}
	})
}

// FuzzAppendJSON holds appendJSON to what encoding/json writes, as a value.
func FuzzAppendJSON(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, text string, _ bool, _ uint8) {
		var ps parser
		v, ok := ps.parseText(text)
		if !ok {
			return
		}
		mine := appendJSON(nil, v)
		theirs, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var a, b any
		if err := json.Unmarshal(mine, &a); err != nil {
			t.Fatalf("appendJSON wrote invalid JSON %q: %v", mine, err)
		}
		json.Unmarshal(theirs, &b)
		if !equal(canonical(a), canonical(b)) {
			t.Fatalf("appendJSON wrote %s, encoding/json %s", mine, theirs)
		}
	})
}
