package gen

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"
)

const loadMode = packages.NeedName | packages.NeedFiles | packages.NeedSyntax |
	packages.NeedTypes | packages.NeedTypesInfo | packages.NeedTypesSizes | packages.NeedModule

// A loadedPackage is what loading one package comes to: its model, and
// where it is and what Go files it has, from which generate decides what
// to write and remove (see files.go).
type loadedPackage struct {
	pkg     *toolPackage // nil when the package has no tools
	name    string       // the package name
	dir     string
	goFiles []string // all of them, those build constraints exclude too
}

// load loads the packages and builds the model of each. Problems in the
// sources go to errs; the error result is for the go command failing.
//
// The packages need not compile. Their generated file is read as an empty
// file, so a stale one cannot get in the way, and type errors are ignored:
// the usual ones come from code that uses what is about to be generated
// (AddTools, SampleX). Where a type the generator needs is broken, the error
// says so at the field.
func load(dir string, patterns []string, errs *errorList) ([]loadedPackage, error) {
	fset := token.NewFileSet()
	done := phase("packages.Load")
	pkgs, err := loadFromSource(dir, patterns, fset)
	if errors.Is(err, errCgo) {
		pkgs, err = loadWithPackages(dir, patterns, fset)
	}
	done()
	if err != nil {
		return nil, fmt.Errorf("samplegen: loading %s: %w", strings.Join(patterns, " "), err)
	}
	var outs []loadedPackage
	for _, p := range pkgs {
		if out, ok := loadPackage(fset, p, errs); ok {
			outs = append(outs, out)
		}
	}
	return outs, nil
}

// loadWithPackages loads the packages with go/packages, which knows cgo.
func loadWithPackages(dir string, patterns []string, fset *token.FileSet) ([]*srcPackage, error) {
	overlay, err := generatedOverlay(dir, patterns)
	if err != nil {
		return nil, err
	}
	cfg := &packages.Config{
		Mode:      loadMode,
		Dir:       dir,
		Fset:      fset,
		ParseFile: parseFile,
		Overlay:   overlay,
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, err
	}
	var out []*srcPackage
	for _, p := range pkgs {
		sp := &srcPackage{
			Name: p.Name, PkgPath: p.PkgPath, Dir: p.Dir,
			GoFiles: p.GoFiles, IgnoredFiles: p.IgnoredFiles, Syntax: p.Syntax,
			Types: p.Types, TypesInfo: p.TypesInfo, TypesSizes: p.TypesSizes, TypeErrors: p.TypeErrors,
		}
		for _, e := range p.Errors {
			if e.Kind == packages.TypeError || isCompilerOutput(e) {
				continue
			}
			sp.Errors = append(sp.Errors, loadError{Pos: parsePos(e.Pos), Msg: e.Msg})
		}
		if p.Module != nil {
			sp.ModulePath = p.Module.Path
		}
		out = append(out, sp)
	}
	return out, nil
}

// generatedOverlay returns an overlay that shows the go command each
// existing generated file of the packages as its package clause alone, so
// that go list -export, which compiles the packages themselves too, does
// not compile a large stale file samplegen reads as empty anyway.
func generatedOverlay(dir string, patterns []string) (map[string][]byte, error) {
	pkgs, err := packages.Load(&packages.Config{Mode: packages.NeedName | packages.NeedFiles, Dir: dir}, patterns...)
	if err != nil {
		return nil, err
	}
	overlay := map[string][]byte{}
	for _, p := range pkgs {
		for _, f := range p.GoFiles {
			if p.Name != "" && isGenerated(f) {
				overlay[f] = []byte(generatedHeader + "\npackage " + p.Name + "\n")
			}
		}
	}
	return overlay, nil
}

// parseFile is packages.Config.ParseFile: it parses a file, or only the
// package clause of one samplegen generated.
func parseFile(fset *token.FileSet, filename string, src []byte) (*ast.File, error) {
	mode := parser.ParseComments | parser.SkipObjectResolution
	if bytes.HasPrefix(src, []byte(generatedHeader)) {
		mode = parser.PackageClauseOnly
	}
	return parser.ParseFile(fset, filename, src, mode)
}

// A pkgLoader builds the model of one package.
type pkgLoader struct {
	fset  *token.FileSet
	p     *srcPackage
	errs  *errorList
	sizes types.Sizes

	consts    map[*types.TypeName][]enumValue // constants of the package's named types, once needed
	constLits map[*types.Const]*ast.BasicLit  // string literals of constants, once needed
	generated map[string]token.Pos            // names generated code declares, and for which tool
	modRoot   string                          // the module's root directory, once needed
	shapes    []*types.Named                  // the struct types schemas were built from, for the stale check
}

func loadPackage(fset *token.FileSet, p *srcPackage, errs *errorList) (loadedPackage, bool) {
	broken := false
	for _, e := range p.Errors {
		errs.errorf(e.Pos, "%s", e.Msg)
		broken = true
	}
	if broken || p.Types == nil || p.TypesInfo == nil || p.Dir == "" {
		return loadedPackage{}, false
	}

	out := loadedPackage{name: p.Name, dir: p.Dir, goFiles: slices.Concat(p.GoFiles, p.IgnoredFiles)}
	l := &pkgLoader{fset: fset, p: p, errs: errs, sizes: p.TypesSizes, generated: map[string]token.Pos{}}
	if l.sizes == nil {
		l.sizes = types.SizesFor("gc", "amd64")
	}
	tools := l.tools()
	if len(tools) == 0 {
		return out, true
	}
	slices.SortStableFunc(tools, func(a, b tool) int {
		if c := strings.Compare(a.Pos.Filename, b.Pos.Filename); c != 0 {
			return c
		}
		return a.Pos.Offset - b.Pos.Offset
	})
	names := map[string]token.Position{}
	for _, t := range tools {
		if prev, dup := names[t.Name]; dup {
			errs.errorf(t.Pos, "duplicate tool name %s: %s uses it too", t.Name, shortPosition(prev))
			continue
		}
		names[t.Name] = t.Pos
	}
	pkg := &toolPackage{Name: p.Name, Path: p.PkgPath, Dir: p.Dir, Tools: tools}
	for _, t := range tools {
		if base := filepath.Base(t.Pos.Filename); !slices.Contains(pkg.Sources, base) {
			pkg.Sources = append(pkg.Sources, base)
		}
	}
	pkg.Declared = p.Types.Scope().Names()
	pkg.shapes = l.structShapes()
	if obj := p.Types.Scope().Lookup(sameFieldsName); obj != nil && len(pkg.shapes) > 0 {
		l.errorf(obj.Pos(), "the generated file declares %s, which this declaration takes: rename it", sameFieldsName)
		return loadedPackage{}, false
	}
	out.pkg = pkg
	return out, true
}

// isCompilerOutput reports whether e is the compiler's output for the
// package itself: go list compiles the packages it loads for their export
// data, and the type errors it reports are those ignored above, or those of
// a stale generated file the loader does not read.
func isCompilerOutput(e packages.Error) bool {
	return e.Kind == packages.ListError && e.Pos == "" && strings.HasPrefix(e.Msg, "# ")
}

// parsePos parses the "file:line:col" of a packages.Error.
func parsePos(s string) token.Position {
	var pos token.Position
	if s == "" || s == "-" {
		return pos
	}
	rest := s
	var nums []int
	for range 2 {
		i := strings.LastIndexByte(rest, ':')
		if i < 0 {
			break
		}
		n, err := strconv.Atoi(rest[i+1:])
		if err != nil {
			break
		}
		nums = append([]int{n}, nums...)
		rest = rest[:i]
	}
	pos.Filename = rest
	if len(nums) > 0 {
		pos.Line = nums[0]
	}
	if len(nums) > 1 {
		pos.Column = nums[1]
	}
	return pos
}

func (l *pkgLoader) pos(p token.Pos) token.Position { return l.fset.Position(p) }

// typeString writes t as the package's own code would: its own types bare,
// others qualified by package name.
func (l *pkgLoader) typeString(t types.Type) string {
	return types.TypeString(t, func(p *types.Package) string {
		if p == l.p.Types {
			return ""
		}
		return p.Name()
	})
}

func (l *pkgLoader) errorf(p token.Pos, format string, args ...any) {
	l.errs.errorf(l.pos(p), format, args...)
}

// tools finds the annotated declarations of the package and builds a tool
// from each struct type among them. Directives anywhere else are errors.
func (l *pkgLoader) tools() []tool {
	var tools []tool
	for _, f := range l.p.Syntax {
		used := map[*ast.CommentGroup]bool{}
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.GenDecl:
				if d.Tok != token.TYPE {
					continue
				}
				for _, spec := range d.Specs {
					ts := spec.(*ast.TypeSpec)
					doc := ts.Doc
					if doc == nil && !d.Lparen.IsValid() {
						doc = d.Doc
					}
					ds, spaced := directives(doc)
					l.reportSpaced(spaced)
					if len(ds) == 0 {
						continue
					}
					used[doc] = true
					if t, ok := l.tool(ts, doc, ds); ok {
						tools = append(tools, t)
					}
				}
			case *ast.FuncDecl:
				ds, spaced := directives(d.Doc)
				l.reportSpaced(spaced)
				if len(ds) == 0 {
					continue
				}
				used[d.Doc] = true
				if t, ok := l.funcTool(d, ds); ok {
					tools = append(tools, t)
				}
			}
		}
		for _, cg := range f.Comments {
			if used[cg] {
				continue
			}
			for _, c := range cg.List {
				if strings.HasPrefix(c.Text, directivePrefix) {
					l.errorf(c.Pos(), "misplaced samplegen directive: it belongs in the doc comment of a struct type or a function declaration")
				}
			}
		}
	}
	return tools
}

func (l *pkgLoader) reportSpaced(cs []*ast.Comment) {
	for _, c := range cs {
		l.errorf(c.Pos(), "samplegen directives are written //samplegen:key, with no space after //")
	}
}

// genericType reports whether t, as a tool's output names it, has type
// parameters of its own: a generic type, a generic alias, or an instance
// whose type arguments are type parameters. origin is the generic type
// behind it.
func genericType(t types.Type) (origin *types.Named, generic bool) {
	if a, isAlias := t.(*types.Alias); isAlias && a.TypeParams().Len() > 0 {
		generic = true
	}
	named, isNamed := types.Unalias(t).(*types.Named)
	if !isNamed || named.TypeParams().Len() == 0 {
		return nil, false
	}
	if named.TypeArgs().Len() == 0 {
		generic = true
	}
	for i := range named.TypeArgs().Len() {
		if _, isParam := named.TypeArgs().At(i).(*types.TypeParam); isParam {
			generic = true
		}
	}
	return named.Origin(), generic
}

// tool builds the tool of one annotated type declaration.
func (l *pkgLoader) tool(ts *ast.TypeSpec, doc *ast.CommentGroup, ds []directive) (tool, bool) {
	before := l.errs.len()
	td, ok := parseDirectives(l.fset, ds, false, l.errs)

	obj, _ := l.p.TypesInfo.Defs[ts.Name].(*types.TypeName)
	if obj == nil {
		l.errorf(ts.Name.Pos(), "cannot resolve type %s", ts.Name.Name)
		return tool{}, false
	}
	if ts.TypeParams != nil {
		l.errorf(ds[0].pos, "a samplegen tool's input cannot be a generic type (%s has type parameters)", obj.Name())
		return tool{}, false
	}
	// An alias (type StrPage = Page[string]) is the type it names: the
	// generated code names it by the alias.
	if _, isStruct := obj.Type().Underlying().(*types.Struct); !isStruct {
		l.errorf(ds[0].pos, "a samplegen tool's input must be a struct type, and %s is not one", obj.Name())
		return tool{}, false
	}
	// Bad directives do not stop the checks of the types and the prompt:
	// all errors are reported at once.

	t := tool{
		Name:        td.name,
		Title:       td.title,
		GoName:      obj.Name(),
		Description: toolDescription(doc.Text(), obj.Name()),
		Input:       typeRef{Path: l.p.PkgPath, PkgName: l.p.Name, Name: obj.Name()},
		Output:      typeRef{Path: l.p.PkgPath, PkgName: l.p.Name, Name: td.output},
		Params:      td.params,
		Pos:         l.pos(td.namePos),
	}

	if td.name != "" {
		l.claimNames(t, td.namePos)
	}

	in, _ := l.inputSchema(obj.Type(), ts.Name.Pos())
	t.InputSchema = in.JSON
	t.InputMeanings = documented(in.Enums)

	var out types.Type
	outObj := l.p.Types.Scope().Lookup(td.output)
	if outObj == nil {
		// A predeclared type: //samplegen:output string.
		outObj = types.Universe.Lookup(td.output)
	}
	switch outObj.(type) {
	case nil:
		if td.output != "" {
			l.errorf(td.outputPos, "output type %s is not declared in package %s", td.output, l.p.Name)
		}
	case *types.TypeName:
		out = outObj.Type()
		if outObj.Pkg() == nil {
			t.Output = typeRef{Name: td.output}
		}
		// An instance (through an alias: type StrPage = Page[string]) is
		// concrete; a generic type, or a generic alias (type PageOf[T any]
		// = Page[T]), is not.
		if origin, generic := genericType(out); generic {
			l.errorf(td.outputPos, "output type %s is generic: name an instance, such as type Str%s = %s[%s]",
				td.output, origin.Obj().Name(), origin.Obj().Name(), strings.TrimSuffix(strings.Repeat("string, ", origin.TypeParams().Len()), ", "))
			out = nil
		} else if problem := kindProblem(out); problem != "" {
			l.errorf(td.outputPos, "output type %s %s: %s", td.output, problem, outputKinds)
			out = nil
		}
	default:
		l.errorf(td.outputPos, "output %s is not a type", td.output)
	}
	var outEnums []enum
	if out != nil {
		pos := outObj.Pos()
		if !pos.IsValid() {
			pos = td.outputPos // predeclared
		}
		built, ok := l.outputSchema(out, obj.Type(), pos, td.outputKeys, td.keysPos)
		if ok && built.Text {
			ok = l.textOutput(out, td)
		}
		t.OutputSchema, outEnums = built.JSON, built.Enums
		t.Enums = documented(outEnums)
		t.OutputKeys = td.outputKeys
		if ok {
			t.HasFallback = l.fallback(obj, out)
		}
	}
	t.InputEnums, _ = l.inputEnums(td.enums, obj.Type(), t.OutputSchema)
	for _, ie := range t.InputEnums {
		outEnums = append(outEnums, enum{Path: ie.Path}) // for {{enum}}
	}

	t.PromptName, t.Prompt = l.prompt(td, obj.Type(), outEnums, in.Enums, out != nil)
	return t, ok && l.errs.len() == before
}

// inputSchema builds the schema of a tool's input type, which must be a
// JSON object: MCP input schemas are objects.
func (l *pkgLoader) inputSchema(t types.Type, pos token.Pos) (builtSchema, bool) {
	built, ok := l.schemaBuilder().root(t, pos, "input type", "", token.NoPos)
	if ok && built.Type != "object" {
		l.errorf(pos, "the input type %s must have a JSON object form for MCP, and it has not (it has a MarshalText method)", l.typeString(t))
		return builtSchema{}, false
	}
	return built, ok
}

// outputSchema builds the schema of a tool's output type, of any kind that
// has one (kindProblem is checked first), with the keys of samplegen:output
// applied to the whole; it checks the Validate methods of the types in it,
// which the runtime calls, and which may take in, the tool's input (nil
// for a function tool).
func (l *pkgLoader) outputSchema(t, in types.Type, pos token.Pos, keys string, keysPos token.Pos) (builtSchema, bool) {
	b := l.schemaBuilder()
	b.validate, b.validateInput = true, in
	return b.root(t, pos, "output type", keys, keysPos)
}

// outputKinds ends the errors about output types that cannot work.
const outputKinds = "an output is a struct, string, number, boolean, list, map or enum type"

// kindProblem says why no value of type t can be a tool's output, or
// returns "" when one can as far as t's kind goes: the schema builder
// reports what is wrong inside it.
func kindProblem(t types.Type) string {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		if u.Kind() == types.Invalid || u.Kind() != types.Uintptr && u.Info()&(types.IsBoolean|types.IsString|types.IsInteger|types.IsFloat) != 0 {
			return ""
		}
		if u == t {
			return "has no JSON form" // predeclared
		}
		return "is " + u.String() + ", which has no JSON form"
	case *types.Struct, *types.Slice, *types.Array, *types.Map:
		return ""
	case *types.Pointer:
		return "is a pointer type (name the type it points to, whose schema it has)"
	case *types.Interface:
		return "is an interface type, which has no schema to tell the model what to answer"
	case *types.Chan:
		return "is a channel type, which has no JSON form"
	case *types.Signature:
		return "is a function type, which has no JSON form"
	}
	return "has no JSON form"
}

// textOutput checks the output type of a sampling tool whose schema is a
// plain string, which the runtime takes from the model's text as it is:
// the type must be a Go string that encoding/json does not treat
// otherwise.
func (l *pkgLoader) textOutput(out types.Type, td toolDirectives) bool {
	if basic, ok := out.Underlying().(*types.Basic); !ok || basic.Info()&types.IsString == 0 {
		l.errorf(td.outputPos, "output type %s is a JSON string but not a Go string: the runtime takes a string output from the model's plain text, which it stores in a string type", td.output)
		return false
	}
	for _, m := range []string{"MarshalText", "UnmarshalText"} {
		if hasMethod(out, m) {
			l.errorf(td.outputPos, "output type %s has %s %s method, which the runtime would not call: a string output is the model's plain text, stored as it is; use a plain string type", td.output, article(m), m)
			return false
		}
	}
	return true
}

// funcTool builds the tool of one annotated function declaration.
func (l *pkgLoader) funcTool(fd *ast.FuncDecl, ds []directive) (tool, bool) {
	before := l.errs.len()
	td, ok := parseDirectives(l.fset, ds, true, l.errs)
	fn, _ := l.p.TypesInfo.Defs[fd.Name].(*types.Func)
	if fn == nil {
		l.errorf(fd.Name.Pos(), "cannot resolve function %s", fd.Name.Name)
		return tool{}, false
	}
	sig := fn.Signature()
	want := fmt.Sprintf("func %s(context.Context, runtime.Sampler, In) (Out, error)", fn.Name())
	var recv typeRef
	recvPointer := false
	if sig.Recv() != nil {
		var ok bool
		if recv, recvPointer, ok = l.methodReceiver(fd, sig, ds[0].pos); !ok {
			return tool{}, false
		}
		want = fmt.Sprintf("func (%s) %s(context.Context, runtime.Sampler, In) (Out, error)", l.typeString(sig.Recv().Type()), fn.Name())
	}
	switch {
	case sig.TypeParams().Len() > 0:
		l.errorf(ds[0].pos, "a function tool cannot be generic: want %s with concrete In and Out", want)
		return tool{}, false
	}
	params, results := sig.Params(), sig.Results()
	if sig.Variadic() || params.Len() != 3 || results.Len() != 2 ||
		!isNamedType(params.At(0).Type(), "context", "Context") ||
		!isNamedType(params.At(1).Type(), samplingPath, "Sampler") || // runtime.Sampler is an alias of it

		!types.Identical(results.At(1).Type(), types.Universe.Lookup("error").Type()) {
		l.errorf(ds[0].pos, "function tool %s has the wrong signature: want %s", fn.Name(), want)
		return tool{}, false
	}
	in, inOK := l.funcToolInput(params.At(2).Type(), typePos(fd.Type.Params.List, 2, ds[0].pos))
	outPos := typePos(fd.Type.Results.List, 0, ds[0].pos)
	out, outOK := l.funcToolOutput(results.At(0).Type(), outPos)
	if !inOK || !outOK {
		return tool{}, false
	}

	t := tool{
		Name:        td.name,
		Title:       td.title,
		GoName:      fn.Name(),
		Description: toolDescription(fd.Doc.Text(), fn.Name()),
		Func:        true,
		Input:       in,
		Output:      out,
		Pos:         l.pos(td.namePos),

		Receiver:        recv,
		ReceiverPointer: recvPointer,
	}
	if td.name != "" {
		l.claimNames(t, td.namePos)
	}
	inSchema, _ := l.inputSchema(params.At(2).Type(), typePos(fd.Type.Params.List, 2, ds[0].pos))
	outSchema, _ := l.outputSchema(results.At(0).Type(), nil, outPos, "", token.NoPos)
	t.InputSchema, t.OutputSchema = inSchema.JSON, outSchema.JSON
	return t, ok && l.errs.len() == before
}

// funcToolInput checks the input type of a function tool: a named struct
// type, which the generated code can name.
func (l *pkgLoader) funcToolInput(t types.Type, pos token.Pos) (typeRef, bool) {
	if ref, ok := l.nameable(t); ok {
		if _, isStruct := t.Underlying().(*types.Struct); isStruct && ref.Path != "" {
			return ref, true
		}
	}
	if b, isBasic := t.(*types.Basic); isBasic && b.Kind() == types.Invalid {
		return typeRef{}, false // the type checker has said why
	}
	l.errorf(pos, "the input of a function tool must be a named struct type (MCP input schemas are objects), not %s", l.typeString(t))
	return typeRef{}, false
}

// funcToolOutput checks the output type of a function tool: a named type
// the generated code can name, or a predeclared one, of a kind that has a
// JSON Schema.
func (l *pkgLoader) funcToolOutput(t types.Type, pos token.Pos) (typeRef, bool) {
	if b, isBasic := t.(*types.Basic); isBasic && b.Kind() == types.Invalid {
		return typeRef{}, false // the type checker has said why
	}
	ref, ok := l.nameable(t)
	if !ok {
		if p, isPtr := types.Unalias(t).(*types.Pointer); isPtr {
			l.errorf(pos, "the output of a function tool must not be a pointer: return %s", l.typeString(p.Elem()))
		} else {
			l.errorf(pos, "the output of a function tool must be a named type or a predeclared one such as string, not %s: declare a type for it", l.typeString(t))
		}
		return typeRef{}, false
	}
	if problem := kindProblem(t); problem != "" {
		l.errorf(pos, "the output type %s of a function tool %s: %s", l.typeString(t), problem, outputKinds)
		return typeRef{}, false
	}
	return ref, true
}

// nameable returns how the generated code names t: a named type of any
// package (exported, unless it is the package's own) that is not an
// instance of a generic type, or a predeclared type (Path empty); or, for
// an alias of another type, the alias.
func (l *pkgLoader) nameable(t types.Type) (typeRef, bool) {
	if a, isAlias := t.(*types.Alias); isAlias {
		if ref, ok := l.nameable(types.Unalias(a)); ok {
			return ref, true
		}
		obj := a.Obj()
		if a.TypeArgs().Len() == 0 && obj.Pkg() != nil && obj.Parent() == obj.Pkg().Scope() && (obj.Exported() || obj.Pkg() == l.p.Types) {
			return typeRef{Path: obj.Pkg().Path(), PkgName: obj.Pkg().Name(), Name: obj.Name()}, true
		}
		return typeRef{}, false
	}
	switch t := t.(type) {
	case *types.Named:
		obj := t.Obj()
		switch {
		case t.TypeArgs().Len() > 0:
			return typeRef{}, false
		case obj.Pkg() == nil:
			return typeRef{Name: obj.Name()}, true // error, comparable
		case obj.Exported() || obj.Pkg() == l.p.Types:
			return typeRef{Path: obj.Pkg().Path(), PkgName: obj.Pkg().Name(), Name: obj.Name()}, true
		}
	case *types.Basic:
		if t.Info()&types.IsUntyped == 0 && t.Kind() != types.UnsafePointer {
			return typeRef{Name: t.Name()}, true
		}
	}
	return typeRef{}, false
}

// typePos is the position of the type of the i-th parameter or result in
// a field list, where several names may share a type, or else at.
func typePos(fields []*ast.Field, i int, at token.Pos) token.Pos {
	n := 0
	for _, f := range fields {
		k := max(len(f.Names), 1)
		if i < n+k {
			return f.Type.Pos()
		}
		n += k
	}
	return at
}

// isNamedType reports whether t is the named type path.name.
func isNamedType(t types.Type, path, name string) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == path && n.Obj().Name() == name
}

// shortPosition is "file.go:12", for pointing at a second place in a message.
func shortPosition(p token.Position) string {
	return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
}

// fallback reports whether in has a usable Fallback method, and reports one
// that is there but unusable.
func (l *pkgLoader) fallback(in *types.TypeName, out types.Type) bool {
	obj, _, _ := types.LookupFieldOrMethod(in.Type(), true, l.p.Types, "Fallback")
	m, ok := obj.(*types.Func)
	if !ok {
		return false
	}
	sig := m.Signature()
	want := fmt.Sprintf("func (%s) Fallback(error) (%s, error)", in.Name(), l.typeString(out))
	if _, isPtr := sig.Recv().Type().(*types.Pointer); isPtr {
		l.errorf(m.Pos(), "Fallback has a pointer receiver; samplegen calls it on a value: want %s", want)
		return false
	}
	errType := types.Universe.Lookup("error").Type()
	if sig.Variadic() || sig.Params().Len() != 1 || sig.Results().Len() != 2 ||
		!types.Identical(sig.Params().At(0).Type(), errType) ||
		!types.Identical(sig.Results().At(0).Type(), out) ||
		!types.Identical(sig.Results().At(1).Type(), errType) {
		l.errorf(m.Pos(), "Fallback has the wrong signature: want %s", want)
		return false
	}
	return true
}
