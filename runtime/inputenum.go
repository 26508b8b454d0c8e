package runtime

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// Input enums: a tool whose output values are chosen among labels its
// caller gives (Spec.EnumsFromInput) is compiled again for each set of labels,
// its output schema carrying them as an enum, so that everything that reads
// the schema (the instructions, the respond tool, {{schema}} and {{enum}},
// the answer's repair and validation) reads them with no code of its own.
// The schema with the labels is spliced from the generated text at places
// found once, so a call costs what its labels weigh; the compiled tools of
// recent label sets are kept in a small cache.
//
// The labels and their meanings are the caller's text, not the tool
// author's, so they are kept out of the way of instructions: the system
// prompt holds only the labels, JSON-quoted in the schema and the shape
// (a label's newline or quote stays escaped there), never their meanings,
// even where the system block calls {{enum}}. The meanings reach the model
// only where the prompt's user message lists them with {{enum}}: each
// after its JSON-quoted label on a line of its own that starts "- ", its
// whitespace collapsed to single spaces and cut to MaxCallMeaningRunes, so
// that no meaning starts a line and none can close a fence, pose as a
// heading or run on.

// The errors of a call whose input's values for an output cannot be asked.
var (
	// ErrNoEnumValues: the input gives no values, so the model could
	// answer nothing.
	ErrNoEnumValues = errors.New("no allowed values")
	// ErrTooManyEnumValues: the input gives more values, or more bytes of
	// values and meanings, than MaxCallEnumValues and MaxCallEnumBytes.
	ErrTooManyEnumValues = errors.New("too many allowed values")
	// ErrEnumValuesDifferInCase: two values differ only in case ("Bug",
	// "bug"), so an answer "BUG" could mean either.
	ErrEnumValuesDifferInCase = errors.New("allowed values that differ only in case")
)

// The bounds of the values (and their meanings) one input field gives a
// call. Each value is in the schema, instructions and re-asks of every ask,
// and the input's schema, which would tell a caller its own bounds, is not
// checked when Go code calls the tool, so the runtime holds them here.
const (
	MaxCallEnumValues = 256
	MaxCallEnumBytes  = 16 << 10
	// MaxCallMeaningRunes is the length a caller's meaning of a value is
	// cut to, on one line, in {{enum}}.
	MaxCallMeaningRunes = 200
)

// maxCallTools bounds the tools compiled for label sets that are kept; with
// MaxCallEnumBytes it bounds the cache's memory.
const maxCallTools = 32

// A schemaNode is a JSON Schema value read with the offset of its closing
// brace, where an object's keywords can be added.
type schemaNode struct {
	obj map[string]*schemaNode
	arr []*schemaNode
	val any
	end int // an object's "}"
}

func readSchemaNode(dec *json.Decoder, depth int) (*schemaNode, error) {
	if depth > 1000 {
		return nil, errors.New("the schema nests too deep")
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	n := &schemaNode{}
	switch tok {
	case json.Delim('{'):
		n.obj = map[string]*schemaNode{}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, err
			}
			child, err := readSchemaNode(dec, depth+1)
			if err != nil {
				return nil, err
			}
			n.obj[k.(string)] = child
		}
		if _, err := dec.Token(); err != nil {
			return nil, err
		}
		n.end = int(dec.InputOffset()) - 1
	case json.Delim('['):
		for dec.More() {
			child, err := readSchemaNode(dec, depth+1)
			if err != nil {
				return nil, err
			}
			n.arr = append(n.arr, child)
		}
		if _, err := dec.Token(); err != nil {
			return nil, err
		}
	default:
		n.val = tok
	}
	return n, nil
}

// at returns the schemas of the values at an {{enum}}-style path below n,
// through the branches of oneOf and anyOf (but for null's); a reference on
// the way is an error, since its schema is shared with other places.
func (n *schemaNode) at(path string) ([]*schemaNode, error) {
	if n == nil || n.obj == nil {
		return nil, nil
	}
	if _, ref := n.obj["$ref"]; ref {
		return nil, errors.New("the path goes through a reference (a recursive type), whose schema other values share")
	}
	var found []*schemaNode
	branched := false
	for _, k := range []string{"oneOf", "anyOf"} {
		for _, b := range n.obj[k].arrOrNil() {
			if t := b.obj["type"]; t != nil && t.val == "null" {
				continue
			}
			branched = true
			more, err := b.at(path)
			if err != nil {
				return nil, err
			}
			found = append(found, more...)
		}
	}
	if branched {
		return found, nil
	}
	var next *schemaNode
	switch {
	case path == "":
		return []*schemaNode{n}, nil
	case strings.HasPrefix(path, "[]"):
		next, path = n.obj["items"], strings.TrimPrefix(path[2:], ".")
	case strings.HasPrefix(path, "*"):
		next, path = n.obj["additionalProperties"], strings.TrimPrefix(path[1:], ".")
	default:
		end := strings.IndexAny(path, ".[")
		if end < 0 {
			end = len(path)
		}
		var step string
		step, path = path[:end], strings.TrimPrefix(path[end:], ".")
		if props := n.obj["properties"]; props != nil {
			next = props.obj[step]
		}
	}
	return next.at(path)
}

func (n *schemaNode) arrOrNil() []*schemaNode {
	if n == nil {
		return nil
	}
	return n.arr
}

// inputEnumSites checks that each input enum names plain string values of
// the output schema, once, and returns the offsets in the schema's text
// where each one's enum goes.
func inputEnumSites[In any](schema string, enums []EnumFromInput[In]) ([][]int, error) {
	dec := json.NewDecoder(strings.NewReader(schema))
	root, err := readSchemaNode(dec, 0)
	if err != nil {
		return nil, fmt.Errorf("output schema: %w", err)
	}
	sites := make([][]int, len(enums))
	seen := map[string]bool{}
	for i, e := range enums {
		if e.Values == nil {
			return nil, fmt.Errorf("input enum %q: no Values function", e.Path)
		}
		if seen[e.Path] {
			return nil, fmt.Errorf("input enum %q: given twice", e.Path)
		}
		seen[e.Path] = true
		nodes, err := root.at(e.Path)
		if err != nil {
			return nil, fmt.Errorf("input enum %q: %w", e.Path, err)
		}
		if len(nodes) == 0 {
			return nil, fmt.Errorf("input enum %q: the output schema has no value there", e.Path)
		}
		for _, n := range nodes {
			if t := n.obj["type"]; t == nil || t.val != "string" {
				return nil, fmt.Errorf("input enum %q: the output's value there is not a string", e.Path)
			}
			if n.obj["enum"] != nil || n.obj["const"] != nil {
				return nil, fmt.Errorf("input enum %q: the output's value there has allowed values of its own", e.Path)
			}
			sites[i] = append(sites[i], n.end)
		}
	}
	return sites, nil
}

// forCall returns the tool as the call of input in sees it: t itself, or,
// when the spec has EnumsFromInput, t compiled with the values in gives.
func (t *Tool[In, Out]) forCall(in In) (*Tool[In, Out], error) {
	if t.calls == nil {
		return t, nil
	}
	enums := make([]Enum, len(t.spec.EnumsFromInput))
	h := sha256.New()
	var num [binary.MaxVarintLen64]byte
	write := func(s string) {
		h.Write(num[:binary.PutUvarint(num[:], uint64(len(s)))])
		h.Write([]byte(s))
	}
	for i, ie := range t.spec.EnumsFromInput {
		values, err := callValues(ie.Values(in))
		if err != nil {
			return nil, fmt.Errorf("%s: the input's %s: %w", t.spec.Name, ie.Input, err)
		}
		if len(values) == 0 {
			return nil, fmt.Errorf("%s: the input's %s has %w, and the output's %s must be one of them: give at least one", t.spec.Name, ie.Input, ErrNoEnumValues, ie.Path)
		}
		enums[i] = Enum{Path: ie.Path, Values: values}
		write(ie.Path)
		for _, v := range values {
			write(v.Value.(string))
			write(v.Doc)
		}
	}
	key := string(h.Sum(nil))
	if tc := t.calls.get(key); tc != nil {
		return tc, nil
	}
	tc := &Tool[In, Out]{spec: t.spec, input: t.input, callEnums: enums}
	tc.spec.EnumsFromInput = nil
	tc.spec.OutputSchema = t.withEnums(enums)
	if err := tc.compileOutput(); err != nil {
		return nil, fmt.Errorf("%s: the output schema with the input's values: %w", t.spec.Name, err)
	}
	t.calls.put(key, tc)
	return tc, nil
}

// callValues returns the values a call's input gives, checked and without
// repeats (the first of each kept), each meaning on one line and cut to
// MaxCallMeaningRunes.
func callValues(values []EnumValue) ([]EnumValue, error) {
	if len(values) > MaxCallEnumValues {
		return nil, fmt.Errorf("%w: %d, and a call may give at most %d: give fewer, and add maxItems (or maxProperties) to the input field's schema so that callers are told", ErrTooManyEnumValues, len(values), MaxCallEnumValues)
	}
	weight := 0
	for _, v := range values {
		s, ok := v.Value.(string)
		if !ok {
			return nil, fmt.Errorf("a value is %T, not a string", v.Value)
		}
		weight += len(s) + len(v.Doc)
	}
	if weight > MaxCallEnumBytes {
		return nil, fmt.Errorf("%w: %d bytes of values and meanings, and a call may give at most %d: give fewer or shorter ones, and add maxItems and maxLength to the input field's schema so that callers are told", ErrTooManyEnumValues, weight, MaxCallEnumBytes)
	}
	seen := make(map[string]bool, len(values))
	folded := make(map[string]string, len(values))
	out := values[:0:0]
	for _, v := range values {
		s := v.Value.(string)
		if seen[s] {
			continue
		}
		seen[s] = true
		f := strings.ToLower(s)
		if other, ok := folded[f]; ok {
			return nil, fmt.Errorf("%w: %s and %s, so an answer in another case could mean either: give values that differ in more than case", ErrEnumValuesDifferInCase, clip(other, 64), clip(s, 64))
		}
		folded[f] = s
		out = append(out, EnumValue{Value: s, Doc: callerMeaning(v.Doc)})
	}
	return out, nil
}

// callerMeaning is a caller's meaning of a value as {{enum}} prints it: on
// one line, at most MaxCallMeaningRunes long.
func callerMeaning(doc string) string {
	doc = strings.Join(strings.Fields(doc), " ")
	if utf8.RuneCountInString(doc) <= MaxCallMeaningRunes {
		return doc
	}
	return strings.TrimRight(string([]rune(doc)[:MaxCallMeaningRunes]), " ") + "…"
}

// withEnums returns the output schema's text with each enum's values added
// at its sites.
func (t *Tool[In, Out]) withEnums(enums []Enum) string {
	type insert struct {
		at   int
		text []byte
	}
	var inserts []insert
	size := len(t.spec.OutputSchema)
	for i, e := range enums {
		list := make([]string, len(e.Values))
		for j, v := range e.Values {
			list[j] = v.Value.(string)
		}
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(list) // strings always encode
		text := append([]byte(`, "enum": `), bytes.TrimSuffix(b.Bytes(), []byte("\n"))...)
		for _, at := range t.enumSites[i] {
			inserts = append(inserts, insert{at, text})
			size += len(text)
		}
	}
	slices.SortFunc(inserts, func(a, b insert) int { return a.at - b.at })
	var out strings.Builder
	out.Grow(size)
	prev := 0
	for _, in := range inserts {
		out.WriteString(strings.TrimRight(t.spec.OutputSchema[prev:in.at], " \t\n"))
		out.Write(in.text)
		prev = in.at
	}
	out.WriteString(t.spec.OutputSchema[prev:])
	return out.String()
}

// callTools are the tools compiled for recent label sets, by a hash of the
// labels; the oldest goes first when it is full.
type callTools[In, Out any] struct {
	mu    sync.Mutex
	tools map[string]*Tool[In, Out]
	order []string
}

func newCallTools[In, Out any]() *callTools[In, Out] {
	return &callTools[In, Out]{tools: map[string]*Tool[In, Out]{}}
}

func (c *callTools[In, Out]) get(key string) *Tool[In, Out] {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.tools[key]
}

func (c *callTools[In, Out]) put(key string, t *Tool[In, Out]) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.tools[key]; ok {
		return
	}
	if len(c.order) >= maxCallTools {
		delete(c.tools, c.order[0])
		c.order = append(c.order[:0], c.order[1:]...)
	}
	c.tools[key] = t
	c.order = append(c.order, key)
}
