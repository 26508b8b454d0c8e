package prompt

import (
	"reflect"
	"testing"
)

func TestListedEnums(t *testing.T) {
	src := `{{define "system"}}Kinds: {{enum "kind"}}{{end -}}
{{if .A}}{{enum "a.level"}}{{else}}{{with .B}}{{range .C}}{{enum "items[].tag" | indent 2}}{{end}}{{end}}{{end}}
{{define "x"}}{{printf "%s" (enum "nested")}}{{end}}{{template "x" .}}
{{enum .Dynamic}}{{json "enum"}}{{enum "input:tone"}}{{enum "output:score"}}`
	tmpl, err := Parse("t", src, "")
	if err != nil {
		t.Fatal(err)
	}
	got := ListedEnums(tmpl)
	want := map[string]bool{"kind": true, "a.level": true, "items[].tag": true, "nested": true, "score": true}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ListedEnums = %v, want %v", got, want)
	}
}
