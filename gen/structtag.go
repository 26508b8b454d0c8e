package gen

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/invopop/jsonschema"
)

// checkStructTag reports what is wrong with a struct tag's syntax, which
// reflect.StructTag.Get (and so encoding/json, invopop and samplegen's own
// reading of the tag) would otherwise pass over in silence, dropping every
// key from the first mistake on: the conventional form is key:"value"
// pairs separated by spaces, each value a Go string literal, as go vet's
// structtag check has it.
func checkStructTag(tag string) error {
	for tag != "" {
		tag = strings.TrimLeft(tag, " ")
		if tag == "" {
			break
		}
		i := 0
		for i < len(tag) && tag[i] > ' ' && tag[i] != ':' && tag[i] != '"' && tag[i] != 0x7f {
			i++
		}
		key := tag[:i]
		switch {
		case i == 0:
			return errors.New("a key is missing before its value")
		case i == len(tag):
			return fmt.Errorf("key %q has no value: write %s:\"...\"", key, key)
		case tag[i] != ':':
			return fmt.Errorf("key %q is not followed by a colon", key)
		case i+1 >= len(tag) || tag[i+1] != '"':
			return fmt.Errorf("the value of %s is not quoted: write %s:\"...\"", key, key)
		}
		tag = tag[i+1:]
		// The value runs to the closing quote that is not escaped.
		j := 1
		for j < len(tag) && tag[j] != '"' {
			if tag[j] == '\\' {
				j++
			}
			j++
		}
		if j >= len(tag) {
			return fmt.Errorf("the value of %s has no closing quote", key)
		}
		if _, err := strconv.Unquote(tag[:j+1]); err != nil {
			return fmt.Errorf("the value of %s is not a Go string literal: %w", key, err)
		}
		tag = tag[j+1:]
		if tag != "" && tag[0] != ' ' {
			return fmt.Errorf("the value of %s is not followed by a space", key)
		}
	}
	return nil
}

// Struct tags, as invopop reads them.

// tags applies a field's struct tags to its schema, reporting keys invopop
// would ignore here and values it would drop. parent is the schema of the
// struct, for oneof_required and anyof_required; name is the property.
func (b *schemaBuilder) tags(sch, parent *jsonschema.Schema, name string, tag reflect.StructTag, jsonTags []string, s site) bool {
	ok := true
	bad := func(format string, args ...any) {
		prefix := "%s: jsonschema tag: "
		if s.label != "" {
			prefix = "%s: "
		}
		b.errorf(s, prefix+format, append([]any{s.what()}, args...)...)
		ok = false
	}
	fromConsts := b.consts[sch] != nil
	wasInteger := sch.Type == "integer"
	sch.Description = tag.Get("jsonschema_description")

	var rest []string
	for _, t := range splitOnUnescapedCommas(tag.Get("jsonschema")) {
		key, val, hasVal := strings.Cut(t, "=")
		if !hasVal {
			switch t {
			case "", "required", "nullable":
			default:
				bad("unknown option %q", t)
			}
			continue
		}
		switch key {
		case "title":
			sch.Title = val
		case "description":
			sch.Description = val
		case "type":
			sch.Type = val
		case "anchor":
			sch.Anchor = val
		case "oneof_required", "anyof_required":
			list := &parent.OneOf
			if key == "anyof_required" {
				list = &parent.AnyOf
			}
			i := slices.IndexFunc(*list, func(g *jsonschema.Schema) bool { return g.Title == val })
			if i < 0 {
				*list = append(*list, &jsonschema.Schema{Title: val, Required: []string{}})
				i = len(*list) - 1
			}
			(*list)[i].Required = append((*list)[i].Required, name)
		case "oneof_type", "anyof_type":
			var subs []*jsonschema.Schema
			for _, ty := range strings.Split(val, ";") {
				if !jsonTypes[ty] {
					bad("%s: %q is not a JSON Schema type", key, ty)
				}
				subs = append(subs, &jsonschema.Schema{Type: ty})
			}
			sch.Type = ""
			if key == "oneof_type" {
				sch.OneOf = append(sch.OneOf, subs...)
			} else {
				sch.AnyOf = append(sch.AnyOf, subs...)
			}
		case "oneof_ref", "anyof_ref":
			bad("%s is not supported: samplegen schemas have no $defs to refer to but those of recursive types", key)
		default:
			rest = append(rest, t)
		}
	}
	if sch.Type != "" && !jsonTypes[sch.Type] {
		bad("type=%s: not a JSON Schema type", sch.Type)
	}

	// encoding/json's ",string" makes numbers and booleans strings.
	switch sch.Type {
	case "integer", "number", "boolean":
		if slices.Contains(jsonTags[1:], "string") {
			if fromConsts {
				bad("the json option string does not go with an enum type: its values are %ss", sch.Type)
			}
			sch.Type = "string"
		}
	}
	if wasInteger && sch.Type != "integer" {
		// The range of a sized integer is no longer what the value holds.
		sch.Minimum, sch.Maximum = "", ""
	}

	var unused []string
	switch sch.Type {
	case "string":
		unused = b.stringKeywords(sch, rest, fromConsts, bad)
	case "integer", "number":
		unused = numberKeywords(sch, rest, fromConsts, bad)
	case "boolean":
		unused = booleanKeywords(sch, rest, bad)
	case "array":
		unused = b.arrayKeywords(sch, rest, bad)
	default:
		unused = rest
	}
	for _, t := range unused {
		key, _, _ := strings.Cut(t, "=")
		switch {
		case !knownKeys[key]:
			bad("unknown key %q", key)
		case sch.Ref != "":
			bad("%s does not apply to a reference to a recursive type", key)
		default:
			what := sch.Type
			if what == "" {
				what = "any"
			}
			bad("%s does not apply to a value of type %s", key, what)
		}
	}

	if extras := tag.Get("jsonschema_extras"); extras != "" {
		b.extras(sch, extras, bad)
	}

	if len(sch.Enum) > 0 && sch.Default != nil {
		def := fmt.Sprint(sch.Default)
		if !slices.ContainsFunc(sch.Enum, func(v any) bool { return fmt.Sprint(v) == def }) {
			bad("default %s is not one of the enum values", def)
		}
	}
	return ok
}

var jsonTypes = map[string]bool{"string": true, "number": true, "integer": true, "boolean": true, "object": true, "array": true, "null": true}

// knownKeys are the jsonschema tag keys invopop reads for some type, and
// const, which samplegen reads too.
var knownKeys = map[string]bool{
	"minLength": true, "maxLength": true, "pattern": true, "format": true, "readOnly": true, "writeOnly": true,
	"default": true, "example": true, "enum": true, "multipleOf": true, "minimum": true, "maximum": true,
	"exclusiveMaximum": true, "exclusiveMinimum": true, "minItems": true, "maxItems": true, "uniqueItems": true,
	"const": true,
}

// extras applies a jsonschema_extras tag as invopop does: each key=value
// becomes a keyword, true and false become booleans, a repeated key a list.
// Keys that name JSON Schema keywords are errors: invopop would write the
// keyword twice.
func (b *schemaBuilder) extras(sch *jsonschema.Schema, tag string, bad badFunc) {
	for _, t := range splitOnUnescapedCommas(tag) {
		key, val, found := strings.Cut(t, "=")
		if !found {
			bad("jsonschema_extras: %q is not key=value", t)
			continue
		}
		if schemaKeywords[key] {
			bad("jsonschema_extras: %s is a JSON Schema keyword: set it with the jsonschema tag", key)
			continue
		}
		if sch.Extras == nil {
			sch.Extras = map[string]any{}
		}
		switch prev := sch.Extras[key].(type) {
		case nil:
			switch val {
			case "true":
				sch.Extras[key] = true
			case "false":
				sch.Extras[key] = false
			default:
				sch.Extras[key] = val
			}
		case string:
			sch.Extras[key] = []string{prev, val}
		case []string:
			sch.Extras[key] = append(prev, val)
		case bool:
			sch.Extras[key] = val == "true" || val == "t"
		}
	}
}

// schemaKeywords are the JSON names of jsonschema.Schema's fields.
var schemaKeywords = func() map[string]bool {
	m := map[string]bool{}
	t := reflect.TypeFor[jsonschema.Schema]()
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); name != "" && name != "-" {
			m[name] = true
		}
	}
	return m
}()

type badFunc func(format string, args ...any)

func (b *schemaBuilder) stringKeywords(sch *jsonschema.Schema, tags []string, fromConsts bool, bad badFunc) (unused []string) {
	for _, t := range tags {
		name, val, _ := strings.Cut(t, "=")
		switch name {
		case "minLength":
			sch.MinLength = parseUint(name, val, bad)
		case "maxLength":
			sch.MaxLength = parseUint(name, val, bad)
		case "pattern":
			if _, err := regexp.Compile(val); err != nil {
				bad("pattern %q does not compile: %v", val, err)
			}
			sch.Pattern = val
		case "format":
			sch.Format = val
		case "readOnly":
			sch.ReadOnly = parseBool(name, val, bad)
		case "writeOnly":
			sch.WriteOnly = parseBool(name, val, bad)
		case "default":
			sch.Default = val
		case "example":
			sch.Examples = append(sch.Examples, val)
		case "enum":
			if fromConsts {
				bad("enum=%s: the type's constants already are its values", val)
			}
			sch.Enum = append(sch.Enum, val)
		case "const":
			sch.Const = val
		default:
			unused = append(unused, t)
		}
	}
	return unused
}

func numberKeywords(sch *jsonschema.Schema, tags []string, fromConsts bool, bad badFunc) (unused []string) {
	// The range of a sized integer type: tags may narrow it, not widen it.
	lo, hi := sch.Minimum, sch.Maximum
	inRange := func(name, val string, n json.Number) {
		f, err := n.Float64()
		if err != nil {
			return
		}
		if l, err := lo.Float64(); err == nil && f < l {
			bad("%s=%s is below the range of the field's type (minimum %s)", name, val, lo)
		}
		if h, err := hi.Float64(); err == nil && f > h {
			bad("%s=%s is above the range of the field's type (maximum %s)", name, val, hi)
		}
	}
	num := func(name, val string) json.Number {
		n, ok := toJSONNumber(val)
		if !ok {
			bad("%s=%s: want a number", name, val)
			return ""
		}
		if sch.Type == "integer" && !isInteger(n) && name != "multipleOf" {
			bad("%s=%s: want an integer", name, val)
		}
		if name != "multipleOf" {
			inRange(name, val, n)
		}
		return n
	}
	for _, t := range tags {
		name, val, _ := strings.Cut(t, "=")
		switch name {
		case "multipleOf":
			sch.MultipleOf = num(name, val)
		case "minimum":
			sch.Minimum = num(name, val)
		case "maximum":
			sch.Maximum = num(name, val)
		case "exclusiveMaximum":
			sch.ExclusiveMaximum = num(name, val)
		case "exclusiveMinimum":
			sch.ExclusiveMinimum = num(name, val)
		case "default":
			if n := num(name, val); n != "" {
				sch.Default = n
			}
		case "example":
			if n := num(name, val); n != "" {
				sch.Examples = append(sch.Examples, n)
			}
		case "enum":
			if fromConsts {
				bad("enum=%s: the type's constants already are its values", val)
			}
			if n := num(name, val); n != "" {
				sch.Enum = append(sch.Enum, n)
			}
		case "const":
			if n := num(name, val); n != "" {
				sch.Const = n
			}
		default:
			unused = append(unused, t)
		}
	}
	return unused
}

func booleanKeywords(sch *jsonschema.Schema, tags []string, bad badFunc) (unused []string) {
	for _, t := range tags {
		name, val, _ := strings.Cut(t, "=")
		if name != "default" && name != "const" {
			unused = append(unused, t)
			continue
		}
		var v bool
		switch val {
		case "true":
			v = true
		case "false":
		default:
			bad("%s=%s: want true or false", name, val)
			continue
		}
		if name == "default" {
			sch.Default = v
		} else {
			sch.Const = v
		}
	}
	return unused
}

// arrayKeywords reads the array keys; the others apply to the items.
func (b *schemaBuilder) arrayKeywords(sch *jsonschema.Schema, tags []string, bad badFunc) (unused []string) {
	var defaults []any
	var forItems []string
	for _, t := range tags {
		name, val, _ := strings.Cut(t, "=")
		switch name {
		case "minItems":
			sch.MinItems = parseUint(name, val, bad)
		case "maxItems":
			sch.MaxItems = parseUint(name, val, bad)
		case "uniqueItems":
			if val != "true" {
				bad("uniqueItems=%s: the only value is true", val)
			}
			sch.UniqueItems = true
		case "default":
			defaults = append(defaults, val)
		case "format":
			sch.Items.Format = val
		case "pattern":
			if _, err := regexp.Compile(val); err != nil {
				bad("pattern %q does not compile: %v", val, err)
			}
			sch.Items.Pattern = val
		default:
			forItems = append(forItems, t)
		}
	}
	if len(defaults) > 0 {
		sch.Default = defaults
	}
	if len(forItems) == 0 {
		return nil
	}
	fromConsts := b.consts[sch.Items] != nil
	switch sch.Items.Type {
	case "string":
		return b.stringKeywords(sch.Items, forItems, fromConsts, bad)
	case "integer", "number":
		return numberKeywords(sch.Items, forItems, fromConsts, bad)
	case "boolean":
		return booleanKeywords(sch.Items, forItems, bad)
	}
	return forItems
}

func parseUint(name, val string, bad badFunc) *uint64 {
	n, err := strconv.ParseUint(val, 10, 64)
	if err != nil {
		bad("%s=%s: want an integer >= 0", name, val)
		return nil
	}
	return &n
}

func parseBool(name, val string, bad badFunc) bool {
	v, err := strconv.ParseBool(val)
	if err != nil {
		bad("%s=%s: want true or false", name, val)
	}
	return v
}

// toJSONNumber is invopop's: val as a JSON number, if it is one.
func toJSONNumber(s string) (json.Number, bool) {
	num := json.Number(s)
	if _, err := num.Int64(); err == nil {
		return num, true
	}
	if f, err := num.Float64(); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
		if json.Valid([]byte(s)) {
			return num, true
		}
	}
	return "", false
}

func isInteger(n json.Number) bool {
	_, err := n.Int64()
	return err == nil
}

// splitOnUnescapedCommas splits a jsonschema tag as invopop does: on commas
// not preceded by a backslash.
func splitOnUnescapedCommas(s string) []string {
	parts := strings.Split(s, ",")
	out := []string{parts[0]}
	for _, p := range parts[1:] {
		last := out[len(out)-1]
		if strings.HasSuffix(last, `\`) {
			out[len(out)-1] = last[:len(last)-1] + "," + p
		} else {
			out = append(out, p)
		}
	}
	return out
}
