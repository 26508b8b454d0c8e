package templates

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
		{"a root enum", `{"type":"string","enum":["x","y"]}`, []Enum{{Path: "", Values: []EnumValue{{Value: "x", Doc: "ex"}}}}, `"x" | "y" // x: ex`},
		{"what it cannot say is shown as schema", `{"allOf":[{"type":"string"}]}`, nil, `{"allOf":[{"type":"string"}]}`},
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
