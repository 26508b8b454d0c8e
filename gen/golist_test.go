package gen

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestModuleErrorSaysRunGoModTidy generates in a module whose go.sum is
// missing: the go command cannot load samplegen's runtime, and the error
// must say that, with what to do, rather than report the function tool's
// signature as wrong because runtime.Sampler could not be loaded.
func TestModuleErrorSaysRunGoModTidy(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	ours, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	// The requirements of samplegen's own go.mod, so that only go.sum is
	// missing; the module cache has them all, and nothing is downloaded.
	requires := regexp.MustCompile(`(?ms)^require \(.*?^\)`).FindAllString(string(ours), -1)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "go.mod"), "module example.com/nosum\n\ngo 1.26\n\n"+strings.Join(requires, "\n")+
		"\nrequire github.com/samplegen/samplegen v0.0.0\n\nreplace github.com/samplegen/samplegen => "+root+"\n")
	writeFile(t, filepath.Join(dir, "echo.go"), `package nosum

import (
	"context"

	"github.com/samplegen/samplegen/runtime"
)

// Echo echoes.
//
//samplegen:tool echo
func Echo(ctx context.Context, s runtime.Sampler, in In) (Out, error) { return Out{}, nil }

// In is the input.
type In struct {
	Text string `+"`json:\"text\"`"+`
}

// Out is the answer.
type Out struct {
	Text string `+"`json:\"text\"`"+`
}
`)
	t.Setenv("GOPROXY", "off")
	t.Setenv("GOFLAGS", "-mod=readonly")
	t.Setenv("GOWORK", "off")

	// With the requirements as written, the go command cannot even load
	// the module graph: go list fails as a whole.
	_, err = Generate(Config{Dir: dir, Warnings: io.Discard})
	if err == nil || !strings.Contains(err.Error(), "missing go.sum entry") || !strings.HasSuffix(err.Error(), "run go mod tidy") {
		t.Errorf("Generate without go.sum: %v, want the go command's error and \"run go mod tidy\"", err)
	}

	// Tidied, and go.sum then lost: the packages list, and those of
	// samplegen's runtime's imports cannot be loaded.
	tidy := exec.Command("go", "mod", "tidy")
	tidy.Dir = dir
	tidy.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GONOSUMDB=*", "GOSUMDB=off")
	if out, err := tidy.CombinedOutput(); err != nil {
		t.Fatalf("go mod tidy: %v\n%s", err, out)
	}
	os.Remove(filepath.Join(dir, "go.sum"))
	_, err = Generate(Config{Dir: dir, Warnings: io.Discard})
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("Generate: %v, want errors in the sources", err)
	}
	msg := err.Error()
	const want = "echo.go:6:2: cannot load github.com/samplegen/samplegen/runtime: missing go.sum entry for module providing package "
	if !strings.HasPrefix(msg, want) || !strings.HasSuffix(msg, "run go mod tidy") || strings.Contains(msg, "signature") || strings.Count(msg, "\n") != 0 {
		t.Errorf("errors:\n%s\nwant one line starting %q and ending \"run go mod tidy\"", msg, want)
	}
}

func TestModuleErrorMsg(t *testing.T) {
	for in, want := range map[string]string{
		"missing go.sum entry for module providing package x (imported by y); to add: go get y": "missing go.sum entry for module providing package x (imported by y): the module's go.mod or go.sum is not up to date; run go mod tidy",
		"go: updates to go.mod needed; to update it: go mod tidy":                               "go: updates to go.mod needed; to update it: go mod tidy",
	} {
		if got := moduleErrorMsg(in); got != want {
			t.Errorf("moduleErrorMsg(%q) = %q, want %q", in, got, want)
		}
	}
	if isModuleError("undefined: x") {
		t.Error("a type error is a module error")
	}
}
