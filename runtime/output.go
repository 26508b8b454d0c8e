package runtime

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime/answer"
)

// ResultProperty holds the value of an output that is not an object (a
// string, number, list or enum) wherever an object is needed: in the output
// schema and structured content shown to clients before protocol
// 2026-07-28, which accept only objects, and in the input of the
// [RespondTool]. Clients of 2026-07-28 get the value itself.
const ResultProperty = "result"

// An output is how a tool's output type travels: its schema, and what the
// runtime does for outputs that are not objects.
type output struct {
	schema *jsonschema.Resolved // nil for a function tool without an output schema
	raw    json.RawMessage
	object bool // the schema's type is "object"
	// text is set for a plain string output (no enum, no const): the
	// model's text is its value.
	text bool
	// wrapped is the schema of {"result": value} for an output that is not
	// an object.
	wrapped json.RawMessage
}

func newOutput(text string) (*output, error) {
	rs, err := resolveSchema(text)
	if err != nil {
		return nil, err
	}
	if err := answer.CheckSchema(rs); err != nil {
		return nil, err
	}
	s := rs.Schema()
	o := &output{schema: rs, raw: json.RawMessage(text), object: s.Type == "object"}
	o.text = s.Type == "string" && s.Enum == nil && s.Const == nil
	if !o.object {
		if o.wrapped, err = wrapSchema(text); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// objectSchema is the output schema where an object is needed.
func (o *output) objectSchema() json.RawMessage {
	if o.object {
		return o.raw
	}
	return o.wrapped
}

// respondEnums are the enum paths as the respond tool's input has them: a
// value that is not an object sits under ResultProperty there.
func (o *output) respondEnums(enums []Enum) []Enum {
	if o.object || len(enums) == 0 {
		return enums
	}
	out := make([]Enum, len(enums))
	for i, e := range enums {
		e.Path = ResultProperty + e.Path
		if e.Path != ResultProperty && !strings.HasPrefix(e.Path, ResultProperty+"[") {
			e.Path = ResultProperty + "." + strings.TrimPrefix(e.Path, ResultProperty)
		}
		out[i] = e
	}
	return out
}

// length says how long a text output must be, in words for the model.
func (o *output) length() string {
	s := o.schema.Schema()
	switch {
	case s.MinLength != nil && s.MaxLength != nil:
		return fmt.Sprintf("between %d and %d characters long", *s.MinLength, *s.MaxLength)
	case s.MaxLength != nil:
		return fmt.Sprintf("at most %d characters long", *s.MaxLength)
	case s.MinLength != nil:
		return fmt.Sprintf("at least %d characters long", *s.MinLength)
	}
	return ""
}

// textRules is what the schema of a text output says beyond its length,
// in words for the model: its description and its pattern.
func (o *output) textRules() string {
	s := o.schema.Schema()
	var rules []string
	if s.Description != "" {
		rules = append(rules, "It is "+strings.TrimSuffix(s.Description, ".")+".")
	}
	if s.Pattern != "" {
		rules = append(rules, "It must match the regular expression "+s.Pattern+".")
	}
	return strings.Join(rules, " ")
}

// wrapSchema returns the schema of an object whose one property,
// ResultProperty, holds a value of schema text. Definitions move to the
// wrapper's root, and references to the root follow the value down.
func wrapSchema(text string) (json.RawMessage, error) {
	var s map[string]any
	if err := json.Unmarshal([]byte(text), &s); err != nil {
		return nil, err
	}
	w := map[string]any{
		"type":                 "object",
		"required":             []string{ResultProperty},
		"additionalProperties": false,
	}
	for _, k := range []string{"$schema", "$defs", "definitions"} {
		if v, ok := s[k]; ok {
			w[k] = v
			delete(s, k)
		}
	}
	rerootRefs(s, 0)
	w["properties"] = map[string]any{ResultProperty: s}
	return json.Marshal(w)
}

// rerootRefs points references to the root of a value's schema (and into
// it, other than its definitions) at the value's place in the wrapper.
func rerootRefs(v any, depth int) {
	if depth > 256 {
		return
	}
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if ref, ok := x.(string); ok && k == "$ref" && (ref == "#" || strings.HasPrefix(ref, "#/") && !strings.HasPrefix(ref, "#/$defs/") && !strings.HasPrefix(ref, "#/definitions/")) {
				v[k] = "#/properties/" + ResultProperty + strings.TrimPrefix(ref, "#")
				continue
			}
			rerootRefs(x, depth+1)
		}
	case []any:
		for _, x := range v {
			rerootRefs(x, depth+1)
		}
	}
}

// checkJSON validates a Go value of the output type as the client will
// see it, its JSON against the schema; the Validate methods are the
// tool's to call, with the call's input.
func (o *output) checkJSON(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = o.conform(b)
	return err
}

// conform returns the JSON b of a result value valid against the output
// schema: Go's nil slices and maps, which encode as null, become [] and {}
// where the schema wants an array or object and does not allow null; then
// the value must be valid, or the result is not sent. A value valid as it
// stands, nulls and all, is sent as it is.
func (o *output) conform(b []byte) ([]byte, error) {
	if answer.Valid(b, o.schema) {
		return b, nil
	}
	var v, exact any
	err := json.Unmarshal(b, &v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber() // what is sent keeps the value's own digits
	if err := dec.Decode(&exact); err != nil {
		return nil, err
	}
	root := o.schema.Schema()
	if fillEmpty(&v, root, root, 0) {
		fillEmpty(&exact, root, root, 0)
		if b, err = json.Marshal(exact); err != nil {
			return nil, err
		}
	}
	if err := answer.Check(v, o.schema); err != nil {
		return nil, fmt.Errorf("it does not match the tool's output schema: %w", err)
	}
	return b, nil
}

// fillEmpty replaces, in *v, nulls where s wants an array or an object and
// does not allow null, and reports whether it changed anything.
func fillEmpty(v *any, s, root *jsonschema.Schema, depth int) bool {
	for hops := 0; s != nil && s.Ref != "" && hops < 64; hops++ {
		s = lookupRef(root, s.Ref)
	}
	if s == nil || depth > 256 {
		return false
	}
	changed := false
	switch x := (*v).(type) {
	case nil:
		switch {
		case allowsType(s, "null"):
		case allowsType(s, "array"):
			*v, changed = []any{}, true
		case allowsType(s, "object"):
			*v, changed = map[string]any{}, true
		}
	case map[string]any:
		for k, val := range x {
			ps := s.Properties[k]
			if ps == nil {
				ps = s.AdditionalProperties
			}
			if fillEmpty(&val, ps, root, depth+1) {
				x[k], changed = val, true
			}
		}
	case []any:
		for i := range x {
			is := s.Items
			if i < len(s.PrefixItems) {
				is = s.PrefixItems[i]
			}
			if fillEmpty(&x[i], is, root, depth+1) {
				changed = true
			}
		}
	}
	return changed
}

func allowsType(s *jsonschema.Schema, t string) bool {
	return s.Type == t || slices.Contains(s.Types, t)
}

// lookupRef finds a local reference ("#", "#/$defs/Name") in root.
func lookupRef(root *jsonschema.Schema, ref string) *jsonschema.Schema {
	switch {
	case ref == "#":
		return root
	case strings.HasPrefix(ref, "#/$defs/"):
		return root.Defs[strings.TrimPrefix(ref, "#/$defs/")]
	case strings.HasPrefix(ref, "#/definitions/"):
		return root.Definitions[strings.TrimPrefix(ref, "#/definitions/")]
	}
	return nil
}

// result is a successful tool result: the value as JSON text (a string as
// its own text) and as structured content valid against the output schema
// that the client was shown, wrapped under ResultProperty for clients
// before 2026-07-28 when the output is not an object. A function tool
// without an output schema sends structured content only for an object.
func (o *output) result(value any, protocol string) (*mcp.CallToolResult, error) {
	b, err := json.Marshal(value)
	if err != nil {
		return nil, fmt.Errorf("encoding the result: %w", err)
	}
	if o.schema != nil {
		if b, err = o.conform(b); err != nil {
			return nil, fmt.Errorf("the result is not valid: %w", err)
		}
	}
	text := string(b)
	if b[0] == '"' {
		if err := json.Unmarshal(b, &text); err != nil {
			return nil, err
		}
	}
	res := newTextResult(text)
	switch {
	case o.schema == nil:
		if b[0] == '{' {
			res.StructuredContent = json.RawMessage(b)
		}
	case o.object || protocol >= protocolMRTR:
		res.StructuredContent = json.RawMessage(b)
	default:
		res.StructuredContent = json.RawMessage(`{"` + ResultProperty + `":` + string(b) + `}`)
	}
	return res, nil
}

func resolveSchema(text string) (*jsonschema.Resolved, error) {
	var s jsonschema.Schema
	if err := json.Unmarshal([]byte(text), &s); err != nil {
		return nil, err
	}
	return s.Resolve(&jsonschema.ResolveOptions{ValidateDefaults: true})
}

// newTextResult is a tool result of one text content, made in one
// allocation.
func newTextResult(text string) *mcp.CallToolResult {
	r := &struct {
		res     mcp.CallToolResult
		content [1]mcp.Content
		text    mcp.TextContent
	}{text: mcp.TextContent{Text: text}}
	r.content[0] = &r.text
	r.res.Content = r.content[:]
	return &r.res
}
