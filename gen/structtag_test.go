package gen

import (
	"strings"
	"testing"
)

// Struct tags are read as reflect reads them, and a mistake that makes
// reflect drop keys is named.
func TestCheckStructTag(t *testing.T) {
	for _, tc := range []struct{ tag, want string }{
		{``, ""},
		{`json:"a"`, ""},
		{`json:"a" jsonschema:"description=x\"y\",minimum=1"`, ""},
		{`  json:"a"   yaml:"b"  `, ""},
		{`json:a`, "the value of json is not quoted"},
		{`json:"a" jsonschema:description=x`, "the value of jsonschema is not quoted"},
		{`json:"a"jsonschema:"x"`, "not followed by a space"},
		{`json "a"`, `key "json" is not followed by a colon`},
		{`json`, `key "json" has no value`},
		{`json:"a`, "has no closing quote"},
		{`:"a"`, "a key is missing"},
		{`json:"a\q"`, "not a Go string literal"},
	} {
		err := checkStructTag(tc.tag)
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("checkStructTag(%q) = %v, want %q", tc.tag, err, tc.want)
		}
	}
}
