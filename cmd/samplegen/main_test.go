package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writePackage writes a small annotated package into a fresh directory of
// this module (named with "_" so that ./... skips it) and returns its path.
func writePackage(t *testing.T, files map[string]string) string {
	t.Helper()
	dir, err := os.MkdirTemp(".", "_test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

const source = `package echo

// Echo repeats a text.
//
//samplegen:tool echo
//samplegen:prompt const=prompt
//samplegen:output Out
type Echo struct {
	Text string ` + "`json:\"text\"`" + `
}

// Out is the answer.
type Out struct {
	Text string ` + "`json:\"text\"`" + `
}

const prompt = "Repeat: {{.Text}}"
`

func TestRun(t *testing.T) {
	dir := writePackage(t, map[string]string{"echo.go": source})
	t.Chdir(dir)
	var stderr strings.Builder

	if code := run(&stderr, true, nil); code != 1 || stderr.String() != "echo_samplegen.go: missing (run go generate)\n" {
		t.Errorf("-check before generating: exit %d, stderr %q", code, stderr.String())
	}
	stderr.Reset()
	if code := run(&stderr, false, nil); code != 0 || stderr.Len() != 0 {
		t.Errorf("generate: exit %d, stderr %q", code, stderr.String())
	}
	if _, err := os.Stat("echo_samplegen.go"); err != nil {
		t.Fatal(err)
	}
	if code := run(&stderr, true, []string{"."}); code != 0 || stderr.Len() != 0 {
		t.Errorf("-check after generating: exit %d, stderr %q", code, stderr.String())
	}
}

func TestRunErrors(t *testing.T) {
	bad := strings.Replace(source, "{{.Text}}", "{{.Txt}}", 1)
	bad = strings.Replace(bad, "//samplegen:output Out", "//samplegen:output Missing", 1)
	dir := writePackage(t, map[string]string{"echo.go": bad})
	t.Chdir(dir)
	var stderr strings.Builder
	if code := run(&stderr, false, nil); code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	want := "echo.go:7:1: output type Missing is not declared in package echo\n" +
		"echo.go:17:27: Echo has no field or method Txt\n"
	if got := stderr.String(); got != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", got, want)
	}
	if _, err := os.Stat("echo_samplegen.go"); !os.IsNotExist(err) {
		t.Errorf("wrote a file despite errors")
	}
}

// TestRepositoryIsGenerated is -check over the whole repository, as CI
// wants it: every generated file is there and up to date, and none is left
// over. It fails when someone changes an annotated type or the generator
// and forgets go generate ./...
func TestRepositoryIsGenerated(t *testing.T) {
	if testing.Short() {
		t.Skip("loads every package of the repository")
	}
	t.Chdir(filepath.Join("..", ".."))
	var stderr strings.Builder
	if code := run(&stderr, true, []string{"./..."}); code != 0 {
		t.Errorf("samplegen -check ./... exits %d:\n%s", code, stderr.String())
	}
}

// TestErrorsAreAllPrintedLikeTheCompiler checks the form of a failing run:
// every error on a line of its own, file:line:col first, sorted, exit 1.
func TestErrorsAreAllPrintedLikeTheCompiler(t *testing.T) {
	bad := strings.NewReplacer(
		"//samplegen:tool echo", "//samplegen:tool echo\n//samplegen:params temperature=hot retries=-1",
		"type Echo struct {\n\tText string", "type Echo struct {\n\tText chan string",
	).Replace(source)
	dir := writePackage(t, map[string]string{"echo.go": bad, "other.go": "package echo\n\n//samplegen:tool stray\nvar x = 1\n"})
	t.Chdir(dir)
	var stderr strings.Builder
	if code := run(&stderr, false, nil); code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	want := "echo.go:6:20: samplegen:params: temperature=hot: want a number >= 0\n" +
		"echo.go:6:36: samplegen:params: retries=-1: want an integer >= 0\n" +
		"echo.go:10:2: field Text: chan string has no JSON form\n" +
		"other.go:3:1: misplaced samplegen directive: it belongs in the doc comment of a struct type or a function declaration\n"
	if got := stderr.String(); got != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", got, want)
	}
}
