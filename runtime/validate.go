package runtime

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// validator is what output types (and types nested in them) implement to
// check what a schema cannot say. Its error goes back to the model.
type validator interface{ Validate() error }

var validatorType = reflect.TypeFor[validator]()

// validateAll calls Validate on v and on every value nested in it that has
// the method (with a value or pointer receiver), innermost first, and
// returns the first error with the JSON path of the value that failed.
func validateAll(v any) error {
	return walkValidate(reflect.ValueOf(v), "")
}

func walkValidate(v reflect.Value, path string) error {
	if !v.IsValid() {
		return nil
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return walkValidate(v.Elem(), path)
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
				child = path + "/" + cmp.Or(name, f.Name)
			}
			if err := walkValidate(v.Field(i), child); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if err := walkValidate(v.Index(i), fmt.Sprintf("%s/%d", path, i)); err != nil {
				return err
			}
		}
	case reflect.Map:
		// In key order: the first error becomes the re-ask, and a multi
		// round-trip call must ask the same thing on every replay.
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return cmp.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
		for _, k := range keys {
			if err := walkValidate(v.MapIndex(k), fmt.Sprintf("%s/%v", path, k)); err != nil {
				return err
			}
		}
	}
	if err := callValidate(v); err != nil {
		if path == "" {
			return err
		}
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// callValidate calls v's Validate method, reaching a pointer receiver
// through a copy when v is not addressable.
func callValidate(v reflect.Value) error {
	switch {
	case v.Type().Implements(validatorType):
		if (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && v.IsNil() {
			return nil
		}
		return v.Interface().(validator).Validate()
	case reflect.PointerTo(v.Type()).Implements(validatorType):
		p := reflect.New(v.Type())
		p.Elem().Set(v)
		return p.Interface().(validator).Validate()
	}
	return nil
}

func jsonName(f reflect.StructField) (name string, skip bool) {
	tag := f.Tag.Get("json")
	if tag == "-" {
		return "", true
	}
	name, _, _ = strings.Cut(tag, ",")
	return name, false
}
