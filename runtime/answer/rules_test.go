package answer

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// A rule case: an answer, and either the value (as JSON) with the kinds of
// repair made, or a piece of the error.
type ruleCase struct {
	name    string
	schema  string // "" for ruleSchema
	raw     string
	stop    string // "" for endTurn
	want    string // the value as JSON; "" when an error is wanted
	repairs string // the kinds of repair, in order, space-separated
	err     string // a piece of the error
}

// ruleSchema is a small schema with one field of each kind the rules touch.
const ruleSchema = `{
  "type": "object",
  "properties": {
    "label": {"type": "string", "enum": ["positive", "negative", "neutral"]},
    "score": {"type": "number", "minimum": 0, "maximum": 1},
    "count": {"type": "integer"},
    "urgent": {"type": "boolean", "default": false},
    "tags": {"type": "array", "items": {"type": "string"}},
    "note": {"type": "string"}
  },
  "required": ["label"],
  "additionalProperties": false
}`

const labelSchema = `{"type":"object","properties":{"label":{"type":"string","enum":["positive","negative","neutral"]}},"required":["label"],"additionalProperties":false}`

func runRules(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			schemaText := tc.schema
			if schemaText == "" {
				schemaText = ruleSchema
			}
			stop := tc.stop
			if stop == "" {
				stop = "endTurn"
			}
			v, repairs, err := Parse(tc.raw, stop, resolved(t, schemaText))
			if tc.want == "" {
				if err == nil {
					t.Fatalf("Parse(%q) = %s (repairs %v), want an error with %q", tc.raw, show(v), repairs, tc.err)
				}
				if !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("Parse(%q) error = %q, want it to say %q", tc.raw, err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v (repairs %v)", tc.raw, err, repairs)
			}
			var want any
			if err := json.Unmarshal([]byte(tc.want), &want); err != nil {
				t.Fatal(err)
			}
			if !equal(canonical(want), v) {
				t.Errorf("Parse(%q) = %s, want %s", tc.raw, show(v), tc.want)
			}
			if got := kinds(repairs); got != tc.repairs {
				t.Errorf("repairs = %q, want %q\n%v", got, tc.repairs, repairs)
			}
		})
	}
}

func kinds(rs []Repair) string {
	var ks []string
	for _, r := range rs {
		ks = append(ks, r.Kind)
	}
	return strings.Join(ks, " ")
}

func TestRuleCandidates(t *testing.T) {
	runRules(t, []ruleCase{
		{name: "clean JSON needs no repair", raw: `{"label":"positive","urgent":true}`, want: `{"label":"positive","urgent":true}`},
		{name: "space around is no repair", raw: "\n  {\"label\":\"positive\",\"urgent\":true}  \n", want: `{"label":"positive","urgent":true}`},
		{name: "fence with a language", raw: "```json\n{\"label\":\"negative\",\"urgent\":true}\n```", want: `{"label":"negative","urgent":true}`, repairs: "fence"},
		{name: "fence in prose", raw: "Sure:\n~~~\n{\"label\":\"negative\",\"urgent\":true}\n~~~\nAnything else?", want: `{"label":"negative","urgent":true}`, repairs: "fence"},
		{name: "answer tag", raw: "<output>\n{\"label\":\"neutral\",\"urgent\":true}\n</output>", want: `{"label":"neutral","urgent":true}`, repairs: "tag"},
		{name: "JSON in prose", raw: `My answer is {"label":"neutral","urgent":true} as requested.`, want: `{"label":"neutral","urgent":true}`, repairs: "prose"},
		{name: "brackets inside strings do not confuse spans", raw: `Answer: {"label":"positive","note":"}{][","urgent":true} ok`, want: `{"label":"positive","note":"}{][","urgent":true}`, repairs: "prose"},
		{name: "the span that fits wins", raw: `The input {"text": "meh"} gets {"label":"neutral","urgent":true}`, want: `{"label":"neutral","urgent":true}`, repairs: "prose"},
		{name: "the cheaper candidate wins", raw: "{\"label\":\"positive\",\"urgent\":true}\n```json\n{\"label\":\"Negative\",\"urgent\":\"true\"}\n```", want: `{"label":"positive","urgent":true}`, repairs: "prose"},
		{name: "equal costs with different values are refused", raw: "{\"label\":\"positive\",\"urgent\":true}\n```json\n{\"label\":\"Negative\",\"urgent\":true}\n```", err: "two different values that fit equally well"},
		{name: "the same value twice is one answer", raw: "{\"label\":\"positive\",\"urgent\":true}\n\nSo: {\"label\": \"positive\", \"urgent\": true}", want: `{"label":"positive","urgent":true}`, repairs: "prose"},
		{name: "two values that fit alike are refused", raw: `First {"label":"positive","urgent":true} or maybe {"label":"negative","urgent":true}`, err: "two different values that fit equally well"},
		{name: "think block set aside", raw: "<think>{\"label\": \"negative\"} is wrong</think>{\"label\":\"positive\",\"urgent\":true}", want: `{"label":"positive","urgent":true}`, repairs: "think"},
		{name: "reasoning before a lone closing tag set aside", raw: "Let me see... {\"label\":\"negative\"}\n</think>\n{\"label\":\"positive\",\"urgent\":true}", want: `{"label":"positive","urgent":true}`, repairs: "think"},
		{name: "an unclosed think block is all reasoning", raw: "<think>It is {\"label\": \"positive\"}", err: "all reasoning"},
		{name: "prose only", raw: "I cannot help with that.", err: "holds no JSON value"},
		{name: "empty", raw: "  \n", err: "the answer is empty"},
	})
}

func TestRuleSyntax(t *testing.T) {
	runRules(t, []ruleCase{
		{name: "trailing commas", raw: `{"label":"positive","tags":["a","b",],"urgent":true,}`, want: `{"label":"positive","tags":["a","b"],"urgent":true}`, repairs: "trailing-comma"},
		{name: "comments", raw: "{\n// why\n\"label\": \"positive\", /* more */ \"urgent\": true\n# done\n}", want: `{"label":"positive","urgent":true}`, repairs: "comment"},
		{name: "single quotes", raw: `{'label': 'positive', 'note': 'say "hi"', 'urgent': true}`, want: `{"label":"positive","note":"say \"hi\"","urgent":true}`, repairs: "quotes"},
		{name: "typographic quotes", raw: "{\u201clabel\u201d: \u201cpositive\u201d, \"urgent\": true}", want: `{"label":"positive","urgent":true}`, repairs: "quotes"},
		{name: "unquoted keys", raw: `{label: "positive", urgent: true}`, want: `{"label":"positive","urgent":true}`, repairs: "unquoted-key"},
		{name: "Python literals", raw: `{"label": "positive", "urgent": True}`, want: `{"label":"positive","urgent":true}`, repairs: "python-literal"},
		{name: "raw newline in a string", raw: "{\"label\": \"positive\", \"note\": \"a\nb\", \"urgent\": true}", want: `{"label":"positive","note":"a\nb","urgent":true}`, repairs: "control-character"},
		{name: "invalid escape", raw: `{"label": "positive", "note": "it\'s", "urgent": true}`, want: `{"label":"positive","note":"it's","urgent":true}`, repairs: "escape"},
		{name: "repeated key with the same value", raw: `{"label": "positive", "label": "positive", "urgent": true}`, want: `{"label":"positive","urgent":true}`, repairs: "duplicate-key"},
		{name: "repeated key with different values", raw: `{"label": "positive", "label": "negative", "urgent": true}`, err: `the key "label" appears twice with different values`},
		{name: "non-ASCII space", raw: "{\u00a0\"label\": \"positive\", \"urgent\": true}", want: `{"label":"positive","urgent":true}`, repairs: "whitespace"},
		{name: "invalid UTF-8", raw: "{\"label\": \"positive\", \"note\": \"a\xffb\", \"urgent\": true}", want: `{"label":"positive","note":"a\ufffdb","urgent":true}`, repairs: "utf8"},
		{name: "jsonrepair: missing comma", raw: `{"label": "positive" "urgent": true}`, want: `{"label":"positive","urgent":true}`, repairs: "missing-comma"},
		{name: "jsonrepair: missing colon", raw: `{"label" "positive", "urgent": true}`, want: `{"label":"positive","urgent":true}`, repairs: "missing-colon"},
		{name: "jsonrepair: unescaped quotes", raw: `{"label": "positive", "note": "he said "hi" twice", "urgent": true}`, want: `{"label":"positive","note":"he said \"hi\" twice","urgent":true}`, repairs: "escape escape"},
		{name: "jsonrepair: ellipsis", raw: `{"label": "positive", "tags": ["a", "b", ...], "urgent": true}`, want: `{"label":"positive","tags":["a","b"],"urgent":true}`, repairs: "trailing-comma ellipsis"},
		{name: "jsonrepair with first-tier fixes", raw: `{'label': 'positive' 'urgent': True}`, want: `{"label":"positive","urgent":true}`, repairs: "quotes missing-comma quotes python-literal"},
		{name: "jsonrepair never invents brackets", raw: "{\"label\": \"positive\"}\n{\"label\": \"negative\"}", err: "two different values"},
		{name: "jsonrepair quotes a bare word", raw: `{"label": positive, "urgent": true}`, want: `{"label":"positive","urgent":true}`, repairs: "missing-quote"},
		{name: "not JSON at all", raw: `{"label" :: "positive"}`, err: "not valid JSON: line 1, column 11: expected a JSON value, found ':'"},
	})
}

func TestRuleEnums(t *testing.T) {
	intents := `{"type":"object","properties":{"intent":{"type":"string","enum":["billing","tech_support","cancel_subscription","other"]}},"required":["intent"],"additionalProperties":false}`
	levels := `{"type":"object","properties":{"level":{"type":"string","enum":["high","very_high","low"]}},"required":["level"],"additionalProperties":false}`
	clash := `{"type":"object","properties":{"state":{"type":"string","enum":["in-progress","in_progress","done"]}},"required":["state"]}`
	yesNo := `{"type":"string","enum":["yes","no"]}`
	runRules(t, []ruleCase{
		{name: "case", schema: labelSchema, raw: `{"label": "Positive"}`, want: `{"label":"positive"}`, repairs: "enum-case"},
		{name: "separators", schema: intents, raw: `{"intent": "Tech Support"}`, want: `{"intent":"tech_support"}`, repairs: "enum-case"},
		{name: "camel case", schema: intents, raw: `{"intent": "cancelSubscription"}`, want: `{"intent":"cancel_subscription"}`, repairs: "enum-case"},
		{name: "decoration", schema: labelSchema, raw: `{"label": "**Neutral**."}`, want: `{"label":"neutral"}`, repairs: "enum-case"},
		{name: "explanation after the value", schema: labelSchema, raw: `{"label": "negative - the customer is angry"}`, want: `{"label":"negative"}`, repairs: "enum-explanation"},
		{name: "explanation in parentheses", schema: intents, raw: `{"intent": "billing (a refund request)"}`, want: `{"intent":"billing"}`, repairs: "enum-explanation"},
		{name: "the longest value leads", schema: levels, raw: `{"level": "very high: act now"}`, want: `{"level":"very_high"}`, repairs: "enum-explanation"},
		{name: "an explanation naming another value is refused", schema: labelSchema, raw: `{"label": "negative, or perhaps neutral"}`, err: `goes on to name "neutral"`},
		{name: "more than the value is not the value", schema: labelSchema, raw: `{"label": "Very-Positive"}`, err: `expected one of "positive", "negative", "neutral", got "Very-Positive"`},
		{name: "prose inside a JSON string is not searched", schema: labelSchema, raw: `{"label": "I think it is negative"}`, err: "expected one of"},
		{name: "values that fold alike are refused", schema: clash, raw: `{"state": "In Progress"}`, err: "matches more than one of the allowed values"},
		{name: "bare word", schema: labelSchema, raw: "Negative", want: `{"label":"negative"}`, repairs: "bare-text wrap-object enum-case"},
		{name: "bare word in prose", schema: labelSchema, raw: "The sentiment of this text is **Neutral**.", want: `{"label":"neutral"}`, repairs: "bare-text wrap-object enum-prose"},
		{name: "bare multi-word value in prose", schema: intents, raw: "This is a tech support request.", want: `{"intent":"tech_support"}`, repairs: "bare-text wrap-object enum-prose"},
		{name: "bare word in an answer tag", schema: labelSchema, raw: "Thinking done.\n<answer>negative</answer>", want: `{"label":"negative"}`, repairs: "tag bare-text wrap-object"},
		{name: "two values in prose are refused", schema: labelSchema, raw: "It could be positive or negative.", err: "names more than one of the allowed values"},
		{name: "a negated value is refused", schema: labelSchema, raw: "It is not negative.", err: `also says "not"`},
		{name: "a hedged value is refused", schema: labelSchema, raw: "Maybe positive.", err: `also says "maybe"`},
		{name: "a value that is a hedge word is no hedge", schema: yesNo, raw: "No.", want: `"no"`, repairs: "bare-text enum-case"},
		{name: "prose naming no value", schema: labelSchema, raw: "I'm sorry, I can't help.", err: "holds no JSON value"},
		{name: "numeric enum from a string", schema: `{"enum":[1,2,3]}`, raw: `"2"`, want: `2`, repairs: "number"},
	})
}

func TestRuleTypes(t *testing.T) {
	wrapList := `{"type":"object","properties":{"labels":{"type":"array","items":{"type":"string","enum":["spam","ham"]}}},"required":["labels"]}`
	nullable := `{"type":"object","properties":{"note":{"type":["string","null"]},"n":{"type":"integer","default":3}},"required":["note"]}`
	runRules(t, []ruleCase{
		{name: "number from a string", raw: `{"label": "positive", "score": " 0.8 "}`, want: `{"label":"positive","score":0.8,"urgent":false}`, repairs: "number default"},
		{name: "integer with thousands separators", raw: `{"label": "positive", "count": "12,111"}`, want: `{"label":"positive","count":12111,"urgent":false}`, repairs: "number default"},
		{name: "integral float is an integer", raw: `{"label": "positive", "count": 3.0, "urgent": true}`, want: `{"label":"positive","count":3,"urgent":true}`, repairs: "integer"},
		{name: "an exponent is an integer", raw: `{"label": "positive", "count": 1e2, "urgent": true}`, want: `{"label":"positive","count":100,"urgent":true}`, repairs: "integer"},
		{name: "a number field keeps its notation", raw: `{"label": "positive", "score": 1.0, "urgent": true}`, want: `{"label":"positive","score":1,"urgent":true}`},
		{name: "ambiguous separators are not read", raw: `{"label": "positive", "score": "0,5"}`, err: `expected a number, got a string "0,5"`},
		{name: "percent is not read", raw: `{"label": "positive", "score": "85%"}`, err: "expected a number"},
		{name: "boolean from a string", raw: `{"label": "positive", "urgent": "TRUE"}`, want: `{"label":"positive","urgent":true}`, repairs: "boolean"},
		{name: "boolean from yes", raw: `{"label": "positive", "urgent": "yes"}`, want: `{"label":"positive","urgent":true}`, repairs: "boolean"},
		{name: "one value where a list is wanted", schema: wrapList, raw: `{"labels": "spam"}`, want: `{"labels":["spam"]}`, repairs: "wrap-list"},
		{name: "a list where one value is wanted", raw: `{"label": ["negative"], "urgent": true}`, want: `{"label":"negative","urgent":true}`, repairs: "unwrap-list"},
		{name: "a list of two where one value is wanted", raw: `{"label": ["negative", "neutral"], "urgent": true}`, err: `/label: expected a string, got an array`},
		{name: "a list of one object where an object is wanted", raw: `[{"label": "negative", "urgent": true}]`, want: `{"label":"negative","urgent":true}`, repairs: "unwrap-list"},
		{name: "a list into the one field that holds it", schema: wrapList, raw: `["spam", "ham"]`, want: `{"labels":["spam","ham"]}`, repairs: "wrap-object"},
		{name: "a scalar into the one required field", raw: `"positive"`, want: `{"label":"positive","urgent":false}`, repairs: "wrap-object default"},
		{name: "key case", raw: `{"Label": "positive", "URGENT": true}`, want: `{"label":"positive","urgent":true}`, repairs: "key-case key-case"},
		{name: "key separators", schema: `{"type":"object","properties":{"max_score":{"type":"number"}},"required":["max_score"]}`, raw: `{"maxScore": 1}`, want: `{"max_score":1}`, repairs: "key-case"},
		{name: "unknown key dropped where forbidden", raw: `{"label": "positive", "reason": "nice", "urgent": true}`, want: `{"label":"positive","urgent":true}`, repairs: "unknown-key"},
		{name: "unknown key kept where allowed", schema: `{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]}`, raw: `{"a": "x", "b": 1}`, want: `{"a":"x","b":1}`},
		{name: "default for a missing field", raw: `{"label": "positive"}`, want: `{"label":"positive","urgent":false}`, repairs: "default"},
		{name: "null for an optional field is dropped", raw: `{"label": "positive", "note": null, "urgent": true}`, want: `{"label":"positive","urgent":true}`, repairs: "null-dropped"},
		{name: "null dropped, then the default", schema: nullable, raw: `{"note": null, "n": null}`, want: `{"note":null,"n":3}`, repairs: "null-dropped default"},
		{name: "null for a required field is an error", raw: `{"label": null}`, err: "/label: expected a string, got null"},
		{name: "double-encoded JSON", raw: `"{\"label\": \"positive\", \"urgent\": true}"`, want: `{"label":"positive","urgent":true}`, repairs: "double-encoded"},
		{name: "double-encoded nested value", schema: wrapList, raw: `{"labels": "[\"spam\", \"ham\"]"}`, want: `{"labels":["spam","ham"]}`, repairs: "double-encoded"},
	})
}

func TestRuleTruncation(t *testing.T) {
	runRules(t, []ruleCase{
		{name: "cut inside a string", stop: StopMaxTokens, raw: `{"label": "posi`, err: "cut off at the token limit"},
		{name: "a whole inner object is not the value", stop: StopMaxTokens, raw: `Here: {"items": [{"label": "positive"}, {"label": "neg`, err: "cut off"},
		{name: "an unclosed fence", stop: StopMaxTokens, raw: "```json\n{\"label\": \"positive\", \"urgent\": true}", err: "cut off"},
		{name: "a span while another bracket is open", stop: StopMaxTokens, raw: `{"label": "positive", "urgent": true} and also {"label": "neg`, err: "cut off"},
		{name: "a number at the end may have lost digits", schema: `{"type":"number"}`, stop: StopMaxTokens, raw: `0.12`, err: "cut off"},
		{name: "bare prose is never taken", schema: labelSchema, stop: StopMaxTokens, raw: "The answer is negat", err: "cut off"},
		{name: "an unclosed think block", stop: StopMaxTokens, raw: "<think>Let me think about {", err: "cut off"},
		{name: "nothing at all", stop: StopMaxTokens, raw: "", err: "the answer is empty"},
		{name: "a complete value at the limit is fine", stop: StopMaxTokens, raw: `{"label": "positive", "urgent": true}`, want: `{"label":"positive","urgent":true}`},
		{name: "cut-off prose after a whole value is fine", stop: StopMaxTokens, raw: "{\"label\": \"positive\", \"urgent\": true}\nHope this hel", want: `{"label":"positive","urgent":true}`, repairs: "prose"},
		{name: "incomplete without the token limit", raw: `{"label": "positive", "urgent": tr`, err: "not valid JSON: line 1, column 33: the text ends inside true; the value is incomplete"},
	})
	_, _, err := Parse(`{"label": "posi`, StopMaxTokens, resolved(t, ruleSchema))
	if !errors.Is(err, ErrTruncated) {
		t.Errorf("a cut-off answer gives %v, want an error matching ErrTruncated", err)
	}
}

func TestRuleLibraryValidation(t *testing.T) {
	// anyOf is left to jsonschema-go; the compiled nodes still coerce.
	schema := `{"type":"object","properties":{"v":{"anyOf":[{"type":"string","maxLength":3},{"type":"number"}]},"n":{"type":"integer"}},"required":["v"]}`
	if !planFor(resolved(t, schema)).library {
		t.Fatal("anyOf did not put the schema in library mode")
	}
	runRules(t, []ruleCase{
		{name: "valid", schema: schema, raw: `{"v": "abc", "n": "2"}`, want: `{"v":"abc","n":2}`, repairs: "number"},
		{name: "invalid", schema: schema, raw: `{"v": "abcd"}`, err: "does not match the schema"},
		{name: "a self-referring schema is refused, not a stack overflow", schema: `{"anyOf": [{"$ref": "#"}]}`, raw: `1`, err: "refers to itself"},
	})
}

func TestLimits(t *testing.T) {
	schema := resolved(t, ruleSchema)
	anySchema := resolved(t, `{}`)
	if _, _, err := Parse(deep(MaxDepth), "endTurn", anySchema); err != nil {
		t.Errorf("nesting %d deep: %v", MaxDepth, err)
	}
	if _, _, err := Parse(deep(MaxDepth+1), "endTurn", anySchema); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("more than %d levels", MaxDepth)) {
		t.Errorf("nesting %d deep: %v, want the depth limit", MaxDepth+1, err)
	}
	big := `{"label": "positive", "note": "` + strings.Repeat("x", MaxInputBytes) + `"}`
	if _, _, err := Parse(big, "endTurn", schema); err == nil || !strings.Contains(err.Error(), "bytes long") {
		t.Errorf("an answer over MaxInputBytes: %v, want the size limit", err)
	}
	if _, err := Unmarshal(big, "endTurn", schema, new(any)); err == nil {
		t.Error("Unmarshal read an answer over MaxInputBytes")
	}
	// Inputs built to make a careless parser quadratic, or to overflow its
	// stack, each well within the size limit, must end (a hang fails at the
	// test deadline); how fast they end is BenchmarkAdversarial's to show,
	// since a wall-clock bound here would be flaky on a loaded machine.
	for _, text := range adversarial() {
		for _, stop := range []string{"endTurn", StopMaxTokens} {
			Parse(text, stop, schema)
		}
	}
}

func deep(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }

// adversarial returns inputs built to make a careless parser quadratic or
// to overflow its stack, or to make jsonrepair, which is quadratic, do all
// the work it may.
func adversarial() map[string]string {
	half := MaxInputBytes / 2
	return map[string]string{
		"open brackets":     strings.Repeat("{", half),
		"deep arrays":       deep(half / 2),
		"close brackets":    strings.Repeat("]", half),
		"mismatched":        strings.Repeat("{", half/2) + strings.Repeat("]", half/2),
		"think blocks":      strings.Repeat("<think></think>", half/15),
		"unclosed thinks":   strings.Repeat("<think>", half/7),
		"fences":            strings.Repeat("```\n", half/4),
		"answer tags":       strings.Repeat("<answer>{}</answer>", half/19),
		"spans":             strings.Repeat("{} ", half/3),
		"quotes":            strings.Repeat(`"`, half),
		"prose":             strings.Repeat("positive negative ", half/18),
		"long string":       `{"label": "positive", "note": "` + strings.Repeat("\\n", half/2) + `"}`,
		"many keys":         "{" + strings.Repeat(`"a": 1, `, half/8) + `"label": "positive"}`,
		"many repairs":      "{" + strings.Repeat(`'a': True, `, half/12) + `'label': 'positive'}`,
		"library territory": `[` + strings.Repeat(`"a" `, MaxRepairBytes/4-1) + `]`,
		// Near MaxInputBytes: spans for jsonrepair, whose cost grows with
		// the square of its input, too long for it, as long as its budget
		// and many short ones (see TestLibraryLinear).
		"library long spans":   libraryAnswer(MaxInputBytes-1024, 31<<10, libraryShapes["bare-items"]),
		"library budget spans": libraryAnswer(MaxInputBytes-1024, MaxRepairBytes, libraryShapes["bare-items"]),
		"library short spans":  libraryAnswer(MaxInputBytes-1024, 2<<10, libraryShapes["missing-commas"]),
	}
}

func TestUnmarshal(t *testing.T) {
	type verdict struct {
		Label  string   `json:"label"`
		Count  int64    `json:"count"`
		Urgent bool     `json:"urgent"`
		Tags   []string `json:"tags"`
	}
	schema := resolved(t, ruleSchema)
	// A clean answer is decoded from its own bytes: a big integer keeps
	// every digit.
	var v verdict
	repairs, err := Unmarshal(`{"label":"positive","count":9007199254740993,"urgent":true}`, "endTurn", schema, &v)
	if err != nil || len(repairs) != 0 || v.Count != 9007199254740993 || v.Label != "positive" {
		t.Errorf("clean: %+v, %v, %v", v, repairs, err)
	}
	// A repaired answer goes through the value.
	v = verdict{}
	repairs, err = Unmarshal("```json\n{'label':'Negative','tags':'a'}\n```", "endTurn", schema, &v)
	if err != nil || kinds(repairs) != "fence quotes enum-case wrap-list default" || v.Label != "negative" || len(v.Tags) != 1 {
		t.Errorf("messy: %+v, %q, %v", v, kinds(repairs), err)
	}
	// The fast path does not skip what the schema needs: a missing field with
	// a default still gets it.
	v = verdict{Urgent: true}
	if repairs, err := Unmarshal(`{"label":"positive"}`, "endTurn", schema, &v); err != nil || v.Urgent || kinds(repairs) != "default" {
		t.Errorf("default: %+v, %q, %v", v, kinds(repairs), err)
	}
	if _, err := Unmarshal(`{"label":"happy"}`, "endTurn", schema, &v); err == nil {
		t.Error("an invalid answer was decoded")
	}
}

func TestCheckerAgreesWithJSONSchemaGo(t *testing.T) {
	values := []string{
		`null`, `true`, `0`, `-1.5`, `3.0`, `"x"`, `""`, `[]`, `[1,1]`, `{}`,
		`{"label":"positive"}`, `{"label":"positive","extra":1}`, `{"label":"Positive"}`,
		`{"ok":true,"note":"hello world","n":4}`, `{"ok":true,"note":"Hi","n":3}`, `{"ok":true,"note":null,"n":102}`,
		`{"ok":true,"a":1,"b":2,"c":3}`, `{"labels":["spam","spam"]}`, `{"labels":[]}`, `{"labels":["none"]}`,
		`[{"id":1,"tags":["a"]},{"id":0}]`, `[{"id":1,"tags":[""]}]`, `[{"id":2},{"id":3},{"id":4},{"id":5},{"id":6}]`,
		`{"level":2,"kind":"x","extra":{"a":1},"z":"s"}`, `{"level":2.5}`, `{"kind":"y"}`, `{"z":1}`, `{"extra":{"a":"1"}}`,
		`"billing"`, `"BILLING"`, `1e308`,
	}
	for i, schemaText := range fuzzSchemas {
		rs := resolved(t, schemaText)
		p := planFor(rs)
		if p.library {
			continue
		}
		for _, text := range values {
			var ps parser
			v, ok := ps.parseText(text)
			if !ok {
				t.Fatalf("%s: %v", text, ps.err.msg)
			}
			var c checker
			mine, theirs := c.run(v, p.root, false), rs.Validate(v)
			if (mine == nil) != (theirs == nil) {
				t.Errorf("schema %d, value %s: checker says %v, jsonschema-go says %v", i, text, mine, theirs)
			}
		}
	}
}
