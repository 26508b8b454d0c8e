package answer

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/google/jsonschema-go/jsonschema"
)

// StopMaxTokens is the MCP stop reason of an answer cut off at the token limit.
const StopMaxTokens = "maxTokens"

// A Repair is one change made to the model's answer to get a valid value.
type Repair struct {
	Path   string `json:"path,omitempty"` // JSON Pointer into the value; "" for the answer as a whole
	Kind   string `json:"kind"`           // one of the Kind constants
	Detail string `json:"detail"`         // what was changed, for people
}

// Kinds of [Repair].
const (
	KindThink         = "think"          // a <think> block was set aside
	KindFence         = "fence"          // the JSON came out of a Markdown fence
	KindProse         = "prose"          // the JSON came out of surrounding prose
	KindTrailingComma = "trailing-comma" // a comma before } or ] was dropped
	KindEnumCase      = "enum-case"      // an enum value matched when case and spacing were ignored
	KindNumber        = "number"         // a number was read from a string
	KindBoolean       = "boolean"        // a boolean was read from a string
	KindUnknownKey    = "unknown-key"    // a key the schema forbids was dropped
	KindDefault       = "default"        // a missing field took its schema default
)

func (r Repair) String() string {
	if r.Path == "" {
		return r.Kind + ": " + r.Detail
	}
	return r.Path + ": " + r.Kind + ": " + r.Detail
}

// An Error says why an answer gave no valid value. Its message is written to
// be sent back to the model.
type Error struct {
	Path      string // JSON Pointer of the offending value; "" for the whole answer
	Msg       string
	Truncated bool // the answer was cut off at the token limit
}

func (e *Error) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// ErrTruncated is matched by errors.Is for answers cut off at the token limit.
var ErrTruncated = errors.New("answer cut off at the token limit")

// Is reports whether target is ErrTruncated and e is a truncation.
func (e *Error) Is(target error) bool { return target == ErrTruncated && e.Truncated }

// Parse finds the value in text that best fits schema. stopReason is the
// sampling result's stop reason. It returns the value (as produced by
// encoding/json into any) and the repairs made, or an *Error.
func Parse(text, stopReason string, schema *jsonschema.Resolved) (any, []Repair, error) {
	truncated := stopReason == StopMaxTokens
	body, thinkRepairs := stripThink(text)

	var best, failed *attempt
	for _, c := range candidates(body) {
		if truncated && !c.complete {
			continue
		}
		a := try(c, schema)
		if a.err != nil {
			// Report the failure of the first candidate that decoded: its
			// schema error says more to the model than a syntax error.
			if failed == nil || (a.parsed && !failed.parsed) {
				failed = a
			}
			continue
		}
		if best == nil || a.cost() < best.cost() {
			best = a
		}
	}
	if best != nil {
		return best.value, append(thinkRepairs, best.repairs...), nil
	}
	switch {
	case truncated:
		return nil, nil, &Error{Truncated: true, Msg: "the answer was cut off at the token limit before the JSON value was complete; answer again, more briefly"}
	case failed != nil:
		return nil, append(thinkRepairs, failed.repairs...), failed.err
	default:
		return nil, nil, &Error{Msg: msgNoJSON}
	}
}

const msgNoJSON = "the answer holds no JSON value; answer with the JSON value only"

// looksLikeJSON reports whether text starts the way a JSON value does, so
// that plain prose is called what it is rather than "invalid JSON".
func looksLikeJSON(text string) bool {
	return text != "" && strings.IndexByte(`{["-0123456789tfn`, text[0]) >= 0
}

type attempt struct {
	value   any
	repairs []Repair
	err     *Error
	parsed  bool // the candidate decoded as JSON
}

// cost prefers fewer repairs; a candidate that needed no repair at all wins.
func (a *attempt) cost() int { return len(a.repairs) }

func try(c candidate, schema *jsonschema.Resolved) *attempt {
	a := &attempt{}
	if c.repair != nil {
		a.repairs = append(a.repairs, *c.repair)
	}
	var v any
	if err := json.Unmarshal([]byte(c.text), &v); err != nil {
		fixed, n := dropTrailingCommas(c.text)
		if n == 0 || json.Unmarshal([]byte(fixed), &v) != nil {
			a.err = &Error{Msg: fmt.Sprintf("not valid JSON: %v", err)}
			if !looksLikeJSON(c.text) {
				a.err = &Error{Msg: msgNoJSON}
			}
			return a
		}
		a.repairs = append(a.repairs, Repair{Kind: KindTrailingComma, Detail: fmt.Sprintf("dropped %d trailing comma(s)", n)})
	}
	a.parsed = true
	v = coerce(v, schema.Schema(), "", &a.repairs)
	if err := schema.Validate(v); err != nil {
		a.err = explain(v, schema.Schema(), "")
		if a.err == nil {
			a.err = validationError(err)
		}
		return a
	}
	a.value = v
	return a
}

// validationError rewords a jsonschema-go error for the model: the library
// nests "validating ..." prefixes; the last clause is the one that says what
// is wrong.
func validationError(err error) *Error {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": validating "); i >= 0 {
		msg = msg[i+len(": validating "):]
	}
	msg = strings.TrimPrefix(msg, "validating ")
	return &Error{Msg: "the value does not match the schema: " + msg}
}
