package gen

import (
	"encoding/json"
	"fmt"
	"go/constant"
	"go/token"
	"go/types"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/invopop/jsonschema"
)

// The schema builder works on go/types, never on reflection: the package
// need not compile. It follows the conventions of invopop/jsonschema's
// Reflector so that users learn nothing new, and a test (issue 3) will hold
// each schema equal to what
//
//	jsonschema.Reflector{Anonymous: true, ExpandedStruct: true, DoNotReference: true}
//
// gives for the same type. Where this file departs from it, on purpose:
//
//   - nested structs are inlined, never put in $defs (DoNotReference);
//   - a pointer field is optional, not required;
//   - a named string type with constants is an enum of their values;
//   - a type the reflector would panic on or silently mis-describe (chan,
//     func, complex, uintptr, a map with non-string keys, a recursive type)
//     is an error at the field, as is a jsonschema tag key it would ignore
//     or a value it would drop.

// A site is where a schema comes from, for errors.
type site struct {
	pos  token.Pos
	name string // Go field path, such as "Items.Kind"
}

func (s site) field(pos token.Pos, name string) site {
	if s.name != "" {
		name = s.name + "." + name
	}
	return site{pos: pos, name: name}
}

// A schemaBuilder builds the JSON Schema of one root type.
type schemaBuilder struct {
	l      *pkgLoader
	enums  *[]Enum                            // where the enums of the type go; nil: not collected
	consts map[*jsonschema.Schema][]EnumValue // schemas whose enum came from constants
	stack  []*types.Named                     // named structs being expanded
	failed bool
}

func (l *pkgLoader) schemaBuilder(enums *[]Enum) *schemaBuilder {
	return &schemaBuilder{l: l, enums: enums, consts: map[*jsonschema.Schema][]EnumValue{}}
}

func (b *schemaBuilder) errorf(s site, format string, args ...any) {
	b.failed = true
	b.l.errorf(s.pos, format, args...)
}

func (b *schemaBuilder) typeString(t types.Type) string {
	return types.TypeString(t, types.RelativeTo(b.l.p.Types))
}

// root returns the JSON Schema of the struct type t as indented JSON, and
// collects its enums. It returns "" after reporting errors.
func (b *schemaBuilder) root(t types.Type, pos token.Pos) string {
	s := b.schema(t, "", site{pos: pos})
	if b.failed || s == nil {
		return ""
	}
	s.Version = jsonschema.Version
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		b.errorf(site{pos: pos}, "cannot marshal the schema of %s: %v", b.typeString(t), err)
		return ""
	}
	if b.enums != nil {
		b.collectEnums(s, "")
	}
	return string(data)
}

// schema returns the schema of t, or nil after reporting an error. path is
// the JSON path of the value, for enums.
func (b *schemaBuilder) schema(t types.Type, path string, s site) *jsonschema.Schema {
	switch t := types.Unalias(t).(type) {
	case *types.Pointer:
		return b.schema(t.Elem(), path, s)

	case *types.Named:
		if sch, ok := specialSchema(t); ok {
			return sch
		}
		if !b.checkMethods(t, s) {
			return nil
		}
		if _, isStruct := t.Underlying().(*types.Struct); isStruct {
			if !b.push(t, s) {
				return nil
			}
			defer b.pop()
		}
		sch := b.schema(t.Underlying(), path, s)
		if sch != nil && sch.Type == "string" {
			if values := b.constants(t); len(values) > 0 {
				for _, v := range values {
					sch.Enum = append(sch.Enum, v.Value)
				}
				b.consts[sch] = values
			}
		}
		return sch

	case *types.Basic:
		info := t.Info()
		switch {
		case t.Kind() == types.Invalid:
			b.invalid(s)
			return nil
		case info&types.IsBoolean != 0:
			return &jsonschema.Schema{Type: "boolean"}
		case t.Kind() == types.Uintptr || t.Kind() == types.UnsafePointer:
			b.errorf(s, "field %s: %s has no JSON form", s.name, t)
			return nil
		case info&types.IsInteger != 0:
			return &jsonschema.Schema{Type: "integer"}
		case info&types.IsFloat != 0:
			return &jsonschema.Schema{Type: "number"}
		case info&types.IsString != 0:
			return &jsonschema.Schema{Type: "string"}
		}
		b.errorf(s, "field %s: %s has no JSON form", s.name, t)
		return nil

	case *types.Slice:
		if types.Identical(t.Elem(), types.Typ[types.Byte]) {
			return &jsonschema.Schema{Type: "string", ContentEncoding: "base64"}
		}
		items := b.schema(t.Elem(), path+"[]", s)
		if items == nil {
			return nil
		}
		return &jsonschema.Schema{Type: "array", Items: items}

	case *types.Array:
		items := b.schema(t.Elem(), path+"[]", s)
		if items == nil {
			return nil
		}
		n := uint64(t.Len())
		return &jsonschema.Schema{Type: "array", Items: items, MinItems: &n, MaxItems: &n}

	case *types.Map:
		key, ok := t.Key().Underlying().(*types.Basic)
		if !ok || key.Info()&types.IsString == 0 {
			b.errorf(s, "field %s: %s has keys of type %s: JSON object keys are strings", s.name, b.typeString(t), b.typeString(t.Key()))
			return nil
		}
		sch := &jsonschema.Schema{Type: "object"}
		if !types.IsInterface(t.Elem()) {
			sch.AdditionalProperties = b.schema(t.Elem(), path+".*", s)
			if sch.AdditionalProperties == nil {
				return nil
			}
		}
		return sch

	case *types.Interface:
		return &jsonschema.Schema{} // any value

	case *types.Struct:
		sch := &jsonschema.Schema{
			Type:                 "object",
			Properties:           jsonschema.NewProperties(),
			AdditionalProperties: jsonschema.FalseSchema,
		}
		if !b.fields(sch, t, path, s) {
			return nil
		}
		return sch

	case *types.TypeParam:
		b.errorf(s, "field %s: type parameter %s has no schema", s.name, t)
		return nil
	}
	b.errorf(s, "field %s: %s has no JSON form", s.name, b.typeString(t))
	return nil
}

// maxDepth bounds the nesting of named struct types, which generic types
// can make endless without being recursive in name.
const maxDepth = 32

// push enters the named struct type t, reporting recursion.
func (b *schemaBuilder) push(t *types.Named, s site) bool {
	if slices.ContainsFunc(b.stack, func(n *types.Named) bool { return types.Identical(n, t) }) {
		b.errorf(s, "field %s: recursive type %s is not supported yet", s.name, b.typeString(t))
		return false
	}
	if len(b.stack) >= maxDepth {
		b.errorf(s, "field %s: types nest more than %d deep", s.name, maxDepth)
		return false
	}
	b.stack = append(b.stack, t)
	return true
}

func (b *schemaBuilder) pop() { b.stack = b.stack[:len(b.stack)-1] }

// specialSchema is the schema of the library types invopop describes by
// name rather than by structure.
func specialSchema(t *types.Named) (*jsonschema.Schema, bool) {
	obj := t.Obj()
	if obj.Pkg() == nil {
		return nil, false
	}
	switch obj.Pkg().Path() + "." + obj.Name() {
	case "time.Time":
		return &jsonschema.Schema{Type: "string", Format: "date-time"}, true
	case "net/url.URL":
		return &jsonschema.Schema{Type: "string", Format: "uri"}, true
	case "net.IP":
		return &jsonschema.Schema{Type: "string", Format: "ipv4"}, true
	case "encoding/json.RawMessage":
		return &jsonschema.Schema{}, true
	}
	return nil, false
}

// checkMethods reports the methods by which invopop lets a type describe its
// own schema: they run Go code, which the generator does not.
func (b *schemaBuilder) checkMethods(t *types.Named, s site) bool {
	for _, name := range []string{"JSONSchema", "JSONSchemaExtend", "JSONSchemaAlias", "JSONSchemaProperty", "GetFieldDocString"} {
		if obj, _, _ := types.LookupFieldOrMethod(t, true, t.Obj().Pkg(), name); obj != nil {
			if _, isFunc := obj.(*types.Func); isFunc {
				b.errorf(s, "field %s: type %s has a %s method; samplegen builds schemas from source and does not run it", s.name, b.typeString(t), name)
				return false
			}
		}
	}
	return true
}

// invalid reports a field whose type the type checker could not work out,
// with the type error that says why when there is one on the same line.
func (b *schemaBuilder) invalid(s site) {
	at := b.l.pos(s.pos)
	for _, e := range b.l.p.TypeErrors {
		ep := e.Fset.Position(e.Pos)
		if ep.Filename == at.Filename && ep.Line == at.Line {
			b.errorf(s, "field %s has an invalid type: %s", s.name, e.Msg)
			return
		}
	}
	b.errorf(s, "field %s has an invalid type", s.name)
}

// fields adds the fields of st to sch, as encoding/json sees them: embedded
// structs without a JSON name lend their fields.
func (b *schemaBuilder) fields(sch *jsonschema.Schema, st *types.Struct, path string, s site) bool {
	ok := true
	for i := range st.NumFields() {
		f := st.Field(i)
		tag := reflect.StructTag(st.Tag(i))
		jsonTags := strings.Split(tag.Get("json"), ",")
		schemaTags := strings.Split(tag.Get("jsonschema"), ",")
		if jsonTags[0] == "-" || schemaTags[0] == "-" {
			continue
		}
		fs := s.field(f.Pos(), f.Name())

		if (f.Embedded() && jsonTags[0] == "") || slices.Contains(jsonTags[1:], "inline") {
			et := types.Unalias(f.Type())
			if p, isPtr := et.(*types.Pointer); isPtr {
				et = types.Unalias(p.Elem())
			}
			if est, isStruct := et.Underlying().(*types.Struct); isStruct {
				named, isNamed := et.(*types.Named)
				if isNamed && !b.push(named, fs) {
					ok = false
					continue
				}
				ok = b.fields(sch, est, path, fs) && ok
				if isNamed {
					b.pop()
				}
				continue
			}
		}
		if !f.Exported() {
			continue
		}

		name := f.Name()
		if jsonTags[0] != "" {
			name = jsonTags[0]
		}
		required := !slices.Contains(jsonTags[1:], "omitempty") && !slices.Contains(jsonTags[1:], "omitzero")
		if _, isPtr := types.Unalias(f.Type()).(*types.Pointer); isPtr {
			required = false
		}
		if slices.Contains(schemaTags, "required") {
			required = true
		}

		prop := b.schema(f.Type(), joinPath(path, name), fs)
		if prop == nil {
			ok = false
			continue
		}
		if !b.tags(prop, tag, jsonTags, fs) {
			ok = false
			continue
		}
		if slices.Contains(schemaTags, "nullable") {
			prop = &jsonschema.Schema{OneOf: []*jsonschema.Schema{prop, {Type: "null"}}}
		}
		if _, dup := sch.Properties.Get(name); dup {
			b.errorf(fs, "field %s: JSON name %q is used by another field too", fs.name, name)
			ok = false
			continue
		}
		sch.Properties.Set(name, prop)
		if required {
			sch.Required = append(sch.Required, name)
		}
	}
	return ok
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// constants returns the string constants of type t in its package, in
// declaration order, with their comments where the package was loaded from
// source. A value declared twice counts once.
func (b *schemaBuilder) constants(t *types.Named) []EnumValue {
	pkg := t.Obj().Pkg()
	if pkg == nil {
		return nil
	}
	var cs []*types.Const
	for _, name := range pkg.Scope().Names() {
		c, ok := pkg.Scope().Lookup(name).(*types.Const)
		if ok && types.Identical(c.Type(), t) && c.Val().Kind() == constant.String {
			cs = append(cs, c)
		}
	}
	slices.SortStableFunc(cs, func(x, y *types.Const) int {
		px, py := b.l.pos(x.Pos()), b.l.pos(y.Pos())
		if c := strings.Compare(px.Filename, py.Filename); c != 0 {
			return c
		}
		return px.Offset - py.Offset
	})
	var values []EnumValue
	for _, c := range cs {
		v := constant.StringVal(c.Val())
		if !slices.ContainsFunc(values, func(e EnumValue) bool { return e.Value == v }) {
			values = append(values, EnumValue{Value: v, Doc: b.l.constDocs[c]})
		}
	}
	return values
}

// collectEnums records, in property order, every enum of sch that came from
// constants and has at least one value with a comment: the meanings are
// what the prompt adds to the schema.
func (b *schemaBuilder) collectEnums(sch *jsonschema.Schema, path string) {
	if sch == nil {
		return
	}
	if docs, ok := b.consts[sch]; ok && len(sch.Enum) > 0 {
		var e Enum
		e.Path = path
		documented := false
		for _, v := range sch.Enum {
			ev := EnumValue{Value: fmt.Sprint(v)}
			for _, d := range docs {
				if d.Value == ev.Value {
					ev.Doc = d.Doc
				}
			}
			documented = documented || ev.Doc != ""
			e.Values = append(e.Values, ev)
		}
		if documented {
			*b.enums = append(*b.enums, e)
		}
	}
	if sch.Properties != nil {
		for name, prop := range sch.Properties.FromOldest() {
			b.collectEnums(prop, joinPath(path, name))
		}
	}
	b.collectEnums(sch.Items, path+"[]")
	if sch.AdditionalProperties != jsonschema.FalseSchema {
		b.collectEnums(sch.AdditionalProperties, path+".*")
	}
	for _, sub := range sch.OneOf {
		b.collectEnums(sub, path)
	}
}

// Struct tags, as invopop reads them.

// tags applies a field's struct tags to its schema, reporting keys invopop
// would ignore here and values it would drop.
func (b *schemaBuilder) tags(sch *jsonschema.Schema, tag reflect.StructTag, jsonTags []string, s site) bool {
	ok := true
	bad := func(format string, args ...any) {
		b.errorf(s, "field %s: jsonschema tag: "+format, append([]any{s.name}, args...)...)
		ok = false
	}
	if tag.Get("jsonschema_extras") != "" {
		bad("jsonschema_extras is not supported yet")
	}
	if d := tag.Get("jsonschema_description"); d != "" {
		sch.Description = d
	}

	var rest []string
	for _, t := range splitOnUnescapedCommas(tag.Get("jsonschema")) {
		name, val, hasVal := strings.Cut(t, "=")
		if !hasVal {
			switch t {
			case "", "required", "nullable":
			default:
				bad("unknown option %q", t)
			}
			continue
		}
		switch name {
		case "title":
			sch.Title = val
		case "description":
			sch.Description = val
		case "type":
			sch.Type = val
		case "anchor":
			sch.Anchor = val
		case "oneof_required", "anyof_required", "oneof_ref", "anyof_ref", "oneof_type", "anyof_type":
			bad("%s is not supported yet", name)
		default:
			rest = append(rest, t)
		}
	}

	// encoding/json's ",string" makes numbers and booleans strings.
	switch sch.Type {
	case "integer", "number", "boolean":
		if slices.Contains(jsonTags[1:], "string") {
			sch.Type = "string"
		}
	}

	var unused []string
	switch sch.Type {
	case "string":
		unused = b.stringKeywords(sch, rest, bad)
	case "integer", "number":
		unused = numberKeywords(sch, rest, bad)
	case "boolean":
		unused = booleanKeywords(sch, rest, bad)
	case "array":
		unused = b.arrayKeywords(sch, rest, bad)
	default:
		unused = rest
	}
	for _, t := range unused {
		name, _, _ := strings.Cut(t, "=")
		if knownKeys[name] {
			what := sch.Type
			if what == "" {
				what = "any"
			}
			bad("%s does not apply to a value of type %s", name, what)
		} else {
			bad("unknown key %q", name)
		}
	}

	if len(sch.Enum) > 0 && sch.Default != nil {
		def := fmt.Sprint(sch.Default)
		if !slices.ContainsFunc(sch.Enum, func(v any) bool { return fmt.Sprint(v) == def }) {
			bad("default %s is not one of the enum values", def)
		}
	}
	return ok
}

// knownKeys are the jsonschema tag keys invopop reads for some type.
var knownKeys = map[string]bool{
	"minLength": true, "maxLength": true, "pattern": true, "format": true, "readOnly": true, "writeOnly": true,
	"default": true, "example": true, "enum": true, "multipleOf": true, "minimum": true, "maximum": true,
	"exclusiveMaximum": true, "exclusiveMinimum": true, "minItems": true, "maxItems": true, "uniqueItems": true,
}

type badFunc func(format string, args ...any)

func (b *schemaBuilder) stringKeywords(sch *jsonschema.Schema, tags []string, bad badFunc) (unused []string) {
	tagEnum := false
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
			// Values in the tag replace those of the type's constants.
			if !tagEnum {
				sch.Enum = nil
				tagEnum = true
			}
			sch.Enum = append(sch.Enum, val)
		default:
			unused = append(unused, t)
		}
	}
	return unused
}

func numberKeywords(sch *jsonschema.Schema, tags []string, bad badFunc) (unused []string) {
	num := func(name, val string) json.Number {
		n, ok := toJSONNumber(val)
		if !ok {
			bad("%s=%s: want a number", name, val)
		}
		if ok && sch.Type == "integer" && !isInteger(n) && name != "multipleOf" {
			bad("%s=%s: want an integer", name, val)
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
			sch.Default = num(name, val)
		case "example":
			sch.Examples = append(sch.Examples, num(name, val))
		case "enum":
			sch.Enum = append(sch.Enum, num(name, val))
		default:
			unused = append(unused, t)
		}
	}
	return unused
}

func booleanKeywords(sch *jsonschema.Schema, tags []string, bad badFunc) (unused []string) {
	for _, t := range tags {
		name, val, _ := strings.Cut(t, "=")
		if name != "default" {
			unused = append(unused, t)
			continue
		}
		switch val {
		case "true":
			sch.Default = true
		case "false":
			sch.Default = false
		default:
			bad("default=%s: want true or false", val)
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
	switch sch.Items.Type {
	case "string":
		return b.stringKeywords(sch.Items, forItems, bad)
	case "integer", "number":
		return numberKeywords(sch.Items, forItems, bad)
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
	if _, err := num.Float64(); err == nil {
		return num, true
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
