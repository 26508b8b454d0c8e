package answer

import (
	"slices"
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
// date-time in them, and walks the value along the schema.
//
// Under anyOf and oneOf, a branch passes when its type keywords admit the
// value, the keywords the compiled checker knows hold, and its own format
// check passes; a format error is reported only when no admitting branch
// passes ({"anyOf": [{date-time}, {"pattern": "^next"}]} takes "next
// week"). Each schema is walked once for each value it applies to, its
// result kept, so that branches nested in branches cost no more than the
// value times the schema.

// hasDateTime reports whether a schema reachable from root says format
// date-time.
func hasDateTime(root *jsonschema.Schema) bool {
	found := false
	eachSchema(root, func(s *jsonschema.Schema) bool {
		found = found || s.Format == "date-time"
		return !found
	})
	return found
}

// eachSchema calls visit for root and each schema reachable from it by
// its keywords (not by $ref), once each, until visit returns false.
func eachSchema(root *jsonschema.Schema, visit func(*jsonschema.Schema) bool) {
	seen := map[*jsonschema.Schema]bool{}
	var walk func(s *jsonschema.Schema) bool
	walk = func(s *jsonschema.Schema) bool {
		if s == nil || seen[s] {
			return true
		}
		seen[s] = true
		if !visit(s) {
			return false
		}
		for _, sub := range s.Properties {
			if !walk(sub) {
				return false
			}
		}
		for _, list := range [][]*jsonschema.Schema{s.PrefixItems, s.ItemsArray, s.AllOf, s.AnyOf, s.OneOf} {
			for _, sub := range list {
				if !walk(sub) {
					return false
				}
			}
		}
		for _, sub := range []*jsonschema.Schema{s.Items, s.AdditionalProperties, s.Not, s.If, s.Then, s.Else} {
			if !walk(sub) {
				return false
			}
		}
		for _, defs := range []map[string]*jsonschema.Schema{s.Defs, s.Definitions, s.PatternProperties} {
			for _, sub := range defs {
				if !walk(sub) {
					return false
				}
			}
		}
		return true
	}
	walk(root)
}

// branchNodes compiles the branches of every anyOf and oneOf, leaving
// c.library as it was: the plan's verdict does not change.
func (c *compiler) branchNodes() map[*jsonschema.Schema]*node {
	library := c.library
	defer func() { c.library = library }()
	out := map[*jsonschema.Schema]*node{}
	eachSchema(c.root, func(s *jsonschema.Schema) bool {
		for _, list := range [][]*jsonschema.Schema{s.AnyOf, s.OneOf} {
			for _, b := range list {
				out[b] = c.node(b)
			}
		}
		return true
	})
	return out
}

// dateTimeError returns an *Error at the first string (in path order) of v
// that a date-time schema holds and that is not a date-time, or nil.
func (p *plan) dateTimeError(v any) *Error {
	if !p.dateTime {
		return nil
	}
	f := formatWalker{root: p.rs.Schema(), branches: p.branches, memo: map[walkKey]*formatFail{}, ids: map[childKey]int{}}
	if r := f.walk(v, f.root, 0); r != nil {
		return r.err
	}
	return nil
}

type formatWalker struct {
	root     *jsonschema.Schema
	branches map[*jsonschema.Schema]*node
	chk      checker
	segs     []seg
	// id is the number of the value being walked, ids those of the values
	// met so far by their parent's and their segment: with the schema, the
	// key of the results kept.
	id   int
	ids  map[childKey]int
	memo map[walkKey]*formatFail
}

type childKey struct {
	parent int
	seg    seg
}

type walkKey struct {
	s  *jsonschema.Schema
	id int
}

// A formatFail is a value that fails the format check: the first error in
// path order, with its path; err is nil for a value whose check is under
// way further up (a schema that refers to itself at the same value), which
// fails with nothing to say.
type formatFail struct {
	err  *Error
	segs []seg
}

var underWay = &formatFail{}

// walk checks v against s: nil when it passes.
func (f *formatWalker) walk(v any, s *jsonschema.Schema, depth int) *formatFail {
	if s == nil || depth > maxWalk {
		return nil
	}
	key := walkKey{s, f.id}
	if r, ok := f.memo[key]; ok {
		return r
	}
	f.memo[key] = underWay
	r := f.walkOnce(v, s, depth)
	f.memo[key] = r
	return r
}

func (f *formatWalker) walkOnce(v any, s *jsonschema.Schema, depth int) *formatFail {
	var out *formatFail
	keep := func(r *formatFail) {
		if r != nil && (out == nil || out.err == nil || r.err != nil && segsBefore(r.segs, out.segs)) {
			out = r
		}
	}
	if s.Ref != "" {
		keep(f.walk(v, localRef(f.root, s.Ref), depth+1))
	}
	for _, sub := range s.AllOf {
		if allowsValue(sub, v) {
			keep(f.walk(v, sub, depth+1))
		}
	}
	for _, list := range [][]*jsonschema.Schema{s.AnyOf, s.OneOf} {
		var failed *formatFail
		for _, sub := range list {
			if !f.admits(sub, v) {
				continue
			}
			r := f.walk(v, sub, depth+1)
			if r == nil {
				failed = nil
				break
			}
			if failed == nil || failed.err == nil || r.err != nil && segsBefore(r.segs, failed.segs) {
				failed = r
			}
		}
		keep(failed)
	}
	switch x := v.(type) {
	case string:
		if s.Format == "date-time" && !isDateTime(x) {
			keep(&formatFail{err: &Error{Path: pointer(f.segs), Msg: show(x) + " is not a date-time (RFC 3339, such as \"2026-03-01T09:30:00Z\")"}, segs: slices.Clone(f.segs)})
		}
	case map[string]any:
		for k, val := range x {
			sub, ok := s.Properties[k]
			if !ok {
				sub = s.AdditionalProperties
			}
			if sub != nil {
				keep(f.child(seg{key: k, isKey: true}, val, sub, depth))
			}
		}
	case []any:
		for i, val := range x {
			sub := s.Items
			if i < len(s.PrefixItems) {
				sub = s.PrefixItems[i]
			}
			if sub != nil {
				keep(f.child(seg{index: i}, val, sub, depth))
			}
		}
	}
	return out
}

// child walks the value at segment sg of the current one.
func (f *formatWalker) child(sg seg, v any, s *jsonschema.Schema, depth int) *formatFail {
	parent := f.id
	id, ok := f.ids[childKey{parent, sg}]
	if !ok {
		id = len(f.ids) + 1 // 0 is the root
		f.ids[childKey{parent, sg}] = id
	}
	f.id = id
	f.segs = append(f.segs, sg)
	r := f.walk(v, s, depth+1)
	f.segs = f.segs[:len(f.segs)-1]
	f.id = parent
	return r
}

// admits reports whether branch s of an anyOf or oneOf can hold v: its
// type keywords admit it, and the keywords the compiled checker knows.
func (f *formatWalker) admits(s *jsonschema.Schema, v any) bool {
	if !allowsValue(s, v) {
		return false
	}
	n := f.branches[s]
	return n == nil || f.chk.run(v, n, true) == nil
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
