package answer

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/google/jsonschema-go/jsonschema"
)

// coerce moves v towards schema where the model's intent is unambiguous,
// recording each change. What it cannot fix it leaves for validation to
// report.
func coerce(v any, s *jsonschema.Schema, path string, repairs *[]Repair) any {
	if s == nil {
		return v
	}
	if len(s.Enum) > 0 {
		return coerceEnum(v, s.Enum, path, repairs)
	}
	switch {
	case hasType(s, "object"):
		m, ok := v.(map[string]any)
		if !ok {
			return v
		}
		for k, child := range m {
			ps, known := s.Properties[k]
			if !known {
				if s.AdditionalProperties != nil && s.AdditionalProperties.Not != nil {
					delete(m, k)
					*repairs = append(*repairs, Repair{Path: path + "/" + k, Kind: KindUnknownKey, Detail: fmt.Sprintf("dropped key %q, which the schema does not allow", k)})
				}
				continue
			}
			m[k] = coerce(child, ps, path+"/"+k, repairs)
		}
		for _, k := range slices.Sorted(maps.Keys(s.Properties)) {
			ps := s.Properties[k]
			if _, present := m[k]; present || ps.Default == nil {
				continue
			}
			var d any
			if err := json.Unmarshal(ps.Default, &d); err == nil {
				m[k] = d
				*repairs = append(*repairs, Repair{Path: path + "/" + k, Kind: KindDefault, Detail: fmt.Sprintf("missing; took the default %s", ps.Default)})
			}
		}
		return m
	case hasType(s, "array"):
		a, ok := v.([]any)
		if !ok {
			return v
		}
		for i := range a {
			a[i] = coerce(a[i], s.Items, fmt.Sprintf("%s/%d", path, i), repairs)
		}
		return a
	case hasType(s, "number"), hasType(s, "integer"):
		if str, ok := v.(string); ok {
			if f, err := strconv.ParseFloat(strings.TrimSpace(str), 64); err == nil {
				*repairs = append(*repairs, Repair{Path: path, Kind: KindNumber, Detail: fmt.Sprintf("read the number %v from the string %q", f, str)})
				return f
			}
		}
	case hasType(s, "boolean"):
		if str, ok := v.(string); ok {
			if b, err := strconv.ParseBool(strings.ToLower(strings.TrimSpace(str))); err == nil {
				*repairs = append(*repairs, Repair{Path: path, Kind: KindBoolean, Detail: fmt.Sprintf("read %v from the string %q", b, str)})
				return b
			}
		}
	}
	return v
}

// coerceEnum matches a string to an enum value ignoring case, spaces,
// hyphens and underscores; it changes nothing unless exactly one value matches.
func coerceEnum(v any, enum []any, path string, repairs *[]Repair) any {
	str, ok := v.(string)
	if !ok || slices.Contains(enum, v) {
		return v
	}
	var match any
	n := 0
	for _, e := range enum {
		if es, ok := e.(string); ok && foldEnum(es) == foldEnum(str) {
			match = e
			n++
		}
	}
	if n != 1 {
		return v
	}
	*repairs = append(*repairs, Repair{Path: path, Kind: KindEnumCase, Detail: fmt.Sprintf("%q → %q", str, match)})
	return match
}

func foldEnum(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.NewReplacer(" ", "", "-", "", "_", "").Replace(s)
}

func hasType(s *jsonschema.Schema, t string) bool {
	return s.Type == t || slices.Contains(s.Types, t)
}
