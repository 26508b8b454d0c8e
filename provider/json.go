package provider

import (
	"encoding/json"
	"errors"
	"fmt"
)

// JSON that reaches the adapters in many Go shapes: a schema or metadata
// is a map where a client decoded it from MCP's wire, json.RawMessage
// where a samplegen server built it, or a typed value.

// jsonValue returns v as decoded JSON (maps, slices, strings, float64s):
// v itself where it is a map already, v decoded where it holds JSON text
// (json.RawMessage, []byte, string), v marshalled and decoded otherwise.
func jsonValue(v any) (any, error) {
	var raw []byte
	switch v := v.(type) {
	case map[string]any:
		if v == nil {
			return map[string]any{}, nil // no keys, though json.Marshal would write null
		}
		return v, nil
	case json.RawMessage:
		raw = v
	case []byte:
		raw = v
	case string:
		raw = []byte(v)
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		raw = b
	}
	var out any
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// jsonObject is [jsonValue] for a value that must be a JSON object.
func jsonObject(v any) (map[string]any, error) {
	decoded, err := jsonValue(v)
	if err != nil {
		return nil, fmt.Errorf("not JSON: %w", err)
	}
	obj, ok := decoded.(map[string]any)
	if !ok || obj == nil { // obj is nil for JSON null
		return nil, errors.New("not a JSON object")
	}
	return obj, nil
}
