package answer

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// checker validates a value against compiled nodes and says where the
// value breaks the schema, what was expected and what came, in words meant
// for the model.
//
// For schemas within the keywords it implements (plan.library unset) its
// verdict is the verdict: it follows jsonschema-go's semantics keyword by
// keyword (integers are numbers without a fraction, lengths count code
// points, patterns are Go regexps, format is an annotation), and a fuzz test
// holds the two verdicts equal. Otherwise jsonschema-go judges and the
// checker only words the error.
//
// A quiet check (the verdict only) stops at the first violation and words
// nothing. A worded check goes on through the whole value, in its order
// (an array's items by index, an object's fields by name), and words the
// first MaxErrors violations, counting the rest; a violation of a node's
// type, enum or const ends the checks of that node, whose other keywords
// would only say the same again.
type checker struct {
	segs  []seg
	extra bool // some object held keys its schema does not list
	// defaults is set when a field with a default is missing: coercion
	// would change even a valid value.
	defaults bool
	// quiet asks only for the verdict: errors are not worded.
	quiet bool
	depth int
	errs  []Violation // the violations worded, at most MaxErrors
	count int         // the violations found, worded or not
}

// errQuiet marks a value that breaks its schema: the result of a quiet
// check, and what a worded check returns from where it found violations
// (they are in checker.errs).
var errQuiet = &Error{Msg: "invalid"}

// run checks v against n from the top: nil when v is valid; else, quiet,
// errQuiet; else an *Error naming the violations.
func (c *checker) run(v any, n *node, quiet bool) *Error {
	c.segs, c.extra, c.defaults, c.quiet, c.depth = c.segs[:0], false, false, quiet, 0
	c.errs, c.count = nil, 0
	if c.walk(v, n) == nil {
		return nil
	}
	if quiet || len(c.errs) == 0 {
		return errQuiet
	}
	e := &Error{Path: c.errs[0].Path, Msg: c.errs[0].Msg, Omitted: c.count - len(c.errs)}
	if len(c.errs) > 1 {
		e.More = c.errs[1:]
	}
	c.errs = nil
	return e
}

// hushed reports whether a violation found now goes unworded: the check is
// quiet, or MaxErrors are worded already.
func (c *checker) hushed() bool { return c.quiet || len(c.errs) >= MaxErrors }

// at notes a violation at the current path.
func (c *checker) at(format string, args ...any) *Error {
	if c.quiet {
		return errQuiet
	}
	c.count++
	if len(c.errs) < MaxErrors {
		if c.errs == nil {
			c.errs = make([]Violation, 0, MaxErrors)
		}
		c.errs = append(c.errs, Violation{Path: pointer(c.segs), Msg: fmt.Sprintf(format, args...)})
	}
	return errQuiet
}

// hush notes a violation that goes unworded (see hushed).
func (c *checker) hush() *Error {
	if !c.quiet {
		c.count++
	}
	return errQuiet
}

// check checks v against n from the top, as run does, worded unless the
// checker is set quiet.
func (c *checker) check(v any, n *node) *Error { return c.run(v, n, c.quiet) }

// walk returns nil when v is valid against n. Otherwise a quiet check
// returns at the first violation; a worded one goes on, and returns
// non-nil when it found some.
func (c *checker) walk(v any, n *node) *Error {
	if n == nil {
		return nil
	}
	if n.never {
		if c.hushed() {
			return c.hush()
		}
		return c.at("no value is allowed here, got %s", show(v))
	}
	if c.depth > maxWalk {
		return c.at("the schema refers to itself too deeply to check this value")
	}
	c.depth++
	defer func() { c.depth-- }()
	if n.ref != nil {
		if e := c.walk(v, n.ref); e != nil || n.refOnly {
			return e
		}
	}
	t := typeOf(v)
	if !n.allows(t) {
		if c.hushed() {
			return c.hush()
		}
		if t == tNull {
			return c.at("expected %s, got null", n.typeWords())
		}
		return c.at("expected %s, got %s %s", n.typeWords(), article(typeName(t)), show(v))
	}
	if n.enum != nil && !slices.ContainsFunc(n.enum, func(e any) bool { return equal(e, v) }) {
		if c.hushed() {
			return c.hush()
		}
		return c.at("expected one of %s, got %s", showList(n.enum), show(v))
	}
	if n.hasConst && !equal(n.constant, v) {
		if c.hushed() {
			return c.hush()
		}
		return c.at("expected exactly %s, got %s", show(n.constant), show(v))
	}
	var bad *Error
	switch v := v.(type) {
	case float64:
		switch {
		case n.minimum != nil && v < *n.minimum:
			bad = c.at("%s is below the minimum %s", show(v), show(*n.minimum))
		case n.maximum != nil && v > *n.maximum:
			bad = c.at("%s is above the maximum %s", show(v), show(*n.maximum))
		case n.exclusiveMinimum != nil && v <= *n.exclusiveMinimum:
			bad = c.at("%s must be greater than %s", show(v), show(*n.exclusiveMinimum))
		case n.exclusiveMaximum != nil && v >= *n.exclusiveMaximum:
			bad = c.at("%s must be less than %s", show(v), show(*n.exclusiveMaximum))
		}
		if bad != nil && c.quiet {
			return bad
		}
		if n.multipleOf != nil {
			if _, f := math.Modf(v / *n.multipleOf); f != 0 {
				bad = c.at("%s is not a multiple of %s", show(v), show(*n.multipleOf))
			}
		}
	case string:
		if n.minLength >= 0 || n.maxLength >= 0 {
			switch k := utf8.RuneCountInString(v); {
			case n.minLength >= 0 && k < n.minLength:
				if c.hushed() {
					bad = c.hush()
				} else {
					bad = c.at("%s is %d characters long, shorter than the minimum %d", show(v), k, n.minLength)
				}
			case n.maxLength >= 0 && k > n.maxLength:
				bad = c.at("the string is %d characters long, longer than the maximum %d", k, n.maxLength)
			}
			if bad != nil && c.quiet {
				return bad
			}
		}
		if n.pattern != nil && !n.pattern.MatchString(v) {
			if c.hushed() {
				return c.hush()
			}
			bad = c.at("%s does not match the pattern %s", show(v), clip(n.patternSrc, 2*showMax))
		}
	case []any:
		switch {
		case n.minItems >= 0 && len(v) < n.minItems:
			bad = c.at("expected at least %d items, got %d", n.minItems, len(v))
		case n.maxItems >= 0 && len(v) > n.maxItems:
			bad = c.at("expected at most %d items, got %d", n.maxItems, len(v))
		}
		if bad != nil && c.quiet {
			return bad
		}
		if n.items != nil {
			c.segs = append(c.segs, seg{})
			for i, item := range v {
				c.segs[len(c.segs)-1].index = i
				if e := c.walk(item, n.items); e != nil {
					if c.quiet {
						return e
					}
					bad = e
				}
			}
			c.segs = c.segs[:len(c.segs)-1]
		}
		if n.unique && len(v) > 1 {
			seen := make(map[string]int, len(v))
			for i, item := range v {
				b, _ := json.Marshal(item)
				if j, dup := seen[string(b)]; dup {
					if bad = c.at("items %d and %d are equal; the items must differ", j, i); c.quiet {
						return bad
					}
					continue
				}
				seen[string(b)] = i
			}
		}
	case map[string]any:
		return c.object(v, n)
	}
	return bad
}

func (c *checker) object(m map[string]any, n *node) *Error {
	var bad *Error
	for _, k := range n.required {
		if _, ok := m[k]; ok {
			continue
		}
		if c.quiet {
			return errQuiet
		}
		if n.props[k] == nil {
			// A listed field is told in its place among the fields below.
			c.segs = append(c.segs, seg{key: k, isKey: true})
			bad = c.at("this required field is missing")
			c.segs = c.segs[:len(c.segs)-1]
		}
	}
	switch {
	case n.minProps >= 0 && len(m) < n.minProps:
		bad = c.at("expected at least %d fields, got %d", n.minProps, len(m))
	case n.maxProps >= 0 && len(m) > n.maxProps:
		bad = c.at("expected at most %d fields, got %d", n.maxProps, len(m))
	}
	if bad != nil && c.quiet {
		return bad
	}
	// The keys the schema does not list, when it has a say about them. A
	// worded check takes them in order with the listed fields; a quiet one
	// looks for them only when some key was not a field.
	var unknown []string
	checkUnknown := n.noAdditional || n.additional != nil
	if !c.quiet && checkUnknown {
		unknown = n.unknownKeys(m)
	}
	known, u := 0, 0
	c.segs = append(c.segs, seg{isKey: true})
	for _, k := range n.propNames {
		for ; u < len(unknown) && unknown[u] < k; u++ {
			if c.unknown(m, unknown[u], n) != nil {
				bad = errQuiet
			}
		}
		child, ok := m[k]
		if !ok {
			if n.props[k].resolve().hasDefault {
				c.defaults = true
			}
			if !c.quiet && n.isRequired[k] {
				c.segs[len(c.segs)-1].key = k
				bad = c.at("this required field is missing")
			}
			continue
		}
		known++
		c.segs[len(c.segs)-1].key = k
		if e := c.walk(child, n.props[k]); e != nil {
			if c.quiet {
				return e
			}
			bad = e
		}
	}
	for ; u < len(unknown); u++ {
		if c.unknown(m, unknown[u], n) != nil {
			bad = errQuiet
		}
	}
	if known < len(m) {
		c.extra = true
		if c.quiet && checkUnknown {
			for _, k := range n.unknownKeys(m) {
				if e := c.unknown(m, k, n); e != nil {
					return e
				}
			}
		}
	}
	c.segs = c.segs[:len(c.segs)-1]
	return bad
}

// unknown checks the field k of m, which n does not list, against
// additionalProperties.
func (c *checker) unknown(m map[string]any, k string, n *node) *Error {
	c.segs[len(c.segs)-1].key = k
	if n.noAdditional {
		if c.hushed() {
			return c.hush()
		}
		return c.at("unexpected field; the allowed fields are %s", showList(n.propNames))
	}
	return c.walk(m[k], n.additional)
}

// libraryError rewords a jsonschema-go error for the model, for the
// keywords the checker does not word itself: the library nests "validating
// ..." prefixes; the last clause says what is wrong.
func libraryError(err error) *Error {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": validating "); i >= 0 {
		msg = msg[i+len(": validating "):]
	}
	msg = strings.TrimPrefix(msg, "validating ")
	if i := strings.Index(msg, ": "); i >= 0 && strings.HasPrefix(msg, "{") {
		msg = msg[i+2:]
	}
	// The library's messages may quote a value whole: keep an excerpt.
	return &Error{Msg: "the value does not match the schema: " + clip(msg, 4*showMax)}
}
