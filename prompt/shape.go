package prompt

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
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
// if/then, patternProperties) fall back to the schema's own JSON there,
// and anyOf or oneOf beside a shape of their own go in its comment. A
// "$ref": "#" names the whole value Root, written "Root = ...".
// It returns an error only for text that is not a JSON object.
//
// The meanings of enum values (enums, by path as [Enum] has them) go in the
// comment of the field that holds them; an enum whose every value has a
// meaning is named instead (intent: Intent) and listed once after the
// shape, a value and its meaning a line. Those whose field Shape did not
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
	sh := &shaper{root: obj, refs: map[string]*named{}, used: map[string]bool{}, enums: enums, told: map[string]bool{}}
	top, _, note := sh.value(obj, 0, "")
	top += comment(joinNote(note, sh.meanings("")))
	// Named types, in the order they were first met, each once.
	var defs strings.Builder
	for i := 0; i < len(sh.order); i++ {
		n := sh.order[i]
		text, _, note := sh.value(n.def, 0, n.path)
		defs.WriteString("\n" + n.name + " = " + text + comment(note))
	}
	if sh.rootUsed {
		top = rootName + " = " + top
	}
	defs.WriteString(sh.lists.String())
	for _, e := range enums {
		if !sh.told[e.Path] {
			rest = append(rest, e)
		}
	}
	return top + defs.String(), rest, nil
}

// rootName names the whole schema where a "$ref": "#" refers to it.
const rootName = "Root"

// builtin holds the names a definition may not take: they read as types
// or values of their own.
var builtin = map[string]bool{
	"string": true, "number": true, "integer": true, "boolean": true, "any": true,
	"null": true, "object": true, "true": true, "false": true, rootName: true,
}

type shaper struct {
	root     *orderedObject
	refs     map[string]*named // definitions referred to, by their pointer
	used     map[string]bool   // names given to them
	order    []*named          // in the order first met
	rootUsed bool              // whether "#" was referred to
	enums    []Enum
	told     map[string]bool // enum paths whose meanings were written
	lists    strings.Builder // the enums named by enumName, with their meanings
}

// A named is a definition as Shape writes it: name = shape.
type named struct {
	name, path string // path: where it was first met, for enum meanings
	def        *orderedObject
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
			if doc := oneLine(v.Doc); doc != "" {
				text += ": " + doc
			}
			parts = append(parts, text)
		}
		return strings.Join(parts, "; ")
	}
	return ""
}

// enumName names the enum at path and lists its values once, each with
// its meaning, after the shape, when every value is a string with a
// meaning: the field reads "intent: Intent" and the list "Intent, one
// of:" and a line "- value: meaning" for each value. Written as a union and again in
// the comment, each value would be paid twice. It returns "" where the
// enum stays a union: at the root, of one value, with a value
// undocumented, or with values other than the schema's.
func (sh *shaper) enumName(values []any, path string) string {
	if path == "" || sh.told[path] {
		return ""
	}
	var e *Enum
	for i := range sh.enums {
		if sh.enums[i].Path == path {
			e = &sh.enums[i]
			break
		}
	}
	if e == nil || len(values) < 2 || len(e.Values) != len(values) {
		return ""
	}
	for i, v := range e.Values {
		s, ok := v.Value.(string)
		if !ok || s != values[i] || oneLine(v.Doc) == "" {
			return ""
		}
	}
	base := typeName(path)
	if base == "" {
		return ""
	}
	name := base
	for i := 2; builtin[name] || sh.used[name]; i++ {
		name = base + strconv.Itoa(i)
	}
	sh.used[name], sh.told[path] = true, true
	sh.lists.WriteString("\n" + name + ", one of:")
	for _, v := range e.Values {
		text := v.Value.(string)
		if propertyName(text) != text {
			text = jsonText(text)
		}
		sh.lists.WriteString("\n- " + text + ": " + oneLine(v.Doc))
	}
	return name
}

// typeName makes a type's name of the last key of an enum's path:
// "findings[].severity" gives Severity, "tags[]" Tags, "m.*" M; "" when
// the key has no letter or digit to make one of.
func typeName(path string) string {
	keys := strings.Split(path, ".")
	key := ""
	for i := len(keys) - 1; i >= 0 && key == ""; i-- {
		key = strings.TrimRight(keys[i], "[]*")
	}
	var b strings.Builder
	upper := true
	for _, r := range key {
		switch {
		case r == '_' || r == '-' || r == ' ':
			upper = true
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if upper {
				r = unicode.ToUpper(r)
			}
			b.WriteRune(r)
			upper = false
		}
	}
	name := b.String()
	if name == "" || unicode.IsDigit([]rune(name)[0]) {
		return ""
	}
	return name
}

// value returns the shape of schema s, met at path, at the given
// indentation; whether that shape is a union at its top, to be
// parenthesized where it is part of a larger one; and a note on what the
// shape leaves out, for the comment of the line it ends on.
func (sh *shaper) value(s *orderedObject, depth int, path string) (text string, union bool, note string) {
	if ref, ok := s.get("$ref").(string); ok {
		return sh.refName(ref, path), false, ""
	}
	if s.has("const") {
		return literal(s.get("const")), false, ""
	}
	if enum, ok := s.get("enum").([]any); ok && len(enum) > 0 {
		if name := sh.enumName(enum, path); name != "" {
			return name, false, ""
		}
		parts := make([]string, len(enum))
		for i, v := range enum {
			parts[i] = literal(v)
		}
		return strings.Join(parts, " | "), len(enum) > 1, ""
	}
	if s.has("allOf") || s.has("if") || s.has("not") || s.has("patternProperties") {
		return rawJSON(s), false, ""
	}
	for _, k := range []struct{ key, words string }{{"anyOf", "any of: "}, {"oneOf", "one of: "}} {
		alts, ok := s.get(k.key).([]any)
		if !ok || len(alts) == 0 {
			continue
		}
		if hasBase(s) {
			// The alternatives refine a shape of their own: write that,
			// and the alternatives in the comment.
			text, union, note := sh.value(s.without(k.key), depth, path)
			parts := make([]string, len(alts))
			for i, alt := range alts {
				parts[i] = rawJSON(alt)
			}
			return text, union, joinNote(note, k.words+strings.Join(parts, ", "))
		}
		parts := make([]string, len(alts))
		union := len(alts) > 1
		for i, alt := range alts {
			a, ok := alt.(*orderedObject)
			if !ok {
				parts[i] = "any"
				continue
			}
			text, u, _ := sh.inner(a, depth, path)
			parts[i] = text
			if len(alts) == 1 {
				union = u
			}
		}
		return strings.Join(parts, " | "), union, ""
	}
	types := typesOf(s)
	if len(types) == 0 {
		switch {
		case s.has("properties") || s.has("additionalProperties"):
			types = []string{"object"}
		case s.has("items") || s.has("prefixItems"):
			types = []string{"array"}
		default:
			return "any", false, ""
		}
	}
	parts := make([]string, len(types))
	for i, t := range types {
		parts[i] = sh.typed(s, t, depth, path)
	}
	return strings.Join(parts, " | "), len(types) > 1, ""
}

// inner is value for a place with no comment of its own to say a note in:
// there a shape with a note is written as its schema.
func (sh *shaper) inner(s *orderedObject, depth int, path string) (string, bool, string) {
	text, union, note := sh.value(s, depth, path)
	if note != "" {
		return rawJSON(s), false, ""
	}
	return text, union, ""
}

// hasBase reports whether s has a shape apart from its alternatives.
func hasBase(s *orderedObject) bool {
	for _, k := range []string{"type", "properties", "additionalProperties", "items", "prefixItems"} {
		if s.has(k) {
			return true
		}
	}
	return false
}

func (sh *shaper) typed(s *orderedObject, t string, depth int, path string) string {
	switch t {
	case "object":
		return sh.object(s, depth, path)
	case "array":
		prefix, _ := s.get("prefixItems").([]any)
		rest := s.get("items")
		if len(prefix) == 0 {
			if items, ok := rest.([]any); ok { // the tuples of drafts before 2020-12
				prefix, rest = items, s.get("additionalItems")
			}
		}
		if len(prefix) == 0 {
			if items, ok := rest.(*orderedObject); ok {
				return sh.arrayOf(items, depth, path)
			}
			return "any[]"
		}
		parts := make([]string, 0, len(prefix)+1)
		for _, p := range prefix {
			if p, ok := p.(*orderedObject); ok {
				text, _, _ := sh.inner(p, depth, path+"[]")
				parts = append(parts, text)
			} else {
				parts = append(parts, "any")
			}
		}
		if items, ok := rest.(*orderedObject); ok {
			parts = append(parts, "..."+sh.arrayOf(items, depth, path))
		} else if rest == true {
			parts = append(parts, "...any[]")
		}
		return "[" + strings.Join(parts, ", ") + "]"
	default:
		return t
	}
}

// arrayOf writes an array of items, met at path.
func (sh *shaper) arrayOf(items *orderedObject, depth int, path string) string {
	text, union, _ := sh.inner(items, depth, path+"[]")
	if union {
		text = "(" + text + ")"
	}
	return text + "[]"
}

func (sh *shaper) object(s *orderedObject, depth int, path string) string {
	props, _ := s.get("properties").(*orderedObject)
	hasProps := props != nil && len(props.keys) > 0
	// extra: the schema of keys other than the properties, or nil where
	// there are none or the schema does not mention them beside properties.
	var extra *orderedObject
	switch e := s.get("additionalProperties").(type) {
	case *orderedObject:
		extra = e
	case bool:
		if e {
			extra = &orderedObject{}
		}
	case nil:
		if !hasProps {
			extra = &orderedObject{}
		}
	}
	if !hasProps {
		if extra == nil {
			return "{}"
		}
		text, _, _ := sh.inner(extra, depth, joinPath(path, "*"))
		return "{ [key: string]: " + text + " }"
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
	var b strings.Builder
	b.WriteString("{\n")
	line := func(key, mark string, p *orderedObject, child string, also ...string) {
		b.WriteString(indent + key + mark + ": ")
		var note string
		if p == nil {
			b.WriteString("any")
		} else {
			var text string
			text, _, note = sh.value(p, depth+1, child)
			b.WriteString(text)
		}
		b.WriteByte(',')
		note = joinNote(notes(p), note)
		// The field's own enum, or that of its items or values.
		for _, at := range append([]string{child}, also...) {
			if m := sh.meanings(at); m != "" {
				note = strings.TrimPrefix(strings.TrimSuffix(note, ".")+". "+m, ". ")
			}
		}
		b.WriteString(comment(note) + "\n")
	}
	for _, key := range props.keys {
		p, _ := props.get(key).(*orderedObject)
		mark := "?"
		if required[key] {
			mark = ""
		}
		child := joinPath(path, key)
		line(propertyName(key), mark, p, child, child+"[]", joinPath(child, "*"))
	}
	if extra != nil {
		line("[key: string]", "", extra, joinPath(path, "*"))
	}
	b.WriteString(strings.Repeat("  ", depth) + "}")
	return b.String()
}

// joinPath extends an enum path ("a", "items[]") with a key or "*".
func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// joinNote joins the parts of a comment that are there.
func joinNote(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + b
}

// comment writes a note as a line comment, on that one line.
func comment(note string) string {
	if note == "" {
		return ""
	}
	return " // " + strings.Map(func(r rune) rune {
		switch r {
		case '\n', '\r', '\v', '\f', '\u0085', '\u2028', '\u2029':
			return ' '
		}
		return r
	}, note)
}

// oneLine collapses the white space of text to single spaces.
func oneLine(text string) string { return strings.Join(strings.Fields(text), " ") }

// refName names the definition ref points to, or says any for one Shape
// cannot find.
func (sh *shaper) refName(ref, path string) string {
	if ref == "#" {
		sh.rootUsed = true
		return rootName
	}
	frag, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return "any"
	}
	if u, err := url.PathUnescape(frag); err == nil {
		frag = u
	}
	segs := strings.Split(frag, "/")
	for i, seg := range segs {
		segs[i] = strings.ReplaceAll(strings.ReplaceAll(seg, "~1", "/"), "~0", "~")
	}
	key := strings.Join(segs, "\x00")
	if n, ok := sh.refs[key]; ok {
		return n.name
	}
	var at any = sh.root
	for _, seg := range segs {
		switch v := at.(type) {
		case *orderedObject:
			if !v.has(seg) {
				return "any"
			}
			at = v.get(seg)
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(v) {
				return "any"
			}
			at = v[i]
		default:
			return "any"
		}
	}
	def, ok := at.(*orderedObject)
	if !ok {
		return "any"
	}
	base := oneLine(segs[len(segs)-1])
	if base == "" {
		base = "Def"
	}
	name := base
	for i := 2; builtin[name] || sh.used[name]; i++ {
		name = base + strconv.Itoa(i)
	}
	n := &named{name: name, path: path, def: def}
	sh.used[name], sh.refs[key] = true, n
	sh.order = append(sh.order, n)
	return name
}

// notes says what a property's schema adds beyond its shape: its
// description, then its bounds, in words.
func notes(s *orderedObject) string {
	if s == nil {
		return ""
	}
	var parts []string
	if d, ok := s.get("description").(string); ok && oneLine(d) != "" {
		parts = append(parts, strings.TrimSuffix(oneLine(d), "."))
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
	for _, k := range []struct{ min, max, unit string }{
		{"minLength", "maxLength", "characters"}, {"minItems", "maxItems", "items"}, {"minProperties", "maxProperties", "keys"},
	} {
		if w := size(s, k.min, k.max, k.unit); w != "" {
			parts = append(parts, w)
		}
	}
	if u, ok := s.get("uniqueItems").(bool); ok && u {
		parts = append(parts, "no repeats")
	}
	if p, ok := s.get("pattern").(string); ok {
		if oneLine(p) != p || p == "" {
			p = jsonText(p) // white space that matters, seen
		}
		parts = append(parts, "matching "+p)
	}
	if f, ok := s.get("format").(string); ok && oneLine(f) != "" {
		parts = append(parts, "format "+oneLine(f))
	}
	return strings.Join(parts, "; ")
}

// size words the bounds of a length, a count of items or of keys, in as
// few tokens as they read: "1 to 300 characters", "not empty", "at most 5
// items".
func size(s *orderedObject, minKey, maxKey, unit string) string {
	lo, hasLo := number(s, minKey)
	hi, hasHi := number(s, maxKey)
	switch {
	case hasLo && hasHi:
		return lo + " to " + hi + " " + unit
	case hasLo && lo == "1":
		return "not empty"
	case hasLo:
		return "at least " + lo + " " + unit
	case hasHi:
		return "at most " + hi + " " + unit
	}
	return ""
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
			return jsonText(key)
		}
	}
	return key
}

func literal(v any) string {
	if n, ok := v.(json.Number); ok {
		return string(n)
	}
	return jsonText(v)
}

// rawJSON writes a schema as its JSON, for what Shape cannot say.
func rawJSON(v any) string { return jsonText(v) }

// jsonText writes v as JSON, with <, > and & as themselves.
func jsonText(v any) string {
	var b bytes.Buffer
	if err := writeJSON(&b, v); err != nil {
		return fmt.Sprint(v)
	}
	return b.String()
}

func writeJSON(b *bytes.Buffer, v any) error {
	switch v := v.(type) {
	case *orderedObject:
		b.WriteByte('{')
		for i, k := range v.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeJSON(b, k); err != nil {
				return err
			}
			b.WriteByte(':')
			if err := writeJSON(b, v.vals[i]); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, x := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeJSON(b, x); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	default:
		enc := json.NewEncoder(b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			return err
		}
		b.Truncate(b.Len() - 1) // Encode's newline
	}
	return nil
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
	err := writeJSON(&b, o)
	return b.Bytes(), err
}

// without returns o less key k.
func (o *orderedObject) without(k string) *orderedObject {
	out := &orderedObject{}
	for i, key := range o.keys {
		if key != k {
			out.keys, out.vals = append(out.keys, key), append(out.vals, o.vals[i])
		}
	}
	return out
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
