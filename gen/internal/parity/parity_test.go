package parity

import (
	"encoding/json"
	"net"
	"reflect"
	"strings"
	"testing"
)

type level int

func (l level) MarshalText() ([]byte, error) { return []byte("x"), nil }

type color string

type node struct {
	Name string `json:"name"`
	Kids []node `json:"kids"`
}

type sample struct {
	Small  int8        `json:"small"`
	Ptr    *string     `json:"ptr"`
	Level  level       `json:"level"`
	IP     net.IP      `json:"ip"`
	Num    json.Number `json:"num"`
	Color  color       `json:"color"`
	Const  string      `json:"const" jsonschema:"const=k"`
	Tagged *int        `json:"tagged" jsonschema:"required,nullable"`
}

// Each rule changes what invopop gives, in the way its name says.
func TestReflectAppliesTheRules(t *testing.T) {
	s, used, err := Reflect(reflect.TypeFor[sample](), Enums{reflect.TypeFor[color](): {color("red"), color("blue"), color("red")}})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(s)
	for _, want := range []string{
		`"small":{"type":"integer","maximum":127,"minimum":-128}`,
		`"ptr":{"oneOf":[{"type":"string"},{"type":"null"}]}`,
		`"level":{"type":"string"}`,
		`"ip":{"type":"string"}`,
		`"num":{"type":"number"}`,
		`"color":{"type":"string","enum":["red","blue"]}`,
		`"const":{"type":"string","const":"k"}`,
		`"tagged":{"oneOf":[{"type":"integer"},{"type":"null"}]}`,
		`"required":["small","level","ip","num","color","const","tagged"]`,
	} {
		if !strings.Contains(string(got), want) {
			t.Errorf("schema lacks %s:\n%s", want, got)
		}
	}
	for _, r := range []string{"integer-range", "pointer-optional-nullable", "text-marshaler", "json-number", "enum-constants", "const-tag"} {
		if !used[r] {
			t.Errorf("rule %s not reported", r)
		}
	}
	if used["recursion-defs"] {
		t.Error("recursion-defs reported for a type that is not recursive")
	}
}

func TestReflectRecursive(t *testing.T) {
	s, used, err := Reflect(reflect.TypeFor[node](), nil)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(s)
	if !used["recursion-defs"] || !strings.Contains(string(got), `"kids":{"items":{"$ref":"#"},"type":"array"}`) || strings.Contains(string(got), "$defs") {
		t.Errorf("recursive schema: %s", got)
	}
}

// Compare catches a schema that differs, and names the tool.
func TestCompareReportsDifferences(t *testing.T) {
	right, _, _ := Reflect(reflect.TypeFor[node](), nil)
	wrong := json.RawMessage(`{"type":"object"}`)
	diffs, _ := Compare(nil, []Tool{{Name: "t", Input: right, Output: wrong, In: reflect.TypeFor[node](), Out: reflect.TypeFor[node]()}})
	if len(diffs) != 1 || !strings.HasPrefix(diffs[0], "t output schema") {
		t.Errorf("diffs: %q", diffs)
	}
}

func TestRulesHaveReasons(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Rules {
		if r.Name == "" || len(r.Reason) < 20 || seen[r.Name] {
			t.Errorf("rule %+v", r)
		}
		seen[r.Name] = true
	}
}

type summary string

type items []sample

// Outputs that are not objects get the rules at their root as fields do.
func TestReflectNonObjectRoots(t *testing.T) {
	enums := Enums{reflect.TypeFor[color](): {color("red"), color("blue")}}
	for _, c := range []struct {
		typ  reflect.Type
		keys string
		want string
		rule string
	}{
		{reflect.TypeFor[summary](), "", `{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"string"}`, ""},
		{reflect.TypeFor[summary](), "maxLength=400,description=A summary\\, short", `{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"string","maxLength":400,"description":"A summary, short"}`, "output-keys"},
		{reflect.TypeFor[color](), "default=red", `{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"string","enum":["red","blue"],"default":"red"}`, "enum-constants"},
		{reflect.TypeFor[int8](), "", `{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"integer","maximum":127,"minimum":-128}`, "integer-range"},
		{reflect.TypeFor[float64](), "minimum=0,maximum=1", `{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"number","maximum":1,"minimum":0}`, "output-keys"},
		{reflect.TypeFor[bool](), "", `{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"boolean"}`, ""},
		{reflect.TypeFor[map[string]uint16](), "", `{"$schema":"https://json-schema.org/draft/2020-12/schema","additionalProperties":{"type":"integer","maximum":65535,"minimum":0},"type":"object"}`, "integer-range"},
		{reflect.TypeFor[[]string](), "maxItems=3,const=x", `{"$schema":"https://json-schema.org/draft/2020-12/schema","items":{"type":"string","const":"x"},"type":"array","maxItems":3}`, "const-tag"},
	} {
		s, used, err := ReflectWithKeys(c.typ, c.keys, enums)
		if err != nil {
			t.Errorf("%v %q: %v", c.typ, c.keys, err)
			continue
		}
		got, _ := json.Marshal(s)
		if string(got) != c.want {
			t.Errorf("%v %q:\ngot  %s\nwant %s", c.typ, c.keys, got, c.want)
		}
		if c.rule != "" && !used[c.rule] {
			t.Errorf("%v %q: rule %s not reported (%v)", c.typ, c.keys, c.rule, used)
		}
		if (c.keys != "") != used["output-keys"] {
			t.Errorf("%v %q: output-keys reported %v", c.typ, c.keys, used["output-keys"])
		}
	}
	s, _, err := Reflect(reflect.TypeFor[items](), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := json.Marshal(s); !strings.HasPrefix(string(got), `{"$schema":"https://json-schema.org/draft/2020-12/schema","items":{"properties":{"small":{"type":"integer","maximum":127,"minimum":-128}`) {
		t.Errorf("list of structs: %s", got)
	}
	if _, _, err := ReflectWithKeys(reflect.TypeFor[[]node](), "maxItems=1", nil); err == nil {
		t.Error("keys on a type with recursive types in it: no error")
	}
}
