package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"

	"github.com/samplegen/samplegen/cmd/samplegen/scaffold/feedback"
	"github.com/samplegen/samplegen/replay"
	"github.com/samplegen/samplegen/samplegentest"
	"github.com/samplegen/samplegen/templates"
)

// repoRoot is the checkout these tests run in, which the modules they
// write replace samplegen with.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// offline makes the go commands of a test (and those init runs) use the
// module cache only, as a user's machine without network would.
func offline(t *testing.T) {
	t.Setenv("GOPROXY", "off")
	t.Setenv("GOFLAGS", "-mod=mod -buildvcs=false")
	t.Setenv("GOWORK", "off")
}

// initModule runs samplegen init in this process and returns its exit code
// and stderr.
func initModule(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errw strings.Builder
	code = runInit(args, &out, &errw)
	return code, out.String(), errw.String()
}

// goIn runs the go command in dir and fails the test with its output.
func goIn(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s in the new module: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// The Done-when of samplegen init: in a fresh directory (holding .git
// alone), offline, the module it writes compiles before go generate
// runs (its generated files are there), and then go generate, go vet
// and go test pass, with a library package copied in, whose own tests
// and testdata come along and pass in the new module.
func TestInitServerPasses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and tests a new module (CI runs it)")
	}
	offline(t)
	dir := filepath.Join(t.TempDir(), "myserver")
	// As after git init: a directory that holds .git alone.
	if err := os.MkdirAll(filepath.Join(dir, ".git"), 0o777); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, ".git", "HEAD"), "ref: refs/heads/main\n")
	code, stdout, stderr := initModule(t, "-module", "example.com/myserver", "-samplegen", repoRoot(t), "-tool", "classify", dir)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "cd "+dir+" && go test ./...") {
		t.Errorf("stdout does not say what to run next:\n%s", stdout)
	}
	for _, f := range []string{".gitignore", "go.sum", "main_test.go", "feedback/feedback_samplegen.go", "feedback/testdata/recorded.jsonl",
		"classify/classify_samplegen.go", "classify/testdata/classify_sentiment.jsonl"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("the module lacks %s: %v", f, err)
		}
	}
	goMod := readFile(t, filepath.Join(dir, "go.mod"))
	for _, want := range []string{"module example.com/myserver\n", "tool github.com/samplegen/samplegen/cmd/samplegen\n", "replace github.com/samplegen/samplegen => " + repoRoot(t)} {
		if !strings.Contains(goMod, want) {
			t.Errorf("go.mod lacks %q:\n%s", want, goMod)
		}
	}
	readme := readFile(t, filepath.Join(dir, "README.md"))
	for _, want := range []string{"go run .  ", "go test ./...  ", "-tags samplegen_record"} {
		if !strings.Contains(readme, want) {
			t.Errorf("README.md lacks %q:\n%s", want, readme)
		}
	}

	goIn(t, dir, "vet", "./...") // type-checks every package and test without linking, before go generate
	goIn(t, dir, "generate", "./...")
	goIn(t, dir, "vet", "./...")
	goIn(t, dir, "test", "./...")
}

// Every package of the library, copied together, type-checks with its
// tests in a new module: their import paths are rewritten and nothing
// else refers to the copies' old home. (TestInitServerPasses runs one
// copy's tests; running them all would take minutes.)
func TestInitEveryLibraryPackage(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks a new module (CI runs it)")
	}
	offline(t)
	dir := filepath.Join(t.TempDir(), "everything")
	code, _, stderr := initModule(t, "-module", "example.com/everything", "-samplegen", repoRoot(t), "-tool", strings.Join(libraryNames(), ","), dir)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	goIn(t, dir, "vet", "./...")
}

// A library package is copied whole, every file of it, with the import
// paths of the copied packages rewritten to the new module's and nothing
// else changed; a library package not copied stays imported from
// samplegen.
func TestInitCopiesPackagesWhole(t *testing.T) {
	names := libraryNames()
	if len(names) == 0 {
		t.Fatal("the library (templates.Sources) holds no package")
	}
	c := &initConfig{module: "example.com/srv", tools: names[:1], checkout: repoRoot(t)}
	files, err := c.files()
	if err != nil {
		t.Fatal(err)
	}
	copied := names[0]
	var sources []string
	err = fs.WalkDir(templates.Sources, copied, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			sources = append(sources, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range sources {
		src, _ := fs.ReadFile(templates.Sources, p)
		got, ok := files[p]
		if !ok {
			t.Errorf("%s was not copied", p)
			continue
		}
		want := strings.ReplaceAll(string(src), `"github.com/samplegen/samplegen/templates/`+copied+`"`, `"example.com/srv/`+copied+`"`)
		if string(got) != want {
			t.Errorf("%s: the copy differs from the source by more than its import path", p)
		}
		if strings.Contains(string(got), "samplegen/templates/"+copied) {
			t.Errorf("%s still refers to samplegen/templates/%s", p, copied)
		}
	}
	if !strings.Contains(string(files["feedback/feedback_test.go"]), `"example.com/srv/feedback"`) {
		t.Errorf("the scaffold's test does not import the new module's feedback package")
	}
	rewrite := c.importRewriter()
	if len(names) > 1 {
		other := `"github.com/samplegen/samplegen/templates/` + names[1] + `"`
		if got := string(rewrite([]byte(other))); got != other {
			t.Errorf("a library package not copied is imported as %s, want %s", got, other)
		}
	}
	if got := string(rewrite([]byte(`"github.com/samplegen/samplegen/templates/` + copied + `/sub"`))); got != `"example.com/srv/`+copied+`/sub"` {
		t.Errorf("a package below a copied one is imported as %s", got)
	}
	main := string(files["main.go"])
	for _, want := range []string{`"example.com/srv/feedback"`, `"example.com/srv/` + copied + `"`, copied + ".AddTools(srv, opts...)", `Name: "srv"`} {
		if !strings.Contains(main, want) {
			t.Errorf("main.go lacks %s:\n%s", want, main)
		}
	}
}

// Each wrong command line is refused with exit 2 and a message that says
// what to do, before anything is written.
func TestInitRefuses(t *testing.T) {
	root := repoRoot(t)
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "notes.txt"), []byte("mine"), 0o666); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o666); err != nil {
		t.Fatal(err)
	}
	fresh := func(name string) string { return filepath.Join(t.TempDir(), name) }
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"non-empty dir", []string{"-samplegen", root, full}, "is not empty (it holds notes.txt): name a new directory, or empty this one"},
		{"a file", []string{"-samplegen", root, file}, "is a file, not a directory"},
		{"bad module", []string{"-samplegen", root, "-module", "example.com/my server", fresh("a")}, `-module "example.com/my server": malformed import path`},
		{"samplegen's module", []string{"-samplegen", root, "-module", "github.com/samplegen/samplegen/x", fresh("b")}, "that is samplegen's own module"},
		{"std", []string{"-samplegen", root, "-module", "std", fresh("c")}, "reserved for the Go toolchain"},
		{"dir name not a path", []string{"-samplegen", root, fresh("my server")}, `DIR's name "my server" is not a module path`},
		{"unknown tool", []string{"-samplegen", root, "-tool", "classify,nosuch", fresh("d")}, `-tool "nosuch": no such package in the library; the library has ` + strings.Join(libraryNames(), ", ")},
		{"not a checkout", []string{"-samplegen", t.TempDir(), fresh("e")}, "not a checkout of samplegen"},
		{"two dirs", []string{"-samplegen", root, fresh("f"), fresh("g")}, "one DIR at most"},
		{"two dirs among flags", []string{fresh("f"), "-samplegen", root, fresh("g")}, "one DIR at most"},
		{"unknown flag", []string{"-modul", "x", fresh("h")}, "flag provided but not defined: -modul"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := initModule(t, tc.args...)
			if code != 2 || !strings.Contains(stderr, tc.want) || stdout != "" {
				t.Errorf("exit %d, stderr %q, stdout %q; want exit 2 and %q", code, stderr, stdout, tc.want)
			}
			last := tc.args[len(tc.args)-1]
			if entries, err := os.ReadDir(last); last != full && last != file && (err == nil || len(entries) > 0) {
				t.Errorf("%s was created", last)
			}
		})
	}
	if entries, _ := os.ReadDir(full); len(entries) != 1 {
		t.Errorf("the non-empty directory was changed: %v", entries)
	}
}

// A samplegen built from a checkout ("(devel)", as this test binary is)
// has no version a go.mod can require: inside a checkout it replaces
// samplegen with that checkout and says so, anywhere else it asks for
// -samplegen.
func TestInitWithoutSamplegenFlag(t *testing.T) {
	t.Setenv("GOWORK", "off")
	var stderr strings.Builder
	c := &initConfig{}
	if err := c.resolveSamplegen("", &stderr); err != nil || c.checkout != repoRoot(t) || !strings.Contains(stderr.String(), "built from a checkout") {
		t.Errorf("inside the checkout: %v, checkout %q, stderr %q", err, c.checkout, stderr.String())
	}
	t.Chdir(t.TempDir())
	c = &initConfig{}
	err := c.resolveSamplegen("", &stderr)
	if err == nil || !strings.Contains(err.Error(), "give -samplegen the checkout's directory") {
		t.Errorf("outside a checkout: %v", err)
	}
	c = &initConfig{}
	if err := c.resolveSamplegen("v1.2.3", &stderr); err != nil || c.version != "v1.2.3" || c.checkout != "" {
		t.Errorf("-samplegen v1.2.3: %v, %+v", err, c)
	}
	goMod, _, err := c.goMod()
	if err != nil || !strings.Contains(string(goMod), "require github.com/samplegen/samplegen v1.2.3\n") || strings.Contains(string(goMod), "replace") {
		t.Errorf("go.mod for a published version (%v):\n%s", err, goMod)
	}
}

// The library lists its packages, and the usage text names them.
func TestInitLibraryNames(t *testing.T) {
	names := libraryNames()
	if !slices.Contains(names, "classify") || slices.Contains(names, "templates.go") {
		t.Errorf("libraryNames() = %q", names)
	}
	code, _, stderr := initModule(t, "-h")
	if code != 0 || !strings.Contains(stderr, "usage: samplegen init") || !strings.Contains(stderr, strings.Join(names, ", ")) {
		t.Errorf("-h: exit %d\n%s", code, stderr)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// When go mod tidy fails (here: a version that cannot be looked up,
// offline), init exits 1 with go's reason and removes what it wrote, so
// that the same command can run again.
func TestInitRemovesWhatItWroteOnFailure(t *testing.T) {
	offline(t)
	dir := filepath.Join(t.TempDir(), "srv")
	code, stdout, stderr := initModule(t, "-samplegen", "v0.0.1-no.such.version", dir)
	if code != 1 || !strings.Contains(stderr, "go mod tidy in "+dir) || !strings.Contains(stderr, "GOPROXY=off") || stdout != "" {
		t.Errorf("exit %d, stdout %q, stderr:\n%s", code, stdout, stderr)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("%s is left behind: %v", dir, err)
	}
	empty := t.TempDir()
	if code, _, _ := initModule(t, "-samplegen", "v0.0.1-no.such.version", empty); code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if entries, err := os.ReadDir(empty); err != nil || len(entries) != 0 {
		t.Errorf("the empty directory it was given holds %v (%v)", entries, err)
	}
}

func TestCommandName(t *testing.T) {
	for path, want := range map[string]string{"myserver": "myserver", "example.com/a/srv": "srv", "example.com/srv/v2": "srv", "gopkg.in/srv.v3": "srv.v3"} {
		if got := commandName(path); got != want {
			t.Errorf("commandName(%q) = %q, want %q", path, got, want)
		}
	}
}

// For a published samplegen, go.sum starts from the go.sum of the copy in
// the module cache (go run ...@version has just put it there), and the go
// line is its go.mod's.
func TestInitPublishedVersionStartsFromTheModuleCache(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("GOMODCACHE", cache)
	copyDir := filepath.Join(cache, "github.com", "samplegen", "samplegen@v1.2.3")
	if err := os.MkdirAll(copyDir, 0o777); err != nil {
		t.Fatal(err)
	}
	const sum = "example.com/dep v1.0.0 h1:abc=\n"
	for name, data := range map[string]string{"go.mod": "module github.com/samplegen/samplegen\n\ngo 1.26.7\n", "go.sum": sum} {
		if err := os.WriteFile(filepath.Join(copyDir, name), []byte(data), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	c := &initConfig{module: "example.com/srv", version: "v1.2.3"}
	goMod, goSum, err := c.goMod()
	if err != nil {
		t.Fatal(err)
	}
	if string(goSum) != sum || !strings.Contains(string(goMod), "\ngo 1.26.7\n") {
		t.Errorf("go.sum %q, go.mod:\n%s", goSum, goMod)
	}
}

var recordScaffold = flag.Bool("record-scaffold", false, "record scaffold/feedback/testdata/recorded.jsonl again from the scripted answers of its cases")

// The recording that comes with a new server is made from scripted
// answers (no test here reaches a real model), since the scaffold's own
// TestRecordedAnswers fails once its tools ask something new (a prompt or
// the runtime's instructions changed):
//
//	go test ./cmd/samplegen -run TestRecordScaffold -record-scaffold
//
// records it again from the scripted_answer of each case in
// scaffold/feedback/testdata/cases.jsonl.
func TestRecordScaffold(t *testing.T) {
	if !*recordScaffold {
		t.Skip("records the scaffold's answers only with -record-scaffold")
	}
	dir := filepath.Join("scaffold", "feedback", "testdata")
	data, err := os.ReadFile(filepath.Join(dir, "cases.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var (
		inputs  []feedback.Feedback
		answers []string
	)
	for line := range strings.Lines(strings.TrimSpace(string(data))) {
		var c struct {
			Feedback       feedback.Feedback `json:"feedback"`
			ScriptedAnswer string            `json:"scripted_answer"`
		}
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			t.Fatal(err)
		}
		inputs, answers = append(inputs, c.Feedback), append(answers, c.ScriptedAnswer)
	}
	file := filepath.Join(dir, "recorded.jsonl")
	if err := os.Remove(file); err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	rec, err := replay.Record(file)
	if err != nil {
		t.Fatal(err)
	}
	model := rec.Wrap(samplegentest.Answers(answers...).ExpectAllUsed(t))
	for _, in := range inputs {
		if _, err := feedback.RouteFeedback(t.Context(), model, in); err != nil {
			t.Errorf("%q: %v", in.Message, err)
		}
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
}

// Flags may come after DIR, as the issue spells the command
// (samplegen init DIR -tool x), as well as before it; after "--" an
// argument starting with "-" is a DIR.
func TestInitFlagsAfterDir(t *testing.T) {
	root := repoRoot(t)
	dir := filepath.Join(t.TempDir(), "srv")
	for _, args := range [][]string{
		{dir, "-tool", "classify", "-module", "example.com/srv", "-samplegen", root},
		{"-tool", "classify", dir, "-module", "example.com/srv", "-samplegen", root},
		{"-tool", "classify", "-module", "example.com/srv", "-samplegen", root, dir},
	} {
		var stderr strings.Builder
		c, err := parseInit(args, &stderr)
		if err != nil {
			t.Errorf("%q: %v\n%s", args, err, stderr.String())
			continue
		}
		if c.dir != dir || c.module != "example.com/srv" || !slices.Equal(c.tools, []string{"classify"}) || c.checkout != root {
			t.Errorf("%q: dir %q, module %q, tools %q, checkout %q", args, c.dir, c.module, c.tools, c.checkout)
		}
	}
	t.Chdir(t.TempDir())
	c, err := parseInit([]string{"-module", "example.com/srv", "-samplegen", root, "--", "-odd"}, io.Discard)
	if err != nil || c.dir != "-odd" {
		t.Errorf(`after "--": %v, %+v`, err, c)
	}
	if _, err := parseInit([]string{"--", "-odd", "-tool", "classify"}, io.Discard); err == nil || !strings.Contains(err.Error(), "one DIR at most") {
		t.Errorf(`a flag after "--" is not a flag: got %v`, err)
	}
}

// A directory that holds only names starting with a dot (.git right after
// git init, an editor's .idea, a .gitignore) is a new server's: init
// writes beside them, keeps the user's .gitignore and says so, and when it
// fails it removes only what it wrote.
func TestInitBesideDotEntries(t *testing.T) {
	offline(t)
	dir := t.TempDir()
	mine := map[string]string{".git/HEAD": "ref: refs/heads/main\n", ".gitignore": "/secrets\n", ".idea/workspace.xml": "<project/>\n"}
	for name, data := range mine {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	c, err := parseInit([]string{"-module", "example.com/srv", "-samplegen", repoRoot(t), dir}, io.Discard)
	if err != nil {
		t.Fatalf("a directory of dot-entries is refused: %v", err)
	}
	files, err := c.files()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := files[".gitignore"]; !ok {
		t.Fatal("init writes no .gitignore: this test no longer tests keeping the user's")
	}

	// go mod tidy fails (a version that cannot be looked up, offline):
	// what init wrote goes, what was there stays as it was.
	code, _, stderr := initModule(t, "-samplegen", "v0.0.1-no.such.version", dir)
	if code != 1 || !strings.Contains(stderr, "keeps its .gitignore") || !strings.Contains(stderr, "*.test") {
		t.Errorf("exit %d, want 1 saying that the user's .gitignore is kept and what init's held; stderr:\n%s", code, stderr)
	}
	var left []string
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			left = append(left, filepath.ToSlash(rel))
			if got := readFile(t, p); got != mine[filepath.ToSlash(rel)] {
				t.Errorf("%s holds %q, want %q", rel, got, mine[filepath.ToSlash(rel)])
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := slices.Sorted(maps.Keys(mine)); !slices.Equal(left, want) {
		t.Errorf("after the failure the directory holds %q, want %q", left, want)
	}
}

// Run in another module that requires samplegen (from the module cache),
// a samplegen built from a checkout does not take the module cache's copy
// for a checkout, which would write a replace into the cache: it asks for
// -samplegen, naming the version that module requires.
func TestInitInAnotherModuleRequiringSamplegen(t *testing.T) {
	offline(t)
	tmp := t.TempDir()
	published := filepath.Join(tmp, "published")
	if err := os.MkdirAll(published, 0o777); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(published, "go.mod"), "module github.com/samplegen/samplegen\n\ngo 1.26\n")
	proxy := filepath.Join(tmp, "proxy", "github.com", "samplegen", "samplegen", "@v")
	if err := os.MkdirAll(proxy, 0o777); err != nil {
		t.Fatal(err)
	}
	v := module.Version{Path: samplegenModule, Version: "v1.2.3"}
	var zipped bytes.Buffer
	if err := modzip.CreateFromDir(&zipped, v, published); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(proxy, "v1.2.3.zip"), zipped.String())
	writeFile(t, filepath.Join(proxy, "v1.2.3.mod"), readFile(t, filepath.Join(published, "go.mod")))
	writeFile(t, filepath.Join(proxy, "v1.2.3.info"), `{"Version":"v1.2.3","Time":"2026-01-01T00:00:00Z"}`)
	writeFile(t, filepath.Join(proxy, "list"), "v1.2.3\n")
	t.Setenv("GOPROXY", "file://"+filepath.ToSlash(filepath.Join(tmp, "proxy")))
	t.Setenv("GOSUMDB", "off")
	t.Setenv("GOFLAGS", "-mod=mod -modcacherw")
	cache := filepath.Join(tmp, "modcache")
	t.Setenv("GOMODCACHE", cache)

	other := filepath.Join(tmp, "other")
	if err := os.MkdirAll(other, 0o777); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(other, "go.mod"), "module example.com/other\n\ngo 1.26\n\nrequire github.com/samplegen/samplegen v1.2.3\n")
	goIn(t, other, "mod", "download", samplegenModule)
	t.Chdir(other)

	c := &initConfig{}
	err := c.resolveSamplegen("", io.Discard)
	if c.checkout != "" {
		t.Fatalf("go.mod would replace samplegen with %s", c.checkout)
	}
	if err == nil || !strings.Contains(err.Error(), "requires samplegen v1.2.3 from the module cache") || !strings.Contains(err.Error(), "-samplegen v1.2.3") {
		t.Errorf("got %v, want a refusal naming -samplegen v1.2.3", err)
	}
}

// What go list -m says of samplegen decides whether it is a checkout.
func TestListedModuleCheckout(t *testing.T) {
	root := repoRoot(t)
	cache := t.TempDir()
	cached := filepath.Join(cache, "github.com", "samplegen", "samplegen@v1.2.3")
	if err := os.MkdirAll(cached, 0o777); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(cached, "go.mod"), "module github.com/samplegen/samplegen\n")
	notSamplegen := t.TempDir()
	writeFile(t, filepath.Join(notSamplegen, "go.mod"), "module example.com/fork\n")
	local := &struct{ Version, Dir string }{Dir: root}
	for _, tc := range []struct {
		name string
		m    listedModule
		want string // the checkout, or part of the error
	}{
		{"main module", listedModule{Main: true, Dir: root}, root},
		{"replaced by a directory", listedModule{Version: "v1.2.3", Dir: root, Replace: local}, root},
		{"a dependency in the cache", listedModule{Version: "v1.2.3", Dir: cached}, "requires samplegen v1.2.3 from the module cache"},
		{"replaced by a version", listedModule{Version: "v1.2.3", Dir: cached, Replace: &struct{ Version, Dir string }{Version: "v1.2.4", Dir: cached}}, "from the module cache"},
		{"main, but in the cache", listedModule{Main: true, Dir: cached}, "not a checkout"},
		{"not samplegen's go.mod", listedModule{Main: true, Dir: notSamplegen}, `its go.mod is module "example.com/fork"`},
		{"no directory", listedModule{Main: true}, "not a checkout"},
	} {
		got, err := tc.m.checkout(cache)
		if err != nil {
			got = err.Error()
		}
		if !strings.Contains(got, tc.want) || (err == nil) != (tc.want == root) {
			t.Errorf("%s: got %q (error %v), want %q", tc.name, got, err, tc.want)
		}
	}
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o666); err != nil {
		t.Fatal(err)
	}
}
