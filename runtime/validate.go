package runtime

import (
	"cmp"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// validator is what output types (and types nested in them) implement to
// check what a schema cannot say. Its error goes back to the model.
type validator interface{ Validate() error }

var validatorType = reflect.TypeFor[validator]()

// inputValidator is what an output type (or a type in it) implements
// instead of validator to check the answer against the call's input, such
// as findings that must point at lines of the code given.
type inputValidator[In any] interface{ Validate(In) error }

// maxValidateErrors bounds the Validate errors one value reports: enough for
// a model to fix everything it is told in one re-ask, few enough to keep
// the re-ask short.
const maxValidateErrors = 8

// validateAll calls Validate on v and on every value nested in it that has
// the method (with a value or pointer receiver), innermost first, and
// returns their errors, each with the JSON path of the value that failed
// (at most maxValidateErrors of them, then how many more there were). A
// Validate(In) method is called with in, the call's input.
func validateAll[In any](v any, in In) error {
	w := validateWalk{inputType: reflect.TypeFor[inputValidator[In]](), input: func(x any) error { return x.(inputValidator[In]).Validate(in) }}
	w.walk(reflect.ValueOf(v), "")
	switch {
	case len(w.errs) == 0:
		return nil
	case len(w.errs) == 1:
		return w.errs[0]
	}
	if w.more > 0 {
		w.errs = append(w.errs, fmt.Errorf("(and %d more)", w.more))
	}
	return errors.Join(w.errs...)
}

type validateWalk struct {
	errs []error
	more int
	// inputType is inputValidator[In] and input calls its method on a
	// value that implements it.
	inputType reflect.Type
	input     func(any) error
}

func (w *validateWalk) add(err error) {
	if len(w.errs) < maxValidateErrors {
		w.errs = append(w.errs, err)
	} else {
		w.more++
	}
}

func (w *validateWalk) walk(v reflect.Value, path string) {
	if !v.IsValid() {
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return
		}
		w.walk(v.Elem(), path)
		return
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, skip := jsonName(f)
			if skip {
				continue
			}
			child := path
			if !f.Anonymous || name != "" {
				child = path + "/" + pointerToken(cmp.Or(name, f.Name))
			}
			w.walk(v.Field(i), child)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			w.walk(v.Index(i), fmt.Sprintf("%s/%d", path, i))
		}
	case reflect.Map:
		// In key order: the errors become the re-ask, and a multi round-trip
		// call must ask the same thing on every replay.
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return cmp.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
		for _, k := range keys {
			w.walk(v.MapIndex(k), path+"/"+pointerToken(fmt.Sprint(k)))
		}
	}
	if err := w.callValidate(v); err != nil {
		if path != "" {
			err = fmt.Errorf("%s: %w", path, err)
		}
		w.add(err)
	}
}

// callValidate calls v's Validate method, of either form, reaching a
// pointer receiver through a copy when v is not addressable.
func (w *validateWalk) callValidate(v reflect.Value) error {
	call := func(x any) error { return x.(validator).Validate() }
	t := v.Type()
	switch {
	case t.Implements(validatorType):
	case reflect.PointerTo(t).Implements(validatorType):
	case w.inputType != nil && (t.Implements(w.inputType) || reflect.PointerTo(t).Implements(w.inputType)):
		call = w.input
	default:
		return nil
	}
	if (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && v.IsNil() {
		return nil
	}
	if t.Implements(validatorType) || w.inputType != nil && t.Implements(w.inputType) {
		return call(v.Interface())
	}
	p := reflect.New(t)
	p.Elem().Set(v)
	return call(p.Interface())
}

func jsonName(f reflect.StructField) (name string, skip bool) {
	tag := f.Tag.Get("json")
	if tag == "-" {
		return "", true
	}
	name, _, _ = strings.Cut(tag, ",")
	return name, false
}

// pointerToken escapes a name for a JSON Pointer, as the answer package's
// paths are: "~" as "~0" and "/" as "~1".
func pointerToken(name string) string {
	if !strings.ContainsAny(name, "~/") {
		return name
	}
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(name)
}
