package answer

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// checker validates a value against compiled nodes and, at the first place
// the value breaks the schema, says where it is, what was expected and what
// came, in words meant for the model.
//
// For schemas within the keywords it implements (plan.library unset) its
// verdict is the verdict: it follows jsonschema-go's semantics keyword by
// keyword (integers are numbers without a fraction, lengths count code
// points, patterns are Go regexps, format is an annotation), and a fuzz test
// holds the two verdicts equal. Otherwise jsonschema-go judges and the
// checker only words the error.
type checker struct {
	segs  []seg
	extra bool // some object held keys its schema does not list
	// defaults is set when a field with a default is missing: coercion
	// would change even a valid value.
	defaults bool
	// quiet asks only for the verdict: errors are not worded.
	quiet bool
	depth int
}

var errQuiet = &Error{Msg: "invalid"}

func (c *checker) at(format string, args ...any) *Error {
	if c.quiet {
		return errQuiet
	}
	return &Error{Path: pointer(c.segs), Msg: fmt.Sprintf(format, args...)}
}

func (c *checker) check(v any, n *node) *Error {
	if n == nil {
		return nil
	}
	if n.never {
		return c.at("no value is allowed here, got %s", show(v))
	}
	if c.depth > maxWalk {
		return c.at("the schema refers to itself too deeply to check this value")
	}
	c.depth++
	defer func() { c.depth-- }()
	if n.ref != nil {
		if e := c.check(v, n.ref); e != nil || n.refOnly {
			return e
		}
	}
	t := typeOf(v)
	if !n.allows(t) {
		if c.quiet {
			return errQuiet
		}
		if t == tNull {
			return c.at("expected %s, got null", n.typeWords())
		}
		return c.at("expected %s, got %s %s", n.typeWords(), article(typeName(t)), show(v))
	}
	if n.enum != nil && !slices.ContainsFunc(n.enum, func(e any) bool { return equal(e, v) }) {
		return c.at("expected one of %s, got %s", showList(n.enum), show(v))
	}
	if n.hasConst && !equal(n.constant, v) {
		return c.at("expected exactly %s, got %s", show(n.constant), show(v))
	}
	switch v := v.(type) {
	case float64:
		switch {
		case n.minimum != nil && v < *n.minimum:
			return c.at("%s is below the minimum %s", show(v), show(*n.minimum))
		case n.maximum != nil && v > *n.maximum:
			return c.at("%s is above the maximum %s", show(v), show(*n.maximum))
		case n.exclusiveMinimum != nil && v <= *n.exclusiveMinimum:
			return c.at("%s must be greater than %s", show(v), show(*n.exclusiveMinimum))
		case n.exclusiveMaximum != nil && v >= *n.exclusiveMaximum:
			return c.at("%s must be less than %s", show(v), show(*n.exclusiveMaximum))
		case n.multipleOf != nil:
			if _, f := math.Modf(v / *n.multipleOf); f != 0 {
				return c.at("%s is not a multiple of %s", show(v), show(*n.multipleOf))
			}
		}
	case string:
		if n.minLength >= 0 || n.maxLength >= 0 {
			switch k := utf8.RuneCountInString(v); {
			case n.minLength >= 0 && k < n.minLength:
				return c.at("%s is %d characters long, shorter than the minimum %d", show(v), k, n.minLength)
			case n.maxLength >= 0 && k > n.maxLength:
				return c.at("the string is %d characters long, longer than the maximum %d", k, n.maxLength)
			}
		}
		if n.pattern != nil && !n.pattern.MatchString(v) {
			return c.at("%s does not match the pattern %s", show(v), n.patternSrc)
		}
	case []any:
		switch {
		case n.minItems >= 0 && len(v) < n.minItems:
			return c.at("expected at least %d items, got %d", n.minItems, len(v))
		case n.maxItems >= 0 && len(v) > n.maxItems:
			return c.at("expected at most %d items, got %d", n.maxItems, len(v))
		}
		if n.items != nil {
			c.segs = append(c.segs, seg{})
			for i, item := range v {
				c.segs[len(c.segs)-1].index = i
				if e := c.check(item, n.items); e != nil {
					return e
				}
			}
			c.segs = c.segs[:len(c.segs)-1]
		}
		if n.unique && len(v) > 1 {
			seen := make(map[string]int, len(v))
			for i, item := range v {
				b, _ := json.Marshal(item)
				if j, dup := seen[string(b)]; dup {
					return c.at("items %d and %d are equal; the items must differ", j, i)
				}
				seen[string(b)] = i
			}
		}
	case map[string]any:
		return c.object(v, n)
	}
	return nil
}

func (c *checker) object(m map[string]any, n *node) *Error {
	for _, k := range n.required {
		if _, ok := m[k]; !ok {
			c.segs = append(c.segs, seg{key: k, isKey: true})
			return c.at("this required field is missing")
		}
	}
	switch {
	case n.minProps >= 0 && len(m) < n.minProps:
		return c.at("expected at least %d fields, got %d", n.minProps, len(m))
	case n.maxProps >= 0 && len(m) > n.maxProps:
		return c.at("expected at most %d fields, got %d", n.maxProps, len(m))
	}
	known := 0
	c.segs = append(c.segs, seg{isKey: true})
	for _, k := range n.propNames {
		child, ok := m[k]
		if !ok {
			if n.props[k].resolve().hasDefault {
				c.defaults = true
			}
			continue
		}
		known++
		c.segs[len(c.segs)-1].key = k
		if e := c.check(child, n.props[k]); e != nil {
			return e
		}
	}
	if known < len(m) {
		c.extra = true
		if n.noAdditional || n.additional != nil {
			for _, k := range n.unknownKeys(m) {
				c.segs[len(c.segs)-1].key = k
				if n.noAdditional {
					return c.at("unexpected field; the allowed fields are %s", showList(n.propNames))
				}
				if e := c.check(m[k], n.additional); e != nil {
					return e
				}
			}
		}
	}
	c.segs = c.segs[:len(c.segs)-1]
	return nil
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
	return &Error{Msg: "the value does not match the schema: " + msg}
}
