package answer

import (
	"fmt"
	"maps"
	"slices"
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
	cap     repairCap // bounds the repairs listed of each kind
	refusal *Error
	prose   bool // the value is the answer's bare text, not JSON
	parser  parser
	depth   int
	// ints is the trie of the integers written with a fraction or an
	// exponent in the value being coerced (nil for none), followed
	// through the value as it is renamed, wrapped and unwrapped.
	ints *intTrie
}

// start sets the coercer to add to repairs, and to find in ints the
// integers written with a fraction or an exponent.
func (c *coercer) start(repairs []Repair, ints *intTrie) {
	c.repairs = capRepairs(repairs)
	c.cap.reset()
	for i, r := range c.repairs {
		c.cap.admit(r.Kind, i)
	}
	c.ints = ints
}

// listed reports whether a repair of kind about to be made is to be listed;
// if not, it is counted in the More of the last one listed.
func (c *coercer) listed(kind string) bool {
	last, ok := c.cap.admit(kind, len(c.repairs))
	if !ok {
		c.repairs[last].More++
	}
	return ok
}

// maxWalk bounds the recursion of coercion and validation, which follow
// the value and the schema's references: a schema that refers to itself
// without the value going deeper ({"$ref": "#"}) must not recurse forever.
const maxWalk = 4 * MaxDepth

func (c *coercer) note(kind, format string, args ...any) {
	if !c.listed(kind) {
		return
	}
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
	if c.ints != nil && c.ints.leaf {
		c.integer(v, n)
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
			ints := c.ints
			for i := range v {
				c.segs[len(c.segs)-1].index = i
				c.ints = ints.child(seg{index: i})
				if item, ch := c.coerce(v[i], n.items); ch {
					v[i] = item
				}
			}
			c.ints = ints
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
			c.ints = nil
			return inner, true
		}
	}
	unwrapped := false
	if a, ok := v.([]any); ok {
		if n.wants(tObject) && n.wrapKey != "" && n.props[n.wrapKey].resolve().wants(tArray) {
			c.note(KindWrapObject, "put the list into the field %q", n.wrapKey)
			c.ints = under(seg{key: n.wrapKey, isKey: true}, c.ints)
			return map[string]any{n.wrapKey: a}, true
		}
		if len(a) == 1 && n.types != 0 {
			c.note(KindUnwrapList, "took the only item of a list where one value is wanted")
			v, t, unwrapped = a[0], typeOf(a[0]), true
			c.ints = c.ints.child(seg{index: 0})
		}
	}
	if t == tNull || n.allows(t) {
		return v, unwrapped
	}
	switch {
	case n.wants(tArray) && (n.items == nil || t == tString || n.items.resolve().allows(t)):
		c.note(KindWrapList, "made the lone value a list of one")
		c.ints = under(seg{index: 0}, c.ints)
		return []any{v}, true
	case n.wants(tObject) && n.wrapKey != "" && t != tObject:
		c.note(KindWrapObject, "put the lone value into the field %q", n.wrapKey)
		c.ints = under(seg{key: n.wrapKey, isKey: true}, c.ints)
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
	var unknown []string
	if present := n.present(m); present < len(m) {
		unknown = n.unknownKeys(m)
		if len(n.foldKeys) > 0 {
			var ok bool
			if unknown, ok = c.foldKeys(m, n, unknown); !ok {
				return
			}
		}
	}
	ints := c.ints
	if len(n.propNames) > 0 {
		c.segs = append(c.segs, seg{isKey: true})
		for _, k := range n.propNames {
			child, ok := m[k]
			if !ok {
				continue
			}
			c.segs[len(c.segs)-1].key = k
			c.ints = ints.child(seg{key: k, isKey: true})
			c.field(m, k, child, n)
		}
		c.ints = ints
		c.segs = c.segs[:len(c.segs)-1]
	}
	if len(unknown) > 0 {
		c.unknown(m, n, unknown)
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

// present counts the fields of n that m has.
func (n *node) present(m map[string]any) int {
	k := 0
	for _, f := range n.propNames {
		if _, ok := m[f]; ok {
			k++
		}
	}
	return k
}

// foldKeys reads as a field of n each key of m (of unknown, sorted) that
// differs from the field's name only in case and separators ("Sentiment"
// for "sentiment"). The keys that name one field, with the field itself
// when the schema allows no other keys, are one rule with a key given
// twice: the same value is read once, with one repair; different values
// are refused, for neither can be chosen. Where the field itself is there
// and other keys are allowed, a key in another case is one of those. It
// returns the keys still unknown; ok is false on a refusal.
func (c *coercer) foldKeys(m map[string]any, n *node, unknown []string) (rest []string, ok bool) {
	var groups map[string][]string // field → the keys read as it, sorted
	rest = unknown[:0]
	for _, k := range unknown {
		f := n.foldKeys[foldWord(k)]
		if f == "" {
			rest = append(rest, k)
			continue
		}
		if _, exact := m[f]; exact && !n.noAdditional {
			rest = append(rest, k)
			continue
		}
		if groups == nil {
			groups = make(map[string][]string)
		}
		groups[f] = append(groups[f], k)
	}
	for _, f := range slices.Sorted(maps.Keys(groups)) {
		keys := groups[f]
		first, v := f, m[f]
		_, exact := m[f]
		if !exact {
			first, v = keys[0], m[keys[0]]
		}
		c.segs = append(c.segs, seg{key: f, isKey: true})
		for _, k := range keys {
			if !equal(m[k], v) {
				c.refuse("the keys %q and %q both give the field %q, with different values; give it once", excerpt(first), excerpt(k), f)
				c.segs = c.segs[:len(c.segs)-1]
				return nil, false
			}
		}
		for _, k := range keys {
			delete(m, k)
		}
		m[f] = v
		if c.ints != nil && !exact {
			// The field's value is the one the first key gave.
			c.ints.put(seg{key: f, isKey: true}, c.ints.child(seg{key: first, isKey: true}))
		}
		if exact {
			c.note(KindDuplicateKey, "dropped %s, which repeat %q with the same value", keyList(keys), f)
		} else {
			c.note(KindKeyCase, "read %s as %q", keyList(keys), f)
		}
		c.segs = c.segs[:len(c.segs)-1]
	}
	return rest, true
}

// keyList names keys for a repair: `the key "a"`, `the keys "a" and "b"`,
// `the keys "a", "b" and 3 more`.
func keyList(keys []string) string {
	switch len(keys) {
	case 1:
		return fmt.Sprintf("the key %q", excerpt(keys[0]))
	case 2:
		return fmt.Sprintf("the keys %q and %q", excerpt(keys[0]), excerpt(keys[1]))
	}
	return fmt.Sprintf("the keys %q, %q and %d more", excerpt(keys[0]), excerpt(keys[1]), len(keys)-2)
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

// unknown handles the keys of m its schema does not list and foldKeys did
// not read as fields: they are dropped when the schema forbids them, or
// coerced to the schema of additional properties.
func (c *coercer) unknown(m map[string]any, n *node, keys []string) {
	if !n.noAdditional && n.additional == nil {
		return
	}
	c.segs = append(c.segs, seg{isKey: true})
	ints := c.ints
	for _, k := range keys {
		c.segs[len(c.segs)-1].key = k
		switch {
		case n.noAdditional:
			delete(m, k)
			c.note(KindUnknownKey, "dropped the key %q, which the schema does not allow", excerpt(k))
		default:
			c.ints = ints.child(seg{key: k, isKey: true})
			if v, changed := c.coerce(m[k], n.additional); changed {
				m[k] = v
			}
		}
	}
	c.ints = ints
	c.segs = c.segs[:len(c.segs)-1]
}

// integer notes v, a value the parser read from an integer written with a
// fraction or an exponent ("5.0", "1e2"), when n wants an integer: the
// value is the same number either way, but encoding/json decodes only an
// integer written plainly into a Go integer, and Unmarshal writes it so.
// It reports whether it noted one.
func (c *coercer) integer(v any, n *node) bool {
	f, ok := v.(float64)
	if !ok || !n.wantsInteger() {
		return false
	}
	c.ints.leaf = false // noted once, though the schema refers on
	c.note(KindInteger, "wrote %s as the integer %s", clip(c.ints.lit, showMax/2), strconv.FormatFloat(f, 'f', -1, 64))
	return true
}

// integers notes, in v, a value taken as parsed without coercion, each
// integer of the trie t where n wants an integer, and adds to spans where
// it is in the text. It follows the trie, so it costs no more than the
// parse that made it.
func (c *coercer) integers(v any, n *node, t *intTrie, spans []*intTrie) []*intTrie {
	if c.depth > maxWalk || n == nil {
		return spans
	}
	if t.leaf {
		c.ints = t
		if c.integer(v, n) {
			spans = append(spans, t)
		}
	}
	c.depth++
	for _, s := range t.order {
		var child any
		var cn *node
		switch x := v.(type) {
		case map[string]any:
			if !s.isKey {
				continue
			}
			var ok bool
			if child, ok = x[s.key]; !ok {
				continue
			}
			cn = n.fieldNode(s.key)
		case []any:
			if s.isKey || s.index >= len(x) {
				continue
			}
			child, cn = x[s.index], n.itemNode()
		default:
			continue
		}
		c.segs = append(c.segs, s)
		spans = c.integers(child, cn, t.kids[s], spans)
		c.segs = c.segs[:len(c.segs)-1]
	}
	c.depth--
	return spans
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
