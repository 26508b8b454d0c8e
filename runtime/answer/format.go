package answer

import (
	"strings"
	"time"

	"github.com/google/jsonschema-go/jsonschema"
)

// Format date-time is checked, though JSON Schema makes formats
// annotations and jsonschema-go ignores them: a time.Time field is
// {"type": "string", "format": "date-time"}, and a string that is not one
// would pass validation only to fail decoding with time's message and no
// path. So a string where the schema says date-time must be what
// time.Time's UnmarshalText reads (RFC 3339), else the value is invalid,
// with an error at its path that goes back to the model:
//
//	/due: "tomorrow" is not a date-time (RFC 3339, such as "2026-03-01T09:30:00Z")
//
// The check runs after the keywords', only for schemas that have a
// date-time in them, and walks the value once along the schema.

// hasDateTime reports whether a schema reachable from root says format
// date-time.
func hasDateTime(root *jsonschema.Schema) bool {
	seen := map[*jsonschema.Schema]bool{}
	var walk func(s *jsonschema.Schema) bool
	walk = func(s *jsonschema.Schema) bool {
		if s == nil || seen[s] {
			return false
		}
		seen[s] = true
		if s.Format == "date-time" {
			return true
		}
		for _, sub := range s.Properties {
			if walk(sub) {
				return true
			}
		}
		for _, list := range [][]*jsonschema.Schema{s.PrefixItems, s.ItemsArray, s.AllOf, s.AnyOf, s.OneOf} {
			for _, sub := range list {
				if walk(sub) {
					return true
				}
			}
		}
		for _, sub := range []*jsonschema.Schema{s.Items, s.AdditionalProperties, s.Not, s.If, s.Then, s.Else} {
			if walk(sub) {
				return true
			}
		}
		for _, defs := range []map[string]*jsonschema.Schema{s.Defs, s.Definitions, s.PatternProperties} {
			for _, sub := range defs {
				if walk(sub) {
					return true
				}
			}
		}
		return false
	}
	return walk(root)
}

// dateTimeError returns an *Error at the first string (in path order) of v
// that a date-time schema holds and that is not a date-time, or nil.
func (p *plan) dateTimeError(v any) *Error {
	if !p.dateTime {
		return nil
	}
	f := formatWalker{root: p.rs.Schema()}
	f.walk(v, f.root, 0)
	return f.err
}

type formatWalker struct {
	root *jsonschema.Schema
	segs []seg
	err  *Error
	// errSegs is the path of err, to keep the first in path order.
	errSegs []seg
}

func (f *formatWalker) walk(v any, s *jsonschema.Schema, depth int) {
	if s == nil || depth > maxWalk {
		return
	}
	if s.Ref != "" {
		f.walk(v, localRef(f.root, s.Ref), depth+1)
	}
	for _, list := range [][]*jsonschema.Schema{s.AllOf, s.AnyOf, s.OneOf} {
		for _, sub := range list {
			if allowsValue(sub, v) {
				f.walk(v, sub, depth+1)
			}
		}
	}
	switch x := v.(type) {
	case string:
		if s.Format == "date-time" && !isDateTime(x) {
			f.fail(&Error{Path: pointer(f.segs), Msg: show(x) + " is not a date-time (RFC 3339, such as \"2026-03-01T09:30:00Z\")"})
		}
	case map[string]any:
		for k, val := range x {
			sub, ok := s.Properties[k]
			if !ok {
				sub = s.AdditionalProperties
			}
			if sub == nil {
				continue
			}
			f.segs = append(f.segs, seg{key: k, isKey: true})
			f.walk(val, sub, depth+1)
			f.segs = f.segs[:len(f.segs)-1]
		}
	case []any:
		for i, val := range x {
			sub := s.Items
			if i < len(s.PrefixItems) {
				sub = s.PrefixItems[i]
			}
			if sub == nil {
				continue
			}
			f.segs = append(f.segs, seg{index: i})
			f.walk(val, sub, depth+1)
			f.segs = f.segs[:len(f.segs)-1]
		}
	}
}

// fail keeps e when it is the first error found, or comes before the one
// kept in path order: map order is random, and the error must not be.
func (f *formatWalker) fail(e *Error) {
	if f.err != nil && !segsBefore(f.segs, f.errSegs) {
		return
	}
	f.err, f.errSegs = e, append(f.errSegs[:0], f.segs...)
}

// segsBefore reports whether path a comes before path b: keys by byte
// order, indexes by number, a prefix first.
func segsBefore(a, b []seg) bool {
	for i := range min(len(a), len(b)) {
		x, y := a[i], b[i]
		switch {
		case x.isKey && y.isKey && x.key != y.key:
			return x.key < y.key
		case !x.isKey && !y.isKey && x.index != y.index:
			return x.index < y.index
		}
	}
	return len(a) < len(b)
}

// isDateTime reports whether s is what time.Time decodes from JSON.
func isDateTime(s string) bool {
	var t time.Time
	return t.UnmarshalText([]byte(s)) == nil
}

// allowsValue reports whether the type keywords of s admit v, so that a
// branch of oneOf such as [{date-time}, {"type": "null"}] is followed only
// by the values it is about.
func allowsValue(s *jsonschema.Schema, v any) bool {
	if s == nil {
		return false
	}
	names := s.Types
	if s.Type != "" {
		names = []string{s.Type}
	}
	if len(names) == 0 {
		return true
	}
	name := typeName(typeOf(v))
	for _, t := range names {
		if t == name || t == "number" && name == "integer" {
			return true
		}
	}
	return false
}

// localRef finds the target of a $ref into root ("#", "#/$defs/...",
// "#/definitions/..."); nil for any other.
func localRef(root *jsonschema.Schema, ref string) *jsonschema.Schema {
	c := compiler{root: root}
	if ref == "#" || strings.HasPrefix(ref, "#/") {
		return c.local(ref)
	}
	return nil
}
