package gen

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/scanner"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	goruntime "runtime"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/gcexportdata"
)

// A srcPackage is a package loaded from source and type-checked: the parts
// of golang.org/x/tools/go/packages.Package that samplegen uses.
type srcPackage struct {
	Name, PkgPath, Dir string
	ModulePath         string   // the path of the package's module; empty outside modules
	GoFiles            []string // absolute
	IgnoredFiles       []string // absolute: excluded by build constraints
	Syntax             []*ast.File
	Types              *types.Package
	TypesInfo          *types.Info
	TypesSizes         types.Sizes
	TypeErrors         []types.Error
	Errors             []loadError // from the go command and the parser
}

// A loadError is a problem with a package that is not a type error.
type loadError struct {
	Pos token.Position
	Msg string
}

// listedPackage is the part of go list -json that samplegen reads.
type listedPackage struct {
	Dir, ImportPath, Name string
	GoFiles               []string
	CgoFiles              []string
	IgnoredGoFiles        []string
	Imports               []string
	ImportMap             map[string]string
	Export                string
	Error                 *listError
	DepsErrors            []*listError
	Module                *struct{ Path string }
}

type listError struct {
	ImportStack []string
	Pos, Err    string
}

// errCgo says that a package uses cgo, which the direct loader leaves to
// go/packages.
var errCgo = errors.New("cgo")

// loadFromSource lists the packages the patterns match and type-checks them
// from source, their dependencies from export data.
//
// It does what go/packages does for samplegen's needs, at about a third of
// the cost for a small package, for two reasons. go/packages lists with
// -compiled, which makes the go command prepare the compiled files of every
// dependency, most of the time of a run; samplegen parses the packages' own
// Go files, so it needs none. And go/packages asks for the export data of
// the packages themselves too, so the go command compiles them with their
// stale generated file, which samplegen reads as empty anyway; here only
// the dependencies' export data is asked for. A package with cgo files
// returns errCgo, and load falls back to go/packages.
func loadFromSource(dir string, patterns []string, fset *token.FileSet) ([]*srcPackage, error) {
	roots, err := goList(dir, "-json=Dir,ImportPath,Name,GoFiles,CgoFiles,IgnoredGoFiles,Imports,ImportMap,Error,DepsErrors,Module", append([]string{"--"}, patterns...))
	if err != nil {
		return nil, err
	}
	byPath := map[string]*listedPackage{}
	for i := range roots {
		if len(roots[i].CgoFiles) > 0 {
			return nil, errCgo
		}
		byPath[roots[i].ImportPath] = &roots[i]
	}

	// The export data of every import that is not a root.
	var deps []string
	for _, r := range roots {
		for _, imp := range r.Imports {
			if imp != "unsafe" && imp != "C" && byPath[imp] == nil && !slices.Contains(deps, imp) {
				deps = append(deps, imp)
			}
		}
	}
	exports := map[string]string{}
	if len(deps) > 0 {
		listed, err := goList(dir, "-json=ImportPath,Export,Error", append([]string{"-export", "-deps", "--"}, deps...))
		if err != nil {
			return nil, err
		}
		for _, d := range listed {
			if d.Export != "" {
				exports[d.ImportPath] = d.Export
			}
		}
	}

	imp := &exportImporter{fset: fset, exports: exports, packages: map[string]*types.Package{}, roots: map[string]*types.Package{}}
	sizes := types.SizesFor("gc", goarch())
	var out []*srcPackage
	done := map[string]bool{}
	var check func(r *listedPackage, stack []string)
	check = func(r *listedPackage, stack []string) {
		if done[r.ImportPath] || slices.Contains(stack, r.ImportPath) {
			return // an import cycle: the type checker of the importer reports it
		}
		// Roots that this root imports are checked first, from source.
		for _, path := range r.Imports {
			if dep := byPath[path]; dep != nil {
				check(dep, append(stack, r.ImportPath))
			}
		}
		done[r.ImportPath] = true
		p := checkPackage(dir, r, fset, imp, sizes)
		imp.roots[r.ImportPath] = p.Types
		out = append(out, p)
	}
	for i := range roots {
		check(&roots[i], nil)
	}
	// In the order go list gave them.
	slices.SortStableFunc(out, func(a, b *srcPackage) int {
		return slices.IndexFunc(roots, func(r listedPackage) bool { return r.ImportPath == a.PkgPath }) -
			slices.IndexFunc(roots, func(r listedPackage) bool { return r.ImportPath == b.PkgPath })
	})
	return out, nil
}

// goarch is the architecture the packages are built for.
func goarch() string {
	if a := os.Getenv("GOARCH"); a != "" {
		return a
	}
	return goruntime.GOARCH
}

// goList runs go list -e with args in dir and decodes its packages.
func goList(dir, fields string, args []string) ([]listedPackage, error) {
	cmd := exec.Command("go", append([]string{"list", "-e", fields}, args...)...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := singleLine(stderr.String())
		if isModuleError(msg) {
			msg = moduleErrorMsg(msg)
		}
		return nil, fmt.Errorf("go list: %v: %s", err, msg)
	}
	var pkgs []listedPackage
	dec := json.NewDecoder(bufio.NewReader(&stdout))
	for {
		var p listedPackage
		if err := dec.Decode(&p); err == io.EOF {
			return pkgs, nil
		} else if err != nil {
			return nil, fmt.Errorf("go list: %w", err)
		}
		pkgs = append(pkgs, p)
	}
}

// checkPackage parses and type-checks one listed package. Errors stay in
// the package, for loadPackage to report or ignore.
func checkPackage(dir string, r *listedPackage, fset *token.FileSet, imp *exportImporter, sizes types.Sizes) *srcPackage {
	p := &srcPackage{Name: r.Name, PkgPath: r.ImportPath, Dir: r.Dir, TypesSizes: sizes}
	if r.Module != nil {
		p.ModulePath = r.Module.Path
	}
	// The go command's errors: the package's own, and those of its imports
	// that cannot be found. Positions are relative to where it ran.
	// A module problem deeper down (a dependency of an import whose go.sum
	// entry is missing) is reported too, at the import that leads to it,
	// once for each import: the package would type-check without the
	// types of that import, and the errors that follow (a "wrong
	// signature" where runtime.Sampler is unknown) would not say why.
	var moduleImports []string // the imports whose dependencies have a module problem
	var deeper []loadError
	for _, e := range append([]*listError{r.Error}, r.DepsErrors...) {
		if e == nil {
			continue
		}
		direct := e == r.Error || len(e.ImportStack) > 0 && e.ImportStack[len(e.ImportStack)-1] == r.ImportPath
		// One error a line, as the compiler prints them.
		msg := singleLine(e.Err)
		if isModuleError(msg) {
			msg = moduleErrorMsg(msg)
		} else if !direct {
			continue
		}
		if !direct {
			if len(e.ImportStack) < 2 || e.ImportStack[0] != r.ImportPath || slices.Contains(moduleImports, e.ImportStack[1]) {
				continue
			}
			moduleImports = append(moduleImports, e.ImportStack[1])
			deeper = append(deeper, loadError{Msg: fmt.Sprintf("cannot load %s: %s", e.ImportStack[1], msg)})
			continue
		}
		pos := parsePos(e.Pos)
		if pos.Filename != "" && !filepath.IsAbs(pos.Filename) {
			pos.Filename = filepath.Join(dir, pos.Filename)
		}
		p.Errors = append(p.Errors, loadError{Pos: pos, Msg: msg})
	}
	defer func() {
		// At the import's spec in the package's files, now parsed.
		for i, imp := range moduleImports {
			deeper[i].Pos = importPos(fset, p.Syntax, imp)
		}
		p.Errors = append(p.Errors, deeper...)
	}()
	for _, f := range r.GoFiles {
		p.GoFiles = append(p.GoFiles, filepath.Join(r.Dir, f))
	}
	for _, f := range r.IgnoredGoFiles {
		p.IgnoredFiles = append(p.IgnoredFiles, filepath.Join(r.Dir, f))
	}
	for _, name := range p.GoFiles {
		src, err := os.ReadFile(name)
		if err != nil {
			p.Errors = append(p.Errors, loadError{Pos: token.Position{Filename: name}, Msg: err.Error()})
			continue
		}
		f, err := parseFile(fset, name, src)
		if list, ok := err.(scanner.ErrorList); ok {
			for _, e := range list {
				p.Errors = append(p.Errors, loadError{Pos: e.Pos, Msg: e.Msg})
			}
		} else if err != nil {
			p.Errors = append(p.Errors, loadError{Pos: token.Position{Filename: name}, Msg: err.Error()})
		}
		if f != nil {
			p.Syntax = append(p.Syntax, f)
		}
	}
	p.TypesInfo = &types.Info{
		Types: map[ast.Expr]types.TypeAndValue{},
		Defs:  map[*ast.Ident]types.Object{},
		Uses:  map[*ast.Ident]types.Object{},
	}
	conf := types.Config{
		Importer: importerFor{imp, r.ImportMap},
		Sizes:    sizes,
		Error: func(err error) {
			if te, ok := err.(types.Error); ok {
				p.TypeErrors = append(p.TypeErrors, te)
			}
		},
	}
	p.Types, _ = conf.Check(r.ImportPath, fset, p.Syntax, p.TypesInfo)
	return p
}

// isModuleError reports whether a go command error is about the module's
// requirements, checksums or go.mod rather than about the code. An import
// no module provides is not: it is more often a typo, and the go command's
// advice for it (go get) is the right one.
func isModuleError(msg string) bool {
	for _, m := range []string{"missing go.sum entry", "updates to go.mod needed", "verifying module", "go.mod file not found", "reading go.mod", "go.mod:", "/go.mod", "go.sum", "replacement directory"} {
		if strings.Contains(msg, m) {
			return true
		}
	}
	return false
}

// moduleErrorMsg is a module error of the go command, on one line, with
// what to do where samplegen knows better than the go command's own words:
//   - a go.sum or go.mod that lacks entries: go mod tidy (the go command's
//     suggestion, "to add: go get ...", names the package that imports and
//     is for one entry of many);
//   - no go.mod: go mod init;
//   - a checksum mismatch: not to edit go.sum, which would hide a download
//     that is not what it was;
//   - anything else (a replace to a missing directory, a go.mod that does
//     not parse) in the go command's words, which say what is wrong.
func moduleErrorMsg(msg string) string {
	msg = singleLine(msg)
	switch {
	case strings.Contains(msg, "SECURITY ERROR") || strings.Contains(msg, "checksum mismatch"):
		return msg + ": do not edit go.sum; see go help module-auth"
	case strings.Contains(msg, "missing go.sum entry") || strings.Contains(msg, "updates to go.mod needed"):
		if i := strings.Index(msg, "; to add:"); i >= 0 {
			msg = msg[:i]
		}
		if strings.Contains(msg, "go mod tidy") {
			return msg
		}
		return msg + ": the module's go.mod or go.sum is not up to date; run go mod tidy"
	case strings.Contains(msg, "go.mod file not found"):
		return msg + ": samplegen runs in a module; run go mod init MODULE-PATH in its root"
	}
	return msg
}

// singleLine is msg with its line breaks and runs of spaces made single
// spaces: one error a line, as the compiler prints them.
func singleLine(msg string) string {
	return strings.Join(strings.Fields(msg), " ")
}

// importPos is the position of the import of path in files, or none.
func importPos(fset *token.FileSet, files []*ast.File, path string) token.Position {
	quoted := strconv.Quote(path)
	for _, f := range files {
		for _, spec := range f.Imports {
			if spec.Path.Value == quoted {
				return fset.Position(spec.Path.Pos())
			}
		}
	}
	return token.Position{}
}

// An exportImporter imports packages from the export data go list -export
// built, and the packages checked from source by their type.
type exportImporter struct {
	fset     *token.FileSet
	exports  map[string]string         // import path to export data file
	packages map[string]*types.Package // read from export data, shared so that types are identical
	roots    map[string]*types.Package // checked from source
}

func (imp *exportImporter) importPath(path string) (*types.Package, error) {
	if path == "unsafe" {
		return types.Unsafe, nil
	}
	if p := imp.roots[path]; p != nil {
		return p, nil
	}
	if p := imp.packages[path]; p != nil && p.Complete() {
		return p, nil
	}
	file := imp.exports[path]
	if file == "" {
		return nil, fmt.Errorf("no export data for %q (does it build?)", path)
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := gcexportdata.NewReader(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("reading export data for %q: %w", path, err)
	}
	return gcexportdata.Read(r, imp.fset, imp.packages, path)
}

// importerFor resolves a package's import paths (through its ImportMap,
// for vendored packages) before importing.
type importerFor struct {
	imp       *exportImporter
	importMap map[string]string
}

func (i importerFor) Import(path string) (*types.Package, error) {
	if mapped, ok := i.importMap[path]; ok {
		path = mapped
	}
	return i.imp.importPath(path)
}
