package answer

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// decode decodes data, strict JSON, into out as encoding/json does, and
// words what does not fit the output type as an *Error at the value's path:
// a value the schema allows and the Go type cannot hold, such as an
// integer beyond int64 where the schema sets no bound
// ("/n: 9223372036854775808 does not fit in int64").
func decode(data []byte, out any) error {
	err := json.Unmarshal(data, out)
	if err == nil {
		return nil
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Type != nil && te.Offset > 0 && te.Offset <= int64(len(data)) {
		return &Error{Path: pathAt(data, int(te.Offset)-1), Msg: typeMismatch(te)}
	}
	return decodeError{err}
}

// A decodeError is an error of decoding into the output type other than a
// value it cannot hold (an UnmarshalJSON method's, say), its message cut to
// an excerpt.
type decodeError struct{ err error }

func (e decodeError) Error() string {
	return "the value does not fit the output type: " + clip(e.err.Error(), 4*showMax)
}

func (e decodeError) Unwrap() error { return e.err }

// typeMismatch says what of the value a Go type cannot hold.
func typeMismatch(te *json.UnmarshalTypeError) string {
	typ := clip(te.Type.String(), showMax)
	lit, isNumber := strings.CutPrefix(te.Value, "number ")
	if !isNumber {
		what := te.Value
		switch what {
		case "number", "string", "array", "object":
			what = article(what)
		case "bool":
			what = "a boolean"
		}
		return fmt.Sprintf("the output type %s cannot hold %s", typ, what)
	}
	whole := true
	if f, err := strconv.ParseFloat(lit, 64); err == nil && f != math.Trunc(f) {
		whole = false
	}
	lit = clip(lit, showMax)
	switch te.Type.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if !whole {
			return fmt.Sprintf("%s is not an integer, which the output type %s wants", lit, typ)
		}
		return fmt.Sprintf("%s does not fit in %s", lit, typ)
	case reflect.Float32, reflect.Float64:
		return fmt.Sprintf("%s does not fit in %s", lit, typ)
	}
	return fmt.Sprintf("the output type %s cannot hold the number %s", typ, lit)
}

// pathAt returns the JSON Pointer of the innermost value of data, strict
// JSON, that holds the byte at off: where encoding/json was in data when
// it found a value the Go type cannot hold (the last byte of a number, the
// bracket opening an object). It reads data only up to off.
func pathAt(data []byte, off int) string {
	w := pathWalker{sc: scanner{s: string(data)}, target: off}
	w.value()
	return pointer(w.found)
}

type pathWalker struct {
	sc     scanner
	target int
	segs   []seg
	found  []seg // the path of the last value begun at or before target
}

// value walks one value, and reports whether to go on: false once past
// the target or on text it cannot read.
func (w *pathWalker) value() bool {
	sc := &w.sc
	sc.space()
	if sc.i >= len(sc.s) || sc.i > w.target {
		return false
	}
	w.found = append(w.found[:0], w.segs...)
	switch c := sc.s[sc.i]; c {
	case '{', '[':
		sc.i++
		sc.space()
		closer := byte('}')
		if c == '[' {
			closer = ']'
		}
		if sc.i < len(sc.s) && sc.s[sc.i] == closer {
			sc.i++
			return true
		}
		for n := 0; ; n++ {
			s := seg{index: n}
			if c == '{' {
				sc.space()
				k, ok := sc.str()
				if !ok {
					return false
				}
				sc.space()
				if sc.i >= len(sc.s) || sc.s[sc.i] != ':' {
					return false
				}
				sc.i++
				s = seg{key: k, isKey: true}
			}
			w.segs = append(w.segs, s)
			if !w.value() {
				return false
			}
			w.segs = w.segs[:len(w.segs)-1]
			sc.space()
			if sc.i >= len(sc.s) {
				return false
			}
			switch sc.s[sc.i] {
			case ',':
				sc.i++
			case closer:
				sc.i++
				return true
			default:
				return false
			}
		}
	case '"':
		_, ok := sc.str()
		return ok
	default:
		// A number or a literal: up to the next delimiter.
		for sc.i < len(sc.s) && strings.IndexByte(",]} \t\r\n", sc.s[sc.i]) < 0 {
			sc.i++
		}
		return true
	}
}
