package language_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"

	"github.com/samplegen/samplegen/templates/language"
)

// The constants' comments are what the model is shown as each code's
// meaning, and Code.Name is what Go callers read: codes.go writes them
// twice, so this holds the two equal.
func TestNamesAreTheConstantsComments(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "codes.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			if len(vs.Values) != 1 || vs.Comment == nil {
				continue
			}
			lit, ok := vs.Values[0].(*ast.BasicLit)
			if !ok {
				continue
			}
			code, _ := strconv.Unquote(lit.Value)
			want := strings.TrimSpace(vs.Comment.Text())
			if got := language.Code(code).Name(); got != want {
				t.Errorf("%s (%q).Name() = %q, but its comment says %q", vs.Names[0].Name, code, got, want)
			}
			seen++
		}
	}
	if seen != len(language.Codes()) {
		t.Errorf("codes.go comments %d constants, Codes() has %d", seen, len(language.Codes()))
	}
}
