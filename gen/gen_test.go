package gen

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/dave/jennifer/jen"
	"github.com/google/go-cmp/cmp"
	"github.com/samplegen/samplegen/gen/internal/parity"
	"github.com/samplegen/samplegen/prompt"
	"github.com/samplegen/samplegen/runtime"
)

var update = flag.Bool("update", false, "rewrite the expected outputs of the testdata cases")

// Each folder of testdata is a case: Go files and templates, and either
// want/ holding the files samplegen should write or want.stderr holding the
// errors it should report, one per line, file names relative to the case;
// or both, want.stderr then holding the warnings of a run that generates.

// scratch is a directory inside this module where cases are copied to be
// generated and built against the real runtime. Its name starts with "_", so
// that ./... patterns skip it should a run be killed before removing it.
var scratch = sync.OnceValues(func() (string, error) { return os.MkdirTemp(".", "_test-") })

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if dir, err := scratch(); err == nil {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

// copyCase copies the inputs of testdata/name into a fresh directory of
// scratch and returns its absolute path.
func copyCase(t testing.TB, name string) string {
	t.Helper()
	return copyDir(t, filepath.Join("testdata", name), name, true)
}

// copyDir copies src (its whole tree, or only its files when !deep) into
// scratch/name, leaving out expected outputs.
func copyDir(t testing.TB, src, name string, deep bool) string {
	t.Helper()
	root, err := scratch()
	if err != nil {
		t.Fatal(err)
	}
	dst, err := filepath.Abs(filepath.Join(root, name))
	if err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(dst)
	err = filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if rel == "want" || rel == "want.stderr" {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if !deep && rel != "." {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o777)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o666)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// generatedFiles returns the names and contents of the generated files in dir.
func generatedFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	matches, _ := filepath.Glob(filepath.Join(dir, "*"+generatedSuffix))
	for _, m := range matches {
		data, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(m)] = string(data)
	}
	return files
}

// testCases returns the names of the cases, and of those that generate
// (rather than fail with want.stderr and no want/).
func testCases(t *testing.T) (all, generating []string) {
	t.Helper()
	entries, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		all = append(all, e.Name())
		_, noStderr := os.Stat(filepath.Join("testdata", e.Name(), "want.stderr"))
		_, noWant := os.Stat(filepath.Join("testdata", e.Name(), "want"))
		if noStderr != nil || noWant == nil {
			generating = append(generating, e.Name())
		}
	}
	return all, generating
}

func TestGolden(t *testing.T) {
	all, _ := testCases(t)
	for _, name := range all {
		t.Run(name, func(t *testing.T) {
			dir := copyCase(t, name)
			want := filepath.Join("testdata", name)
			var warnings strings.Builder
			_, err := Generate(Config{Dir: dir, Warnings: &warnings})
			var list ErrorList
			if err != nil && !errors.As(err, &list) {
				t.Fatalf("Generate: %v", err)
			}
			got := generatedFiles(t, dir)
			// What samplegen prints: the warnings, then the errors.
			stderr := warnings.String()
			if err != nil {
				stderr += err.Error() + "\n"
			}

			if *update {
				os.RemoveAll(filepath.Join(want, "want"))
				os.Remove(filepath.Join(want, "want.stderr"))
				if stderr != "" {
					writeFile(t, filepath.Join(want, "want.stderr"), stderr)
				}
				if err != nil {
					return
				}
				for f, content := range got {
					writeFile(t, filepath.Join(want, "want", f), content)
				}
				return
			}

			wantStderr, readErr := os.ReadFile(filepath.Join(want, "want.stderr"))
			_, noWant := os.Stat(filepath.Join(want, "want"))
			if readErr == nil && noWant != nil {
				if err == nil {
					t.Fatalf("Generate succeeded; want errors:\n%s", wantStderr)
				}
				if diff := cmp.Diff(string(wantStderr), stderr); diff != "" {
					t.Errorf("errors (-want +got):\n%s", diff)
				}
				return
			}
			if err != nil {
				t.Fatalf("Generate: unexpected errors:\n%s", stderr)
			}
			if diff := cmp.Diff(string(wantStderr), stderr); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
			wantFiles := map[string]string{}
			entries, _ := os.ReadDir(filepath.Join(want, "want"))
			for _, e := range entries {
				data, err := os.ReadFile(filepath.Join(want, "want", e.Name()))
				if err != nil {
					t.Fatal(err)
				}
				wantFiles[e.Name()] = string(data)
			}
			if diff := cmp.Diff(wantFiles, got); diff != "" {
				t.Errorf("generated files (-want +got):\n%s", diff)
			}
			for name, src := range got {
				formatted, err := format.Source([]byte(src))
				if err != nil || !bytes.Equal(formatted, []byte(src)) {
					t.Errorf("%s is not gofmt'd (%v)", name, err)
				}
				if !strings.HasPrefix(src, generatedHeader) {
					t.Errorf("%s does not start with %q", name, generatedHeader)
				}
			}
		})
	}
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o666); err != nil {
		t.Fatal(err)
	}
}

// examples returns the directories of the repository's example packages
// that have samplegen tools.
func examples(t *testing.T) []string {
	return annotatedDirs(t, filepath.Join("..", "examples", "*", "*.go"))
}

// libraries returns the directories of the library's ready tools and of
// the tool samplegen init writes: packages users import or copy, whose own
// tests are theirs to run.
func libraries(t *testing.T) []string {
	return slices.Concat(annotatedDirs(t, filepath.Join("..", "templates", "*", "*.go")),
		annotatedDirs(t, filepath.Join("..", "cmd", "samplegen", "scaffold", "*", "*.go")))
}

// annotatedDirs returns the directories of the Go files glob matches that
// hold samplegen directives.
func annotatedDirs(t *testing.T, glob string) []string {
	t.Helper()
	var dirs []string
	matches, _ := filepath.Glob(glob)
	for _, m := range matches {
		data, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(data, []byte("\n"+directivePrefix)) && !slices.Contains(dirs, filepath.Dir(m)) {
			dirs = append(dirs, filepath.Dir(m))
		}
	}
	return dirs
}

// TestGeneratedCode builds what every generating case and every example
// generates against the real runtime, runs the cases' own tests, and holds
// each tool's schemas equal to what invopop's reflector gives for the same
// types (TestSamplegenParity, written into each copy; see package parity).
// The library's packages (templates/*, the scaffold's tool) are held to
// parity too, without their own tests, which their packages run. Every
// deliberate difference must be needed by some case, and the package doc
// must list it.
func TestGeneratedCode(t *testing.T) {
	_, generating := testCases(t)
	type built struct {
		name, dir string
		example   string // the example's or library package's directory in the repository
		library   bool   // only the parity test runs
	}
	var all []built
	for _, name := range generating {
		all = append(all, built{name: name, dir: copyDir(t, filepath.Join("testdata", name), "code_"+name, true)})
	}
	for _, ex := range examples(t) {
		name := "example_" + filepath.Base(ex)
		all = append(all, built{name: name, dir: copyDir(t, ex, name, false), example: ex})
	}
	libs := libraries(t)
	if len(libs) < 8 {
		t.Fatalf("libraries: %v, want the seven of templates/ and the scaffold's", libs)
	}
	for _, lib := range libs {
		name := "library_" + filepath.Base(lib)
		dir := copyDir(t, lib, name, true)
		tests, _ := filepath.Glob(filepath.Join(dir, "*_test.go"))
		for _, f := range tests {
			os.Remove(f)
		}
		all = append(all, built{name: name, dir: dir, example: lib, library: true})
	}
	var dirs, libDirs []string
	for _, b := range all {
		// A committed generated file of an example must not hide a stale one.
		if b.example != "" {
			for _, f := range generatedFilesIn(t, b.dir) {
				os.Remove(f)
			}
		}
		_, pkgs, err := generate(Config{Dir: b.dir, Warnings: io.Discard})
		if err != nil {
			t.Fatalf("%s: generate: %v", b.name, err)
		}
		if b.example != "" {
			for _, p := range pkgs {
				name := p.Name + generatedSuffix
				got, _ := os.ReadFile(filepath.Join(b.dir, name))
				want, _ := os.ReadFile(filepath.Join(b.example, name))
				if !bytes.Equal(got, want) {
					t.Errorf("%s: stale: run go generate ./... (-committed +generated):\n%s", filepath.Join(b.example, name), cmp.Diff(string(want), string(got)))
				}
			}
		}
		writeParityTest(t, b.dir, pkgs)
		if b.library {
			libDirs = append(libDirs, b.dir)
		} else {
			dirs = append(dirs, b.dir)
		}
	}

	run := func(dirs []string, args ...string) {
		t.Helper()
		cmd := exec.Command("go", append(args, dirs...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s of the generated cases: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	run(slices.Concat(dirs, libDirs), "vet")
	run(dirs, "test", "-count=1")
	run(libDirs, "test", "-count=1", "-run", "^TestSamplegenParity$")

	fired := map[string][]string{}
	for _, b := range all {
		data, err := os.ReadFile(filepath.Join(b.dir, parity.RulesFile))
		if err != nil {
			t.Fatalf("%s: %v (did TestSamplegenParity run?)", b.name, err)
		}
		for _, r := range strings.Fields(string(data)) {
			fired[r] = append(fired[r], b.name)
		}
	}
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range parity.Rules {
		if len(fired[r.Name]) == 0 {
			t.Errorf("no case needs the parity rule %s: add a case that does, or delete the rule", r.Name)
		}
		if !bytes.Contains(doc, []byte(r.Name)) {
			t.Errorf("the package doc does not list the deliberate difference %s", r.Name)
		}
		delete(fired, r.Name)
	}
	for r := range fired {
		t.Errorf("rule %s fired but is not in parity.Rules", r)
	}
}

func generatedFilesIn(t *testing.T, dir string) []string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(dir, "*"+generatedSuffix))
	return m
}

// writeParityTest writes samplegen_parity_test.go into dir: a test that
// calls parity.Check with the types of every tool and the constants of
// the package's named types, which the compiler evaluates.
func writeParityTest(t *testing.T, dir string, pkgs []*toolPackage) {
	t.Helper()
	if len(pkgs) != 1 {
		t.Fatalf("%s: %d packages generated, want 1", dir, len(pkgs))
	}
	p := pkgs[0]
	f := jen.NewFilePathName(p.Path, p.Name)
	enums := jen.Dict{}
	for typ, names := range constantsByType(t, dir) {
		var values []jen.Code
		for _, n := range names {
			values = append(values, jen.Id(n))
		}
		enums[jen.Qual("reflect", "TypeFor").Index(jen.Id(typ)).Call()] = jen.Values(values...)
	}
	var tools []jen.Code
	for _, tool := range p.Tools {
		mcpTool := jen.Id(exported(tool.GoName) + "Tool").Call()
		fields := jen.Dict{
			jen.Id("Name"):   jen.Lit(tool.Name),
			jen.Id("Input"):  mcpTool.Clone().Dot("InputSchema"),
			jen.Id("Output"): mcpTool.Clone().Dot("OutputSchema"),
			jen.Id("In"):     jen.Qual("reflect", "TypeFor").Index(typeCode(tool.Input)).Call(),
			jen.Id("Out"):    jen.Qual("reflect", "TypeFor").Index(typeCode(tool.Output)).Call(),
		}
		if tool.OutputKeys != "" {
			fields[jen.Id("OutputKeys")] = jen.Lit(tool.OutputKeys)
		}
		tools = append(tools, jen.Values(fields))
	}
	f.Func().Id("TestSamplegenParity").Params(jen.Id("t").Op("*").Qual("testing", "T")).Block(
		jen.Qual("github.com/samplegen/samplegen/gen/internal/parity", "Check").Call(
			jen.Id("t"),
			jen.Qual("github.com/samplegen/samplegen/gen/internal/parity", "Enums").Values(enums),
			jen.Index().Qual("github.com/samplegen/samplegen/gen/internal/parity", "Tool").Values(tools...),
		),
	)
	var buf bytes.Buffer
	if err := f.Render(&buf); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "samplegen_parity_test.go"), buf.String())
}

// constantsByType finds, in the Go files of dir, the constants declared
// with a named type of the package, by type name: the syntax alone, so
// that the parity test does not take its enums from the generator.
func constantsByType(t *testing.T, dir string) map[string][]string {
	t.Helper()
	fset := token.NewFileSet()
	out := map[string][]string{}
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || strings.HasSuffix(name, generatedSuffix) {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			d, ok := decl.(*ast.GenDecl)
			if !ok || d.Tok != token.CONST {
				continue
			}
			typ := ""
			for _, spec := range d.Specs {
				vs := spec.(*ast.ValueSpec)
				switch {
				case vs.Type != nil:
					id, _ := vs.Type.(*ast.Ident)
					typ = ""
					if id != nil {
						typ = id.Name
					}
				case len(vs.Values) > 0:
					typ = ""
				}
				if typ == "" || !isDeclaredType(f, typ) {
					continue
				}
				for _, n := range vs.Names {
					if n.Name != "_" {
						out[typ] = append(out[typ], n.Name)
					}
				}
			}
		}
	}
	return out
}

// isDeclaredType reports whether name is not a predeclared type; the cases
// declare no type that shadows one.
func isDeclaredType(_ *ast.File, name string) bool {
	switch name {
	case "string", "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64",
		"uintptr", "byte", "rune", "float32", "float64", "bool", "complex64", "complex128":
		return false
	}
	return true
}

// TestRerunWritesNothing runs the generator twice: the second run finds
// nothing to change and leaves the file alone.
func TestRerunWritesNothing(t *testing.T) {
	dir := copyCase(t, "basic")
	changes, err := Generate(Config{Dir: dir, Warnings: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	if want := []Change{{Path: "sentiment_samplegen.go", Action: Create}}; !slices.Equal(changes, want) {
		t.Fatalf("first run: changes %v, want %v", changes, want)
	}
	path := filepath.Join(dir, "sentiment_samplegen.go")
	before, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	changes, err = Generate(Config{Dir: dir, Warnings: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 0 {
		t.Errorf("second run: changes %v, want none", changes)
	}
	after, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("second run wrote %s", path)
	}
}

// TestDeterministic generates the same sources in two places: the outputs
// are the same bytes (maps in the model, such as $defs and enum values,
// must not leak their order).
func TestDeterministic(t *testing.T) {
	a := copyCase(t, "recursive")
	b := copyDir(t, filepath.Join("testdata", "recursive"), "recursive_again", true)
	for _, dir := range []string{a, b} {
		if _, err := Generate(Config{Dir: dir, Warnings: io.Discard}); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(generatedFiles(t, a), generatedFiles(t, b)); diff != "" {
		t.Errorf("two runs differ:\n%s", diff)
	}
}

// TestCheck covers -check: it reports missing, stale and left-over files and
// writes nothing.
func TestCheck(t *testing.T) {
	dir := copyCase(t, "basic")
	gen := filepath.Join(dir, "sentiment_samplegen.go")
	check := func(want ...Change) {
		t.Helper()
		changes, err := Generate(Config{Dir: dir, Check: true, Warnings: io.Discard})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(changes, want) {
			t.Errorf("check: changes %v, want %v", changes, want)
		}
	}

	check(Change{Path: "sentiment_samplegen.go", Action: Create})
	if _, err := os.Stat(gen); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("check mode wrote %s", gen)
	}

	if _, err := Generate(Config{Dir: dir, Warnings: io.Discard}); err != nil {
		t.Fatal(err)
	}
	check()

	// A stale file that no longer compiles must not get in the way.
	stale := generatedHeader + "\npackage sentiment\n\nfunc AddTools(x int) { return undefinedThing }\n"
	writeFile(t, gen, stale)
	check(Change{Path: "sentiment_samplegen.go", Action: Update})
	if data, _ := os.ReadFile(gen); string(data) != stale {
		t.Fatalf("check mode rewrote %s", gen)
	}

	// Without annotations the file is left over.
	src := filepath.Join(dir, "sentiment.go")
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, src, strings.ReplaceAll(string(data), "//samplegen:", "// "))
	check(Change{Path: "sentiment_samplegen.go", Action: Remove})
	if _, err := Generate(Config{Dir: dir, Warnings: io.Discard}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(gen); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("left-over %s not removed", gen)
	}
	check()
}

// TestHandWrittenFileKept checks that a *_samplegen.go file without the
// generated header is never removed or overwritten silently.
func TestHandWrittenFileKept(t *testing.T) {
	dir := copyCase(t, "basic")
	src := filepath.Join(dir, "sentiment.go")
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, src, strings.ReplaceAll(string(data), "//samplegen:", "// "))
	mine := filepath.Join(dir, "other_samplegen.go")
	writeFile(t, mine, "package sentiment\n")
	if _, err := Generate(Config{Dir: dir, Warnings: io.Discard}); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(mine); !bytes.Equal(got, []byte("package sentiment\n")) {
		t.Errorf("hand-written %s changed or removed", mine)
	}
}

// TestRename renames a tool's input type and function tool in a package
// whose other code calls what samplegen generates: the stale generated file
// names types that no longer exist, and the package compiles neither before
// nor after the rename until samplegen has run. It must generate all the
// same, and then build.
func TestRename(t *testing.T) {
	dir := copyCase(t, "calls_before_generated")
	if _, err := Generate(Config{Dir: dir, Warnings: io.Discard}); err != nil {
		t.Fatal(err)
	}
	vet := func() {
		t.Helper()
		if out, err := exec.Command("go", "vet", dir).CombinedOutput(); err != nil {
			t.Fatalf("go vet after generating: %v\n%s", err, out)
		}
	}
	vet()
	for _, name := range []string{"triage.go", "flow.go"} {
		path := filepath.Join(dir, name)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		s := strings.NewReplacer("Classify", "Categorize", "Escalate", "Route", "classify", "categorize").Replace(string(data))
		writeFile(t, path, s)
	}
	if out, err := exec.Command("go", "vet", dir).CombinedOutput(); err == nil {
		t.Fatalf("the renamed package builds before generating; the test proves nothing:\n%s", out)
	}
	changes, err := Generate(Config{Dir: dir, Warnings: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	if want := []Change{{Path: "app_samplegen.go", Action: Update}}; !slices.Equal(changes, want) {
		t.Errorf("changes %v, want %v", changes, want)
	}
	vet()
	src, _ := os.ReadFile(filepath.Join(dir, "app_samplegen.go"))
	if bytes.Contains(src, []byte("Classify")) || !bytes.Contains(src, []byte("SampleCategorize")) || !bytes.Contains(src, []byte("AddRoute")) {
		t.Errorf("generated file after the rename:\n%s", src)
	}
}

// TestDefaultsMatchRuntime holds the generator's copies of runtime
// constants equal to the runtime's, and the version its files assert to
// one the runtime declares.
func TestDefaultsMatchRuntime(t *testing.T) {
	if defaultMaxTokens != runtime.DefaultMaxTokens {
		t.Errorf("defaultMaxTokens = %d, runtime.DefaultMaxTokens = %d", defaultMaxTokens, runtime.DefaultMaxTokens)
	}
	_ = runtime.SupportPackageIsVersion2 // what emit writes; this line stops compiling when the runtime moves on
	src, err := emit(&toolPackage{Name: "p", Path: "example.com/p", Tools: []tool{{Name: "t", GoName: "T", Input: typeRef{Path: "example.com/p", PkgName: "p", Name: "T"}, Output: typeRef{Path: "example.com/p", PkgName: "p", Name: "T"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(src, []byte("const _ = runtime.SupportPackageIsVersion2\n")) {
		t.Errorf("emitted code does not assert runtime.SupportPackageIsVersion2:\n%s", src)
	}
}

// TestRuntimeAcceptsSpecs compiles every tool of the generating cases with
// the real runtime, as the generated var declarations do at init: schemas
// that resolve and prompts that parse.
func TestRuntimeAcceptsSpecs(t *testing.T) {
	_, generating := testCases(t)
	for _, name := range generating {
		t.Run(name, func(t *testing.T) {
			dir, err := filepath.Abs(filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			var errs errorList
			outs, err := load(dir, []string{"."}, &errs)
			if err != nil {
				t.Fatal(err)
			}
			if errs.len() > 0 {
				t.Fatal(errs.sorted(dir))
			}
			for _, out := range outs {
				for _, tool := range out.pkg.Tools {
					if tool.Func {
						_, err := runtime.CompileFuncTool(runtime.FuncSpec[map[string]any, map[string]any]{
							Name:         tool.Name,
							InputSchema:  tool.InputSchema,
							OutputSchema: tool.OutputSchema,
							Func: func(ctx context.Context, s runtime.Sampler, in map[string]any) (map[string]any, error) {
								return nil, nil
							},
						})
						if err != nil {
							t.Errorf("tool %s: %v", tool.Name, err)
						}
						continue
					}
					var enums []runtime.Enum
					for _, e := range tool.Enums {
						re := runtime.Enum{Path: e.Path}
						for _, v := range e.Values {
							re.Values = append(re.Values, runtime.EnumValue{Value: v.Value, Doc: v.Doc})
						}
						enums = append(enums, re)
					}
					// The runtime takes a plain string output from the model's
					// text, which needs a Go string to hold it.
					var schema struct {
						Type  string
						Enum  []any
						Const any
					}
					if err := json.Unmarshal([]byte(tool.OutputSchema), &schema); err != nil {
						t.Fatalf("tool %s: output schema: %v", tool.Name, err)
					}
					var err error
					if schema.Type == "string" && schema.Enum == nil && schema.Const == nil {
						err = compileSpec[string](tool, enums)
					} else {
						err = compileSpec[map[string]any](tool, enums)
					}
					if err != nil {
						t.Errorf("tool %s: %v", tool.Name, err)
					}
				}
			}
		})
	}
}

// compileSpec compiles the spec of a sampling tool with output type Out.
func compileSpec[Out any](t tool, enums []runtime.Enum) error {
	_, err := runtime.CompileTool(runtime.Spec[map[string]any, Out]{
		Name:         t.Name,
		Description:  t.Description,
		InputSchema:  t.InputSchema,
		OutputSchema: t.OutputSchema,
		PromptName:   t.PromptName,
		Prompt:       t.Prompt,
		Enums:        enums,
	})
	return err
}

// TestVersionGuard shows the compile-time guard at work: a generated file
// that asserts a runtime version the runtime does not declare (as one from
// a newer or older generator would) fails to build, naming the assertion.
func TestVersionGuard(t *testing.T) {
	dir := copyCase(t, "prompt_const")
	if _, err := Generate(Config{Dir: dir, Warnings: io.Discard}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "translate"+generatedSuffix)
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const current = "runtime.SupportPackageIsVersion2"
	if !bytes.Contains(src, []byte(current)) {
		t.Fatalf("generated file lacks %s", current)
	}
	writeFile(t, path, strings.Replace(string(src), current, "runtime.SupportPackageIsVersion999", 1))
	out, err := exec.Command("go", "vet", dir).CombinedOutput()
	if err == nil || !bytes.Contains(out, []byte("SupportPackageIsVersion999")) {
		t.Errorf("a file out of step with the runtime built, or failed for another reason: %v\n%s", err, out)
	}
}

// TestCgoPackage generates for a package with a cgo file, which the direct
// loader leaves to go/packages.
func TestCgoPackage(t *testing.T) {
	if out, err := exec.Command("go", "env", "CGO_ENABLED").Output(); err != nil || strings.TrimSpace(string(out)) != "1" {
		t.Skip("cgo is off")
	}
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("no C compiler")
	}
	dir := copyCase(t, "prompt_const")
	writeFile(t, filepath.Join(dir, "c.go"), "package translate\n\n// int two() { return 2; }\nimport \"C\"\n\n// Two is from C.\nfunc Two() int { return int(C.two()) }\n")
	if _, err := Generate(Config{Dir: dir, Warnings: io.Discard}); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "translate"+generatedSuffix))
	want, _ := os.ReadFile(filepath.Join("testdata", "prompt_const", "want", "translate"+generatedSuffix))
	if !bytes.Equal(got, want) {
		t.Errorf("generated (-want +got):\n%s", cmp.Diff(string(want), string(got)))
	}
}

// TestManualListsEveryDirective keeps the package doc, which is the
// manual, in step with what the parser accepts.
func TestManualListsEveryDirective(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range typeDirectives {
		if !bytes.Contains(doc, []byte("//\t//samplegen:"+d+" ")) {
			t.Errorf("the manual does not show the directive samplegen:%s", d)
		}
	}
	for _, k := range paramKeys {
		if !bytes.Contains(doc, []byte("//\t"+k+" ")) {
			t.Errorf("the manual's table of params lacks %s", k)
		}
	}
	for name := range prompt.Funcs("") {
		if !bytes.Contains(doc, []byte("{{"+name+"}}")) {
			t.Errorf("the manual does not list the helper %s", name)
		}
	}
}
