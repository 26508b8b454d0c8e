package prompt

import (
	"strings"
	"testing"
)

func TestShape(t *testing.T) {
	for _, tc := range []struct {
		name, schema string
		enums        []Enum
		want         string
	}{
		{"object, optional field, bounds", `{"type":"object","properties":{"n":{"type":"integer","minimum":1,"maximum":5,"description":"How many."},"s":{"type":"string","maxLength":9}},"required":["n"]}`, nil,
			"{\n  n: integer, // How many; from 1 to 5\n  s?: string, // at most 9 characters\n}"},
		{"bounds the description says already", `{"type":"object","properties":{"c":{"type":"number","minimum":0,"maximum":1,"description":"from 0 (none) to 1 (all)"}},"required":["c"]}`, nil,
			"{\n  c: number, // from 0 (none) to 1 (all)\n}"},
		{"enum meanings in the comment", `{"type":"object","properties":{"k":{"type":"string","enum":["a","b"]},"ks":{"type":"array","items":{"type":"string","enum":["a","b"]}}},"required":["k","ks"]}`,
			[]Enum{{Path: "k", Values: []EnumValue{{Value: "a", Doc: "first"}, {Value: "b"}}}, {Path: "ks[]", Values: []EnumValue{{Value: "a", Doc: "one"}}}},
			"{\n  k: \"a\" | \"b\", // a: first; b\n  ks: (\"a\" | \"b\")[], // a: one\n}"},
		{"references, lists of objects, maps, null", `{"type":"object","properties":{"next":{"anyOf":[{"$ref":"#/$defs/Node"},{"type":"null"}]},"m":{"type":"object","additionalProperties":{"type":"boolean"}}},"required":["next","m"],"$defs":{"Node":{"type":"object","properties":{"kids":{"type":"array","items":{"$ref":"#/$defs/Node"}}},"required":["kids"]}}}`, nil,
			"{\n  next: Node | null,\n  m: { [key: string]: boolean },\n}\nNode = {\n  kids: Node[],\n}"},
		{"an enum whose every value has a meaning is named and listed once", `{"type":"object","properties":{"intent":{"type":"string","enum":["how_to","bug report"],"description":"What is wanted."},"items":{"type":"array","items":{"type":"object","properties":{"max-level":{"type":"string","enum":["a","b"]}},"required":["max-level"]}},"tags":{"type":"array","items":{"type":"string","enum":["x","y"]}},"Intent":{"$ref":"#/$defs/Intent"},"n":{"type":"integer","enum":[1,2]},"other":{"type":"string","enum":["a","b","c"]}},"required":["intent","items","tags","Intent","n","other"],"$defs":{"Intent":{"type":"boolean"}}}`,
			[]Enum{
				{Path: "intent", Values: []EnumValue{{Value: "how_to", Doc: "asks how"}, {Value: "bug report", Doc: "reports a\nbug"}}},
				{Path: "items[].max-level", Values: []EnumValue{{Value: "a", Doc: "low"}, {Value: "b", Doc: "high"}}},
				{Path: "tags[]", Values: []EnumValue{{Value: "x", Doc: "ex"}, {Value: "y", Doc: "why"}}},
				{Path: "n", Values: []EnumValue{{Value: 1, Doc: "one"}, {Value: 2, Doc: "two"}}},
				{Path: "other", Values: []EnumValue{{Value: "a", Doc: "first"}, {Value: "b", Doc: "second"}}}, // c has none
			},
			"{\n  intent: Intent, // What is wanted\n  items: {\n    \"max-level\": MaxLevel,\n  }[],\n  tags: Tags[],\n  Intent: Intent2,\n  n: 1 | 2, // 1: one; 2: two\n  other: \"a\" | \"b\" | \"c\", // a: first; b: second\n}\nIntent2 = boolean\nIntent, one of:\n- how_to: asks how\n- \"bug report\": reports a bug\nMaxLevel, one of:\n- a: low\n- b: high\nTags, one of:\n- x: ex\n- y: why"},
		{"a root enum", `{"type":"string","enum":["x","y"]}`, []Enum{{Path: "", Values: []EnumValue{{Value: "x", Doc: "ex"}}}}, `"x" | "y" // x: ex`},
		{"what it cannot say is shown as schema", `{"allOf":[{"type":"string"}]}`, nil, `{"allOf":[{"type":"string"}]}`},
		{"the root referred to as #", `{"type":"object","properties":{"kids":{"type":"array","items":{"$ref":"#"}},"links":{"$ref":"#/$defs/Links"}},"required":["kids","links"],"$defs":{"Links":{"type":"object","additionalProperties":{"$ref":"#"}}}}`, nil,
			"Root = {\n  kids: Root[],\n  links: Links,\n}\nLinks = { [key: string]: Root }"},
		{"alternatives beside a shape of their own", `{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"string"}},"anyOf":[{"required":["a"]},{"required":["b"]}]}`, nil,
			"{\n  a?: string,\n  b?: string,\n} // any of: {\"required\":[\"a\"]}, {\"required\":[\"b\"]}"},
		{"alternatives beside a shape, in a property and in items", `{"type":"object","properties":{"p":{"type":"string","oneOf":[{"format":"email"},{"format":"uri"}],"description":"Where"},"l":{"type":"array","items":{"type":"string","anyOf":[{"maxLength":3}]}}},"required":["p","l"]}`, nil,
			"{\n  p: string, // Where; one of: {\"format\":\"email\"}, {\"format\":\"uri\"}\n  l: {\"type\":\"string\",\"anyOf\":[{\"maxLength\":3}]}[],\n}"},
		{"a union in an array is parenthesized", `{"type":"array","items":{"anyOf":[{"type":"string"},{"type":"object","properties":{"x":{"type":"integer"}},"required":["x"]}]}}`, nil,
			"(string | {\n  x: integer,\n})[]"},
		{"one alternative, or a type list, in an array", `{"type":"object","properties":{"a":{"type":"array","items":{"anyOf":[{"type":"string"}]}},"b":{"type":"array","items":{"type":["string","null"]}},"c":{"type":"array","items":{"const":"a | b"}}},"required":["a","b","c"]}`, nil,
			"{\n  a: string[],\n  b: (string | null)[],\n  c: \"a | b\"[],\n}"},
		{"definitions named like built-in types, or alike", `{"type":"object","properties":{"a":{"$ref":"#/$defs/string"},"b":{"$ref":"#/$defs/A"},"c":{"$ref":"#/definitions/A"},"d":{"$ref":"#/$defs/a~1b"},"e":{"$ref":"#/$defs/gone"},"f":{"$ref":"#/$defs/A/$defs/In"},"g":{"$ref":"#/$defs/Root"},"h":{"$ref":"#/$defs/A"}},"required":["a","b","c","d","e","f","g","h"],"$defs":{"string":{"type":"integer"},"A":{"type":"boolean","$defs":{"In":{"type":"null"}}},"a/b":{"type":"number"},"Root":{"type":"string"}},"definitions":{"A":{"type":"string"}}}`, nil,
			"{\n  a: string2,\n  b: A,\n  c: A2,\n  d: a/b,\n  e: any,\n  f: In,\n  g: Root2,\n  h: A,\n}\nstring2 = integer\nA = boolean\nA2 = string\na/b = number\nIn = null\nRoot2 = string"},
		{"maps beside properties, open and closed objects", `{"type":"object","properties":{"n":{"type":"integer"},"o":{"type":"object"},"c":{"type":"object","additionalProperties":false},"t":{"type":"object","properties":{"x":{"type":"string"}},"required":["x"],"additionalProperties":true}},"required":["n","o","c","t"],"additionalProperties":{"type":"string","description":"Any other"}}`, nil,
			"{\n  n: integer,\n  o: { [key: string]: any },\n  c: {},\n  t: {\n    x: string,\n    [key: string]: any,\n  },\n  [key: string]: string, // Any other\n}"},
		{"comments on one line", `{"type":"object","properties":{"p":{"type":"string","pattern":"a\nb","description":"Line one.\nLine two."},"q":{"type":"string","pattern":"^a b$"},"k":{"type":"string","enum":["x"]}},"required":["p","q","k"]}`,
			[]Enum{{Path: "k", Values: []EnumValue{{Value: "x", Doc: "first\nsecond"}}}},
			"{\n  p: string, // Line one. Line two; matching \"a\\nb\"\n  q: string, // matching ^a b$\n  k: \"x\", // x: first second\n}"},
		{"tuples", `{"type":"object","properties":{"t":{"type":"array","prefixItems":[{"type":"string"},{"type":"integer"}]},"r":{"type":"array","prefixItems":[{"type":"string"}],"items":{"anyOf":[{"type":"number"},{"type":"null"}]}},"d7":{"type":"array","items":[{"type":"boolean"}],"additionalItems":{"type":"string"}}},"required":["t","r","d7"]}`, nil,
			"{\n  t: [string, integer],\n  r: [string, ...(number | null)[]],\n  d7: [boolean, ...string[]],\n}"},
		{"keys and literals quoted as JSON", `{"type":"object","properties":{"x\u007fy":{"const":"a\u007f<b>"},"é":{"enum":["\u2028"]}},"required":["x\u007fy","é"]}`, nil,
			"{\n  \"x\u007fy\": \"a\u007f<b>\",\n  \"é\": \"\\u2028\",\n}"},
	} {
		got, rest, err := Shape(tc.schema, tc.enums)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
		if len(rest) != 0 {
			t.Errorf("%s: meanings left untold: %+v", tc.name, rest)
		}
	}
	// Meanings at a path the shape never meets come back to be listed.
	_, rest, _ := Shape(`{"type":"object","properties":{}}`, []Enum{{Path: "gone", Values: []EnumValue{{Value: "a", Doc: "x"}}}})
	if len(rest) != 1 || !strings.Contains(rest[0].Path, "gone") {
		t.Errorf("rest = %+v", rest)
	}
	if _, _, err := Shape(`[1]`, nil); err == nil {
		t.Error("a schema that is not an object shaped")
	}
}
