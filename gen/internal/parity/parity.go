// Package parity holds samplegen's schemas to what invopop/jsonschema's
// Reflector gives for the same Go types at run time.
//
// The generator builds schemas from source with go/types; invopop builds
// them from compiled types with reflection. gen's tests copy each golden
// case and each example, generate it, and add a test that calls [Check]
// with every tool's input and output types; [Check] reflects them with
//
//	jsonschema.Reflector{Anonymous: true, ExpandedStruct: true, DoNotReference: true}
//
// applies the deliberate differences, each a [Rule], and requires the
// generated schema to be equal byte for byte (compact JSON: same keywords,
// same property order). The rules that changed something are written to a
// file, so that gen's test can require every rule to be needed by some
// case: a rule nothing needs any more is a rule to delete.
package parity

import (
	"encoding"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/invopop/jsonschema"
)

// A Rule is one deliberate difference between samplegen's schemas and
// invopop's, and the reason for it.
type Rule struct {
	Name   string
	Reason string
}

// Rules are the deliberate differences, the same list as in the package
// doc of gen. Each is applied to invopop's schema in this package's code,
// so the list is executable, not just prose.
var Rules = []Rule{
	{"enum-constants",
		"A named string or integer type with constants in the package is an enum of their values: reflection cannot see constants, and the model needs the values. (The test gives the reflector a Mapper with the constants' values, compiled.)"},
	{"integer-range",
		"Sized integers carry their range (int8 to int32 and uint8 to uint32 a minimum and maximum, uint and uint64 a minimum of 0): json.Unmarshal rejects a number outside it, so the model should know; invopop says only \"integer\"."},
	{"pointer-optional-nullable",
		"A pointer field is optional and may be null: json.Unmarshal reads a missing key and null alike into a nil pointer; invopop requires it (unless omitempty) and rejects null."},
	{"text-marshaler",
		"A type with a MarshalText method (and no MarshalJSON) is a string, as encoding/json writes it; invopop describes its Go structure (an object, an array of bytes), and net.IP as ipv4 only."},
	{"json-number",
		"json.Number is a number, as encoding/json writes it; invopop says string."},
	{"recursion-defs",
		"Recursive types go to $defs and are referred to; the root is \"#\". invopop without references recurses forever on them, and with references puts every named type in $defs and leaves references to the root dangling. Types that are not part of a cycle stay inline."},
	{"const-tag",
		"The jsonschema tag key const sets const (strings, numbers, booleans; for arrays, the items), as the tag documentation of samplegen says; invopop v0.14.0 reads no const key."},
	{"output-keys",
		"The jsonschema tag keys after the type in samplegen:output (such as maxLength=400 for a summary) apply to the output type's schema as a struct tag applies to a field's: a root type has no field to carry a tag, and invopop reflects it without one. (The test reflects a struct with one field of the type, tagged with the keys, and takes that field's schema.)"},
	{"field-comments",
		"A field's doc comment (else its line comment) is its description when its tags give none, as with invopop's AddGoComments, but on one line (runs of spaces and line breaks become one space) and at most 1000 bytes, for the fields of the package's unexported and generic struct types too, which invopop's comment map cannot name; a type's doc comment describes nothing, being about Go (the tool's description is the input type's). (The test reads the comments of the package's source itself.)"},
	{"integer-keys",
		"A map's keys are as encoding/json reads them: an integer type's keys are decimal strings held to digits by propertyNames (^-?[0-9]+$, or ^[0-9]+$ for unsigned types) beside additionalProperties for the values, and a key type with MarshalText and UnmarshalText is a string; invopop gives signed keys patternProperties ^[0-9]+$ (no negative keys), unsigned keys no pattern, and a text key of integer kind the integer pattern."},
	{"duration-nanoseconds",
		"A time.Duration is an integer, as encoding/json writes it, whose description says the unit (nanoseconds, with 1s and 1m as examples) after the field's own description: a model cannot guess it; invopop says only \"integer\"."},
}

// Enums maps each enum type of a package to its constants, compiled.
type Enums map[reflect.Type][]any

// A Tool is a generated tool: its MCP description's schemas, its input
// and output types, and the jsonschema tag keys samplegen:output gave for
// the output as a whole.
type Tool struct {
	Name          string
	Input, Output any // json.RawMessage or any value that marshals to the schema
	In, Out       reflect.Type
	OutputKeys    string
}

// RulesFile is where [Check] writes the rules it needed, one name a line,
// in the package directory.
const RulesFile = "parity.rules"

// Check compares each tool's schemas with what the reflector gives, with
// the rules applied, and writes the rules it needed to RulesFile.
func Check(t *testing.T, enums Enums, tools []Tool) {
	t.Helper()
	diffs, fired := Compare(enums, tools)
	for _, d := range diffs {
		t.Error(d)
	}
	if err := os.WriteFile(RulesFile, []byte(strings.Join(sortedKeys(fired), "\n")+"\n"), 0o666); err != nil {
		t.Fatal(err)
	}
}

// Compare returns a message for each schema of tools that is not what the
// reflector gives with the rules applied, and the rules it needed.
func Compare(enums Enums, tools []Tool) (diffs []string, fired map[string]bool) {
	fired = map[string]bool{}
	for _, tool := range tools {
		for _, side := range []struct {
			what string
			got  any
			typ  reflect.Type
			keys string
		}{{"input", tool.Input, tool.In, ""}, {"output", tool.Output, tool.Out, tool.OutputKeys}} {
			want, used, err := ReflectWithKeys(side.typ, side.keys, enums)
			if err != nil {
				diffs = append(diffs, fmt.Sprintf("%s %s: %v", tool.Name, side.what, err))
				continue
			}
			for r := range used {
				fired[r] = true
			}
			gotJSON, err := compact(side.got)
			if err != nil {
				diffs = append(diffs, fmt.Sprintf("%s %s: generated schema: %v", tool.Name, side.what, err))
				continue
			}
			wantJSON, err := compact(want)
			if err != nil {
				diffs = append(diffs, fmt.Sprintf("%s %s: reflected schema: %v", tool.Name, side.what, err))
				continue
			}
			if gotJSON != wantJSON {
				diffs = append(diffs, fmt.Sprintf("%s %s schema of %v differs from invopop's (with the rules %v applied):\ngenerated: %s\ninvopop:   %s",
					tool.Name, side.what, side.typ, sortedKeys(used), gotJSON, wantJSON))
			}
		}
	}
	return diffs, fired
}

func sortedKeys(m map[string]bool) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func compact(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// Reflect returns invopop's schema of t with the rules applied, and the
// names of the rules that changed it.
func Reflect(t reflect.Type, enums Enums) (*jsonschema.Schema, map[string]bool, error) {
	p := &reflector{enums: enums, used: map[string]bool{}, docs: localDocs()}
	p.pkgPath = p.docs.packageOf(t)
	recursive := p.isRecursive(t)
	r := &jsonschema.Reflector{
		Anonymous:      true,
		ExpandedStruct: true,
		DoNotReference: !recursive,
		Mapper:         p.mapper,
		LookupComment:  p.lookupComment,
	}
	s := r.ReflectFromType(t)
	p.root = s
	if recursive {
		p.used["recursion-defs"] = true
		if err := p.inlineAcyclic(s, t); err != nil {
			return nil, nil, err
		}
	}
	p.visited = map[*jsonschema.Schema]bool{}
	p.walk(t, s)
	return s, p.used, nil
}

// ReflectWithKeys is [Reflect] with the keys of a jsonschema tag applied
// to the root as invopop applies a field's tag to the field's schema (the
// rule output-keys): it reflects struct{ V T `jsonschema:"keys"` } and
// takes the schema of V.
func ReflectWithKeys(t reflect.Type, keys string, enums Enums) (*jsonschema.Schema, map[string]bool, error) {
	if keys == "" {
		return Reflect(t, enums)
	}
	holder := reflect.StructOf([]reflect.StructField{{
		Name: "V",
		Type: t,
		Tag:  reflect.StructTag(`json:"v" jsonschema:` + strconv.Quote(keys)),
	}})
	s, used, err := Reflect(holder, enums)
	if err != nil {
		return nil, nil, err
	}
	if s.Definitions != nil {
		return nil, nil, fmt.Errorf("keys %q on %v: the type has recursive types in it", keys, t)
	}
	v, ok := s.Properties.Get("v")
	if !ok {
		return nil, nil, fmt.Errorf("keys %q on %v: no property v in %v", keys, t, holder)
	}
	v.Version = jsonschema.Version
	used["output-keys"] = true
	return v, used, nil
}

type reflector struct {
	enums   Enums
	docs    *fieldDocs
	pkgPath string // of the package under test, when t is one of its types
	used    map[string]bool
	root    *jsonschema.Schema
	visited map[*jsonschema.Schema]bool
}

var (
	textMarshaler   = reflect.TypeFor[encoding.TextMarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	jsonMarshaler   = reflect.TypeFor[json.Marshaler]()
	jsonNumber      = reflect.TypeFor[json.Number]()
	durationType    = reflect.TypeFor[time.Duration]()
	ipType          = reflect.TypeFor[net.IP]()
)

// mapper applies enum-constants, json-number and text-marshaler.
func (p *reflector) mapper(t reflect.Type) *jsonschema.Schema {
	if values, ok := p.enums[t]; ok && len(values) > 0 {
		var s *jsonschema.Schema
		switch t.Kind() {
		case reflect.String:
			s = &jsonschema.Schema{Type: "string"}
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			s = &jsonschema.Schema{Type: "integer"}
		default:
			return nil
		}
		for _, v := range values {
			if !slices.ContainsFunc(s.Enum, func(e any) bool { return e == v }) {
				s.Enum = append(s.Enum, v)
			}
		}
		p.used["enum-constants"] = true
		return s
	}
	if t == jsonNumber {
		p.used["json-number"] = true
		return &jsonschema.Schema{Type: "number"}
	}
	if t == durationType {
		p.used["duration-nanoseconds"] = true
		return &jsonschema.Schema{Type: "integer", Description: durationNote("")}
	}
	if t.Implements(jsonMarshaler) || reflect.PointerTo(t).Implements(jsonMarshaler) {
		return nil
	}
	if reflect.PointerTo(t).Implements(textMarshaler) {
		if t.Kind() != reflect.String || t == ipType {
			p.used["text-marshaler"] = true
		}
		return &jsonschema.Schema{Type: "string"}
	}
	return nil
}

// mapped reports whether the mapper gives t's schema.
func (p *reflector) mapped(t reflect.Type) bool {
	if _, ok := p.enums[t]; ok {
		return true
	}
	if t == jsonNumber || t == durationType {
		return true
	}
	if t.Implements(jsonMarshaler) || reflect.PointerTo(t).Implements(jsonMarshaler) {
		return true // time.Time and json.RawMessage: invopop's own
	}
	return reflect.PointerTo(t).Implements(textMarshaler)
}

// isRecursive reports whether a named composite type reachable from t
// contains itself, where the reflector without references would recurse
// forever.
func (p *reflector) isRecursive(t reflect.Type) bool {
	var stack []reflect.Type
	var visit func(t reflect.Type) bool
	visit = func(t reflect.Type) bool {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if p.mapped(t) {
			return false
		}
		switch t.Kind() {
		case reflect.Struct, reflect.Slice, reflect.Array, reflect.Map:
		default:
			return false
		}
		if t.Name() != "" {
			if slices.Contains(stack, t) {
				return true
			}
			stack = append(stack, t)
			defer func() { stack = stack[:len(stack)-1] }()
		}
		switch t.Kind() {
		case reflect.Struct:
			for i := range t.NumField() {
				f := t.Field(i)
				if (f.IsExported() || f.Anonymous) && visit(f.Type) {
					return true
				}
			}
		default:
			return visit(t.Elem())
		}
		return false
	}
	return visit(t)
}

// inlineAcyclic rewrites the schema the reflector gives with references:
// a reference to a definition that is not part of a cycle is replaced by
// the definition, with the keywords of the reference site on top; a
// reference to the root becomes "#"; definitions nothing refers to go.
func (p *reflector) inlineAcyclic(root *jsonschema.Schema, t reflect.Type) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	rootName := t.Name()
	defs := root.Definitions
	refName := func(s *jsonschema.Schema) string {
		name, _ := strings.CutPrefix(s.Ref, "#/$defs/")
		return name
	}
	// Which definitions reach themselves?
	edges := map[string][]string{}
	var collect func(from string, s *jsonschema.Schema)
	collect = func(from string, s *jsonschema.Schema) {
		eachSub(s, func(sub *jsonschema.Schema) {
			if sub.Ref != "" {
				edges[from] = append(edges[from], refName(sub))
				return
			}
			collect(from, sub)
		})
	}
	collect(rootName, root)
	for name, def := range defs {
		if name != rootName {
			collect(name, def)
		}
	}
	cyclic := map[string]bool{}
	for name := range edges {
		seen := map[string]bool{}
		var reach func(n string) bool
		reach = func(n string) bool {
			for _, m := range edges[n] {
				if m == name {
					return true
				}
				if !seen[m] {
					seen[m] = true
					if reach(m) {
						return true
					}
				}
			}
			return false
		}
		cyclic[name] = reach(name)
	}

	used := map[string]bool{}
	var rewrite func(s *jsonschema.Schema) error
	rewrite = func(s *jsonschema.Schema) error {
		var err error
		eachSubPtr(s, func(sub **jsonschema.Schema) {
			if err != nil {
				return
			}
			r := *sub
			if r.Ref == "" {
				err = rewrite(r)
				return
			}
			name := refName(r)
			switch {
			case name == rootName:
				cp := *r
				cp.Ref = "#"
				*sub = &cp
			case cyclic[name]:
				used[name] = true
			default:
				def, ok := defs[name]
				if !ok {
					err = fmt.Errorf("dangling reference %s", r.Ref)
					return
				}
				cp := clone(def)
				overlay(cp, r)
				*sub = cp
				err = rewrite(cp)
			}
		})
		return err
	}
	if err := rewrite(root); err != nil {
		return err
	}
	for done := map[string]bool{}; len(done) < len(used); {
		for _, name := range sortedKeys(used) {
			if !done[name] {
				done[name] = true
				if err := rewrite(defs[name]); err != nil {
					return err
				}
			}
		}
	}
	kept := jsonschema.Definitions{}
	for name := range used {
		kept[name] = defs[name]
	}
	root.Definitions = nil
	if len(kept) > 0 {
		root.Definitions = kept
	}
	return nil
}

// clone is a deep copy of s, so that a definition inlined in several places
// can be changed in one.
func clone(s *jsonschema.Schema) *jsonschema.Schema {
	if s == nil || s == jsonschema.TrueSchema || s == jsonschema.FalseSchema {
		return s
	}
	cp := *s
	if s.Properties != nil {
		cp.Properties = jsonschema.NewProperties()
		for pair := s.Properties.Oldest(); pair != nil; pair = pair.Next() {
			cp.Properties.Set(pair.Key, clone(pair.Value))
		}
	}
	cp.Items = clone(s.Items)
	cp.AdditionalProperties = clone(s.AdditionalProperties)
	cloneList := func(list []*jsonschema.Schema) []*jsonschema.Schema {
		if list == nil {
			return nil
		}
		out := make([]*jsonschema.Schema, len(list))
		for i, x := range list {
			out[i] = clone(x)
		}
		return out
	}
	cp.OneOf, cp.AnyOf, cp.AllOf = cloneList(s.OneOf), cloneList(s.AnyOf), cloneList(s.AllOf)
	if s.PatternProperties != nil {
		cp.PatternProperties = map[string]*jsonschema.Schema{}
		for k, v := range s.PatternProperties {
			cp.PatternProperties[k] = clone(v)
		}
	}
	cp.Required = slices.Clone(s.Required)
	cp.Enum = slices.Clone(s.Enum)
	cp.Examples = slices.Clone(s.Examples)
	return &cp
}

// overlay puts on def the keywords struct tags set on a reference site.
func overlay(def, site *jsonschema.Schema) {
	if site.Title != "" {
		def.Title = site.Title
	}
	if site.Description != "" {
		def.Description = site.Description
	}
	if site.Type != "" {
		def.Type = site.Type
	}
	if site.Anchor != "" {
		def.Anchor = site.Anchor
	}
	if site.OneOf != nil {
		def.OneOf = site.OneOf
	}
	if site.AnyOf != nil {
		def.AnyOf = site.AnyOf
	}
	if site.Extras != nil {
		def.Extras = site.Extras
	}
}

func eachSub(s *jsonschema.Schema, f func(*jsonschema.Schema)) {
	eachSubPtr(s, func(p **jsonschema.Schema) { f(*p) })
}

// eachSubPtr calls f with each subschema of s that reflection can make.
func eachSubPtr(s *jsonschema.Schema, f func(**jsonschema.Schema)) {
	if s == nil {
		return
	}
	if s.Properties != nil {
		for pair := s.Properties.Oldest(); pair != nil; pair = pair.Next() {
			if pair.Value != nil {
				f(&pair.Value)
			}
		}
	}
	for _, p := range []**jsonschema.Schema{&s.Items, &s.AdditionalProperties} {
		if *p != nil && *p != jsonschema.FalseSchema && *p != jsonschema.TrueSchema {
			f(p)
		}
	}
	for _, list := range [][]*jsonschema.Schema{s.OneOf, s.AnyOf, s.AllOf} {
		for i := range list {
			f(&list[i])
		}
	}
	for k := range s.PatternProperties {
		v := s.PatternProperties[k]
		f(&v)
		s.PatternProperties[k] = v
	}
}

// walk applies integer-range, pointer-optional-nullable and const-tag to s,
// the schema of t.
func (p *reflector) walk(t reflect.Type, s *jsonschema.Schema) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if s == nil {
		return
	}
	if s.Ref != "" {
		target := p.root
		if s.Ref != "#" {
			name, _ := strings.CutPrefix(s.Ref, "#/$defs/")
			target = p.root.Definitions[name]
		}
		if target == nil || p.visited[target] {
			return
		}
		p.visited[target] = true
		p.walk(t, target)
		return
	}
	if s == p.root {
		p.visited[s] = true
	}
	if p.mapped(t) {
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		if s.Properties != nil {
			p.fields(t, s)
		}
	case reflect.Slice, reflect.Array:
		p.walk(t.Elem(), s.Items)
	case reflect.Map:
		p.mapKeys(t, s)
		if s.AdditionalProperties != nil && s.AdditionalProperties != jsonschema.FalseSchema {
			p.walk(t.Elem(), s.AdditionalProperties)
		}
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint, reflect.Uint64, reflect.Uintptr:
		if s.Type != "integer" {
			return
		}
		lo, hi := intRange(t)
		if s.Minimum == "" && lo != "" {
			s.Minimum = lo
			p.used["integer-range"] = true
		}
		if s.Maximum == "" && hi != "" {
			s.Maximum = hi
			p.used["integer-range"] = true
		}
	}
}

// mapKeys applies integer-keys to s, the schema of the map type t.
func (p *reflector) mapKeys(t reflect.Type, s *jsonschema.Schema) {
	kt := t.Key()
	text := reflect.PointerTo(kt).Implements(textUnmarshaler) && (kt.Implements(textMarshaler) || reflect.PointerTo(kt).Implements(textMarshaler))
	var pattern string
	switch kt.Kind() {
	case reflect.String:
		return
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		pattern = "^-?[0-9]+$"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		pattern = "^[0-9]+$"
	}
	if elem, ok := s.PatternProperties["^[0-9]+$"]; ok && len(s.PatternProperties) == 1 {
		// invopop's form for signed integer keys.
		s.PatternProperties = nil
		s.AdditionalProperties = elem
		if t.Elem().Kind() == reflect.Interface {
			s.AdditionalProperties = nil
		}
		p.used["integer-keys"] = true
	}
	if !text && pattern != "" {
		s.PropertyNames = &jsonschema.Schema{Pattern: pattern}
		p.used["integer-keys"] = true
	}
}

// durationNote applies duration-nanoseconds to a description.
func durationNote(desc string) string {
	const unit = "an integer number of nanoseconds: 1s is 1000000000, 1m is 60000000000"
	sentence := "An" + unit[2:] + "."
	switch {
	case desc == "":
		return sentence
	case strings.HasSuffix(desc, "."):
		return desc + " " + sentence
	}
	return desc + " (" + unit + ")"
}

func intRange(t reflect.Type) (lo, hi json.Number) {
	bits := t.Bits()
	switch t.Kind() {
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		lo = "0"
		if bits < 64 {
			hi = json.Number(fmt.Sprint(uint64(1)<<bits - 1))
		}
	default:
		if bits < 64 {
			lo = json.Number(fmt.Sprint(-int64(1) << (bits - 1)))
			hi = json.Number(fmt.Sprint(int64(1)<<(bits-1) - 1))
		}
	}
	return lo, hi
}

// fields walks the fields of a struct as invopop's reflectStructFields
// does, to find the property of each.
func (p *reflector) fields(t reflect.Type, s *jsonschema.Schema) {
	for i := range t.NumField() {
		f := t.Field(i)
		jsonTags := strings.Split(f.Tag.Get("json"), ",")
		schemaTags := strings.Split(f.Tag.Get("jsonschema"), ",")
		if jsonTags[0] == "-" || schemaTags[0] == "-" {
			continue
		}
		ft := f.Type
		if f.Anonymous && jsonTags[0] == "" {
			et := ft
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				p.fields(et, s)
				continue
			}
		}
		if slices.Contains(jsonTags[1:], "inline") {
			p.fields(ft, s)
			continue
		}
		if !f.Anonymous && f.PkgPath != "" {
			continue
		}
		name := f.Name
		if jsonTags[0] != "" {
			name = jsonTags[0]
		}
		prop, ok := s.Properties.Get(name)
		if !ok || prop == nil {
			continue
		}
		nullable := slices.Contains(schemaTags, "nullable")
		target := prop
		if nullable && len(prop.OneOf) == 2 {
			target = prop.OneOf[0]
		}
		p.constTag(f, target)
		if et := ft; et == durationType || et.Kind() == reflect.Pointer && et.Elem() == durationType {
			target.Description = durationNote(target.Description)
		}
		p.walk(ft, target)

		if ft.Kind() == reflect.Pointer {
			if !slices.Contains(schemaTags, "required") {
				if i := slices.Index(s.Required, name); i >= 0 {
					s.Required = slices.Delete(s.Required, i, i+1)
					p.used["pointer-optional-nullable"] = true
				}
			}
			if !nullable {
				s.Properties.Set(name, &jsonschema.Schema{OneOf: []*jsonschema.Schema{prop, {Type: "null"}}})
				p.used["pointer-optional-nullable"] = true
			}
		}
	}
}

// constTag applies the const key of a field's jsonschema tag.
func (p *reflector) constTag(f reflect.StructField, s *jsonschema.Schema) {
	for _, tag := range splitOnUnescapedCommas(f.Tag.Get("jsonschema")) {
		val, ok := strings.CutPrefix(tag, "const=")
		if !ok {
			continue
		}
		target := s
		if s.Type == "array" && s.Items != nil {
			target = s.Items
		}
		switch target.Type {
		case "string":
			target.Const = val
		case "integer", "number":
			target.Const = json.Number(val)
		case "boolean":
			target.Const = val == "true"
		default:
			continue
		}
		p.used["const-tag"] = true
	}
}

func splitOnUnescapedCommas(s string) []string {
	parts := strings.Split(s, ",")
	out := []string{parts[0]}
	for _, part := range parts[1:] {
		last := out[len(out)-1]
		if strings.HasSuffix(last, `\`) {
			out[len(out)-1] = last[:len(last)-1] + "," + part
		} else {
			out = append(out, part)
		}
	}
	return out
}
