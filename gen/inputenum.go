package gen

import (
	"encoding/json"
	"go/types"
	"reflect"
	"strings"
)

// inputEnums checks the samplegen:enum directives of a sampling tool: each
// names a plain string value of the output (outSchema, its JSON Schema) and
// a field of the input (in) that is a list of strings or a map of string to
// string. It reports what is wrong and returns the checked ones.
func (l *pkgLoader) inputEnums(eds []enumDirective, in types.Type, outSchema string) ([]inputEnum, bool) {
	if len(eds) == 0 {
		return nil, true
	}
	var root map[string]any
	if outSchema != "" {
		if err := json.Unmarshal([]byte(outSchema), &root); err != nil {
			root = nil
		}
	}
	ok := true
	var out []inputEnum
	for _, ed := range eds {
		ie, good := l.inputEnumField(ed, in)
		if root != nil {
			if msg := inputEnumTarget(root, ed.path); msg != "" {
				l.errorf(ed.pathPos, "samplegen:enum: output path %q %s", ed.path, msg)
				good = false
			}
		}
		if !good {
			ok = false
			continue
		}
		ie.Path = ed.path
		out = append(out, ie)
	}
	return out, ok
}

// inputEnumTarget says what is wrong with path as the place of an input
// enum in the output schema root, or returns "".
func inputEnumTarget(root map[string]any, path string) string {
	nodes, msg := schemaNodesAt(root, path, 0)
	if msg != "" {
		return msg
	}
	if len(nodes) == 0 {
		return "names no value of the output (paths are JSON names: \"label\", \"labels[]\", \"items[].kind\", \"by_team.*\"; \"\" for the output itself)"
	}
	for _, n := range nodes {
		if n["type"] == "array" {
			if items, _ := n["items"].(map[string]any); items != nil && items["type"] == "string" {
				return "is a list: its items are the values, " + `"` + strings.TrimPrefix(path+"[]", ".") + `"`
			}
		}
		if n["type"] != "string" {
			return "is not a string value of the output: an input's labels can only be strings"
		}
		if n["enum"] != nil || n["const"] != nil {
			return "already has allowed values (the constants of its type, or an enum= or const= tag): give it a plain string type"
		}
		if n["default"] != nil {
			return "has a default, which need not be among a call's labels: remove the default= tag"
		}
	}
	return ""
}

// schemaNodesAt returns the schemas at an {{enum}}-style path below s, as
// the runtime finds them (runtime.EnumFromInput): through properties, items and
// additionalProperties, and the non-null branches of oneOf and anyOf, but
// not through references.
func schemaNodesAt(s map[string]any, path string, depth int) ([]map[string]any, string) {
	if s == nil || depth > 100 {
		return nil, ""
	}
	if _, ref := s["$ref"]; ref {
		return nil, "goes through a recursive type, whose schema is shared with other places: give the labelled value a type of its own"
	}
	var found []map[string]any
	branched := false
	for _, k := range []string{"oneOf", "anyOf"} {
		list, _ := s[k].([]any)
		for _, b := range list {
			bm, _ := b.(map[string]any)
			if bm == nil || bm["type"] == "null" {
				continue
			}
			branched = true
			more, msg := schemaNodesAt(bm, path, depth+1)
			if msg != "" {
				return nil, msg
			}
			found = append(found, more...)
		}
	}
	if branched {
		return found, ""
	}
	var next map[string]any
	switch {
	case path == "":
		return []map[string]any{s}, ""
	case strings.HasPrefix(path, "[]"):
		next, _ = s["items"].(map[string]any)
		path = strings.TrimPrefix(path[2:], ".")
	case strings.HasPrefix(path, "*"):
		next, _ = s["additionalProperties"].(map[string]any)
		path = strings.TrimPrefix(path[1:], ".")
	default:
		end := strings.IndexAny(path, ".[")
		if end < 0 {
			end = len(path)
		}
		step := path[:end]
		path = strings.TrimPrefix(path[end:], ".")
		props, _ := s["properties"].(map[string]any)
		next, _ = props[step].(map[string]any)
	}
	return schemaNodesAt(next, path, depth+1)
}

// inputEnumField resolves the input field of a samplegen:enum directive:
// a field reached through struct fields (not pointers, which may be nil)
// whose type is a slice of a string type or a map of a string type to a
// string type.
func (l *pkgLoader) inputEnumField(ed enumDirective, in types.Type) (inputEnum, bool) {
	var ie inputEnum
	t := in
	var jsonPath []string
	for i, name := range ed.field {
		obj, index, indirect := types.LookupFieldOrMethod(t, false, l.p.Types, name)
		v, isVar := obj.(*types.Var)
		if !isVar || !v.IsField() {
			l.errorf(ed.fieldPos, "samplegen:enum: %s has no field %s", l.typeString(t), name)
			return ie, false
		}
		if indirect {
			l.errorf(ed.fieldPos, "samplegen:enum: .%s goes through a pointer, which may be nil: use a struct value", strings.Join(ed.field[:i+1], "."))
			return ie, false
		}
		if !v.Exported() {
			l.errorf(ed.fieldPos, "samplegen:enum: field %s is unexported, so no caller can give it", name)
			return ie, false
		}
		// The JSON names on the way: those of the fields, not of embedded
		// structs that lend theirs.
		cur := t
		for _, ix := range index {
			st, _ := cur.Underlying().(*types.Struct)
			if st == nil {
				break
			}
			f := st.Field(ix)
			tag := reflect.StructTag(st.Tag(ix)).Get("json")
			jname, _, _ := strings.Cut(tag, ",")
			// The fields the input schema leaves out, as schemaBuilder.fields
			// does: a call cannot give them.
			schemaTag, _, _ := strings.Cut(reflect.StructTag(st.Tag(ix)).Get("jsonschema"), ",")
			for _, hidden := range []struct{ key, value string }{{"json", tag}, {"jsonschema", schemaTag}} {
				if hidden.value == "-" {
					l.errorf(ed.fieldPos, "samplegen:enum: field %s has %s:\"-\", so no caller can give it", f.Name(), hidden.key)
					return ie, false
				}
			}
			if !f.Embedded() || jname != "" {
				if jname == "" {
					jname = f.Name()
				}
				jsonPath = append(jsonPath, jname)
			}
			cur = f.Type()
		}
		t = v.Type()
		if i < len(ed.field)-1 {
			if _, isPtr := t.Underlying().(*types.Pointer); isPtr {
				l.errorf(ed.fieldPos, "samplegen:enum: .%s is a pointer, which may be nil: use a struct value", strings.Join(ed.field[:i+1], "."))
				return ie, false
			}
			if _, isStruct := t.Underlying().(*types.Struct); !isStruct {
				l.errorf(ed.fieldPos, "samplegen:enum: .%s is %s, not a struct with fields", strings.Join(ed.field[:i+1], "."), l.typeString(t))
				return ie, false
			}
		}
	}
	isString := func(t types.Type) bool {
		b, ok := t.Underlying().(*types.Basic)
		return ok && b.Info()&types.IsString != 0
	}
	switch u := t.Underlying().(type) {
	case *types.Slice:
		if isString(u.Elem()) {
			ie.Field, ie.Input = strings.Join(ed.field, "."), strings.Join(jsonPath, ".")
			return ie, true
		}
	case *types.Map:
		if isString(u.Key()) && isString(u.Elem()) {
			ie.Field, ie.Input, ie.Map = strings.Join(ed.field, "."), strings.Join(jsonPath, "."), true
			return ie, true
		}
	}
	l.errorf(ed.fieldPos, "samplegen:enum: the input field .%s is %s: want []string (or a slice of a string type), or a map of value to meaning from a string type to a string type, such as map[string]string", strings.Join(ed.field, "."), l.typeString(t))
	return ie, false
}
