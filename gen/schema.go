package gen

import (
	"encoding/json"
	"fmt"
	"go/token"
	"go/types"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/invopop/jsonschema"
)

// The schema builder works on go/types, never on reflection: the package
// need not compile. It follows invopop/jsonschema's Reflector, configured as
//
//	jsonschema.Reflector{Anonymous: true, ExpandedStruct: true, DoNotReference: true}
//
// so that users learn nothing new, and TestGeneratedCode holds every
// generated schema equal to what that reflector gives for the same type at
// run time, apart from the departures listed in parity.Rules
// (gen/internal/parity) and in the package doc. In short: constants make enums, sized integers carry
// their range, pointer fields are optional and nullable, MarshalText types
// are strings, json.Number is a number, the const key is read, and only
// recursive types go to $defs. Where invopop would panic, recurse forever,
// ignore a tag or describe a type wrongly, the builder reports an error at
// the field instead.

// A site is where a schema comes from, for errors.
type site struct {
	pos  token.Pos
	name string // Go field path, such as "Items.Kind"
	// label, when set, is what errors call the place instead: the root
	// type ("output type Items"), or the keys of samplegen:output, which
	// are not a struct tag.
	label string
}

func (s site) field(pos token.Pos, name string) site {
	if s.name != "" {
		name = s.name + "." + name
	}
	return site{pos: pos, name: name}
}

// what is how errors name the value at s.
func (s site) what() string {
	if s.label != "" {
		return s.label
	}
	if s.name == "" {
		return "type"
	}
	return "field " + s.name
}

// A schemaBuilder builds the JSON Schema of one root type.
type schemaBuilder struct {
	l      *pkgLoader
	consts map[*jsonschema.Schema][]enumValue // schemas whose enum came from constants
	stack  []*types.Named                     // named composite types being expanded
	failed bool

	// validate: check the Validate methods of the types met (in the
	// output, where the runtime calls them).
	validate bool
	// validateInput is the tool's input type, which a Validate method
	// may take; nil for a function tool's output, which the runtime does
	// not validate, where a Validate of one parameter is let be (its type
	// may be a sampling tool's output too).
	validateInput types.Type

	fieldDocs map[token.Pos]string // the comments of the package's struct fields, once needed

	// Recursion. The first pass marks every named type that is part of a
	// cycle; if there is any, a second pass puts those in $defs.
	rootType  *types.Named
	recursive map[string]*types.Named // by definition name
	second    bool
	defs      jsonschema.Definitions
}

func (l *pkgLoader) schemaBuilder() *schemaBuilder {
	return &schemaBuilder{l: l, consts: map[*jsonschema.Schema][]enumValue{}, recursive: map[string]*types.Named{}}
}

func (b *schemaBuilder) errorf(s site, format string, args ...any) {
	b.failed = true
	if !b.second { // the second pass would only say it again
		b.l.errorf(s.pos, format, args...)
	}
}

func (b *schemaBuilder) typeString(t types.Type) string { return b.l.typeString(t) }

// A builtSchema is the schema of a root type and the enums in it.
type builtSchema struct {
	JSON  string // indented
	Type  string // of the root: "object" for a struct
	Text  bool   // the root is a string without enum or const, which the runtime takes from plain text
	Enums []enum // every enum, in property order, documented or not
}

// root returns the JSON Schema of the type t, with the keys of a jsonschema
// tag applied to it as a whole when keys is not empty. what is how errors
// about t itself name it, such as "output type". It returns ok false after
// reporting errors.
func (b *schemaBuilder) root(t types.Type, pos token.Pos, what, keys string, keysPos token.Pos) (builtSchema, bool) {
	b.rootType, _ = types.Unalias(t).(*types.Named)
	at := site{pos: pos, label: what + " " + b.typeString(t)}
	s := b.schema(t, "", at)
	if !b.failed && len(b.recursive) > 0 {
		b.second = true
		b.consts = map[*jsonschema.Schema][]enumValue{}
		b.defs = jsonschema.Definitions{}
		s = b.schema(t, "", at)
	}
	if b.failed || s == nil {
		return builtSchema{}, false
	}
	if keys != "" && !b.rootKeys(s, keys, keysPos) {
		return builtSchema{}, false
	}
	if len(b.defs) > 0 {
		s.Definitions = b.defs
	}
	s.Version = jsonschema.Version
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		b.errorf(site{pos: pos}, "cannot marshal the schema of %s: %v", b.typeString(t), err)
		return builtSchema{}, false
	}
	out := builtSchema{JSON: string(data), Type: s.Type, Text: s.Type == "string" && s.Enum == nil && s.Const == nil}
	b.collectEnums(s, s, "", map[string]bool{"#": true}, &out.Enums)
	return out, true
}

// rootKeys applies the keys of samplegen:output to the root schema s as a
// jsonschema tag applies to a field's schema: the root has no field to
// carry a tag. The keys that make sense only on a field of a struct, and
// those that would give the value another JSON type than its Go type's,
// are errors.
func (b *schemaBuilder) rootKeys(s *jsonschema.Schema, keys string, pos token.Pos) bool {
	at := site{pos: pos, label: "samplegen:output"}
	if len(b.recursive) > 0 {
		// A reference to the root would take the keys along, and $defs
		// are shared. (b.errorf is silent in the second pass.)
		b.failed = true
		b.l.errorf(pos, "samplegen:output: keys do not apply to a type with recursive types in it")
		return false
	}
	ok := true
	for _, t := range splitOnUnescapedCommas(keys) {
		key, _, _ := strings.Cut(t, "=")
		switch key {
		case "required", "nullable", "oneof_required", "anyof_required":
			b.errorf(at, "samplegen:output: %s applies to a field of a struct, not to the output as a whole", key)
			ok = false
		case "type", "oneof_type", "anyof_type":
			b.errorf(at, "samplegen:output: %s does not apply to the output as a whole: its JSON type is that of its Go type", key)
			ok = false
		}
	}
	if !ok {
		return false
	}
	tag := reflect.StructTag("jsonschema:" + strconv.Quote(keys))
	return b.tags(s, &jsonschema.Schema{}, "", tag, []string{""}, at)
}

// schema returns the schema of t, or nil after reporting an error. path is
// the JSON path of the value, for enums.
func (b *schemaBuilder) schema(t types.Type, path string, s site) *jsonschema.Schema {
	switch t := types.Unalias(t).(type) {
	case *types.Pointer:
		return b.schema(t.Elem(), path, s)

	case *types.Named:
		return b.named(t, path, s)

	case *types.Basic:
		info := t.Info()
		switch {
		case t.Kind() == types.Invalid:
			b.invalid(s)
			return nil
		case info&types.IsBoolean != 0:
			return &jsonschema.Schema{Type: "boolean"}
		case t.Kind() == types.Uintptr || t.Kind() == types.UnsafePointer:
			b.errorf(s, "%s: %s has no JSON form", s.what(), t)
			return nil
		case info&types.IsInteger != 0:
			sch := &jsonschema.Schema{Type: "integer"}
			sch.Minimum, sch.Maximum = b.intRange(t)
			return sch
		case info&types.IsFloat != 0:
			return &jsonschema.Schema{Type: "number"}
		case info&types.IsString != 0:
			return &jsonschema.Schema{Type: "string"}
		}
		b.errorf(s, "%s: %s has no JSON form", s.what(), t)
		return nil

	case *types.Slice:
		if isByte(t.Elem()) {
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
		sch := &jsonschema.Schema{Type: "object"}
		if !b.mapKeys(sch, t, s) {
			return nil
		}
		if !types.IsInterface(t.Elem()) {
			sch.AdditionalProperties = b.schema(t.Elem(), joinPath(path, "*"), s)
			if sch.AdditionalProperties == nil {
				return nil
			}
		} else if !b.anyInterface(t.Elem(), s) {
			return nil
		}
		return sch

	case *types.Interface:
		if !b.anyInterface(t, s) {
			return nil
		}
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
		b.errorf(s, "%s: type parameter %s has no schema", s.what(), t)
		return nil
	}
	b.errorf(s, "%s: %s has no JSON form", s.what(), b.typeString(t))
	return nil
}

// mapKeys sets what sch says of the keys of the map type t, as
// encoding/json writes and reads them: a string type's keys as they are, a
// key type with MarshalText and UnmarshalText as its text, an integer
// type's keys in decimal, which propertyNames holds to digits (the range
// of a narrow type is left to json.Unmarshal). Other key types are errors.
func (b *schemaBuilder) mapKeys(sch *jsonschema.Schema, t *types.Map, s site) bool {
	key := t.Key()
	basic, _ := key.Underlying().(*types.Basic)
	switch {
	case hasMethod(key, "UnmarshalText") && hasMethod(key, "MarshalText"):
		return true // encoding/json reads the key with UnmarshalText first
	case basic != nil && basic.Info()&types.IsString != 0:
		return true
	case basic != nil && basic.Info()&types.IsInteger != 0 && basic.Kind() != types.Uintptr:
		pattern := "^-?[0-9]+$"
		if basic.Info()&types.IsUnsigned != 0 {
			pattern = "^[0-9]+$"
		}
		sch.PropertyNames = &jsonschema.Schema{Pattern: pattern}
		return true
	}
	b.errorf(s, "%s: %s has keys of type %s: JSON object keys are strings, and encoding/json writes only string types, integer types and types with MarshalText and UnmarshalText methods as keys", s.what(), b.typeString(t), b.typeString(key))
	return false
}

// durationNote is the description of a time.Duration value whose own
// description (from its field's tags or comment) is desc: the unit, which
// the schema's "integer" does not say.
func durationNote(desc string) string {
	const unit = "an integer number of nanoseconds: 1s is 1000000000, 1m is 60000000000"
	sentence := strings.ToUpper(unit[:1]) + unit[1:] + "."
	switch {
	case desc == "":
		return sentence
	case strings.HasSuffix(desc, "."):
		return desc + " " + sentence
	}
	return desc + " (" + unit + ")"
}

func deref(t types.Type) types.Type {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

func isByte(t types.Type) bool {
	b, ok := types.Unalias(t).(*types.Basic)
	return ok && b.Kind() == types.Byte
}

// anyInterface reports an interface type other than any: JSON decodes into
// any, never into an interface with methods.
func (b *schemaBuilder) anyInterface(t types.Type, s site) bool {
	if iface, ok := t.Underlying().(*types.Interface); ok && iface.NumMethods() > 0 {
		b.errorf(s, "%s: %s is an interface with methods: JSON cannot be decoded into it (use any or a concrete type)", s.what(), b.typeString(t))
		return false
	}
	return true
}

// named returns the schema of a named (defined) type.
func (b *schemaBuilder) named(t *types.Named, path string, s site) *jsonschema.Schema {
	if b.validate && !b.second {
		b.checkValidate(t, s)
	}
	if sch, ok := b.special(t, s); ok {
		return sch
	}
	if !b.checkMethods(t, s) {
		return nil
	}
	if hasMethod(t, "MarshalText") {
		// encoding/json writes a TextMarshaler as a JSON string.
		return &jsonschema.Schema{Type: "string"}
	}
	if sch := b.enum(t); sch != nil {
		return sch
	}
	switch t.Underlying().(type) {
	case *types.Struct, *types.Slice, *types.Array, *types.Map:
	case *types.Interface:
		if !b.anyInterface(t, s) {
			return nil
		}
		return &jsonschema.Schema{} // any value
	default:
		return b.schema(t.Underlying(), path, s)
	}

	// A composite type can be part of a cycle: the first pass marks the
	// types of each cycle, the second puts them in $defs and refers to them.
	if i := slices.IndexFunc(b.stack, func(n *types.Named) bool { return types.Identical(n, t) }); i >= 0 {
		for _, n := range b.stack[i:] {
			name := defName(n)
			if prev, ok := b.recursive[name]; ok && !types.Identical(prev, n) {
				b.errorf(s, "%s: recursive types %s and %s would share the $defs name %q", s.what(), b.typeString(prev), b.typeString(n), name)
				return nil
			}
			b.recursive[name] = n
		}
		if !b.second {
			return b.ref(t)
		}
		return b.define(t, path, s)
	}
	if b.second && len(b.stack) > 0 && b.isRecursive(t) {
		return b.define(t, path, s)
	}
	return b.expand(t, path, s)
}

// define returns a reference to the recursive type t, building its entry of
// $defs first if need be.
func (b *schemaBuilder) define(t *types.Named, path string, s site) *jsonschema.Schema {
	if b.rootType != nil && types.Identical(t, b.rootType) {
		return b.ref(t)
	}
	name := defName(t)
	if _, done := b.defs[name]; !done {
		b.defs[name] = &jsonschema.Schema{} // a placeholder while the definition is built
		def := b.expand(t, path, s)
		if def == nil {
			return nil
		}
		b.defs[name] = def
	}
	return b.ref(t)
}

// expand builds the schema of the composite named type t from its
// underlying type.
func (b *schemaBuilder) expand(t *types.Named, path string, s site) *jsonschema.Schema {
	if len(b.stack) >= maxDepth {
		if parts := strings.Split(s.name, "."); len(parts) > 3 {
			s.name = strings.Join(parts[:3], ".") + "..."
		}
		b.errorf(s, "%s: types nest more than %d deep (a generic type whose type arguments grow?)", s.what(), maxDepth)
		return nil
	}
	b.stack = append(b.stack, t)
	defer func() { b.stack = b.stack[:len(b.stack)-1] }()
	b.l.noteShape(t)
	return b.schema(t.Underlying(), path, s)
}

func (b *schemaBuilder) isRecursive(t *types.Named) bool {
	n, ok := b.recursive[defName(t)]
	return ok && types.Identical(n, t)
}

// ref is a reference to the definition of the recursive type t: the root
// schema itself, or an entry of $defs.
func (b *schemaBuilder) ref(t *types.Named) *jsonschema.Schema {
	if b.rootType != nil && types.Identical(t, b.rootType) {
		return &jsonschema.Schema{Ref: "#"}
	}
	return &jsonschema.Schema{Ref: "#/$defs/" + jsonPointerEscape(defName(t))}
}

// defName is the name of t in $defs: the name reflection gives the type, as
// invopop uses it, such as "Node" or "List[int]".
func defName(t *types.Named) string {
	name := t.Obj().Name()
	if args := t.TypeArgs(); args.Len() > 0 {
		parts := make([]string, args.Len())
		for i := range args.Len() {
			parts[i] = types.TypeString(args.At(i), func(p *types.Package) string { return p.Path() })
		}
		name += "[" + strings.Join(parts, ",") + "]"
	}
	return name
}

func jsonPointerEscape(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

// maxDepth bounds the nesting of named types, which generic types can make
// endless without being recursive in name.
const maxDepth = 32

// special is the schema of the library types that encoding/json treats in a
// way of their own.
func (b *schemaBuilder) special(t *types.Named, s site) (*jsonschema.Schema, bool) {
	obj := t.Obj()
	if obj.Pkg() == nil {
		return nil, false
	}
	switch obj.Pkg().Path() + "." + obj.Name() {
	case "time.Time":
		return &jsonschema.Schema{Type: "string", Format: "date-time"}, true
	case "time.Duration":
		// encoding/json writes a Duration as its int64 of nanoseconds,
		// which a model can write only if it is told the unit.
		return &jsonschema.Schema{Type: "integer", Description: durationNote("")}, true
	case "encoding/json.RawMessage":
		return &jsonschema.Schema{}, true
	case "encoding/json.Number":
		return &jsonschema.Schema{Type: "number"}, true
	case "net/url.URL":
		b.errorf(s, "%s: url.URL is a JSON object of its parts, not a URL string, in encoding/json: use a string with jsonschema:\"format=uri\"", s.what())
		return nil, true
	}
	return nil, false
}

// checkValidate reports a method Validate of t that the runtime would never
// call because its signature is not Validate() error.
func (b *schemaBuilder) checkValidate(t *types.Named, s site) {
	for i := range t.NumMethods() {
		m := t.Method(i)
		if m.Name() != "Validate" {
			continue
		}
		sig := m.Signature()
		returnsError := sig.Results().Len() == 1 && !sig.Variadic() &&
			types.Identical(sig.Results().At(0).Type(), types.Universe.Lookup("error").Type())
		if returnsError && (sig.Params().Len() == 0 || sig.Params().Len() == 1 &&
			(b.validateInput == nil || types.Identical(sig.Params().At(0).Type(), b.validateInput))) {
			return
		}
		at := s
		if m.Pkg() == b.l.p.Types {
			at = site{pos: m.Pos(), name: s.name}
		}
		withInput := ""
		if b.validateInput != nil {
			// One wording for every tool whose output holds t, so that it
			// is said once.
			withInput = fmt.Sprintf(", or func (%s) Validate(in In) error with In the tool's input type,", t.Obj().Name())
		}
		b.errorf(at, "%s.Validate has the wrong signature: want func (%s) Validate() error%s which the runtime calls on every answer", b.typeString(t), t.Obj().Name(), withInput)
	}
}

// checkMethods reports the methods that decide a type's JSON or schema in
// Go code, which samplegen does not run.
func (b *schemaBuilder) checkMethods(t *types.Named, s site) bool {
	for _, name := range []string{"JSONSchema", "JSONSchemaExtend", "JSONSchemaAlias", "JSONSchemaProperty", "GetFieldDocString"} {
		if hasMethod(t, name) {
			b.errorf(s, "%s: type %s has a %s method; samplegen builds schemas from source and does not run it", s.what(), b.typeString(t), name)
			return false
		}
	}
	if hasMethod(t, "MarshalJSON") {
		b.errorf(s, "%s: type %s has a MarshalJSON method, so its JSON is whatever that method writes, which samplegen cannot see: use a plain type", s.what(), b.typeString(t))
		return false
	}
	return true
}

// hasMethod reports whether *t has the exported method name, promoted or
// not.
func hasMethod(t types.Type, name string) bool {
	obj, _, _ := types.LookupFieldOrMethod(types.NewPointer(t), false, nil, name)
	_, isFunc := obj.(*types.Func)
	return isFunc
}

// enum is the schema of a named string or integer type of the package that
// has constants, or nil.
func (b *schemaBuilder) enum(t *types.Named) *jsonschema.Schema {
	basic, ok := t.Underlying().(*types.Basic)
	if !ok {
		return nil
	}
	var sch *jsonschema.Schema
	switch {
	case basic.Info()&types.IsString != 0:
		sch = &jsonschema.Schema{Type: "string"}
	case basic.Info()&types.IsInteger != 0 && basic.Kind() != types.Uintptr:
		sch = &jsonschema.Schema{Type: "integer"}
	default:
		return nil
	}
	values := b.l.enumValues(t)
	if len(values) == 0 {
		return nil
	}
	for _, v := range values {
		sch.Enum = append(sch.Enum, v.Value)
	}
	b.consts[sch] = values
	return sch
}

// intRange is the range of an integer type as minimum and maximum, where it
// is narrower than 64 bits; unsigned types of 64 bits have a minimum of 0.
func (b *schemaBuilder) intRange(t *types.Basic) (lo, hi json.Number) {
	bits := 8 * b.l.sizes.Sizeof(t)
	if t.Info()&types.IsUnsigned != 0 {
		lo = "0"
		if bits < 64 {
			hi = json.Number(strconv.FormatUint(1<<bits-1, 10))
		}
		return lo, hi
	}
	if bits < 64 {
		lo = json.Number(strconv.FormatInt(-1<<(bits-1), 10))
		hi = json.Number(strconv.FormatInt(1<<(bits-1)-1, 10))
	}
	return lo, hi
}

// invalid reports a field whose type the type checker could not work out,
// with the type error that says why when there is one on the same line.
func (b *schemaBuilder) invalid(s site) {
	at := b.l.pos(s.pos)
	for _, e := range b.l.p.TypeErrors {
		ep := e.Fset.Position(e.Pos)
		if ep.Filename == at.Filename && ep.Line == at.Line {
			b.errorf(s, "%s has an invalid type: %s", s.what(), e.Msg)
			return
		}
	}
	b.errorf(s, "%s has an invalid type", s.what())
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
		if err := checkStructTag(st.Tag(i)); err != nil {
			b.errorf(fs, "%s: malformed struct tag: %v (go vet reports it too: encoding/json and the schema would drop the tag's keys from there on)", fs.what(), err)
			ok = false
		}

		if (f.Embedded() && jsonTags[0] == "") || slices.Contains(jsonTags[1:], "inline") {
			et := types.Unalias(f.Type())
			if p, isPtr := et.(*types.Pointer); isPtr {
				et = types.Unalias(p.Elem())
			}
			if est, isStruct := et.Underlying().(*types.Struct); isStruct {
				named, isNamed := et.(*types.Named)
				if isNamed {
					if slices.ContainsFunc(b.stack, func(n *types.Named) bool { return types.Identical(n, named) }) {
						b.errorf(fs, "%s: %s embeds itself", fs.what(), b.typeString(named))
						ok = false
						continue
					}
					b.stack = append(b.stack, named)
					b.l.noteShape(named)
				}
				ok = b.fields(sch, est, path, fs) && ok
				if isNamed {
					b.stack = b.stack[:len(b.stack)-1]
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
		_, isPtr := types.Unalias(f.Type()).(*types.Pointer)
		// A pointer field is optional: encoding/json reads a missing key
		// into nil.
		required := !isPtr && !slices.Contains(jsonTags[1:], "omitempty") && !slices.Contains(jsonTags[1:], "omitzero")
		if slices.Contains(schemaTags, "required") {
			required = true
		}

		prop := b.schema(f.Type(), joinPath(path, name), fs)
		if prop == nil {
			ok = false
			continue
		}
		if !b.tags(prop, sch, name, tag, jsonTags, fs) {
			ok = false
			continue
		}
		if prop.Description == "" {
			prop.Description = b.fieldDoc(f)
		}
		if isNamedType(deref(f.Type()), "time", "Duration") {
			prop.Description = durationNote(prop.Description)
		}
		// A pointer field may be null, which encoding/json reads into nil;
		// so may a field tagged nullable.
		if isPtr || slices.Contains(schemaTags, "nullable") {
			prop = &jsonschema.Schema{OneOf: []*jsonschema.Schema{prop, {Type: "null"}}}
		}
		if _, dup := sch.Properties.Get(name); dup {
			b.errorf(fs, "%s: JSON name %q is used by another field too", fs.what(), name)
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

// collectEnums appends every enum of sch to enums, in property order, with
// the meanings of the values where they came from constants. It follows
// each reference once.
func (b *schemaBuilder) collectEnums(root, sch *jsonschema.Schema, path string, seen map[string]bool, enums *[]enum) {
	if sch == nil {
		return
	}
	if sch.Ref != "" {
		if seen[sch.Ref] {
			return
		}
		seen[sch.Ref] = true
		if sch.Ref == "#" {
			b.collectEnums(root, root, path, seen, enums)
			return
		}
		name, _ := strings.CutPrefix(sch.Ref, "#/$defs/")
		name = strings.NewReplacer("~1", "/", "~0", "~").Replace(name)
		b.collectEnums(root, root.Definitions[name], path, seen, enums)
		return
	}
	if len(sch.Enum) > 0 {
		e := enum{Path: path}
		docs := b.consts[sch]
		for _, v := range sch.Enum {
			ev := enumValue{Value: v}
			for _, d := range docs {
				if d.Value == v {
					ev.Doc = d.Doc
				}
			}
			e.Values = append(e.Values, ev)
		}
		*enums = append(*enums, e)
	}
	if sch.Properties != nil {
		for name, prop := range sch.Properties.FromOldest() {
			b.collectEnums(root, prop, joinPath(path, name), seen, enums)
		}
	}
	b.collectEnums(root, sch.Items, path+"[]", seen, enums)
	if sch.AdditionalProperties != jsonschema.FalseSchema {
		b.collectEnums(root, sch.AdditionalProperties, joinPath(path, "*"), seen, enums)
	}
	for _, sub := range sch.OneOf {
		b.collectEnums(root, sub, path, seen, enums)
	}
}

// documented returns the enums that have at least one value with a
// meaning: those are what the prompt adds to the schema.
func documented(enums []enum) []enum {
	var out []enum
	for _, e := range enums {
		if slices.ContainsFunc(e.Values, func(v enumValue) bool { return v.Doc != "" }) {
			out = append(out, e)
		}
	}
	return out
}
