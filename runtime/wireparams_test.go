package runtime

import (
	"reflect"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// wireFields must write every field go-sdk's sampling request has, under
// the same name: a go-sdk upgrade that adds one fails here.
func TestWireFieldsMirrorGoSDK(t *testing.T) {
	fields := func(typ reflect.Type) map[string]reflect.Type {
		m := map[string]reflect.Type{}
		for i := range typ.NumField() {
			f := typ.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name != "-" {
				m[name] = f.Type
			}
		}
		m["_meta"] = nil // metaRef stands for mcp.Meta, read when written
		return m
	}
	sdk, ours := fields(reflect.TypeFor[mcp.CreateMessageWithToolsParams]()), fields(reflect.TypeFor[wireFields]())
	if !reflect.DeepEqual(sdk, ours) {
		t.Errorf("fields differ:\n go-sdk %v\n ours   %v", sdk, ours)
	}
}
