package answer

import (
	"errors"
	"unsafe"

	"github.com/google/jsonschema-go/jsonschema"
)

// Valid reports whether data is strict JSON whose value is valid against
// schema as it stands, reading it once and building no value. It is quick to
// say yes and may say no to a valid value (one that omits a field with a
// default, say): follow a no with [Check].
func Valid(data []byte, schema *jsonschema.Resolved) bool {
	p := planFor(schema)
	// The scanner only reads the text while it runs and keeps none of it,
	// so it may read data's bytes in place.
	text := unsafe.String(unsafe.SliceData(data), len(data))
	return !p.loops && !p.dateTime && len(text) <= MaxInputBytes && p.verbatim(text)
}

// Check validates v, a value as encoding/json decodes JSON into an any,
// against schema, with the errors worded as Parse words them.
func Check(v any, schema *jsonschema.Resolved) error {
	p := planFor(schema)
	if p.loops {
		return errors.New("the schema refers to itself without end: no value can be checked against it")
	}
	var chk checker
	e := chk.check(v, p.root)
	if p.library {
		// jsonschema-go judges; the checker only words its verdict.
		if err := p.rs.Validate(v); err == nil {
			e = nil
		} else if e == nil {
			e = libraryError(err)
		}
	}
	if e == nil {
		e = p.dateTimeError(v)
	}
	if e != nil {
		return e
	}
	return nil
}
