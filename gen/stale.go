package gen

import (
	"go/types"
	"strconv"
	"strings"
	"unicode"

	"github.com/dave/jennifer/jen"
)

// Stale generated code fails the build. The schemas in a generated file
// are built from the fields of struct types; when a field changes and
// nobody runs go generate, the tool would still build and tell the model
// the old shape, and encoding/json would silently drop a new field. So the
// file asserts, for each struct type a schema was built from, that the
// type still has the fields it had: a named struct type is assignable to
// an unnamed struct type only when their fields are identical, names,
// types, tags, embedding and order. A mismatch fails go build and go vet
// of the package with
//
//	cannot use T{} (value of struct type T) as struct{...} value in argument to
//	samplegenSameFields[struct{...}]("T has changed since samplegen ran: run go generate")
//
// The check costs nothing at run time: it sits in a function named _,
// which is type-checked and never called.

// sameFieldsName is the generic function the checks call; one per
// generated file.
const sameFieldsName = "samplegenSameFields"

// A structShape is a struct type a schema was built from, with its fields
// as they were: the generated file asserts the type still has them.
type structShape struct {
	Name   string // the type as messages name it, such as "Page[string]"
	Type   goExpr // the type as the generated code writes it
	Fields []fieldShape
}

// A fieldShape is one field of a structShape.
type fieldShape struct {
	Name     string
	Embedded bool // the field is its Type, with no name written
	Type     goExpr
	Tag      string
}

// A goExpr is a Go type expression for the generated file: pieces of Go
// source and names of other packages, which the emitter qualifies with the
// names it gives their imports.
type goExpr []goExprPart

// A goExprPart is Go source, or, when Path is set, the name Text of the
// package at Path (whose package name is PkgName).
type goExprPart struct {
	Text          string
	Path, PkgName string
}

// noteShape records that a schema was built from the fields of the named
// struct type t.
func (l *pkgLoader) noteShape(t *types.Named) {
	if _, isStruct := t.Underlying().(*types.Struct); !isStruct {
		return
	}
	for _, s := range l.shapes {
		if types.Identical(s, t) {
			return
		}
	}
	l.shapes = append(l.shapes, t)
}

// structShapes returns the shapes of the struct types noted, in the order
// the schemas met them, leaving out those the generated file cannot name.
func (l *pkgLoader) structShapes() []structShape {
	var out []structShape
	for _, t := range l.shapes {
		// A struct type of another module is left to samplegen -check,
		// which compares the whole file: asserting it would make an
		// upgrade of the dependency that adds a field break the build of
		// every package that imports this one, which could not even be
		// generated again where it sits in the module cache.
		if !l.inOwnModule(t.Obj().Pkg()) {
			continue
		}
		// One of another package of the module is checked only when this
		// package can write it out: its unexported fields belong to that
		// package (a struct literal here would declare fields of this one),
		// and so do its unexported types and its internal packages.
		if !l.canWrite(t, true) {
			continue
		}
		st := t.Underlying().(*types.Struct)
		s := structShape{Name: l.typeString(t), Type: l.typeExpr(t)}
		for i := range st.NumFields() {
			f := st.Field(i)
			s.Fields = append(s.Fields, fieldShape{Name: f.Name(), Embedded: f.Embedded(), Type: l.typeExpr(f.Type()), Tag: st.Tag(i)})
		}
		out = append(out, s)
	}
	return out
}

// inOwnModule reports whether pkg is of the module of the package being
// generated (by its path: a module nested in this one counts as this one),
// or is that package itself where the module is unknown.
func (l *pkgLoader) inOwnModule(pkg *types.Package) bool {
	if pkg == nil || pkg == l.p.Types {
		return pkg != nil
	}
	mod := l.p.ModulePath
	return mod != "" && (pkg.Path() == mod || strings.HasPrefix(pkg.Path(), mod+"/"))
}

// canWrite reports whether the package's own code can write the type t,
// and with fields, each of the fields of a struct type t has.
func (l *pkgLoader) canWrite(t types.Type, fields bool) bool {
	seen := map[types.Type]bool{}
	var ok func(t types.Type) bool
	ok = func(t types.Type) bool {
		if seen[t] {
			return true
		}
		seen[t] = true
		switch t := t.(type) {
		case *types.Basic:
			return t.Kind() != types.Invalid && t.Info()&types.IsUntyped == 0
		case *types.Alias:
			return l.canName(t.Obj()) && typeArgsOK(t.TypeArgs(), ok)
		case *types.Named:
			return l.canName(t.Obj()) && typeArgsOK(t.TypeArgs(), ok)
		case *types.Pointer:
			return ok(t.Elem())
		case *types.Slice:
			return ok(t.Elem())
		case *types.Array:
			return ok(t.Elem())
		case *types.Map:
			return ok(t.Key()) && ok(t.Elem())
		case *types.Chan:
			return ok(t.Elem())
		case *types.Struct:
			for f := range t.Fields() {
				if (!f.Exported() && f.Pkg() != l.p.Types) || !ok(f.Type()) {
					return false
				}
			}
			return true
		case *types.Signature:
			for _, tuple := range []*types.Tuple{t.Params(), t.Results()} {
				for v := range tuple.Variables() {
					if !ok(v.Type()) {
						return false
					}
				}
			}
			return t.TypeParams().Len() == 0
		case *types.Interface:
			for m := range t.Methods() {
				if (!m.Exported() && m.Pkg() != l.p.Types) || !ok(m.Type()) {
					return false
				}
			}
			for e := range t.EmbeddedTypes() {
				if !ok(e) {
					return false
				}
			}
			return true
		case *types.Union:
			for i := range t.Len() {
				if !ok(t.Term(i).Type()) {
					return false
				}
			}
			return true
		}
		return false // a type parameter, a tuple
	}
	if named, isNamed := t.(*types.Named); isNamed && fields {
		return ok(named) && ok(named.Underlying())
	}
	return ok(t)
}

func typeArgsOK(args *types.TypeList, ok func(types.Type) bool) bool {
	for t := range args.Types() {
		if !ok(t) {
			return false
		}
	}
	return true
}

// canName reports whether the package's code can name the type obj: a
// predeclared type, one of its own package-level types, or an exported
// package-level type of a package it may import.
func (l *pkgLoader) canName(obj *types.TypeName) bool {
	pkg := obj.Pkg()
	switch {
	case pkg == nil:
		return true // error, comparable
	case obj.Parent() != pkg.Scope():
		return false // declared in a function
	case pkg == l.p.Types:
		return true
	case !obj.Exported() || pkg.Name() == "main":
		return false
	}
	return canImport(l.p.PkgPath, pkg.Path())
}

// canImport applies the go command's rule for internal packages: a path
// with an internal element is importable only from inside the tree rooted
// at the internal element's parent.
func canImport(from, path string) bool {
	elems := strings.Split(path, "/")
	for i, e := range elems {
		if e != "internal" {
			continue
		}
		parent := strings.Join(elems[:i], "/")
		if i == 0 || from != parent && !strings.HasPrefix(from, parent+"/") {
			return false // i == 0: the standard library's
		}
	}
	return true
}

// typeExpr writes t as the package's code would, with other packages'
// names as parts to qualify.
func (l *pkgLoader) typeExpr(t types.Type) goExpr {
	const mark = "\x00"
	names := map[string]string{}
	s := types.TypeString(t, func(p *types.Package) string {
		if p == l.p.Types {
			return ""
		}
		names[p.Path()] = p.Name()
		return mark + p.Path() + mark
	})
	// s is text, then path, name-and-text, path, ... where each
	// name-and-text starts with ".Name".
	pieces := strings.Split(s, mark)
	var expr goExpr
	add := func(text string) {
		if text != "" {
			expr = append(expr, goExprPart{Text: text})
		}
	}
	add(pieces[0])
	for i := 1; i+1 < len(pieces); i += 2 {
		path, rest := pieces[i], strings.TrimPrefix(pieces[i+1], ".")
		end := strings.IndexFunc(rest, func(r rune) bool { return !isIdentRune(r) })
		if end < 0 {
			end = len(rest)
		}
		expr = append(expr, goExprPart{Text: rest[:end], Path: path, PkgName: names[path]})
		add(rest[end:])
	}
	return expr
}

func isIdentRune(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// code is e as jennifer code.
func (e goExpr) code() *jen.Statement {
	s := jen.Null()
	for _, p := range e {
		if p.Path != "" {
			s.Qual(p.Path, p.Text)
		} else {
			s.Op(p.Text)
		}
	}
	return s
}

// imports are the packages e names.
func (e goExpr) imports() []typeRef {
	var refs []typeRef
	for _, p := range e {
		if p.Path != "" {
			refs = append(refs, typeRef{Path: p.Path, PkgName: p.PkgName})
		}
	}
	return refs
}

// shapeImports are the packages the checks of shapes name.
func shapeImports(shapes []structShape) []typeRef {
	var refs []typeRef
	for _, s := range shapes {
		refs = append(refs, s.Type.imports()...)
		for _, f := range s.Fields {
			refs = append(refs, f.Type.imports()...)
		}
	}
	return refs
}

// emitShapes writes the checks that the struct types of shapes still have
// the fields the schemas were built from.
func emitShapes(f *jen.File, shapes []structShape) {
	if len(shapes) == 0 {
		return
	}
	f.Line()
	f.Comment("The build fails here when a struct type the schemas were built from has")
	f.Comment("changed since this file was generated (a field added, removed, retyped,")
	f.Comment("renamed, reordered or retagged): run go generate.")
	f.Func().Id("_").Params().BlockFunc(func(g *jen.Group) {
		for _, s := range shapes {
			var fields []jen.Code
			for _, fs := range s.Fields {
				field := jen.Null()
				if !fs.Embedded {
					field.Id(fs.Name)
				}
				field.Add(fs.Type.code())
				if fs.Tag != "" {
					field.Op(tagLiteral(fs.Tag))
				}
				fields = append(fields, field)
			}
			g.Id(sameFieldsName).Index(jen.Struct(fields...)).
				Call(jen.Lit(s.Name + " has changed since samplegen ran: run go generate")).
				Call(s.Type.code().Values())
		}
	})
	f.Line()
	f.Commentf("%s is what the checks above call; it is never called at run time.", sameFieldsName)
	f.Func().Id(sameFieldsName).Types(jen.Id("S").Any()).Params(jen.String()).Func().Params(jen.Id("S")).Custom(oneLine, jen.Return(jen.Nil()))
}

// tagLiteral is a struct tag as Go source: raw, as people write tags, where
// a raw literal holds it.
func tagLiteral(tag string) string {
	if canRawQuote(tag) && !strings.Contains(tag, "\n") {
		return "`" + tag + "`"
	}
	return strconv.Quote(tag)
}
