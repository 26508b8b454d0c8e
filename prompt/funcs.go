package prompt

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"text/template"
	"unicode/utf8"
)

// SystemTemplate is the name of the block that holds the system prompt.
const SystemTemplate = "system"

// Options are what the helpers know beyond the template's data.
type Options struct {
	// Schema is the tool's output JSON Schema, which {{schema}} prints and
	// {{enum}} reads values from.
	Schema string
	// Enums are the meanings of enum values of the output, which {{enum}}
	// prints beside the values.
	Enums []Enum
	// InputSchema and InputEnumMeanings are the input's JSON Schema and the
	// meanings of its enum values, for {{enum "input:path"}} and for a
	// path that only the input has.
	InputSchema       string
	InputEnumMeanings []Enum
}

// The prefixes of an {{enum}} path that say whose enum it is; a path
// without one is the output's where the output has an enum there, else
// the input's.
const (
	InputPrefix  = "input:"
	OutputPrefix = "output:"
)

// Funcs returns the helpers a prompt template may call. schema is the output
// JSON Schema that {{schema}} prints; the generator passes "" because it only
// parses templates.
func Funcs(schema string) template.FuncMap { return FuncsFor(Options{Schema: schema}) }

// FuncsFor returns the helpers bound to o.
func FuncsFor(o Options) template.FuncMap {
	return template.FuncMap{
		"json":     toJSON,
		"schema":   func() string { return o.Schema },
		"enum":     func(path string) (string, error) { return enumList(o, path) },
		"fence":    Fence,
		"excerpt":  excerpt,
		"indent":   indent,
		"truncate": truncate,
		"join":     join,
	}
}

// Parse parses a prompt template with the helpers bound to schema. name is
// what errors call the template, usually its file name.
func Parse(name, text, schema string) (*template.Template, error) {
	return ParseWith(name, text, Options{Schema: schema})
}

// ParseWith parses a prompt template with the helpers bound to o.
func ParseWith(name, text string, o Options) (*template.Template, error) {
	t, err := template.New(name).Option("missingkey=error").Funcs(FuncsFor(o)).Parse(text)
	if err != nil {
		return nil, fmt.Errorf("prompt template: %w", err)
	}
	return t, nil
}

func toJSON(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("json: %w", err)
	}
	return string(b), nil
}

// Fence puts untrusted text inside a Markdown code fence made of more
// backticks than any run of backticks inside the text, so that nothing in
// the text can close the fence early and pass itself off as instructions.
func Fence(text string) string {
	longest, run := 0, 0
	for _, r := range text {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", max(3, longest+1))
	return fence + "\n" + text + "\n" + fence
}

// excerpt fences at most n runes of untrusted text: {{excerpt 8000 .Body}},
// or {{.Body | excerpt 8000}}. It cuts the text before fencing it, so that
// the closing fence is never what gets cut, as it is in
// {{fence .Body | truncate 8000}}. A cut text ends with "…" inside the
// fence, and a line after the fence, where the text cannot reach, says how
// much of it the model sees.
func excerpt(n int, text string) (string, error) {
	if n < 1 {
		return "", fmt.Errorf("excerpt: the limit is %d runes; want 1 or more", n)
	}
	total := utf8.RuneCountInString(text)
	if total <= n {
		return Fence(text), nil
	}
	return Fence(truncate(n, text)) + fmt.Sprintf("\n(excerpt: the first %d of %d characters)", n, total), nil
}

func indent(n int, text string) string {
	pad := strings.Repeat(" ", n)
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = pad + l
		}
	}
	return strings.Join(lines, "\n")
}

func truncate(n int, text string) string {
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	runes := []rune(text)
	return string(runes[:n]) + "…"
}

// join formats the elements of a slice or array with fmt's %v and puts sep
// between them: {{join ", " .Tags}}, or {{.Tags | join ", "}}.
func join(sep string, items any) (string, error) {
	v := reflect.ValueOf(items)
	switch v.Kind() {
	case reflect.Slice, reflect.Array:
	case reflect.Invalid:
		return "", nil
	default:
		return "", fmt.Errorf("join: %T is not a slice or array", items)
	}
	parts := make([]string, v.Len())
	for i := range parts {
		parts[i] = fmt.Sprint(v.Index(i).Interface())
	}
	return strings.Join(parts, sep), nil
}

// FormatValue writes an enum value as JSON, as the model must answer it.
func FormatValue(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprintf("%q", fmt.Sprint(v))
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// enumList renders the allowed values of the output's enum at path, one per
// line with its meaning: from o.Enums where the path is there, else the
// bare values from the schema. Each line is "- " and the value as JSON, so
// that a value's newline or quote stays escaped, then its meaning with its
// whitespace collapsed to single spaces: neither can start a line of its
// own, so neither can close a fence or pass for a heading.
func enumList(o Options, path string) (string, error) {
	values, ok := enumValues(o, path)
	if !ok {
		return "", fmt.Errorf("enum %q: neither the output schema nor the input schema has an enum there", path)
	}
	var b strings.Builder
	for i, v := range values {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("- " + FormatValue(v.Value))
		if doc := oneLine(v.Doc); doc != "" {
			b.WriteString(": " + doc)
		}
	}
	return b.String(), nil
}

func enumValues(o Options, path string) ([]EnumValue, bool) {
	if p, ok := strings.CutPrefix(path, InputPrefix); ok {
		return enumValuesIn(o.InputEnumMeanings, o.InputSchema, p)
	}
	if p, ok := strings.CutPrefix(path, OutputPrefix); ok {
		return enumValuesIn(o.Enums, o.Schema, p)
	}
	if values, ok := enumValuesIn(o.Enums, o.Schema, path); ok {
		return values, true
	}
	return enumValuesIn(o.InputEnumMeanings, o.InputSchema, path)
}

// enumValuesIn finds the values at path among enums, else in schema.
func enumValuesIn(enums []Enum, schema, path string) ([]EnumValue, bool) {
	for _, e := range enums {
		if e.Path == path {
			return e.Values, true
		}
	}
	if schema == "" {
		return nil, false
	}
	var root map[string]any
	if err := json.Unmarshal([]byte(schema), &root); err != nil {
		return nil, false
	}
	s := schemaAt(root, root, path)
	enum, _ := s["enum"].([]any)
	if len(enum) == 0 {
		return nil, false
	}
	values := make([]EnumValue, len(enum))
	for i, v := range enum {
		values[i] = EnumValue{Value: v}
	}
	return values, true
}

// schemaAt follows a path such as "a.b", "items[].kind" or "m.*" through a
// schema: properties, items and additionalProperties, through references
// and the branches of oneOf and anyOf.
func schemaAt(root, s map[string]any, path string) map[string]any {
	s = resolve(root, s, 0)
	if s == nil {
		return nil
	}
	if _, ok := s["enum"]; ok && path == "" {
		return s
	}
	if branches := branchesOf(s); len(branches) > 0 {
		for _, b := range branches {
			if found := schemaAt(root, b, path); found != nil {
				return found
			}
		}
		return nil
	}
	if path == "" {
		return s
	}
	var step string
	switch {
	case strings.HasPrefix(path, "[]"):
		items, _ := s["items"].(map[string]any)
		return schemaAt(root, items, strings.TrimPrefix(path[2:], "."))
	case strings.HasPrefix(path, "*"):
		additional, _ := s["additionalProperties"].(map[string]any)
		return schemaAt(root, additional, strings.TrimPrefix(path[1:], "."))
	}
	end := strings.IndexAny(path, ".[")
	if end < 0 {
		end = len(path)
	}
	step, path = path[:end], strings.TrimPrefix(path[end:], ".")
	props, _ := s["properties"].(map[string]any)
	next, _ := props[step].(map[string]any)
	return schemaAt(root, next, path)
}

func branchesOf(s map[string]any) []map[string]any {
	var out []map[string]any
	for _, key := range []string{"oneOf", "anyOf"} {
		list, _ := s[key].([]any)
		for _, b := range list {
			if m, ok := b.(map[string]any); ok {
				out = append(out, m)
			}
		}
	}
	return out
}

// resolve follows $ref within the document.
func resolve(root, s map[string]any, depth int) map[string]any {
	ref, _ := s["$ref"].(string)
	if ref == "" || depth > 32 {
		return s
	}
	if ref == "#" {
		return root
	}
	name, ok := strings.CutPrefix(ref, "#/$defs/")
	if !ok {
		return nil
	}
	name = strings.NewReplacer("~1", "/", "~0", "~").Replace(name)
	defs, _ := root["$defs"].(map[string]any)
	def, _ := defs[name].(map[string]any)
	return resolve(root, def, depth+1)
}
