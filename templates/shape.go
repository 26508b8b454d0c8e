package templates

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Shape renders a JSON Schema as the model reads it best for the fewest
// tokens: the value's shape in a TypeScript-like notation, keys in schema
// order, enums as unions of their values, references as named types, with
// each property's description and bounds in a comment on its line:
//
//	{
//	  sentiment: "positive" | "negative" | "neutral", // The overall sentiment of the text
//	  confidence: number, // How sure the verdict is; from 0 to 1
//	}
//
// It tells the model what to write, not what a validator checks: the full
// schema still governs parsing, and keywords Shape cannot say well (allOf,
// if/then, patternProperties) fall back to the schema's own JSON there.
// It returns an error only for text that is not a JSON object.
//
// The meanings of enum values (enums, by path as [Enum] has them) go in the
// comment of the field that holds them; those whose field Shape did not
// meet come back in rest, for the caller to list.
func Shape(schema string, enums []Enum) (shape string, rest []Enum, err error) {
	root, err := decodeOrdered([]byte(schema))
	if err != nil {
		return "", nil, fmt.Errorf("shape: %w", err)
	}
	obj, ok := root.(*orderedObject)
	if !ok {
		return "", nil, fmt.Errorf("shape: the schema is not a JSON object")
	}
	sh := &shaper{root: obj, named: map[string]string{}, enums: enums, told: map[string]bool{}}
	var b strings.Builder
	sh.value(&b, obj, 0, "")
	if note := sh.meanings(""); note != "" {
		b.WriteString(" // " + note)
	}
	// Named types, in the order they were first met, each once.
	for i := 0; i < len(sh.order); i++ {
		name := sh.order[i]
		def := sh.def(name)
		if def == nil {
			continue
		}
		b.WriteString("\n" + name + " = ")
		sh.value(&b, def, 0, sh.named[name])
	}
	for _, e := range enums {
		if !sh.told[e.Path] {
			rest = append(rest, e)
		}
	}
	return b.String(), rest, nil
}

type shaper struct {
	root  *orderedObject
	named map[string]string // names of $defs referred to → the path first met at
	order []string
	enums []Enum
	told  map[string]bool // enum paths whose meanings were written
}

// meanings words the meanings of the enum values at path, once.
func (sh *shaper) meanings(path string) string {
	if sh.told[path] {
		return ""
	}
	for _, e := range sh.enums {
		if e.Path != path || !documented(e.Values) {
			continue
		}
		sh.told[path] = true
		parts := make([]string, 0, len(e.Values))
		for _, v := range e.Values {
			text := FormatValue(v.Value)
			if s, ok := v.Value.(string); ok && propertyName(s) == s {
				text = s
			}
			if v.Doc != "" {
				text += ": " + v.Doc
			}
			parts = append(parts, text)
		}
		return strings.Join(parts, "; ")
	}
	return ""
}

// def returns the definition a name refers to.
func (sh *shaper) def(name string) *orderedObject {
	for _, key := range []string{"$defs", "definitions"} {
		if defs, ok := sh.root.get(key).(*orderedObject); ok {
			if d, ok := defs.get(name).(*orderedObject); ok {
				return d
			}
		}
	}
	return nil
}

// value writes the shape of schema s, met at path, at the given
// indentation.
func (sh *shaper) value(b *strings.Builder, s *orderedObject, depth int, path string) {
	if ref, ok := s.get("$ref").(string); ok {
		b.WriteString(sh.refName(ref, path))
		return
	}
	if s.has("const") {
		b.WriteString(literal(s.get("const")))
		return
	}
	if enum, ok := s.get("enum").([]any); ok && len(enum) > 0 {
		for i, v := range enum {
			if i > 0 {
				b.WriteString(" | ")
			}
			b.WriteString(literal(v))
		}
		return
	}
	for _, key := range []string{"anyOf", "oneOf"} {
		if alts, ok := s.get(key).([]any); ok && len(alts) > 0 {
			for i, alt := range alts {
				if i > 0 {
					b.WriteString(" | ")
				}
				if a, ok := alt.(*orderedObject); ok {
					sh.value(b, a, depth, path)
				} else {
					b.WriteString("any")
				}
			}
			return
		}
	}
	if s.has("allOf") || s.has("if") || s.has("not") || s.has("patternProperties") {
		raw, _ := json.Marshal(s)
		b.Write(raw)
		return
	}
	types := typesOf(s)
	for i, t := range types {
		if i > 0 {
			b.WriteString(" | ")
		}
		sh.typed(b, s, t, depth, path)
	}
	if len(types) == 0 {
		if s.has("properties") {
			sh.typed(b, s, "object", depth, path)
		} else {
			b.WriteString("any")
		}
	}
}

func (sh *shaper) typed(b *strings.Builder, s *orderedObject, t string, depth int, path string) {
	switch t {
	case "object":
		sh.object(b, s, depth, path)
	case "array":
		items, ok := s.get("items").(*orderedObject)
		if !ok {
			b.WriteString("any[]")
			return
		}
		var inner strings.Builder
		sh.value(&inner, items, depth, path+"[]")
		text := inner.String()
		if strings.Contains(text, " | ") && !strings.HasSuffix(text, "}") {
			text = "(" + text + ")"
		}
		b.WriteString(text + "[]")
	default:
		b.WriteString(t)
	}
}

func (sh *shaper) object(b *strings.Builder, s *orderedObject, depth int, path string) {
	props, _ := s.get("properties").(*orderedObject)
	extra, hasExtra := s.get("additionalProperties").(*orderedObject)
	if props == nil || len(props.keys) == 0 {
		if hasExtra {
			b.WriteString("{ [key: string]: ")
			sh.value(b, extra, depth, joinPath(path, "*"))
			b.WriteString(" }")
			return
		}
		b.WriteString("{}")
		return
	}
	required := map[string]bool{}
	if req, ok := s.get("required").([]any); ok {
		for _, r := range req {
			if name, ok := r.(string); ok {
				required[name] = true
			}
		}
	}
	indent := strings.Repeat("  ", depth+1)
	b.WriteString("{\n")
	for _, key := range props.keys {
		p, _ := props.get(key).(*orderedObject)
		b.WriteString(indent + propertyName(key))
		if !required[key] {
			b.WriteByte('?')
		}
		b.WriteString(": ")
		child := joinPath(path, key)
		if p == nil {
			b.WriteString("any")
		} else {
			sh.value(b, p, depth+1, child)
		}
		b.WriteByte(',')
		note := notes(p)
		// The field's own enum, or that of its items or values.
		for _, at := range []string{child, child + "[]", joinPath(child, "*")} {
			if m := sh.meanings(at); m != "" {
				note = strings.TrimPrefix(strings.TrimSuffix(note, ".")+". "+m, ". ")
			}
		}
		if note != "" {
			b.WriteString(" // " + note)
		}
		b.WriteByte('\n')
	}
	b.WriteString(strings.Repeat("  ", depth) + "}")
}

// joinPath extends an enum path ("a", "items[]") with a key or "*".
func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func (sh *shaper) refName(ref, path string) string {
	name, ok := strings.CutPrefix(ref, "#/$defs/")
	if !ok {
		name, ok = strings.CutPrefix(ref, "#/definitions/")
	}
	if !ok {
		if ref == "#" {
			return "Root"
		}
		return "any"
	}
	if _, ok := sh.named[name]; !ok {
		sh.named[name] = path
		sh.order = append(sh.order, name)
	}
	return name
}

// notes says what a property's schema adds beyond its shape: its
// description, then its bounds, in words.
func notes(s *orderedObject) string {
	if s == nil {
		return ""
	}
	var parts []string
	if d, ok := s.get("description").(string); ok && d != "" {
		parts = append(parts, strings.TrimSuffix(strings.Join(strings.Fields(d), " "), "."))
	}
	lo, hasLo := number(s, "minimum")
	hi, hasHi := number(s, "maximum")
	if d, _ := s.get("description").(string); hasLo && hasHi && mentions(d, lo) && mentions(d, hi) {
		hasLo, hasHi = false, false // the description says them already
	}
	switch {
	case hasLo && hasHi:
		parts = append(parts, "from "+lo+" to "+hi)
	case hasLo:
		parts = append(parts, "at least "+lo)
	case hasHi:
		parts = append(parts, "at most "+hi)
	}
	if v, ok := number(s, "exclusiveMinimum"); ok {
		parts = append(parts, "above "+v)
	}
	if v, ok := number(s, "exclusiveMaximum"); ok {
		parts = append(parts, "below "+v)
	}
	if v, ok := number(s, "multipleOf"); ok {
		parts = append(parts, "a multiple of "+v)
	}
	for _, k := range []struct{ key, words string }{
		{"minLength", "at least %s characters"}, {"maxLength", "at most %s characters"},
		{"minItems", "at least %s items"}, {"maxItems", "at most %s items"},
		{"minProperties", "at least %s keys"}, {"maxProperties", "at most %s keys"},
	} {
		if v, ok := number(s, k.key); ok {
			parts = append(parts, fmt.Sprintf(k.words, v))
		}
	}
	if u, ok := s.get("uniqueItems").(bool); ok && u {
		parts = append(parts, "no repeats")
	}
	if p, ok := s.get("pattern").(string); ok {
		parts = append(parts, "matching "+p)
	}
	if f, ok := s.get("format").(string); ok {
		parts = append(parts, "format "+f)
	}
	return strings.Join(parts, "; ")
}

// mentions reports whether text has n as a number of its own.
func mentions(text, n string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], n)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(n)
		digit := func(k int) bool {
			return k >= 0 && k < len(text) && ('0' <= text[k] && text[k] <= '9' || text[k] == '.')
		}
		if !digit(start-1) && !digit(end) {
			return true
		}
		i = end
	}
}

func number(s *orderedObject, key string) (string, bool) {
	n, ok := s.get(key).(json.Number)
	return string(n), ok
}

func typesOf(s *orderedObject) []string {
	switch t := s.get("type").(type) {
	case string:
		return []string{t}
	case []any:
		var out []string
		for _, x := range t {
			if name, ok := x.(string); ok {
				out = append(out, name)
			}
		}
		return out
	}
	return nil
}

// propertyName writes a key as a bare name where it is one, quoted
// otherwise.
func propertyName(key string) string {
	if key == "" {
		return `""`
	}
	for i, r := range key {
		if !(r == '_' || r == '$' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || i > 0 && '0' <= r && r <= '9') {
			return strconv.Quote(key)
		}
	}
	return key
}

func literal(v any) string {
	if n, ok := v.(json.Number); ok {
		return string(n)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// An orderedObject is a JSON object with its keys in the order written:
// a schema's properties are shown in the order the Go struct declares them.
type orderedObject struct {
	keys []string
	vals []any
}

func (o *orderedObject) get(k string) any {
	if i := slices.Index(o.keys, k); i >= 0 {
		return o.vals[i]
	}
	return nil
}

func (o *orderedObject) has(k string) bool { return slices.Contains(o.keys, k) }

// MarshalJSON writes the object back in its order.
func (o *orderedObject) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		vb, err := json.Marshal(o.vals[i])
		if err != nil {
			return nil, err
		}
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// decodeOrdered decodes JSON with objects as *orderedObject and numbers as
// json.Number.
func decodeOrdered(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := decodeValue(dec, 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err == nil {
		return nil, fmt.Errorf("more than one JSON value")
	}
	return v, nil
}

func decodeValue(dec *json.Decoder, depth int) (any, error) {
	if depth > 256 {
		return nil, fmt.Errorf("nested too deeply")
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			o := &orderedObject{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, _ := kt.(string)
				v, err := decodeValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				o.keys, o.vals = append(o.keys, k), append(o.vals, v)
			}
			_, err := dec.Token() // }
			return o, err
		case '[':
			var a []any
			for dec.More() {
				v, err := decodeValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				a = append(a, v)
			}
			_, err := dec.Token() // ]
			if a == nil {
				a = []any{}
			}
			return a, err
		}
	}
	return tok, nil
}
