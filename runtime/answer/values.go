package answer

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Values here are what the parser makes: nil, bool, float64, string, []any
// and map[string]any.

// canonical turns a value from elsewhere (a schema's enum, const or default)
// into the parser's types.
func canonical(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var p parser
	if c, ok := p.parseText(string(b)); ok {
		return c
	}
	return v
}

// typeOf is the JSON Schema type of v; a float64 with no fraction is an
// integer, as in jsonschema-go.
func typeOf(v any) types {
	switch v := v.(type) {
	case nil:
		return tNull
	case bool:
		return tBoolean
	case float64:
		if _, f := math.Modf(v); f == 0 {
			return tInteger
		}
		return tNumber
	case string:
		return tString
	case []any:
		return tArray
	case map[string]any:
		return tObject
	}
	return 0
}

func typeName(t types) string {
	for name, bit := range typeBits {
		if bit == t {
			return name
		}
	}
	return "unknown"
}

// equal reports whether two values are the same JSON value.
func equal(a, b any) bool {
	switch a := a.(type) {
	case nil:
		return b == nil
	case bool:
		b, ok := b.(bool)
		return ok && a == b
	case float64:
		b, ok := b.(float64)
		return ok && a == b
	case string:
		b, ok := b.(string)
		return ok && a == b
	case []any:
		b, ok := b.([]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !equal(a[i], b[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		b, ok := b.(map[string]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for k, av := range a {
			bv, ok := b[k]
			if !ok || !equal(av, bv) {
				return false
			}
		}
		return true
	}
	return false
}

// deepCopy copies the containers of v, so that a schema default put into
// one answer is not shared with the next.
func deepCopy(v any) any {
	switch v := v.(type) {
	case []any:
		c := make([]any, len(v))
		for i := range v {
			c[i] = deepCopy(v[i])
		}
		return c
	case map[string]any:
		c := make(map[string]any, len(v))
		for k, e := range v {
			c[k] = deepCopy(e)
		}
		return c
	}
	return v
}

// show writes v as JSON for a message, cut short when long.
func show(v any) string {
	switch v := v.(type) {
	case string:
		if len(v) <= 78 && plainASCII(v) {
			return `"` + v + `"`
		}
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(b) > 80 {
		cut := 77
		for cut > 0 && b[cut]&0xC0 == 0x80 {
			cut--
		}
		return string(b[:cut]) + "..."
	}
	return string(b)
}

// plainASCII reports whether s needs no escaping in JSON.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}

func showList[T any](vs []T) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = show(v)
	}
	return strings.Join(parts, ", ")
}

// article names a JSON type with its indefinite article.
func article(t string) string {
	switch t {
	case "integer", "array", "object":
		return "an " + t
	case "null":
		return "null"
	}
	return "a " + t
}

// typeWords says which types n allows: "a string or null".
func (n *node) typeWords() string {
	var words []string
	for _, t := range []types{tObject, tArray, tString, tNumber, tInteger, tBoolean, tNull} {
		if n.types&t != 0 {
			words = append(words, article(typeName(t)))
		}
	}
	return strings.Join(words, " or ")
}
