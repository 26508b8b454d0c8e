package gen

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// methodReceiver checks the receiver of a function tool that is a method:
// a named, non-generic type of the package (the generated AddX takes a
// value of it), by value or pointer. It reports what is wrong at at.
func (l *pkgLoader) methodReceiver(fd *ast.FuncDecl, sig *types.Signature, at token.Pos) (typeRef, bool, bool) {
	rt := sig.Recv().Type()
	pointer := false
	if p, isPtr := types.Unalias(rt).(*types.Pointer); isPtr {
		rt, pointer = p.Elem(), true
	}
	if b, isBasic := rt.(*types.Basic); isBasic && b.Kind() == types.Invalid {
		l.errorf(at, "cannot resolve the receiver of method tool %s", fd.Name.Name)
		return typeRef{}, false, false
	}
	named, _ := types.Unalias(rt).(*types.Named)
	switch {
	case named == nil || named.Obj().Pkg() == nil:
		l.errorf(at, "the receiver of method tool %s must be a named type of package %s, not %s", fd.Name.Name, l.p.Name, l.typeString(sig.Recv().Type()))
	case named.Obj().Pkg() != l.p.Types:
		l.errorf(at, "the receiver of method tool %s is %s, of package %s: methods are declared on the package's own types, so declare one here (type X struct{ c *%s })", fd.Name.Name, l.typeString(rt), named.Obj().Pkg().Name(), l.typeString(rt))
	case sig.RecvTypeParams().Len() > 0 || named.TypeParams().Len() > 0:
		l.errorf(at, "the receiver of method tool %s is generic: the generated Add%s takes a value of one concrete type; declare a type for it", fd.Name.Name, exported(fd.Name.Name))
	case types.IsInterface(named):
		l.errorf(at, "the receiver of method tool %s is the interface %s, which cannot have methods: give the method a concrete type", fd.Name.Name, named.Obj().Name())
	case isPointerType(named):
		l.errorf(at, "the receiver of method tool %s is %s, a pointer type, which cannot have methods", fd.Name.Name, named.Obj().Name())
	default:
		return typeRef{Path: l.p.PkgPath, PkgName: l.p.Name, Name: named.Obj().Name()}, pointer, true
	}
	return typeRef{}, false, false
}

func isPointerType(t types.Type) bool {
	_, ok := t.Underlying().(*types.Pointer)
	return ok
}

// A receiverParam is a parameter of AddTools: a value whose methods are
// tools, each type once, in the order its first tool is declared.
type receiverParam struct {
	name    string
	typ     typeRef
	pointer bool // some method has a pointer receiver: AddTools takes a pointer
}

// receiverParams returns the receivers AddTools takes. A type with methods
// of both kinds is taken as a pointer, whose value the value methods get.
func receiverParams(tools []tool) []receiverParam {
	var params []receiverParam
	for _, t := range tools {
		if t.Receiver.Name == "" {
			continue
		}
		i := slices.IndexFunc(params, func(p receiverParam) bool { return p.typ == t.Receiver })
		if i < 0 {
			params = append(params, receiverParam{typ: t.Receiver})
			i = len(params) - 1
		}
		params[i].pointer = params[i].pointer || t.ReceiverPointer
	}
	taken := []string{"srv", "opts", "runtime", "mcp", "context", "time"}
	for _, t := range tools {
		taken = append(taken, t.Input.Name, t.Output.Name)
	}
	for i := range params {
		name := freeName(receiverName(params[i].typ.Name), taken...)
		taken = append(taken, name)
		params[i].name = name
	}
	return params
}

// receiverName is how a parameter holding a value of type name is called:
// the name with its first letter lower-cased, or its leading initialism
// (Client: client, DB: db, HTTPClient: httpClient).
func receiverName(name string) string {
	upper := 0
	for _, r := range name {
		if !unicode.IsUpper(r) {
			break
		}
		upper++
	}
	switch {
	case upper == len(name) && utf8.RuneCountInString(name) == upper:
		return strings.ToLower(name)
	case upper > 1:
		// HTTPClient: httpClient.
		runes := []rune(name)
		return strings.ToLower(string(runes[:upper-1])) + string(runes[upper-1:])
	}
	r, size := utf8.DecodeRuneInString(name)
	return string(unicode.ToLower(r)) + name[size:]
}
