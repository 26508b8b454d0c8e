package parity

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"unicode/utf8"
)

// fieldDocs are the comments of the struct fields declared in the source
// of the package under test (the working directory), read as invopop's
// AddGoComments reads them: the doc comment, else the line comment, of
// each named field of a struct type declaration.
type fieldDocs struct {
	byField  map[string]string // "Type.Field": the text as invopop keeps it
	exported map[string]bool   // by type name
	declared map[string]bool
}

var localDocs = sync.OnceValue(func() *fieldDocs {
	d := &fieldDocs{byField: map[string]string{}, exported: map[string]bool{}, declared: map[string]bool{}}
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			continue
		}
		f, err := parser.ParseFile(fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			continue
		}
		for _, decl := range f.Decls {
			g, ok := decl.(*ast.GenDecl)
			if !ok || g.Tok != token.TYPE {
				continue
			}
			for _, spec := range g.Specs {
				ts := spec.(*ast.TypeSpec)
				d.declared[ts.Name.Name] = true
				st, ok := ts.Type.(*ast.StructType)
				if !ok || ts.Assign.IsValid() {
					continue
				}
				d.exported[ts.Name.Name] = ast.IsExported(ts.Name.Name)
				for _, field := range st.Fields.List {
					txt := field.Doc.Text()
					if txt == "" {
						txt = field.Comment.Text()
					}
					for _, n := range field.Names {
						if txt != "" && ast.IsExported(n.Name) {
							d.byField[ts.Name.Name+"."+n.Name] = strings.TrimSpace(txt)
						}
					}
				}
			}
		}
	}
	return d
})

// packageOf returns the package path of the type under test t when it is
// (or holds, as the struct ReflectWithKeys makes does) a named type declared
// in the source, else "".
func (d *fieldDocs) packageOf(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Name() == "" && t.Kind() == reflect.Struct && t.NumField() == 1 {
		t = t.Field(0).Type
	}
	name, _, _ := strings.Cut(t.Name(), "[")
	if d.declared[name] {
		return t.PkgPath()
	}
	return ""
}

// lookupComment is the reflector's LookupComment: the rule field-comments.
func (p *reflector) lookupComment(t reflect.Type, field string) string {
	if field == "" || p.docs == nil {
		return ""
	}
	name, _, generic := strings.Cut(t.Name(), "[")
	if !p.docs.declared[name] || !p.local(t) {
		return ""
	}
	raw, ok := p.docs.byField[name+"."+field]
	if !ok {
		return ""
	}
	text := clip(strings.Join(strings.Fields(raw), " "), 1000)
	// What invopop's own comment map would give: the raw text, for
	// exported types that are not generic instances.
	if invopop := raw; generic || !p.docs.exported[name] || invopop != text {
		p.used["field-comments"] = true
	}
	return text
}

// local reports whether t is declared in the package under test: the
// package of a tool's type declared in its source.
func (p *reflector) local(t reflect.Type) bool {
	return p.pkgPath != "" && t.PkgPath() == p.pkgPath
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n-len(" ...")+1], ' ')
	if cut <= 0 {
		cut = n - len(" ...")
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
	}
	return s[:cut] + " ..."
}
