package answer

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
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

// showMax is the most bytes show writes: a value in a message is an
// excerpt, never the whole of a long string or a big object.
const showMax = 80

// show writes v as JSON for a message, cut short when long. It reads no
// more of v than the excerpt needs, so a 1 MB string or a list of a
// million items costs what a short one does.
func show(v any) string {
	switch v := v.(type) {
	case string:
		if len(v) <= showMax-2 && plainASCII(v) {
			return `"` + v + `"`
		}
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	b := appendShow(make([]byte, 0, 2*showMax), v)
	if len(b) > showMax {
		return clip(string(b), showMax)
	}
	return string(b)
}

// appendShow writes v as encoding/json does, stopping once b is longer
// than showMax: what comes after is cut by show.
func appendShow(b []byte, v any) []byte {
	if len(b) > showMax {
		return b
	}
	switch v := v.(type) {
	case string:
		// Enough of a long string to fill the excerpt, not all of it.
		j, _ := json.Marshal(prefix(v, 2*showMax))
		return append(b, j...)
	case []any:
		if v == nil {
			break
		}
		b = append(b, '[')
		for i, e := range v {
			if len(b) > showMax {
				return b
			}
			if i > 0 {
				b = append(b, ',')
			}
			b = appendShow(b, e)
		}
		return append(b, ']')
	case map[string]any:
		if v == nil {
			break
		}
		keys := slices.Sorted(maps.Keys(v))
		b = append(b, '{')
		for i, k := range keys {
			if len(b) > showMax {
				return b
			}
			if i > 0 {
				b = append(b, ',')
			}
			b = appendShow(b, k)
			b = append(b, ':')
			b = appendShow(b, v[k])
		}
		return append(b, '}')
	}
	j, err := json.Marshal(v)
	if err != nil {
		return fmt.Append(b, v)
	}
	return append(b, j...)
}

// prefix is s cut to at most n bytes, at the start of a character.
func prefix(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > n-utf8.UTFMax && cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

// clip cuts s to at most n bytes, ending it with "..." when it was cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return prefix(s, n-3) + "..."
}

// excerpt is s, or its start when s is long, for text of the model's that
// a message or a repair quotes with %q: a key, a word, a string read as a
// number.
func excerpt(s string) string { return clip(s, showMax-2) }

// plainASCII reports whether s needs no escaping in JSON.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}

// maxShownList is about the most bytes showList writes before it counts
// the rest: a schema's list of 500 enum values is told in part.
const maxShownList = 8 * showMax

// showList writes vs for a message, each with show, separated by commas;
// past maxShownList bytes it counts the rest ("and 412 more").
func showList[T any](vs []T) string {
	var b strings.Builder
	for i, v := range vs {
		if i > 0 {
			b.WriteString(", ")
		}
		if b.Len() > maxShownList {
			fmt.Fprintf(&b, "and %d more", len(vs)-i)
			break
		}
		b.WriteString(show(v))
	}
	return b.String()
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

// appendJSON writes v as JSON, as encoding/json would (keys sorted, numbers
// in the same notation, so an integral number decodes into an int field),
// without its reflection.
func appendJSON(b []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		return strconv.AppendBool(b, v)
	case float64:
		format := byte('f')
		if a := math.Abs(v); a != 0 && (a < 1e-6 || a >= 1e21) {
			format = 'e'
		}
		return strconv.AppendFloat(b, v, format, -1, 64)
	case string:
		return appendString(b, v)
	case []any:
		b = append(b, '[')
		for i, e := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSON(b, e)
		}
		return append(b, ']')
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, k)
			b = append(b, ':')
			b = appendJSON(b, v[k])
		}
		return append(b, '}')
	}
	j, _ := json.Marshal(v)
	return append(b, j...)
}

func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
