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
