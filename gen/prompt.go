package gen

import (
	"errors"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/samplegen/samplegen/prompt"
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
// checks it against the input type: field paths, helper calls and their
// arguments, and the enum paths {{enum}} names, which must be among
// outEnums (checked only when haveOut) or inEnums. It returns the prompt's
// name and text, or "" after reporting an error.
func (l *pkgLoader) prompt(td toolDirectives, in types.Type, outEnums, inEnums []enum, haveOut bool) (name, text string) {
	var src promptSource
	switch {
	case td.promptFile != "":
		goFile := l.pos(td.promptPos).Filename
		path := filepath.Join(filepath.Dir(goFile), filepath.FromSlash(td.promptFile))
		data, err := readPromptFile(l.moduleRoot(), path, goFile)
		if err != nil {
			l.errs.add(l.pos(td.promptPos), errors.Unwrap(err), "prompt file %s%v", td.promptFile, err)
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

	t, err := prompt.Parse(src.name, src.text, "")
	if err != nil {
		line, col, msg := parseError(src, err)
		pos, prefix := src.at(max(line, 1), col)
		l.errs.add(pos, err, "%s%s", prefix, msg)
		return "", ""
	}
	c := &templateChecker{
		l: l, src: src, set: t,
		enums: outEnums, inEnums: inEnums, checkEnums: haveOut,
		checked: map[string][]checkedAs{},
	}
	c.recursion()
	// The body and the system block are executed with the input as dot,
	// not addressable; other blocks with what {{template}} passes them.
	root := value{t: in, input: true}
	c.check(t.Name(), root)
	if t.Lookup(prompt.SystemTemplate) != nil {
		c.sys = true
		c.check(prompt.SystemTemplate, root)
		c.sys = false
	}
	for _, tt := range t.Templates() {
		if _, done := c.checked[tt.Name()]; !done {
			c.check(tt.Name(), value{})
		}
	}
	if c.failed {
		return "", ""
	}
	for _, w := range c.warnings {
		pos, prefix := c.src.at(lineCol(c.src.text, w.off))
		l.errs.warnf(pos, "%s%s", prefix, w.msg)
	}
	return src.name, src.text
}

// constLocator maps template lines and columns into the Go file when the
// constant is a single string literal whose source is its text, and to the
// constant otherwise.
func (l *pkgLoader) constLocator(c *types.Const) func(line, col int) (token.Position, string) {
	if l.constLits == nil {
		l.constLits = map[*types.Const]*ast.BasicLit{}
		for _, vs := range constSpecs(l.p.Syntax) {
			for i, name := range vs.Names {
				// In a raw literal, and in a quoted one without escapes,
				// the text is the source between the quotes.
				bl, ok := nth(vs.Values, i).(*ast.BasicLit)
				if ok && bl.Kind == token.STRING && (bl.Value[0] == '`' || !strings.Contains(bl.Value, `\`)) {
					if c, ok := l.p.TypesInfo.Defs[name].(*types.Const); ok {
						l.constLits[c] = bl
					}
				}
			}
		}
	}
	lit := l.constLits[c]
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

func nth(exprs []ast.Expr, i int) ast.Expr {
	if i < len(exprs) {
		return exprs[i]
	}
	return nil
}

var (
	parseErrorRE = regexp.MustCompile(`^template: (?s:.*?):(\d+): (.*)$`)
	undefinedRE  = regexp.MustCompile(`^function "([^"]+)" not defined$`)
)

// parseError splits a text/template parse error, "template: NAME:LINE:
// MESSAGE", into its line and message; line is 0 when the error has none.
// For an undefined function it finds the column of the name too.
func parseError(src promptSource, err error) (line, col int, msg string) {
	text := strings.TrimPrefix(err.Error(), "prompt template: ")
	m := parseErrorRE.FindStringSubmatch(text)
	if m == nil {
		return 0, 0, err.Error()
	}
	line, _ = strconv.Atoi(m[1])
	msg = m[2]
	if u := undefinedRE.FindStringSubmatch(msg); u != nil {
		msg = fmt.Sprintf("prompt template: unknown function %s (the helpers are %s, and text/template's own)", u[1], wordList(helperNames(), "or"))
		lines := strings.Split(src.text, "\n")
		if line <= len(lines) {
			re := regexp.MustCompile(`(^|[^\w.$])` + regexp.QuoteMeta(u[1]) + `\b`)
			if loc := re.FindStringSubmatchIndex(lines[line-1]); loc != nil {
				col = loc[3] + 1
			}
		}
		return line, col, msg
	}
	return line, 0, "prompt template: " + msg
}

func helperNames() []string {
	var names []string
	for name := range prompt.Funcs("") {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// lineCol returns the 1-based line and byte column of offset off in text.
func lineCol(text string, off int) (line, col int) {
	off = min(max(off, 0), len(text))
	before := text[:off]
	line = 1 + strings.Count(before, "\n")
	col = off - strings.LastIndexByte(before, '\n')
	return line, col
}
