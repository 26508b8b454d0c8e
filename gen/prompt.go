package gen

import (
	"errors"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"text/template/parse"

	"github.com/samplegen/samplegen/templates"
)

// A promptSource is a prompt's text and a way to turn a place in it into a
// place in the user's files.
type promptSource struct {
	name string
	text string
	// at maps a 1-based line and column of the text (column 0: unknown) to a
	// position, and says what to put before the message when the position
	// cannot point inside the text.
	at func(line, col int) (pos token.Position, prefix string)
}

// prompt reads the tool's prompt template, parses it as the runtime will and
// checks its field references against the input type. It returns the
// prompt's name and text, or "" after reporting an error.
func (l *pkgLoader) prompt(td toolDirectives, in types.Type) (name, text string) {
	var src promptSource
	switch {
	case td.promptFile != "":
		goFile := l.pos(td.promptPos).Filename
		path := filepath.Join(filepath.Dir(goFile), filepath.FromSlash(td.promptFile))
		data, err := os.ReadFile(path)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				l.errs.add(l.pos(td.promptPos), err, "prompt file %s not found (it is looked for beside %s)", td.promptFile, filepath.Base(goFile))
			} else {
				l.errs.add(l.pos(td.promptPos), err, "prompt file %s: %v", td.promptFile, err)
			}
			return "", ""
		}
		src = promptSource{name: td.promptFile, text: string(data)}
		src.at = func(line, col int) (token.Position, string) {
			return token.Position{Filename: path, Line: line, Column: col}, ""
		}
	case td.promptConst != "":
		c, ok := l.p.Types.Scope().Lookup(td.promptConst).(*types.Const)
		if !ok {
			l.errorf(td.promptPos, "prompt constant %s is not declared in package %s", td.promptConst, l.p.Name)
			return "", ""
		}
		if c.Val().Kind() != constant.String {
			l.errorf(td.promptPos, "prompt constant %s is not a string constant", td.promptConst)
			return "", ""
		}
		src = promptSource{name: td.promptConst, text: constant.StringVal(c.Val())}
		src.at = l.constLocator(c)
	default:
		return "", "" // reported with the directives
	}

	t, err := templates.Parse(src.name, src.text, "")
	if err != nil {
		line, msg := parseError(src.name, err)
		pos, prefix := src.at(max(line, 1), 0)
		l.errs.add(pos, err, "%s%s", prefix, msg)
		return "", ""
	}
	w := &templateChecker{l: l, src: src, in: in}
	for _, tt := range t.Templates() {
		if tt.Tree == nil {
			continue
		}
		// The body and the system block are executed with the input as
		// dot; other blocks with whatever {{template}} passes them.
		dot := in
		if tt.Name() != t.Name() && tt.Name() != templates.SystemTemplate {
			dot = nil
		}
		w.root = dot
		w.walk(tt.Tree.Root, dot)
	}
	if w.failed {
		return "", ""
	}
	return src.name, src.text
}

// constLocator maps template lines and columns into the Go file when the
// constant is a single string literal whose source is its text, and to the
// constant otherwise.
func (l *pkgLoader) constLocator(c *types.Const) func(line, col int) (token.Position, string) {
	var lit *ast.BasicLit
	for _, f := range l.p.Syntax {
		ast.Inspect(f, func(n ast.Node) bool {
			vs, ok := n.(*ast.ValueSpec)
			if !ok || lit != nil {
				return lit == nil
			}
			for i, name := range vs.Names {
				if l.p.TypesInfo.Defs[name] == c && i < len(vs.Values) {
					// In a raw literal, and in a quoted one without escapes,
					// the text is the source between the quotes.
					bl, ok := vs.Values[i].(*ast.BasicLit)
					if ok && bl.Kind == token.STRING && (bl.Value[0] == '`' || !strings.Contains(bl.Value, `\`)) {
						lit = bl
					}
				}
			}
			return false
		})
	}
	return func(line, col int) (token.Position, string) {
		if lit == nil {
			where := "template line " + strconv.Itoa(line)
			if col > 0 {
				where += ":" + strconv.Itoa(col)
			}
			return l.pos(c.Pos()), where + ": "
		}
		p := l.pos(lit.Pos())
		switch {
		case col == 0:
			p.Column = 0
		case line == 1:
			p.Column += col // after the opening quote
		default:
			p.Column = col
		}
		p.Line += line - 1
		return p, ""
	}
}

// parseError splits a text/template parse error, "template: NAME:LINE:
// MESSAGE", into its line and message; line is 0 when the error has none.
func parseError(name string, err error) (line int, msg string) {
	re := regexp.MustCompile(`template: ` + regexp.QuoteMeta(name) + `:(\d+): (.*)$`)
	m := re.FindStringSubmatch(err.Error())
	if m == nil {
		return 0, err.Error()
	}
	line, _ = strconv.Atoi(m[1])
	return line, "prompt template: " + m[2]
}

// A templateChecker checks the field references of a template against the
// Go type its dot holds.
type templateChecker struct {
	l      *pkgLoader
	src    promptSource
	in     types.Type // the input type
	root   types.Type // what $ holds in the template being walked; nil: unknown
	failed bool
}

// walk checks n with dot holding a value of type dot; nil means unknown,
// as inside range and with, where dot changes. (Following dot into those
// is for later.)
func (w *templateChecker) walk(n parse.Node, dot types.Type) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			w.walk(c, dot)
		}
	case *parse.ActionNode:
		w.pipe(n.Pipe, dot)
	case *parse.IfNode:
		w.pipe(n.Pipe, dot)
		w.walk(n.List, dot)
		w.walk(n.ElseList, dot)
	case *parse.RangeNode:
		w.pipe(n.Pipe, dot)
		w.walk(n.List, nil)
		w.walk(n.ElseList, dot)
	case *parse.WithNode:
		w.pipe(n.Pipe, dot)
		w.walk(n.List, nil)
		w.walk(n.ElseList, dot)
	case *parse.TemplateNode:
		w.pipe(n.Pipe, dot)
	}
}

func (w *templateChecker) pipe(p *parse.PipeNode, dot types.Type) {
	if p == nil {
		return
	}
	for _, cmd := range p.Cmds {
		for _, arg := range cmd.Args {
			w.arg(arg, dot)
		}
	}
}

func (w *templateChecker) arg(n parse.Node, dot types.Type) {
	switch n := n.(type) {
	case *parse.FieldNode:
		w.path(dot, n.Ident, w.start(n, n.String()))
	case *parse.VariableNode:
		if n.Ident[0] == "$" && len(n.Ident) > 1 {
			w.path(w.root, n.Ident[1:], w.start(n, n.String())+len("$"))
		}
	case *parse.ChainNode:
		w.arg(n.Node, dot)
	case *parse.PipeNode:
		w.pipe(n, dot)
	}
}

// start returns the offset of text, the source of n, in the template. The
// parser puts a chained field's position at its second element, so look
// back from there.
func (w *templateChecker) start(n parse.Node, text string) int {
	pos := int(n.Position())
	for i := pos; i >= 0 && i >= pos-len(text); i-- {
		if strings.HasPrefix(w.src.text[i:], text) {
			return i
		}
	}
	return pos
}

// path checks the field chain .A.B.C, which starts at offset off, against t.
func (w *templateChecker) path(t types.Type, idents []string, off int) {
	pkg := w.l.p.Types
	for _, id := range idents {
		if t == nil {
			return
		}
		t = types.Unalias(t)
		if p, ok := t.(*types.Pointer); ok {
			t = types.Unalias(p.Elem())
		}
		switch u := t.Underlying().(type) {
		case *types.Map:
			t = u.Elem() // .Key looks up a map key, which only run time knows
			off += 1 + len(id)
			continue
		case *types.Interface:
			return
		case *types.Basic:
			if u.Kind() == types.Invalid {
				return
			}
		}
		obj, _, _ := types.LookupFieldOrMethod(t, true, pkg, id)
		if obj == nil {
			w.errorf(off, "%s has no field or method %s", types.TypeString(t, types.RelativeTo(pkg)), id)
			return
		}
		if !obj.Exported() {
			w.errorf(off, "%s.%s is unexported: templates can only use exported fields and methods", types.TypeString(t, types.RelativeTo(pkg)), id)
			return
		}
		switch o := obj.(type) {
		case *types.Var:
			t = o.Type()
		case *types.Func:
			sig := o.Signature()
			if sig.Params().Len() > 0 || sig.Results().Len() == 0 {
				return // called with arguments: checking those is for later
			}
			t = sig.Results().At(0).Type()
		default:
			return
		}
		off += 1 + len(id)
	}
}

func (w *templateChecker) errorf(off int, format string, args ...any) {
	w.failed = true
	line, col := lineCol(w.src.text, off)
	pos, prefix := w.src.at(line, col)
	w.l.errs.errorf(pos, "%s%s", prefix, fmt.Sprintf(format, args...))
}

// lineCol returns the 1-based line and byte column of offset off in text.
func lineCol(text string, off int) (line, col int) {
	off = min(max(off, 0), len(text))
	before := text[:off]
	line = 1 + strings.Count(before, "\n")
	col = off - strings.LastIndexByte(before, '\n')
	return line, col
}
