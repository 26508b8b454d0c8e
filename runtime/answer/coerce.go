package answer

import (
	"fmt"
	"strconv"
	"strings"
)

// coercer moves a parsed value towards its schema where the model's intent
// is plain, recording each change. What it cannot fix it leaves for the
// checker to report; where the intent is not plain (two enum values fit
// alike) it refuses, setting refusal.
type coercer struct {
	segs    []seg
	repairs []Repair
	refusal *Error
	prose   bool // the value is the answer's bare text, not JSON
	parser  parser
	depth   int
}

// maxWalk bounds the recursion of coercion and validation, which follow
// the value and the schema's references: a schema that refers to itself
// without the value going deeper ({"$ref": "#"}) must not recurse forever.
const maxWalk = 4 * MaxDepth

func (c *coercer) note(kind, format string, args ...any) {
	c.repairs = append(c.repairs, Repair{Path: pointer(c.segs), Kind: kind, Detail: fmt.Sprintf(format, args...)})
}

func (c *coercer) refuse(format string, args ...any) {
	if c.refusal == nil {
		c.refusal = &Error{Path: pointer(c.segs), Msg: fmt.Sprintf(format, args...)}
	}
}

// coerce returns v moved towards n, and whether it changed v for its
// parent (containers are changed in place).
func (c *coercer) coerce(v any, n *node) (any, bool) {
	if n == nil || n.never || c.depth > maxWalk {
		return v, false
	}
	c.depth++
	defer func() { c.depth-- }()
	changed := false
	if n.ref != nil {
		v, changed = c.coerce(v, n.ref)
		if n.refOnly {
			return v, changed
		}
	}
	// Shape: a string holding JSON, a lone value where a list or an object
	// is wanted, a list of one where one value is wanted.
	if t := typeOf(v); !n.allows(t) {
		var shaped bool
		v, shaped = c.shape(v, t, n)
		changed = changed || shaped
	}
	if n.enum != nil {
		v2, ch := c.enum(v, n)
		return v2, changed || ch
	}
	switch v := v.(type) {
	case map[string]any:
		c.object(v, n)
	case []any:
		if n.items != nil {
			c.segs = append(c.segs, seg{})
			for i := range v {
				c.segs[len(c.segs)-1].index = i
				if item, ch := c.coerce(v[i], n.items); ch {
					v[i] = item
				}
			}
			c.segs = c.segs[:len(c.segs)-1]
		}
	case string:
		switch {
		case n.allows(tString):
		case n.wants(tNumber) || n.wants(tInteger):
			if f, ok := looseNumber(v); ok {
				c.note(KindNumber, "read the number %s from the string %q", strconv.FormatFloat(f, 'g', -1, 64), excerpt(v))
				return f, true
			}
		case n.wants(tBoolean):
			if b, ok := looseBool(v); ok {
				c.note(KindBoolean, "read %v from the string %q", b, excerpt(v))
				return b, true
			}
		}
	}
	return v, changed
}

// shape fixes the shape of a value of a type n does not allow: a string
// holding JSON, a list of one where one value is wanted, a lone value where
// a list or an object holding it is wanted.
func (c *coercer) shape(v any, t types, n *node) (any, bool) {
	if s, ok := v.(string); ok && (n.wants(tObject) || n.wants(tArray)) {
		if inner, ok := c.doubleEncoded(s); ok && n.allows(typeOf(inner)) {
			c.note(KindDoubleEncoded, "read the JSON value inside a string")
			return inner, true
		}
	}
	unwrapped := false
	if a, ok := v.([]any); ok {
		if n.wants(tObject) && n.wrapKey != "" && n.props[n.wrapKey].resolve().wants(tArray) {
			c.note(KindWrapObject, "put the list into the field %q", n.wrapKey)
			return map[string]any{n.wrapKey: a}, true
		}
		if len(a) == 1 && n.types != 0 {
			c.note(KindUnwrapList, "took the only item of a list where one value is wanted")
			v, t, unwrapped = a[0], typeOf(a[0]), true
		}
	}
	if t == tNull || n.allows(t) {
		return v, unwrapped
	}
	switch {
	case n.wants(tArray) && (n.items == nil || t == tString || n.items.resolve().allows(t)):
		c.note(KindWrapList, "made the lone value a list of one")
		return []any{v}, true
	case n.wants(tObject) && n.wrapKey != "" && t != tObject:
		c.note(KindWrapObject, "put the lone value into the field %q", n.wrapKey)
		return map[string]any{n.wrapKey: v}, true
	}
	return v, unwrapped
}

// doubleEncoded reads s as JSON when it holds an object or array.
func (c *coercer) doubleEncoded(s string) (any, bool) {
	t := strings.TrimSpace(s)
	if t == "" || (t[0] != '{' && t[0] != '[') {
		return nil, false
	}
	v, ok := c.parser.parseText(t)
	if !ok || c.parser.nfix > 0 {
		return nil, false
	}
	return v, true
}

func (c *coercer) object(m map[string]any, n *node) {
	known := 0
	if len(n.propNames) > 0 {
		c.segs = append(c.segs, seg{isKey: true})
		for _, k := range n.propNames {
			child, ok := m[k]
			if !ok {
				continue
			}
			known++
			c.segs[len(c.segs)-1].key = k
			c.field(m, k, child, n)
		}
		c.segs = c.segs[:len(c.segs)-1]
	}
	if known < len(m) {
		c.unknown(m, n)
	}
	for _, k := range n.defaults {
		if _, ok := m[k]; ok {
			continue
		}
		d := n.props[k].resolve()
		if !d.hasDefault {
			continue
		}
		m[k] = deepCopy(d.defaultValue)
		c.segs = append(c.segs, seg{key: k, isKey: true})
		c.note(KindDefault, "missing; took the default %s", show(d.defaultValue))
		c.segs = c.segs[:len(c.segs)-1]
	}
}

// field coerces the value of a known field k of m.
func (c *coercer) field(m map[string]any, k string, child any, n *node) {
	ps := n.props[k]
	if child == nil && !n.isRequired[k] {
		if r := ps.resolve(); r.types != 0 && !r.allows(tNull) {
			// null for an optional field that cannot be null: the model
			// meant "no value".
			delete(m, k)
			c.note(KindNull, "dropped null from an optional field")
			return
		}
	}
	if v, changed := c.coerce(child, ps); changed {
		m[k] = v
	}
}

// unknown handles the keys of m its schema does not list: a key that
// differs from a field only in case and separators is that field; others
// are dropped when the schema forbids them, or coerced to the schema of
// additional properties.
func (c *coercer) unknown(m map[string]any, n *node) {
	for _, k := range n.unknownKeys(m) {
		c.segs = append(c.segs, seg{key: k, isKey: true})
		if f := n.foldKeys[foldWord(k)]; f != "" {
			if _, taken := m[f]; !taken {
				child := m[k]
				delete(m, k)
				m[f] = child
				c.segs[len(c.segs)-1].key = f
				c.note(KindKeyCase, "read the key %q as %q", excerpt(k), f)
				c.field(m, f, child, n)
				c.segs = c.segs[:len(c.segs)-1]
				continue
			}
		}
		switch {
		case n.noAdditional:
			delete(m, k)
			c.note(KindUnknownKey, "dropped the key %q, which the schema does not allow", excerpt(k))
		case n.additional != nil:
			if v, changed := c.coerce(m[k], n.additional); changed {
				m[k] = v
			}
		}
		c.segs = c.segs[:len(c.segs)-1]
	}
}

// looseNumber reads a number written as a string: a JSON number with
// optional space around it and optional thousands separators in strict
// groups of three ("12,111"). Anything else ("1,5", "85%", "NaN", "0x10")
// is not read.
func looseNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if strings.IndexByte(s, ',') >= 0 {
		var ok bool
		if s, ok = ungroup(s); !ok {
			return 0, false
		}
	}
	var p parser
	v, ok := p.parseText(s)
	if !ok || p.nfix > 0 {
		return 0, false
	}
	f, ok := v.(float64)
	return f, ok
}

// ungroup removes thousands separators from digits grouped in threes.
func ungroup(s string) (string, bool) {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	groups := strings.Split(intPart, ",")
	if len(groups[0]) < 1 || len(groups[0]) > 3 || groups[0][0] == '0' {
		return "", false
	}
	for i, g := range groups {
		if i > 0 && len(g) != 3 {
			return "", false
		}
		for j := 0; j < len(g); j++ {
			if g[j] < '0' || g[j] > '9' {
				return "", false
			}
		}
	}
	out := sign + strings.Join(groups, "")
	if frac != "" || strings.HasSuffix(s, ".") {
		out += "." + frac
	}
	return out, true
}

func looseBool(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "yes":
		return true, true
	case "false", "no":
		return false, true
	}
	return false, false
}
