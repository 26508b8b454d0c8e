package gen

import (
	"fmt"
	"go/types"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"text/template/parse"

	"github.com/samplegen/samplegen/prompt"
)

// The template checker follows the Go types of the values a prompt's
// templates will see at run time, and reports what text/template would
// fail on then (see Prompt templates in the package doc), and the input
// the system prompt shows unfenced (see Untrusted input in the system
// prompt). prompt, in prompt.go, runs it on each prompt it parses.

// A value is what the checker knows of a template value: its Go type (nil
// when unknown: checking stops there), whether it is addressable, which
// decides whether methods with pointer receivers can be called, and
// whether it holds text of the tool's input that no fence holds.
type value struct {
	t    types.Type
	addr bool
	// input is set for a value made from the tool's input: a field, a
	// method's result, what a helper other than fence and excerpt makes of
	// one. from is where the input entered, for the warning.
	input bool
	from  *origin
}

// An origin is where a value of the input appears in the template.
type origin struct {
	off  int
	desc string // such as ".Body" or "$m.From"
}

// withInput returns v marked as made from the input when any of vs is,
// coming from the first of those.
func withInput(v value, vs ...value) value {
	for _, u := range vs {
		if u.input {
			v.input, v.from = true, u.from
			return v
		}
	}
	return v
}

// at returns v with its origin set to where it appears, unless it has one.
func (v value) at(off int, desc string) value {
	if v.input && v.from == nil {
		v.from = &origin{off, desc}
	}
	return v
}

// Types of literals and of the results of text/template's builtins.
var (
	stringType = types.Typ[types.String]
	intType    = types.Typ[types.Int]
	boolType   = types.Typ[types.Bool]
	errorType  = types.Universe.Lookup("error").Type()
)

// A templateChecker checks the templates of a prompt against the Go types
// their values have at run time.
type templateChecker struct {
	l      *pkgLoader
	src    promptSource
	set    *template.Template
	failed bool

	enums      []enum // of the output, for {{enum}}
	inEnums    []enum // of the input, for {{enum}}
	checkEnums bool

	checked map[string][]checkedAs // templates checked, by how
	vars    []variable             // in scope, innermost last

	// sys is set while checking the system block and the templates it
	// calls, whose output is the system prompt; warnings are about input
	// that goes there unfenced.
	sys      bool
	current  string // the template being checked
	warnings []warning
}

// checkedAs is how a template was checked: the type of its dot (nil:
// unknown), whether dot is made from the input, and whether its output is
// the system prompt.
type checkedAs struct {
	t          types.Type
	input, sys bool
}

type warning struct {
	off int
	msg string
}

type variable struct {
	name string
	v    value
}

// check checks the template name executed with dot, once per type of dot.
func (c *templateChecker) check(name string, dot value) {
	tt := c.set.Lookup(name)
	if tt == nil || tt.Tree == nil {
		return
	}
	for _, as := range c.checked[name] {
		t := as.t
		if as.input == dot.input && as.sys == c.sys && ((t == nil && dot.t == nil) || (t != nil && dot.t != nil && types.Identical(t, dot.t))) {
			return
		}
	}
	c.checked[name] = append(c.checked[name], checkedAs{dot.t, dot.input, c.sys})
	saved, savedName := c.vars, c.current
	c.vars, c.current = []variable{{"$", dot}}, name
	c.walk(tt.Tree.Root, dot)
	c.vars, c.current = saved, savedName
}

func (c *templateChecker) declare(p *parse.PipeNode, v value) {
	if p == nil || len(p.Decl) == 0 {
		return
	}
	if p.IsAssign {
		for _, d := range p.Decl {
			c.assign(d.Ident[0], v)
		}
		return
	}
	for _, d := range p.Decl {
		c.vars = append(c.vars, variable{d.Ident[0], v})
	}
}

// assign records that $name = v: the variable's type is what it was if
// that agrees, else unknown; it is made from the input if either value is.
func (c *templateChecker) assign(name string, v value) {
	for i := len(c.vars) - 1; i >= 0; i-- {
		if c.vars[i].name == name {
			old := c.vars[i].v
			if old.t == nil || v.t == nil || !types.Identical(old.t, v.t) {
				c.vars[i].v = withInput(value{}, old, v)
			} else {
				c.vars[i].v = withInput(old, old, v)
			}
			return
		}
	}
}

func (c *templateChecker) lookup(name string) value {
	for i := len(c.vars) - 1; i >= 0; i-- {
		if c.vars[i].name == name {
			return c.vars[i].v
		}
	}
	return value{} // text/template's parser has already said undefined variables are errors
}

// walk checks the nodes of a list with dot holding a value of type dot.
func (c *templateChecker) walk(n parse.Node, dot value) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		mark := len(c.vars)
		for _, child := range n.Nodes {
			c.walk(child, dot)
		}
		c.vars = c.vars[:mark]
	case *parse.ActionNode:
		v := c.pipe(n.Pipe, dot)
		if len(n.Pipe.Decl) == 0 {
			c.systemInput(v)
		}
		c.declare(n.Pipe, v)
	case *parse.IfNode:
		mark := len(c.vars)
		c.declare(n.Pipe, c.pipe(n.Pipe, dot))
		c.walk(n.List, dot)
		c.walk(n.ElseList, dot)
		c.vars = c.vars[:mark]
	case *parse.WithNode:
		mark := len(c.vars)
		v := c.pipe(n.Pipe, dot)
		c.declare(n.Pipe, v)
		c.walk(n.List, v)
		c.walk(n.ElseList, dot)
		c.vars = c.vars[:mark]
	case *parse.RangeNode:
		mark := len(c.vars)
		over := c.pipe(n.Pipe, dot)
		key, elem := c.rangeTypes(n, over)
		key, elem = withInput(key, over), withInput(elem, over)
		if p := n.Pipe; len(p.Decl) > 0 {
			switch {
			case p.IsAssign && len(p.Decl) == 1:
				c.assign(p.Decl[0].Ident[0], elem)
			case p.IsAssign:
				c.assign(p.Decl[0].Ident[0], key)
				c.assign(p.Decl[1].Ident[0], elem)
			case len(p.Decl) == 1:
				c.vars = append(c.vars, variable{p.Decl[0].Ident[0], elem})
			default:
				c.vars = append(c.vars, variable{p.Decl[0].Ident[0], key}, variable{p.Decl[1].Ident[0], elem})
			}
		}
		c.walk(n.List, elem)
		c.vars = c.vars[:mark]
		c.walk(n.ElseList, dot)
	case *parse.TemplateNode:
		var v value
		if n.Pipe != nil {
			v = c.pipe(n.Pipe, dot)
		}
		if c.set.Lookup(n.Name) == nil {
			c.errorf(int(n.Position()), "template %q is not defined", n.Name)
			return
		}
		c.check(n.Name, v)
	}
}

// systemInput warns when the system prompt shows v, a value made from the
// tool's input that can hold text, as it is: whoever calls the tool
// writes it, and the system prompt is where instructions are. Numbers,
// booleans and enums of the package cannot hold instructions; the input
// schema confines an enum to its constants.
func (c *templateChecker) systemInput(v value) {
	if !c.sys || !v.input || v.from == nil || !c.canHoldText(v.t) {
		return
	}
	d, where := v.from.desc, "the system prompt"
	if c.current != prompt.SystemTemplate {
		where = fmt.Sprintf("the system prompt (through template %q)", c.current)
	}
	c.warnings = append(c.warnings, warning{v.from.off, fmt.Sprintf(
		"%s, from the tool's input, goes into %s unfenced, where the tool's caller can write instructions: fence it ({{fence %s}} or {{excerpt N %s}}) or move it to the user message", d, where, d, d)})
}

// canHoldText reports whether a value of type t (nil: unknown) can print
// as text of the caller's choosing.
func (c *templateChecker) canHoldText(t types.Type) bool {
	if t == nil {
		return true
	}
	t = types.Unalias(t)
	if p, ok := t.(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	b, ok := t.Underlying().(*types.Basic)
	if !ok {
		return true
	}
	if b.Info()&types.IsString == 0 {
		return false // numbers, booleans; Invalid: the type checker has said why
	}
	named, ok := t.(*types.Named)
	return !ok || len(c.l.enumValues(named)) == 0
}

// rangeTypes returns what range over v yields: the key or index, and the
// element, which dot becomes.
func (c *templateChecker) rangeTypes(n *parse.RangeNode, v value) (key, elem value) {
	if v.t == nil {
		return value{}, value{}
	}
	t := types.Unalias(v.t)
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t, v.addr = p.Elem(), true
	}
	twoVars := len(n.Pipe.Decl) > 1
	switch u := t.Underlying().(type) {
	case *types.Slice:
		return value{t: intType}, value{t: u.Elem(), addr: true}
	case *types.Array:
		return value{t: intType}, value{t: u.Elem(), addr: v.addr}
	case *types.Map:
		return value{t: u.Key()}, value{t: u.Elem()}
	case *types.Chan:
		return value{t: intType}, value{t: u.Elem()}
	case *types.Interface:
		return value{}, value{}
	case *types.Basic:
		if u.Info()&types.IsInteger != 0 {
			if twoVars {
				c.errorf(c.pipeStart(n.Pipe), "range over the integer %s gives one variable, not two", c.typeString(v.t))
			}
			return value{}, value{t: t}
		}
		if u.Kind() == types.Invalid {
			return value{}, value{}
		}
	case *types.Signature:
		if u.Params().Len() == 1 && u.Results().Len() == 0 {
			if yield, ok := u.Params().At(0).Type().Underlying().(*types.Signature); ok && yield.Results().Len() == 1 {
				switch yield.Params().Len() {
				case 1:
					return value{}, value{t: yield.Params().At(0).Type()}
				case 2:
					return value{t: yield.Params().At(0).Type()}, value{t: yield.Params().At(1).Type()}
				}
			}
		}
	}
	c.errorf(c.pipeStart(n.Pipe), "range over %s: want a slice, array, map, channel, integer or iterator function", c.typeString(v.t))
	return value{}, value{}
}

// pipeStart is the offset of a pipeline's first command.
func (c *templateChecker) pipeStart(p *parse.PipeNode) int {
	if len(p.Cmds) > 0 && len(p.Cmds[0].Args) > 0 {
		return c.nodeStart(p.Cmds[0].Args[0])
	}
	return int(p.Position())
}

// pipe checks a pipeline and returns its value.
func (c *templateChecker) pipe(p *parse.PipeNode, dot value) value {
	if p == nil {
		return value{}
	}
	var prev *value
	var v value
	for _, cmd := range p.Cmds {
		v = c.command(cmd, dot, prev)
		prev = &v
	}
	return v
}

// An arg is an argument of a call: its value, or for an untyped constant
// its kind (types.UntypedString ...), and where it is.
type arg struct {
	v    value
	lit  *parse.StringNode // a string literal, for {{enum}}
	num  *parse.NumberNode // a number literal, for {{excerpt}}
	off  int
	desc string // how to name it in errors, such as ".Text"
}

// command checks one command of a pipeline; prev is the value of the
// command before it, which becomes the last argument.
func (c *templateChecker) command(cmd *parse.CommandNode, dot value, prev *value) value {
	first := cmd.Args[0]
	var args []arg
	for _, a := range cmd.Args[1:] {
		args = append(args, c.arg(a, dot))
	}
	if prev != nil {
		args = append(args, arg{v: *prev, off: c.nodeStart(first), desc: "the value piped in"})
	}
	switch n := first.(type) {
	case *parse.IdentifierNode:
		return c.call(n, args)
	case *parse.FieldNode:
		return c.path(dot, n.Ident, c.nodeStart(n), args).at(c.nodeStart(n), n.String())
	case *parse.VariableNode:
		v := c.lookup(n.Ident[0])
		if len(n.Ident) == 1 {
			c.noArgs(n, args)
			return v.at(c.nodeStart(n), n.String())
		}
		return c.path(v, n.Ident[1:], c.nodeStart(n)+len(n.Ident[0]), args).at(c.nodeStart(n), n.String())
	case *parse.ChainNode:
		base := c.arg(n.Node, dot)
		return c.path(base.v, n.Field, c.nodeStart(n)+len(n.Node.String()), args).at(c.nodeStart(n), n.String())
	}
	c.noArgs(first, args)
	return c.arg(first, dot).v
}

func (c *templateChecker) noArgs(n parse.Node, args []arg) {
	if len(args) > 0 {
		c.errorf(c.nodeStart(n), "%s is not a function or method but has arguments", n)
	}
}

// arg evaluates a node in argument position.
func (c *templateChecker) arg(n parse.Node, dot value) arg {
	a := arg{off: c.nodeStart(n), desc: n.String()}
	switch n := n.(type) {
	case *parse.DotNode:
		a.v = dot
	case *parse.FieldNode:
		a.v = c.path(dot, n.Ident, a.off, nil)
	case *parse.VariableNode:
		a.v = c.lookup(n.Ident[0])
		if len(n.Ident) > 1 {
			a.v = c.path(a.v, n.Ident[1:], a.off+len(n.Ident[0]), nil)
		}
	case *parse.ChainNode:
		base := c.arg(n.Node, dot)
		a.v = c.path(base.v, n.Field, a.off+len(n.Node.String()), nil)
	case *parse.PipeNode:
		a.v = c.pipe(n, dot)
	case *parse.StringNode:
		a.v, a.lit = value{t: types.Typ[types.UntypedString]}, n
	case *parse.NumberNode:
		a.num = n
		switch {
		case n.IsInt:
			a.v = value{t: types.Typ[types.UntypedInt]}
		case n.IsFloat:
			a.v = value{t: types.Typ[types.UntypedFloat]}
		}
	case *parse.BoolNode:
		a.v = value{t: types.Typ[types.UntypedBool]}
	case *parse.IdentifierNode:
		// A function in argument position is called without arguments.
		a.v = c.call(n, nil)
	}
	a.v = a.v.at(a.off, a.desc)
	return a
}

// nodeStart returns the offset of the source of n in the template. The
// parser puts a chained field's position at its second element, so look
// back from there.
func (c *templateChecker) nodeStart(n parse.Node) int {
	text := n.String()
	pos := int(n.Position())
	for i := pos; i >= 0 && i >= pos-len(text); i-- {
		if strings.HasPrefix(c.src.text[i:], text) {
			return i
		}
	}
	return pos
}

// path checks the field chain .A.B.C, which starts at offset off, against
// v, and returns the value it leads to; args are the arguments of the last
// element when the chain is a command. What it leads to is made from the
// input when v is; where, its caller says.
func (c *templateChecker) path(v value, idents []string, off int, args []arg) value {
	r := c.pathType(v, idents, off, args)
	r.input, r.from = v.input, nil
	return r
}

func (c *templateChecker) pathType(v value, idents []string, off int, args []arg) value {
	pkg := c.l.p.Types
	for i, id := range idents {
		last := i == len(idents)-1
		if v.t == nil {
			return value{}
		}
		t := types.Unalias(v.t)
		if p, ok := t.(*types.Pointer); ok {
			t, v.addr = types.Unalias(p.Elem()), true
		}
		if b, ok := t.Underlying().(*types.Basic); ok && b.Kind() == types.Invalid {
			return value{}
		}
		if _, ok := t.Underlying().(*types.Interface); ok {
			return value{}
		}

		obj, _, _ := types.LookupFieldOrMethod(t, true, pkg, id)
		if obj == nil {
			if m, ok := t.Underlying().(*types.Map); ok {
				// .Key looks up a map key, which only run time knows.
				if k, ok := m.Key().Underlying().(*types.Basic); !ok || k.Info()&types.IsString == 0 {
					c.errorf(off, "%s has keys of type %s: .%s cannot look one up", c.typeString(t), c.typeString(m.Key()), id)
					return value{}
				}
				if last {
					c.fieldArgs(off, id, args)
				}
				v = value{t: m.Elem()}
				off += 1 + len(id)
				continue
			}
			c.errorf(off, "%s has no field or method %s", c.typeString(t), id)
			return value{}
		}
		if !obj.Exported() {
			c.errorf(off, "%s.%s is unexported: templates can only use exported fields and methods", c.typeString(t), id)
			return value{}
		}
		switch o := obj.(type) {
		case *types.Var:
			if last {
				c.fieldArgs(off, id, args)
			}
			v = value{t: o.Type(), addr: v.addr}
		case *types.Func:
			sig := o.Signature()
			if _, ptrRecv := sig.Recv().Type().(*types.Pointer); ptrRecv && !v.addr && !types.IsInterface(sig.Recv().Type()) {
				c.errorf(off, "%s has a pointer receiver, and the %s here is not addressable, so the template cannot call it", o.Name(), c.typeString(t))
				return value{}
			}
			var callArgs []arg
			if last {
				callArgs = args
			}
			res, ok := c.callSignature(off, c.typeString(t)+"."+id, sig, callArgs)
			if !ok {
				return value{}
			}
			v = res
		default:
			return value{}
		}
		off += 1 + len(id)
	}
	return v
}

func (c *templateChecker) fieldArgs(off int, id string, args []arg) {
	if len(args) > 0 {
		c.errorf(off, "%s is a field, not a method, but has arguments", id)
	}
}

// callSignature checks a call of a method with args as text/template makes
// it: one result, or a result and an error.
func (c *templateChecker) callSignature(off int, name string, sig *types.Signature, args []arg) (value, bool) {
	res := sig.Results()
	if res.Len() == 0 || res.Len() > 2 || (res.Len() == 2 && !types.Identical(res.At(1).Type(), errorType)) {
		c.errorf(off, "%s cannot be called from a template: it must return one value, or a value and an error", name)
		return value{}, false
	}
	n := sig.Params().Len()
	if sig.Variadic() {
		if len(args) < n-1 {
			c.errorf(off, "%s wants at least %s, not %d", name, arguments(n-1), len(args))
			return value{}, false
		}
	} else if len(args) != n {
		c.errorf(off, "%s wants %s, not %d", name, arguments(n), len(args))
		return value{}, false
	}
	for i, a := range args {
		var pt types.Type
		if sig.Variadic() && i >= n-1 {
			pt = sig.Params().At(n - 1).Type().(*types.Slice).Elem()
		} else {
			pt = sig.Params().At(i).Type()
		}
		c.assignable(name, i, a, pt)
	}
	return value{t: res.At(0).Type()}, true
}

// assignable reports an argument text/template would refuse for a
// parameter of type pt: it converts nothing but untyped constants, and
// dereferences pointers.
func (c *templateChecker) assignable(fn string, i int, a arg, pt types.Type) {
	if a.v.t == nil || types.IsInterface(pt) {
		return
	}
	t := a.v.t
	if b, ok := t.(*types.Basic); ok && b.Info()&types.IsUntyped != 0 {
		if pb, ok := pt.Underlying().(*types.Basic); ok {
			switch {
			case b.Kind() == types.UntypedString && pb.Info()&types.IsString != 0,
				b.Kind() == types.UntypedInt && pb.Info()&(types.IsInteger|types.IsFloat) != 0,
				b.Kind() == types.UntypedFloat && pb.Info()&types.IsFloat != 0,
				b.Kind() == types.UntypedBool && pb.Info()&types.IsBoolean != 0:
				return
			}
		}
	} else {
		if types.AssignableTo(t, pt) {
			return
		}
		if p, ok := types.Unalias(t).(*types.Pointer); ok && types.AssignableTo(p.Elem(), pt) {
			return
		}
		if types.IsInterface(t) {
			return // only run time knows the dynamic type
		}
	}
	hint := ""
	if pb, ok := pt.(*types.Basic); ok && pb.Kind() == types.String && a.lit == nil {
		if b, ok := t.Underlying().(*types.Basic); ok && b.Info()&types.IsUntyped == 0 {
			hint = fmt.Sprintf(` (convert it with (printf "%%v" %s))`, a.desc)
		}
	}
	c.errorf(a.off, "%s wants %s %s as argument %d, and %s is %s%s", fn, article(c.typeString(pt)), c.typeString(pt), i+1, a.desc, c.describe(t), hint)
}

func (c *templateChecker) describe(t types.Type) string {
	name := c.typeString(t)
	if b, ok := t.(*types.Basic); ok && b.Info()&types.IsUntyped != 0 {
		name = strings.TrimPrefix(b.Name(), "untyped ") + " constant"
	}
	return article(name) + " " + name
}

// arguments is "1 argument" or "n arguments".
func arguments(n int) string {
	if n == 1 {
		return "1 argument"
	}
	return strconv.Itoa(n) + " arguments"
}

// fencing are the helpers whose result holds their text arguments
// fenced, so that nothing in them can pass itself off as instructions.
var fencing = []string{"fence", "excerpt"}

// call checks a call of a function: a helper of package prompt or a
// builtin of text/template. The result is made from the input when an
// argument is, unless the function fences it.
func (c *templateChecker) call(n *parse.IdentifierNode, args []arg) value {
	r := c.callType(n, args)
	if slices.Contains(fencing, n.Ident) {
		return r
	}
	for _, a := range args {
		r = withInput(r, a.v)
	}
	return r
}

func (c *templateChecker) callType(n *parse.IdentifierNode, args []arg) value {
	off := int(n.Position())
	if fn, ok := prompt.Funcs("")[n.Ident]; ok {
		if n.Ident == "enum" {
			c.enumArg(off, args)
		}
		if n.Ident == "excerpt" && len(args) == 2 && args[0].num != nil && args[0].num.IsInt && args[0].num.Int64 < 1 {
			c.errorf(args[0].off, "excerpt of at most %s runes: the limit must be 1 or more", args[0].num.Text)
		}
		return c.callHelper(off, n.Ident, reflect.TypeOf(fn), args)
	}
	want := func(lo, hi int) bool {
		if len(args) < lo || (hi >= 0 && len(args) > hi) {
			switch {
			case lo == hi:
				c.errorf(off, "%s wants %s, not %d", n.Ident, arguments(lo), len(args))
			case hi < 0:
				c.errorf(off, "%s wants at least %s, not %d", n.Ident, arguments(lo), len(args))
			default:
				c.errorf(off, "%s wants %d to %s, not %d", n.Ident, lo, arguments(hi), len(args))
			}
			return false
		}
		return true
	}
	switch n.Ident {
	case "and", "or":
		want(1, -1)
		return value{}
	case "not":
		want(1, 1)
		return value{t: boolType}
	case "eq":
		want(2, -1)
		return value{t: boolType}
	case "ne", "lt", "le", "gt", "ge":
		want(2, 2)
		return value{t: boolType}
	case "len":
		if want(1, 1) && args[0].v.t != nil && !hasLen(args[0].v.t) {
			c.errorf(args[0].off, "len of %s, which is %s: want a string, slice, array, map or channel", args[0].desc, c.describe(args[0].v.t))
		}
		return value{t: intType}
	case "index":
		if !want(1, -1) {
			return value{}
		}
		v := args[0].v
		for _, a := range args[1:] {
			v = c.index(v, a)
		}
		return v
	case "slice":
		if !want(1, 4) {
			return value{}
		}
		return value{t: args[0].v.t}
	case "print", "println", "html", "js", "urlquery":
		return value{t: stringType}
	case "printf":
		if want(1, -1) {
			c.assignable("printf", 0, args[0], stringType)
		}
		return value{t: stringType}
	case "call":
		if !want(1, -1) || args[0].v.t == nil {
			return value{}
		}
		sig, ok := args[0].v.t.Underlying().(*types.Signature)
		if !ok {
			c.errorf(args[0].off, "call of %s, which is %s, not a function", args[0].desc, c.describe(args[0].v.t))
			return value{}
		}
		res, _ := c.callSignature(off, args[0].desc, sig, args[1:])
		return res
	}
	return value{}
}

func hasLen(t types.Type) bool {
	t = types.Unalias(t)
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Info()&types.IsString != 0
	case *types.Slice, *types.Array, *types.Map, *types.Chan, *types.Interface:
		return true
	}
	return false
}

// index is the value of index v a.
func (c *templateChecker) index(v value, a arg) value {
	if v.t == nil {
		return value{}
	}
	t := types.Unalias(v.t)
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	switch u := t.Underlying().(type) {
	case *types.Slice:
		return value{t: u.Elem(), addr: true}
	case *types.Array:
		return value{t: u.Elem()}
	case *types.Map:
		c.assignable("index", 1, a, u.Key())
		return value{t: u.Elem()}
	case *types.Basic:
		if u.Info()&types.IsString != 0 {
			return value{t: types.Typ[types.Byte]}
		}
	case *types.Interface:
		return value{}
	}
	c.errorf(a.off, "index of %s: want a slice, array, string or map", c.describe(v.t))
	return value{}
}

// callHelper checks a call of a helper against its Go signature, which is
// the one the runtime calls.
func (c *templateChecker) callHelper(off int, name string, ft reflect.Type, args []arg) value {
	n := ft.NumIn()
	if ft.IsVariadic() {
		if len(args) < n-1 {
			c.errorf(off, "%s wants at least %s, not %d", name, arguments(n-1), len(args))
			return value{}
		}
	} else if len(args) != n {
		c.errorf(off, "%s wants %s, not %d", name, arguments(n), len(args))
		return value{}
	}
	for i, a := range args {
		pt := ft.In(min(i, n-1))
		if ft.IsVariadic() && i >= n-1 {
			pt = pt.Elem()
		}
		if goType := reflectToTypes(pt); goType != nil {
			c.assignable(name, i, a, goType)
		}
	}
	if ft.NumOut() == 0 {
		return value{}
	}
	return value{t: reflectToTypes(ft.Out(0))}
}

// reflectToTypes is the go/types form of the basic and interface types
// helpers take and return; nil for others.
func reflectToTypes(t reflect.Type) types.Type {
	if t.PkgPath() != "" {
		return nil
	}
	switch t.Kind() {
	case reflect.String:
		return stringType
	case reflect.Int:
		return intType
	case reflect.Bool:
		return boolType
	case reflect.Float64:
		return types.Typ[types.Float64]
	case reflect.Interface:
		if t.NumMethod() == 0 {
			return types.NewInterfaceType(nil, nil)
		}
	case reflect.Slice:
		if elem := reflectToTypes(t.Elem()); elem != nil {
			return types.NewSlice(elem)
		}
	}
	return nil
}

// enumArg checks the argument of {{enum "path"}}: a string literal naming
// an enum of the output or of the input, "output:path" or "input:path"
// where both have one there.
func (c *templateChecker) enumArg(off int, args []arg) {
	if len(args) != 1 {
		return // the arity check says so
	}
	if args[0].lit == nil {
		// A constant or field that is no string ({{enum 3}}) is one
		// mistake, which the argument's type check reports.
		if b, isBasic := types.Unalias(args[0].v.t).(*types.Basic); !isBasic || b.Info()&types.IsString != 0 {
			c.errorf(args[0].off, "enum takes the JSON path of an enum field of the output or the input as a string literal, such as \"sentiment\", \"items[].kind\" or \"%stone\"", prompt.InputPrefix)
		}
		return
	}
	path := args[0].lit.Text
	has := func(enums []enum, p string) bool {
		return slices.ContainsFunc(enums, func(e enum) bool { return e.Path == p })
	}
	if p, ok := strings.CutPrefix(path, prompt.InputPrefix); ok {
		if !has(c.inEnums, p) {
			c.errorf(args[0].off, "enum %q: the input has %s", path, enumPlaces(c.inEnums))
		}
		return
	}
	p, output := strings.CutPrefix(path, prompt.OutputPrefix)
	if !c.checkEnums {
		return
	}
	inOut := has(c.enums, p)
	switch {
	case output && !inOut:
		c.errorf(args[0].off, "enum %q: the output has %s", path, enumPlaces(c.enums))
	case output:
	case inOut && has(c.inEnums, p):
		c.errorf(args[0].off, "enum %q: the output and the input both have an enum there: write %q or %q", path, prompt.OutputPrefix+p, prompt.InputPrefix+p)
	case !inOut && !has(c.inEnums, p):
		c.errorf(args[0].off, "enum %q: the output has %s, and the input has %s", path, enumPlaces(c.enums), enumPlaces(c.inEnums))
	}
}

// enumPlaces says where enums are, for errors about a path that is not one
// of them.
func enumPlaces(enums []enum) string {
	if len(enums) == 0 {
		return "no enum fields"
	}
	paths := make([]string, len(enums))
	for i, e := range enums {
		paths[i] = strconv.Quote(e.Path)
	}
	return "no enum field there (it has " + wordList(paths, "or") + ")"
}

func (c *templateChecker) typeString(t types.Type) string { return c.l.typeString(t) }

func (c *templateChecker) errorf(off int, format string, args ...any) {
	c.failed = true
	line, col := lineCol(c.src.text, off)
	pos, prefix := c.src.at(line, col)
	c.l.errs.errorf(pos, "%s%s", prefix, fmt.Sprintf(format, args...))
}

const noRecursion = "a prompt template may not recurse, as text/template would go as deep as the tool's caller makes the input, or until the stack runs out"

// recursion reports templates that call themselves, directly or through
// others: text/template would execute them until it runs out of stack (a
// recursion over the data ends only where the data does, and the tool's
// caller chooses how deep that is), so a prompt may not recurse.
func (c *templateChecker) recursion() {
	type call struct {
		name string
		off  int
	}
	calls := map[string][]call{}
	var names []string
	for _, tt := range c.set.Templates() {
		if tt.Tree == nil {
			continue
		}
		names = append(names, tt.Name())
		var walk func(parse.Node)
		walk = func(n parse.Node) {
			switch n := n.(type) {
			case *parse.ListNode:
				if n == nil {
					return
				}
				for _, child := range n.Nodes {
					walk(child)
				}
			case *parse.IfNode:
				walk(n.List)
				walk(n.ElseList)
			case *parse.RangeNode:
				walk(n.List)
				walk(n.ElseList)
			case *parse.WithNode:
				walk(n.List)
				walk(n.ElseList)
			case *parse.TemplateNode:
				calls[tt.Name()] = append(calls[tt.Name()], call{n.Name, int(n.Position())})
			}
		}
		walk(tt.Tree.Root)
	}
	slices.Sort(names)
	// A depth-first search; each call back into a template on the stack
	// closes a cycle, reported at that call.
	const (
		unseen = iota
		onStack
		done
	)
	state := map[string]int{}
	var stack []string
	var visit func(name string)
	visit = func(name string) {
		state[name] = onStack
		stack = append(stack, name)
		for _, cl := range calls[name] {
			switch state[cl.name] {
			case unseen:
				if c.set.Lookup(cl.name) != nil {
					visit(cl.name)
				}
			case onStack:
				if cl.name == name {
					c.errorf(cl.off, "template %q calls itself: %s", name, noRecursion)
					continue
				}
				cycle := append(slices.Clone(stack[slices.Index(stack, cl.name):]), cl.name)
				for i, n := range cycle {
					cycle[i] = strconv.Quote(n)
				}
				c.errorf(cl.off, "template %q calls %q, which calls it back (%s): %s", name, cl.name, strings.Join(cycle, " → "), noRecursion)
			}
		}
		stack = stack[:len(stack)-1]
		state[name] = done
	}
	for _, name := range names {
		if state[name] == unseen {
			visit(name)
		}
	}
}
