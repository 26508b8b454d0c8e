package gen

import (
	"bytes"
	"errors"
	"flag"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/samplegen/samplegen/runtime"
)

var update = flag.Bool("update", false, "rewrite the expected outputs of the testdata cases")

// Each folder of testdata is a case: Go files and templates, and either
// want/ holding the files samplegen should write or want.stderr holding the
// errors it should report, one per line, file names relative to the case.

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
func copyCase(t *testing.T, name string) string {
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
	src := filepath.Join("testdata", name)
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

func testCases(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	return names
}

func TestGolden(t *testing.T) {
	var built []string // case copies that generated, to be compiled
	for _, name := range testCases(t) {
		t.Run(name, func(t *testing.T) {
			dir := copyCase(t, name)
			want := filepath.Join("testdata", name)
			_, err := Generate(Config{Dir: dir})
			var list ErrorList
			if err != nil && !errors.As(err, &list) {
				t.Fatalf("Generate: %v", err)
			}
			got := generatedFiles(t, dir)
			var stderr string
			if err != nil {
				stderr = err.Error() + "\n"
			}

			if *update {
				os.RemoveAll(filepath.Join(want, "want"))
				os.Remove(filepath.Join(want, "want.stderr"))
				if err != nil {
					writeFile(t, filepath.Join(want, "want.stderr"), stderr)
					return
				}
				for f, content := range got {
					writeFile(t, filepath.Join(want, "want", f), content)
				}
				built = append(built, dir)
				return
			}

			wantStderr, readErr := os.ReadFile(filepath.Join(want, "want.stderr"))
			if readErr == nil {
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
			built = append(built, dir)
		})
	}

	// Generated code must compile against the real runtime, and so must the
	// cases' own code that calls it.
	t.Run("compile", func(t *testing.T) {
		if len(built) == 0 {
			t.Skip("no case generated")
		}
		cmd := exec.Command("go", append([]string{"vet"}, built...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go vet of the generated cases: %v\n%s", err, out)
		}
		// Cases with tests of their own run them against the generated code.
		var tested []string
		for _, dir := range built {
			if m, _ := filepath.Glob(filepath.Join(dir, "*_test.go")); len(m) > 0 {
				tested = append(tested, dir)
			}
		}
		if len(tested) > 0 {
			cmd := exec.Command("go", append([]string{"test", "-count=1"}, tested...)...)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("go test of the generated cases: %v\n%s", err, out)
			}
		}
	})
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o666); err != nil {
		t.Fatal(err)
	}
}

// TestRerunWritesNothing runs the generator twice: the second run finds
// nothing to change and leaves the file alone.
func TestRerunWritesNothing(t *testing.T) {
	dir := copyCase(t, "basic")
	changes, err := Generate(Config{Dir: dir})
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
	changes, err = Generate(Config{Dir: dir})
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

// TestCheck covers -check: it reports missing, stale and left-over files and
// writes nothing.
func TestCheck(t *testing.T) {
	dir := copyCase(t, "basic")
	gen := filepath.Join(dir, "sentiment_samplegen.go")
	check := func(want ...Change) {
		t.Helper()
		changes, err := Generate(Config{Dir: dir, Check: true})
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

	if _, err := Generate(Config{Dir: dir}); err != nil {
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
	if _, err := Generate(Config{Dir: dir}); err != nil {
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
	if _, err := Generate(Config{Dir: dir}); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(mine); !bytes.Equal(got, []byte("package sentiment\n")) {
		t.Errorf("hand-written %s changed or removed", mine)
	}
}

// TestRuntimeAcceptsSpecs compiles every tool of the generating cases with
// the real runtime, as the generated var declarations do at init: schemas
// that resolve and prompts that parse.
func TestRuntimeAcceptsSpecs(t *testing.T) {
	for _, name := range testCases(t) {
		if _, err := os.Stat(filepath.Join("testdata", name, "want.stderr")); err == nil {
			continue
		}
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
					var enums []runtime.Enum
					for _, e := range tool.Enums {
						re := runtime.Enum{Path: e.Path}
						for _, v := range e.Values {
							re.Values = append(re.Values, runtime.EnumValue{Value: v.Value, Doc: v.Doc})
						}
						enums = append(enums, re)
					}
					_, err := runtime.CompileTool(runtime.Spec[map[string]any, map[string]any]{
						Name:         tool.Name,
						Description:  tool.Description,
						InputSchema:  tool.InputSchema,
						OutputSchema: tool.OutputSchema,
						PromptName:   tool.PromptName,
						Prompt:       tool.Prompt,
						Enums:        enums,
					})
					if err != nil {
						t.Errorf("tool %s: %v", tool.Name, err)
					}
				}
			}
		})
	}
}
