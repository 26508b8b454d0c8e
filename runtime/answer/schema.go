package answer

import (
	"encoding/json"
	"net/url"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"weak"

	"github.com/google/jsonschema-go/jsonschema"
)

// A node is one schema compiled for coercion and validation: the keywords
// read once, enum values folded and tokenized once, regexps compiled once.
type node struct {
	types types // 0: any type
	never bool  // the false schema: nothing is valid

	enum     []any
	enumStr  []string // the enum, when every value is a string
	enumFold map[string]int
	enumToks [][]string
	hasConst bool
	constant any

	minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf *float64

	minLength, maxLength int // -1: unset
	pattern              *regexp.Regexp
	patternSrc           string

	items              *node
	minItems, maxItems int
	unique             bool

	props              map[string]*node
	propNames          []string // sorted
	required           []string
	isRequired         map[string]bool
	additional         *node // nil: anything
	noAdditional       bool  // additionalProperties: false
	foldKeys           map[string]string
	minProps, maxProps int
	defaults           []string // the fields whose schemas have a default
	// For the verbatim scan: the fields by index in propNames, and bit masks
	// of the required ones and of those with a default. masks is false when
	// they cannot describe the object (over 64 fields, a required field the
	// properties do not list).
	propIndex                 map[string]int
	requiredMask, defaultMask uint64
	masks                     bool
	hasDefault                bool
	defaultValue              any
	ref                       *node // a local $ref, validated before the node's own keywords
	refOnly                   bool  // the node is nothing but its $ref
	wrapKey                   string
}

type types uint8

const (
	tNull types = 1 << iota
	tBoolean
	tObject
	tArray
	tNumber
	tInteger
	tString
)

var typeBits = map[string]types{
	"null": tNull, "boolean": tBoolean, "object": tObject, "array": tArray,
	"number": tNumber, "integer": tInteger, "string": tString,
}

// allows reports whether n's type keyword admits a value of type t (one of
// the bits, as typeOf gives it).
func (n *node) allows(t types) bool {
	if n.types == 0 {
		return true
	}
	if t == tInteger {
		return n.types&(tInteger|tNumber) != 0
	}
	return n.types&t != 0
}

// wants reports whether n names t in its type keyword.
func (n *node) wants(t types) bool { return n.types&t != 0 }

// A plan is a resolved schema compiled: the root node, and whether some
// keyword is left for jsonschema-go to judge.
type plan struct {
	rs   *jsonschema.Resolved
	root *node
	// library is set when the schema uses a keyword the compiled validator
	// does not implement (allOf, anyOf, oneOf, not, if, patternProperties,
	// remote $ref, a draft other than 2020-12, ...): then jsonschema-go is
	// the judge of validity, and the compiled nodes only guide coercion and
	// word the errors.
	library bool
	// prose is set when a bare word of prose can be the answer: the root is
	// an enum, or wraps one (a one-field object, a list).
	prose bool
	// loops is set when the schema refers to itself without the value going
	// deeper ({"$ref": "#"}, {"anyOf": [{"$ref": "#"}]}): jsonschema-go
	// would recurse until the stack overflows, which no recover catches.
	loops bool
	// dateTime is set when the schema says format date-time somewhere,
	// which is checked after the keywords (see format.go).
	dateTime bool
	// branches are the compiled nodes of the anyOf and oneOf branches,
	// when dateTime is set: the format check asks which admit a value.
	branches map[*jsonschema.Schema]*node
}

var plans sync.Map // weak.Pointer[jsonschema.Resolved] → *plan

// planFor returns the compiled plan of rs, compiling it on first use. Plans
// are kept as long as their schema is reachable, and no longer.
func planFor(rs *jsonschema.Resolved) *plan {
	if rs == nil {
		return anyPlan
	}
	key := weak.Make(rs)
	if p, ok := plans.Load(key); ok {
		return p.(*plan)
	}
	p := compile(rs)
	if _, loaded := plans.LoadOrStore(key, p); !loaded {
		runtime.AddCleanup(rs, func(k weak.Pointer[jsonschema.Resolved]) { plans.Delete(k) }, key)
	}
	return p
}

var anyPlan = &plan{root: &node{minLength: -1, maxLength: -1, minItems: -1, maxItems: -1, minProps: -1, maxProps: -1}}

type compiler struct {
	root    *jsonschema.Schema
	nodes   map[*jsonschema.Schema]*node
	library bool
}

func compile(rs *jsonschema.Resolved) *plan {
	c := &compiler{root: rs.Schema(), nodes: map[*jsonschema.Schema]*node{}}
	if d := c.root.Schema; d != "" && !strings.Contains(d, "2020-12") {
		c.library = true
	}
	p := &plan{rs: rs, root: c.node(c.root)}
	p.library = c.library
	p.dateTime = hasDateTime(c.root)
	if p.dateTime {
		p.branches = c.branchNodes()
	}
	for _, n := range c.nodes {
		n.computeMasks()
	}
	p.prose = proseTarget(p.root)
	p.loops = c.loops(c.root, map[*jsonschema.Schema]int{})
	return p
}

// loops reports a cycle through the keywords that apply to the same value
// ($ref and the logic keywords), which never ends.
func (c *compiler) loops(s *jsonschema.Schema, state map[*jsonschema.Schema]int) bool {
	if s == nil {
		return false
	}
	switch state[s] {
	case 1:
		return true
	case 2:
		return false
	}
	state[s] = 1
	next := []*jsonschema.Schema{s.Not, s.If, s.Then, s.Else}
	next = append(next, s.AllOf...)
	next = append(next, s.AnyOf...)
	next = append(next, s.OneOf...)
	for _, d := range s.DependentSchemas {
		next = append(next, d)
	}
	if s.Ref != "" {
		next = append(next, c.local(s.Ref))
	}
	for _, n := range next {
		if c.loops(n, state) {
			return true
		}
	}
	state[s] = 2
	return false
}

func (n *node) computeMasks() {
	if len(n.propNames) > 64 {
		return
	}
	n.propIndex = make(map[string]int, len(n.propNames))
	for i, k := range n.propNames {
		n.propIndex[k] = i
		if n.props[k].resolve().hasDefault {
			n.defaultMask |= 1 << i
		}
	}
	for _, k := range n.required {
		i, ok := n.propIndex[k]
		if !ok {
			return
		}
		n.requiredMask |= 1 << i
	}
	n.masks = true
}

// proseTarget reports whether a bare string could become an enum value
// under n: n is an enum, or a one-field object or a list of one.
func proseTarget(n *node) bool {
	for range 4 {
		n = n.resolve()
		switch {
		case n.enumStr != nil:
			return true
		case n.wrapKey != "" && !n.allows(tString):
			n = n.props[n.wrapKey]
		case n.wants(tArray) && n.items != nil && !n.allows(tString):
			n = n.items
		default:
			return false
		}
	}
	return false
}

func (n *node) resolve() *node {
	for range 8 {
		if n.ref == nil || !n.refOnly {
			return n
		}
		n = n.ref
	}
	return n
}

// isFalse reports whether s is the schema false, which jsonschema-go reads
// as {"not": {}}.
func isFalse(s *jsonschema.Schema) bool {
	return s != nil && s.Not != nil && reflect.ValueOf(*s.Not).IsZero() &&
		reflect.DeepEqual(jsonschema.Schema{Not: s.Not}, *s)
}

func (c *compiler) node(s *jsonschema.Schema) *node {
	if s == nil {
		return nil
	}
	if n, ok := c.nodes[s]; ok {
		return n
	}
	n := &node{minLength: -1, maxLength: -1, minItems: -1, maxItems: -1, minProps: -1, maxProps: -1}
	c.nodes[s] = n
	if isFalse(s) {
		n.never = true
		return n
	}
	c.unsupported(s)

	if s.Ref != "" {
		if target := c.local(s.Ref); target != nil {
			n.ref = c.node(target)
			n.refOnly = onlyRef(s)
		} else {
			c.library = true
		}
	}
	if s.Type != "" {
		n.types = typeBits[s.Type]
	}
	for _, t := range s.Types {
		n.types |= typeBits[t]
	}
	if s.Enum != nil {
		n.enum = make([]any, len(s.Enum))
		allStrings := true
		for i, e := range s.Enum {
			n.enum[i] = canonical(e)
			if _, ok := n.enum[i].(string); !ok {
				allStrings = false
			}
		}
		if allStrings {
			n.enumStr = make([]string, len(n.enum))
			n.enumFold = make(map[string]int, len(n.enum))
			n.enumToks = make([][]string, len(n.enum))
			for i, e := range n.enum {
				str := e.(string)
				n.enumStr[i] = str
				f := foldWord(str)
				n.enumToks[i] = tokens(str)
				if f == "" {
					continue
				}
				if _, dup := n.enumFold[f]; dup {
					n.enumFold[f] = -1 // two values fold alike: neither is matched by folding
				} else {
					n.enumFold[f] = i
				}
			}
		}
	}
	if s.Const != nil {
		n.hasConst, n.constant = true, canonical(*s.Const)
	}
	n.minimum, n.maximum = s.Minimum, s.Maximum
	n.exclusiveMinimum, n.exclusiveMaximum = s.ExclusiveMinimum, s.ExclusiveMaximum
	n.multipleOf = s.MultipleOf
	if s.MinLength != nil {
		n.minLength = *s.MinLength
	}
	if s.MaxLength != nil {
		n.maxLength = *s.MaxLength
	}
	if s.Pattern != "" {
		re, err := regexp.Compile(s.Pattern)
		if err != nil {
			c.library = true
		} else {
			n.pattern, n.patternSrc = re, s.Pattern
		}
	}
	n.items = c.node(s.Items)
	if s.MinItems != nil {
		n.minItems = *s.MinItems
	}
	if s.MaxItems != nil {
		n.maxItems = *s.MaxItems
	}
	n.unique = s.UniqueItems
	if len(s.Properties) > 0 {
		n.props = make(map[string]*node, len(s.Properties))
		n.foldKeys = make(map[string]string, len(s.Properties))
		for k, ps := range s.Properties {
			n.props[k] = c.node(ps)
			n.propNames = append(n.propNames, k)
			f := foldWord(k)
			if _, dup := n.foldKeys[f]; dup {
				n.foldKeys[f] = ""
			} else {
				n.foldKeys[f] = k
			}
		}
		slices.Sort(n.propNames)
		for _, k := range n.propNames {
			if d := s.Properties[k]; d.Default != nil || d.Ref != "" {
				n.defaults = append(n.defaults, k)
			}
		}
	}
	n.required = s.Required
	if len(s.Required) > 0 {
		n.isRequired = make(map[string]bool, len(s.Required))
		for _, k := range s.Required {
			n.isRequired[k] = true
		}
	}
	switch {
	case s.AdditionalProperties == nil:
	case isFalse(s.AdditionalProperties):
		n.noAdditional = true
	default:
		n.additional = c.node(s.AdditionalProperties)
	}
	if s.MinProperties != nil {
		n.minProps = *s.MinProperties
	}
	if s.MaxProperties != nil {
		n.maxProps = *s.MaxProperties
	}
	if s.Default != nil {
		var d any
		if json.Unmarshal(s.Default, &d) == nil {
			n.hasDefault, n.defaultValue = true, canonical(d)
		}
	}
	// The field a lone value goes into when the model answers with the value
	// where an object holding it is wanted: the only required field, else
	// the only field.
	switch {
	case len(s.Required) == 1 && n.props[s.Required[0]] != nil:
		n.wrapKey = s.Required[0]
	case len(s.Required) == 0 && len(n.propNames) == 1:
		n.wrapKey = n.propNames[0]
	}
	return n
}

// unsupported notes keywords the compiled validator leaves to jsonschema-go.
func (c *compiler) unsupported(s *jsonschema.Schema) {
	if s.AllOf != nil || s.AnyOf != nil || s.OneOf != nil || s.Not != nil ||
		s.If != nil || s.Then != nil || s.Else != nil ||
		s.PrefixItems != nil || s.ItemsArray != nil || s.AdditionalItems != nil ||
		s.Contains != nil || s.MinContains != nil || s.MaxContains != nil || s.UnevaluatedItems != nil ||
		s.PatternProperties != nil || s.PropertyNames != nil || s.UnevaluatedProperties != nil ||
		s.DependentRequired != nil || s.DependentSchemas != nil || s.DependencySchemas != nil || s.DependencyStrings != nil ||
		s.DynamicRef != "" || s.Vocabulary != nil {
		c.library = true
	}
}

// onlyRef reports whether s holds nothing but $ref and annotations.
func onlyRef(s *jsonschema.Schema) bool {
	t := jsonschema.Schema{
		Ref: s.Ref, ID: s.ID, Schema: s.Schema, Comment: s.Comment, Defs: s.Defs, Definitions: s.Definitions,
		Anchor: s.Anchor, Title: s.Title, Description: s.Description, Deprecated: s.Deprecated,
		ReadOnly: s.ReadOnly, WriteOnly: s.WriteOnly, Examples: s.Examples, Format: s.Format, Extra: s.Extra,
		PropertyOrder: s.PropertyOrder,
	}
	return reflect.DeepEqual(t, *s)
}

// local finds the target of a $ref into the root schema: "#", or
// "#/$defs/..." and "#/definitions/..." paths. Other references are left to
// jsonschema-go.
func (c *compiler) local(ref string) *jsonschema.Schema {
	if ref == "#" {
		return c.root
	}
	for _, prefix := range []string{"#/$defs/", "#/definitions/"} {
		name, ok := strings.CutPrefix(ref, prefix)
		if !ok || strings.Contains(name, "/") {
			continue
		}
		name, err := url.PathUnescape(name)
		if err != nil {
			return nil
		}
		name = strings.NewReplacer("~1", "/", "~0", "~").Replace(name)
		defs := c.root.Defs
		if prefix == "#/definitions/" {
			defs = c.root.Definitions
		}
		return defs[name]
	}
	return nil
}

// fieldNode is the schema of the field k of an object n describes,
// following references; nil for none.
func (n *node) fieldNode(k string) *node {
	for i := 0; n != nil && i < 8; i, n = i+1, n.ref {
		if p := n.props[k]; p != nil {
			return p
		}
		if n.additional != nil {
			return n.additional
		}
	}
	return nil
}

// itemNode is the schema of the items of an array n describes, following
// references; nil for none.
func (n *node) itemNode() *node {
	for i := 0; n != nil && i < 8; i, n = i+1, n.ref {
		if n.items != nil {
			return n.items
		}
	}
	return nil
}

// wantsInteger reports whether n, or a schema it refers to, allows of the
// numbers only integers.
func (n *node) wantsInteger() bool {
	for i := 0; n != nil && i < 8; i, n = i+1, n.ref {
		if n.types&tInteger != 0 && n.types&tNumber == 0 {
			return true
		}
	}
	return false
}

// unknownKeys lists the keys of m that n has no property for, sorted, so
// that repairs and errors about them come in the same order every time.
func (n *node) unknownKeys(m map[string]any) []string {
	var keys []string
	for k := range m {
		if _, ok := n.props[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}
