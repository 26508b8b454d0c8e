package gen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dave/jennifer/jen"
)

// Import paths of the generated code.
const (
	runtimePath = "github.com/samplegen/samplegen/runtime"
	mcpPath     = "github.com/modelcontextprotocol/go-sdk/mcp"
	// samplingPath holds Sampler, which runtime.Sampler aliases.
	samplingPath = "github.com/samplegen/samplegen/sampling"
)

// multiline is a composite literal's braces with one element per line.
var multiline = jen.Options{Open: "{", Close: "}", Separator: ",", Multi: true}

// oneLine is a function body on the line of its signature.
var oneLine = jen.Options{Open: "{", Close: "}"}

// emit renders the generated file of p.
func emit(p *toolPackage) ([]byte, error) {
	f := jen.NewFilePathName(p.Path, p.Name)
	lits := &literals{}
	f.HeaderComment(strings.TrimPrefix(strings.TrimSuffix(generatedHeader, "\n"), "// "))
	for _, s := range p.Sources {
		f.HeaderComment("Source: " + s)
	}
	importNames(f, p)

	f.Comment("The build fails here when this file and the samplegen runtime are out of step: run go generate.")
	f.Const().Id("_").Op("=").Qual(runtimePath, "SupportPackageIsVersion2")

	recvs := receiverParams(p.Tools)
	for _, t := range p.Tools {
		f.Line()
		emitTool(f, t, lits, recvs)
	}

	emitShapes(f, p.shapes)

	f.Line()
	addParams := []jen.Code{jen.Id("srv").Op("*").Qual(mcpPath, "Server")}
	if len(recvs) == 0 {
		f.Commentf("%s adds every samplegen tool of this package to srv.", addToolsName)
	} else {
		names := make([]string, len(recvs))
		for i, r := range recvs {
			names[i] = r.name
			addParams = append(addParams, jen.Id(r.name).Add(receiverType(r.typ, r.pointer)))
		}
		f.Commentf("%s adds every samplegen tool of this package to srv, those that are methods bound to %s.", addToolsName, wordList(names, "and"))
	}
	addParams = append(addParams, jen.Id("opts").Op("...").Qual(runtimePath, "ToolOption"))
	f.Func().Id(addToolsName).Params(addParams...).BlockFunc(func(g *jen.Group) {
		for _, t := range p.Tools {
			args := []jen.Code{jen.Id("srv")}
			if t.Receiver.Name != "" {
				r := recvs[slices.IndexFunc(recvs, func(r receiverParam) bool { return r.typ == t.Receiver })]
				arg := jen.Id(r.name)
				if r.pointer && !t.ReceiverPointer {
					arg = jen.Op("*").Id(r.name)
				}
				args = append(args, arg)
			}
			g.Id(namesOf(t).add).Call(append(args, jen.Id("opts").Op("..."))...)
		}
	})

	name := p.Name + generatedSuffix
	var buf bytes.Buffer
	if err := f.Render(&buf); err != nil {
		return nil, renderBug(name, err)
	}
	withLits, err := lits.restore(buf.Bytes())
	if err != nil {
		return nil, renderBug(name, err)
	}
	// jennifer gofmts; the imports still need grouping, standard library
	// first, as goimports and people write them.
	src, err := groupImports(withLits)
	if err != nil {
		return nil, fmt.Errorf("formatting %s: %w", name, err)
	}
	return src, nil
}

// renderBug is the error of generated code that does not parse, which is
// the generator's fault and not the user's. jennifer's error holds the whole
// source after its message; the error keeps the message and the line it
// points at, cut short, so that it stays one line.
func renderBug(name string, err error) error {
	msg, src, found := strings.Cut(err.Error(), " while formatting source:\n")
	if !found {
		return fmt.Errorf("rendering %s: %w (this is a samplegen bug: please report it)", name, err)
	}
	msg = strings.TrimPrefix(msg, "Error ")
	if line, col, ok := errorPosition(msg); ok {
		if lines := strings.Split(src, "\n"); line <= len(lines) {
			msg += fmt.Sprintf(" at %q", excerpt(lines[line-1], col))
		}
	}
	return fmt.Errorf("rendering %s: %s (this is a samplegen bug: please report it)", name, msg)
}

// errorPosition reads the line and column a go/scanner error starts with.
func errorPosition(msg string) (line, col int, ok bool) {
	l, rest, ok1 := strings.Cut(msg, ":")
	c, _, ok2 := strings.Cut(rest, ":")
	line, err1 := strconv.Atoi(l)
	col, err2 := strconv.Atoi(c)
	return line, col, ok1 && ok2 && err1 == nil && err2 == nil && line > 0
}

// excerpt is at most 80 bytes of line around the 1-based byte column col.
func excerpt(line string, col int) string {
	indent := len(line) - len(strings.TrimLeft(line, "\t"))
	line, col = line[indent:], col-indent
	const width = 80
	if len(line) <= width {
		return line
	}
	start := max(0, min(col-width/2, len(line)-width))
	return strings.ToValidUTF8(line[start:start+width], "")
}

// groupImports puts the standard library's imports of a gofmt'd file in a
// group before the others, as goimports does. It parses the imports only:
// formatting a large file a second time would cost more than all the rest.
func groupImports(src []byte) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.ImportsOnly|parser.ParseComments)
	if err != nil {
		return nil, err
	}
	if len(f.Decls) == 0 {
		return src, nil
	}
	d, ok := f.Decls[0].(*ast.GenDecl)
	if !ok || d.Tok != token.IMPORT || !d.Lparen.IsValid() || len(f.Decls) > 1 && isImport(f.Decls[1]) {
		return src, nil
	}
	var std, other []string
	for _, spec := range d.Specs {
		is := spec.(*ast.ImportSpec)
		path, _ := strconv.Unquote(is.Path.Value)
		line := is.Path.Value
		if is.Name != nil {
			line = is.Name.Name + " " + line
		}
		if first, _, _ := strings.Cut(path, "/"); strings.Contains(first, ".") {
			other = append(other, line)
		} else {
			std = append(std, line)
		}
	}
	byPath := func(a, b string) int {
		return strings.Compare(a[strings.IndexByte(a, '"'):], b[strings.IndexByte(b, '"'):])
	}
	slices.SortFunc(std, byPath)
	slices.SortFunc(other, byPath)
	var block strings.Builder
	block.WriteString("import (\n")
	for i, group := range [][]string{std, other} {
		if i > 0 && len(std) > 0 && len(other) > 0 {
			block.WriteString("\n")
		}
		for _, line := range group {
			block.WriteString("\t" + line + "\n")
		}
	}
	block.WriteString(")")
	start, end := fset.Position(d.Pos()).Offset, fset.Position(d.End()).Offset
	return slices.Concat(src[:start], []byte(block.String()), src[end:]), nil
}

func isImport(d ast.Decl) bool {
	g, ok := d.(*ast.GenDecl)
	return ok && g.Tok == token.IMPORT
}

// importNames names the imports of the generated file, renaming those whose
// name the package already declares.
func importNames(f *jen.File, p *toolPackage) {
	imports := []typeRef{
		{Path: runtimePath, PkgName: "runtime"},
		{Path: mcpPath, PkgName: "mcp"},
		{Path: "context", PkgName: "context"},
		{Path: "time", PkgName: "time"},
	}
	var refs []typeRef
	for _, t := range p.Tools {
		refs = append(refs, t.Input, t.Output)
	}
	for _, ref := range append(refs, shapeImports(p.shapes)...) {
		if ref.Path != "" && ref.Path != p.Path && !slices.ContainsFunc(imports, func(r typeRef) bool { return r.Path == ref.Path }) {
			imports = append(imports, ref)
		}
	}
	taken := slices.Clone(p.Declared)
	for _, imp := range imports {
		if !slices.Contains(taken, imp.PkgName) {
			f.ImportName(imp.Path, imp.PkgName)
			taken = append(taken, imp.PkgName)
			continue
		}
		alias := imp.PkgName + "pkg"
		for slices.Contains(taken, alias) {
			alias += "_"
		}
		f.ImportAlias(imp.Path, alias)
		taken = append(taken, alias)
	}
}

func typeCode(t typeRef) *jen.Statement {
	if t.Path == "" {
		return jen.Id(t.Name) // predeclared
	}
	return jen.Qual(t.Path, t.Name)
}

func emitTool(f *jen.File, t tool, lits *literals, recvs []receiverParam) {
	names := namesOf(t)
	v := names.spec

	fields := []jen.Code{
		jen.Id("Name").Op(":").Lit(t.Name),
	}
	if t.Title != "" {
		fields = append(fields, jen.Id("Title").Op(":").Lit(t.Title))
	}
	if t.Description != "" {
		fields = append(fields, jen.Id("Description").Op(":").Lit(t.Description))
	}
	fields = append(fields,
		jen.Id("InputSchema").Op(":").Add(lits.raw(t.InputSchema)),
		jen.Id("OutputSchema").Op(":").Add(lits.raw(t.OutputSchema)),
	)
	if t.Func {
		if t.Receiver.Name == "" {
			fields = append(fields, jen.Id("Func").Op(":").Id(t.GoName))
		}
		f.Var().Id(v).Op("=").Qual(runtimePath, "NewFuncTool").Call(
			jen.Qual(runtimePath, "FuncSpec").Types(typeCode(t.Input), typeCode(t.Output)).Custom(multiline, fields...),
		)
	} else {
		fields = append(fields,
			jen.Id("PromptName").Op(":").Lit(t.PromptName),
			jen.Id("Prompt").Op(":").Add(lits.raw(t.Prompt)),
		)
		if len(t.Enums) > 0 {
			fields = append(fields, jen.Id("Enums").Op(":").Add(enumsCode(t.Enums)))
		}
		if len(t.InputMeanings) > 0 {
			fields = append(fields, jen.Id("InputEnumMeanings").Op(":").Add(enumsCode(t.InputMeanings)))
		}
		if params := paramsCode(t.Params); len(params) > 4 {
			fields = append(fields, jen.Id("Params").Op(":").Qual(runtimePath, "Params").Custom(multiline, params...))
		} else if len(params) > 0 {
			fields = append(fields, jen.Id("Params").Op(":").Qual(runtimePath, "Params").Values(params...))
		}
		if len(t.InputEnums) > 0 {
			fields = append(fields, jen.Id("EnumsFromInput").Op(":").Add(inputEnumsCode(t)))
		}
		if t.HasFallback {
			fields = append(fields, jen.Id("Fallback").Op(":").Add(typeCode(t.Input)).Dot("Fallback"))
		}
		f.Var().Id(v).Op("=").Qual(runtimePath, "NewTool").Call(
			jen.Qual(runtimePath, "Spec").Types(typeCode(t.Input), typeCode(t.Output)).Custom(multiline, fields...),
		)
	}

	// Parameter names must not hide the input and output types.
	param := func(name string) string { return freeName(name, t.Input.Name, t.Output.Name) }
	ctx, s, in, opts, srv := param("ctx"), param("s"), param("in"), param("opts"), param("srv")

	if !t.Func {
		f.Line()
		f.Commentf("%s renders the %s prompt for %s, asks %s for an answer and returns it as %s %s.",
			names.sample, t.Name, in, s, article(t.Output.Name), t.Output.Name)
		f.Func().Id(names.sample).Params(
			jen.Id(ctx).Qual("context", "Context"),
			jen.Id(s).Qual(runtimePath, "Sampler"),
			jen.Id(in).Add(typeCode(t.Input)),
			jen.Id(opts).Op("...").Qual(runtimePath, "CallOption"),
		).Params(typeCode(t.Output), jen.Error()).Block(
			jen.Return(jen.Id(v).Dot("Sample").Call(jen.Id(ctx), jen.Id(s), jen.Id(in), jen.Id(opts).Op("..."))),
		)
	}

	f.Line()
	f.Commentf("%s returns the MCP description of the %s tool.", names.mcpTool, t.Name)
	f.Func().Id(names.mcpTool).Params().Op("*").Qual(mcpPath, "Tool").Custom(oneLine,
		jen.Return(jen.Id(v).Dot("MCPTool").Call()),
	)

	f.Line()
	if t.Receiver.Name != "" {
		// The name AddTools gives the receiver, so that the two agree.
		r := recvs[slices.IndexFunc(recvs, func(r receiverParam) bool { return r.typ == t.Receiver })]
		recv := freeName(r.name, srv, opts)
		f.Commentf("%s adds the %s tool, whose body is the method %s of %s, to %s.", names.add, t.Name, t.GoName, recv, srv)
		f.Func().Id(names.add).Params(
			jen.Id(srv).Op("*").Qual(mcpPath, "Server"),
			jen.Id(recv).Add(receiverType(t.Receiver, t.ReceiverPointer)),
			jen.Id(opts).Op("...").Qual(runtimePath, "ToolOption"),
		).Custom(oneLine,
			jen.Id(v).Dot("Bind").Call(jen.Id(recv).Dot(t.GoName)).Dot("Add").Call(jen.Id(srv), jen.Id(opts).Op("...")),
		)
		return
	}
	if t.Func {
		f.Commentf("%s adds the %s tool, whose body is %s, to %s.", names.add, t.Name, t.GoName, srv)
	} else {
		f.Commentf("%s adds the %s tool to %s.", names.add, t.Name, srv)
	}
	f.Func().Id(names.add).Params(
		jen.Id(srv).Op("*").Qual(mcpPath, "Server"),
		jen.Id(opts).Op("...").Qual(runtimePath, "ToolOption"),
	).Custom(oneLine,
		jen.Id(v).Dot("Add").Call(jen.Id(srv), jen.Id(opts).Op("...")),
	)
}

// receiverType is the type of a parameter holding a method tool's
// receiver.
func receiverType(t typeRef, pointer bool) *jen.Statement {
	if pointer {
		return jen.Op("*").Add(typeCode(t))
	}
	return typeCode(t)
}

// enumsCode is a []runtime.Enum literal.
func enumsCode(list []enum) jen.Code {
	var enums []jen.Code
	for _, e := range list {
		var values []jen.Code
		for _, ev := range e.Values {
			kv := []jen.Code{jen.Id("Value").Op(":").Add(valueCode(ev.Value))}
			if ev.Doc != "" {
				kv = append(kv, jen.Id("Doc").Op(":").Lit(ev.Doc))
			}
			values = append(values, jen.Values(kv...))
		}
		enums = append(enums, jen.Values(
			jen.Id("Path").Op(":").Lit(e.Path),
			jen.Id("Values").Op(":").Index().Qual(runtimePath, "EnumValue").Custom(multiline, values...),
		))
	}
	return jen.Index().Qual(runtimePath, "Enum").Custom(multiline, enums...)
}

// inputEnumsCode is the EnumsFromInput of a runtime.Spec: each value's path,
// and a function of the input that lists its allowed values.
func inputEnumsCode(t tool) jen.Code {
	in := "in"
	if t.Input.Name == in {
		in = "in_"
	}
	var list []jen.Code
	for _, ie := range t.InputEnums {
		helper := "EnumList"
		if ie.Map {
			helper = "EnumMap"
		}
		list = append(list, jen.Values(
			jen.Id("Path").Op(":").Lit(ie.Path),
			jen.Id("Input").Op(":").Lit(ie.Input),
			jen.Id("Values").Op(":").Func().Params(jen.Id(in).Add(typeCode(t.Input))).Index().Qual(runtimePath, "EnumValue").Block(
				jen.Return(jen.Qual(runtimePath, helper).Call(jen.Id(in+"."+ie.Field))),
			),
		))
	}
	return jen.Index().Qual(runtimePath, "EnumFromInput").Types(typeCode(t.Input)).Custom(multiline, list...)
}

// valueCode is an enum value as a Go literal of its default type.
func valueCode(v any) jen.Code {
	switch v := v.(type) {
	case int64:
		return jen.Op(strconv.FormatInt(v, 10))
	case uint64:
		if v <= math.MaxInt64 {
			return jen.Op(strconv.FormatUint(v, 10))
		}
		return jen.Lit(v)
	case json.Number:
		return jen.Op(v.String())
	}
	return jen.Lit(v)
}

// paramsCode returns the fields of a runtime.Params literal for the keys
// the directive gave.
func paramsCode(p samplingParams) []jen.Code {
	var kv []jen.Code
	if p.Temperature != nil {
		kv = append(kv, jen.Id("Temperature").Op(":").Qual(runtimePath, "Float").Call(
			jen.Op(strconv.FormatFloat(*p.Temperature, 'g', -1, 64))))
	}
	if p.MaxTokens != 0 {
		kv = append(kv, jen.Id("MaxTokens").Op(":").Op(strconv.FormatInt(p.MaxTokens, 10)))
	}
	if p.Retries != nil {
		kv = append(kv, jen.Id("Retries").Op(":").Qual(runtimePath, "Int").Call(jen.Lit(*p.Retries)))
	}
	if p.Timeout != 0 {
		kv = append(kv, jen.Id("Timeout").Op(":").Add(durationCode(p.Timeout)))
	}
	if p.TruncatedMaxTokens != 0 {
		kv = append(kv, jen.Id("TruncatedMaxTokens").Op(":").Op(strconv.FormatInt(p.TruncatedMaxTokens, 10)))
	}
	strs := func(list []string) jen.Code {
		items := make([]jen.Code, len(list))
		for i, s := range list {
			items[i] = jen.Lit(s)
		}
		return jen.Index().String().Values(items...)
	}
	if p.StopSequences != nil {
		kv = append(kv, jen.Id("StopSequences").Op(":").Add(strs(p.StopSequences)))
	}
	if p.ModelHints != nil {
		kv = append(kv, jen.Id("ModelHints").Op(":").Add(strs(p.ModelHints)))
	}
	for _, pr := range []struct {
		name string
		v    *float64
	}{{"CostPriority", p.CostPriority}, {"SpeedPriority", p.SpeedPriority}, {"IntelligencePriority", p.IntelligencePriority}} {
		if pr.v != nil {
			kv = append(kv, jen.Id(pr.name).Op(":").Qual(runtimePath, "Float").Call(jen.Op(strconv.FormatFloat(*pr.v, 'g', -1, 64))))
		}
	}
	return kv
}

// durationCode writes d as a Go expression a person would write, such as
// 30 * time.Second.
func durationCode(d time.Duration) jen.Code {
	units := []struct {
		d    time.Duration
		name string
	}{
		{time.Hour, "Hour"}, {time.Minute, "Minute"}, {time.Second, "Second"},
		{time.Millisecond, "Millisecond"}, {time.Microsecond, "Microsecond"}, {time.Nanosecond, "Nanosecond"},
	}
	for _, u := range units {
		if d%u.d != 0 {
			continue
		}
		if d == u.d {
			return jen.Qual("time", u.name)
		}
		return jen.Op(strconv.FormatInt(int64(d/u.d), 10)).Op("*").Qual("time", u.name)
	}
	panic("unreachable: every duration is a whole number of nanoseconds")
}

// literals hold the multi-line raw string literals of a file while the rest
// is formatted. Schemas make up most of a generated file, and go/format
// spends most of its time measuring them; gofmt leaves a raw literal's text
// alone, and lays out a short multi-line literal exactly as a long one, so
// the file is formatted with a two-line placeholder in place of each and
// the literals are put back after.
type literals struct {
	list []string
}

const literalMark = "`samplegen literal "

// raw is s as a raw string literal, so that schemas and prompts read as
// they are in diffs, or as a quoted one when a raw literal cannot hold s.
func (l *literals) raw(s string) jen.Code {
	if !canRawQuote(s) {
		return jen.Lit(s)
	}
	if !strings.Contains(s, "\n") {
		return jen.Op("`" + s + "`")
	}
	l.list = append(l.list, "`"+s+"`")
	return jen.Op(literalMark + strconv.Itoa(len(l.list)-1) + "\n`")
}

// restore puts the literals back in src.
func (l *literals) restore(src []byte) ([]byte, error) {
	var out bytes.Buffer
	out.Grow(len(src) + 2*len(l.list))
	for n := range l.list {
		mark := literalMark + strconv.Itoa(n) + "\n`"
		i := bytes.Index(src, []byte(mark))
		if i < 0 {
			return nil, fmt.Errorf("literal %d lost in formatting", n)
		}
		out.Write(src[:i])
		out.WriteString(l.list[n])
		src = src[i+len(mark):]
	}
	out.Write(src)
	return out.Bytes(), nil
}

// canRawQuote reports whether a raw string literal holds s unchanged: no
// backquote, no carriage return (the compiler drops those), no other control
// character but tab and newline, no byte order mark, valid UTF-8.
func canRawQuote(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		switch {
		case r == '`', r == '\r', r == '\uFEFF', r == utf8.RuneError:
			return false
		case r < ' ' && r != '\t' && r != '\n', r == 0x7F:
			return false
		}
	}
	return true
}

// article is "a" or "an" before name, by its first letter.
func article(name string) string {
	if name != "" && strings.ContainsRune("AEIOUaeiou", rune(name[0])) {
		return "an"
	}
	return "a"
}
