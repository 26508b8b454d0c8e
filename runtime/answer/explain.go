package answer

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/jsonschema-go/jsonschema"
)

// explain finds the first place where v breaks s and says, for the model,
// where it is, what was expected and what came. The validator stays the
// judge of validity; explain only words its verdict. It returns nil when it
// finds nothing to say (a keyword it does not word), and the caller then
// uses the validator's own message.
func explain(v any, s *jsonschema.Schema, path string) *Error {
	if s == nil {
		return nil
	}
	at := func(format string, args ...any) *Error {
		return &Error{Path: path, Msg: fmt.Sprintf(format, args...)}
	}
	if t := jsonType(v); !typeAllowed(s, t) {
		return at("expected %s, got %s %s", typeWords(s), article(t), show(v))
	}
	if len(s.Enum) > 0 && !slices.ContainsFunc(s.Enum, func(e any) bool { return jsonEqual(e, v) }) {
		return at("expected one of %s, got %s", showList(s.Enum), show(v))
	}
	if s.Const != nil && !jsonEqual(*s.Const, v) {
		return at("expected exactly %s, got %s", show(*s.Const), show(v))
	}
	switch v := v.(type) {
	case float64:
		switch {
		case s.Minimum != nil && v < *s.Minimum:
			return at("%s is below the minimum %s", show(v), show(*s.Minimum))
		case s.Maximum != nil && v > *s.Maximum:
			return at("%s is above the maximum %s", show(v), show(*s.Maximum))
		case s.ExclusiveMinimum != nil && v <= *s.ExclusiveMinimum:
			return at("%s must be greater than %s", show(v), show(*s.ExclusiveMinimum))
		case s.ExclusiveMaximum != nil && v >= *s.ExclusiveMaximum:
			return at("%s must be less than %s", show(v), show(*s.ExclusiveMaximum))
		}
	case string:
		n := utf8.RuneCountInString(v)
		switch {
		case s.MinLength != nil && n < *s.MinLength:
			return at("%s is %d characters long, shorter than the minimum %d", show(v), n, *s.MinLength)
		case s.MaxLength != nil && n > *s.MaxLength:
			return at("the string is %d characters long, longer than the maximum %d", n, *s.MaxLength)
		case s.Pattern != "":
			if re, err := regexp.Compile(s.Pattern); err == nil && !re.MatchString(v) {
				return at("%s does not match the pattern %s", show(v), s.Pattern)
			}
		}
	case []any:
		switch {
		case s.MinItems != nil && len(v) < *s.MinItems:
			return at("expected at least %d items, got %d", *s.MinItems, len(v))
		case s.MaxItems != nil && len(v) > *s.MaxItems:
			return at("expected at most %d items, got %d", *s.MaxItems, len(v))
		}
		for i, item := range v {
			if e := explain(item, s.Items, fmt.Sprintf("%s/%d", path, i)); e != nil {
				return e
			}
		}
	case map[string]any:
		for _, k := range s.Required {
			if _, ok := v[k]; !ok {
				return &Error{Path: path + "/" + k, Msg: "this required field is missing"}
			}
		}
		keys := slices.Sorted(func(yield func(string) bool) {
			for k := range v {
				if !yield(k) {
					return
				}
			}
		})
		for _, k := range keys {
			ps, ok := s.Properties[k]
			if !ok {
				if s.AdditionalProperties != nil && s.AdditionalProperties.Not != nil {
					return &Error{Path: path + "/" + k, Msg: fmt.Sprintf("unexpected field; the allowed fields are %s", showList(sortedKeys(s.Properties)))}
				}
				continue
			}
			if e := explain(v[k], ps, path+"/"+k); e != nil {
				return e
			}
		}
	}
	return nil
}

func jsonType(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64:
		if v == float64(int64(v)) {
			return "integer"
		}
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

func typeAllowed(s *jsonschema.Schema, t string) bool {
	types := s.Types
	if s.Type != "" {
		types = []string{s.Type}
	}
	if len(types) == 0 {
		return true
	}
	return slices.Contains(types, t) || (t == "integer" && slices.Contains(types, "number"))
}

func typeWords(s *jsonschema.Schema) string {
	types := s.Types
	if s.Type != "" {
		types = []string{s.Type}
	}
	words := make([]string, len(types))
	for i, t := range types {
		words[i] = article(t)
	}
	return strings.Join(words, " or ")
}

func article(t string) string {
	switch t {
	case "integer", "array", "object":
		return "an " + t
	case "null":
		return "null"
	}
	return "a " + t
}

func show(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(b) > 80 {
		return string(b[:77]) + "..."
	}
	return string(b)
}

func showList[T any](vs []T) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = show(v)
	}
	return strings.Join(parts, ", ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func jsonEqual(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}
