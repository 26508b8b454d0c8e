package gen

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"iter"
	"slices"
)

// The constants of the package's named types are their enum values (see
// the package doc's Schemas), and the const walk below is what finds them.

// enumValues returns the constants of the named type t when t is declared in
// the package being generated, in source order, with their comments. A value
// declared twice counts once.
func (l *pkgLoader) enumValues(t *types.Named) []enumValue {
	if t.Obj().Pkg() != l.p.Types || t.TypeArgs().Len() > 0 {
		return nil
	}
	if l.consts == nil {
		l.collectConsts()
	}
	return l.consts[t.Obj()]
}

// constSpecs yields every const spec of files with the declaration that
// holds it, for the walks that read constants (enum values, prompt
// literals).
func constSpecs(files []*ast.File) iter.Seq2[*ast.GenDecl, *ast.ValueSpec] {
	return func(yield func(*ast.GenDecl, *ast.ValueSpec) bool) {
		for _, f := range files {
			for _, decl := range f.Decls {
				d, ok := decl.(*ast.GenDecl)
				if !ok || d.Tok != token.CONST {
					continue
				}
				for _, spec := range d.Specs {
					if !yield(d, spec.(*ast.ValueSpec)) {
						return
					}
				}
			}
		}
	}
}

// collectConsts records the string and integer constants of each named type
// of the package, with the comment of each: the line comment after it, else
// the doc comment above it, else the doc comment of its const declaration
// when that declares one spec.
func (l *pkgLoader) collectConsts() {
	l.consts = map[*types.TypeName][]enumValue{}
	for d, vs := range constSpecs(l.p.Syntax) {
		doc := commentText(vs.Comment)
		if doc == "" {
			doc = commentText(vs.Doc)
		}
		if doc == "" && len(d.Specs) == 1 {
			doc = commentText(d.Doc)
		}
		for _, name := range vs.Names {
			c, ok := l.p.TypesInfo.Defs[name].(*types.Const)
			if !ok {
				continue
			}
			named, ok := types.Unalias(c.Type()).(*types.Named)
			if !ok || named.Obj().Pkg() != l.p.Types {
				continue
			}
			v, ok := constValue(c.Val())
			if !ok {
				continue
			}
			values := l.consts[named.Obj()]
			if slices.ContainsFunc(values, func(e enumValue) bool { return e.Value == v }) {
				continue
			}
			l.consts[named.Obj()] = append(values, enumValue{Value: v, Doc: doc})
		}
	}
}

// constValue is a string or integer constant as the value JSON holds:
// a string, an int64 or a uint64.
func constValue(v constant.Value) (any, bool) {
	switch v.Kind() {
	case constant.String:
		return constant.StringVal(v), true
	case constant.Int:
		if i, exact := constant.Int64Val(v); exact {
			return i, true
		}
		if u, exact := constant.Uint64Val(v); exact {
			return u, true
		}
	}
	return nil, false
}
