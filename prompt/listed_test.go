package prompt

import (
	"reflect"
	"testing"
)

func TestListedEnums(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      map[string]bool
	}{{
		name: "unconditional actions, pipes and arguments",
		src:  `{{enum "kind"}} {{enum "items[].tag" | indent 2}} {{printf "%s" (enum "nested")}} {{enum "output:score"}}`,
		want: map[string]bool{"kind": true, "items[].tag": true, "nested": true, "score": true},
	}, {
		name: "the system block counts",
		src:  `{{define "system"}}Kinds: {{enum "kind"}}{{end}}Classify.`,
		want: map[string]bool{"kind": true},
	}, {
		name: "a template called unconditionally, and the one it calls",
		src:  `{{define "x"}}{{enum "a"}}{{template "y"}}{{end}}{{define "y"}}{{enum "b"}}{{end}}{{template "x" .}}`,
		want: map[string]bool{"a": true, "b": true},
	}, {
		name: "in both branches of an if or a with",
		src:  `{{if .A}}{{enum "a"}}{{enum "only-then"}}{{else if .B}}{{enum "a"}}{{else}}{{enum "a"}}{{end}}{{with .C}}{{enum "c"}}{{else}}{{enum "c"}}{{end}}`,
		want: map[string]bool{"a": true, "c": true},
	}, {
		name: "under one branch only",
		src:  `Classify.{{if .Verbose}}{{enum "kind"}}{{end}}{{with .B}}{{enum "b"}}{{end}}{{if .C}}x{{else}}{{enum "c"}}{{end}}`,
		want: map[string]bool{},
	}, {
		name: "in a range, even with an else",
		src:  `{{range .Items}}{{enum "kind"}}{{else}}{{enum "kind"}}{{end}}`,
		want: map[string]bool{},
	}, {
		name: "a template called only under a branch, or never",
		src:  `{{define "x"}}{{enum "a"}}{{end}}{{define "never"}}{{enum "b"}}{{end}}{{if .A}}{{template "x"}}{{end}}`,
		want: map[string]bool{},
	}, {
		name: "a system block called by nothing else still counts, its branches do not",
		src:  `{{define "system"}}{{if .A}}{{enum "a"}}{{end}}{{end}}Text.`,
		want: map[string]bool{},
	}, {
		name: "conditions, variables, dynamic and input paths",
		src:  `{{if enum "a"}}x{{end}}{{$k := enum "b"}}{{$k}}{{enum .Dynamic}}{{json "enum"}}{{enum "input:tone"}}`,
		want: map[string]bool{},
	}, {
		name: "recursive templates end",
		src:  `{{define "x"}}{{enum "a"}}{{template "x" .}}{{end}}{{template "x" .}}`,
		want: map[string]bool{"a": true},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			tmpl, err := Parse("t", tc.src, "")
			if err != nil {
				t.Fatal(err)
			}
			if got := ListedEnums(tmpl); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ListedEnums = %v, want %v", got, tc.want)
			}
		})
	}
}
