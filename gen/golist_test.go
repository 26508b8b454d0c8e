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

// Each module error says what fixes it, and only go.mod or go.sum entries
// that are missing are fixed by go mod tidy.
func TestModuleErrorAdvice(t *testing.T) {
	const tidy = "run go mod tidy"
	for _, c := range []struct{ in, want, not string }{
		{"missing go.sum entry for module providing package x (imported by y); to add:\n\tgo get y", "missing go.sum entry for module providing package x (imported by y): the module's go.mod or go.sum is not up to date; run go mod tidy", ""},
		{"go: updates to go.mod needed; to update it:\n\tgo mod tidy", "go: updates to go.mod needed; to update it: go mod tidy", ""},
		{"go: go.mod file not found in current directory or any parent directory; see 'go help modules'", "run go mod init", tidy},
		{"verifying example.com/m@v1.0.0: checksum mismatch\n\tdownloaded: h1:abc=\n\tgo.sum:     h1:def=\n\nSECURITY ERROR\nThis download does NOT match an earlier download recorded in go.sum.", "SECURITY ERROR This download does NOT match an earlier download recorded in go.sum.: do not edit go.sum; see go help module-auth", tidy},
		{"example.com/gone@v0.0.0: replacement directory ./gone does not exist", "example.com/gone@v0.0.0: replacement directory ./gone does not exist", tidy},
		{"go: example.com/m@v0.0.0 (replaced by ../m): reading ../m/go.mod: open /tmp/m/go.mod: no such file or directory", "reading ../m/go.mod: open /tmp/m/go.mod: no such file or directory", tidy},
	} {
		if !isModuleError(c.in) {
			t.Errorf("isModuleError(%q) = false", c.in)
		}
		got := moduleErrorMsg(c.in)
		if !strings.Contains(got, c.want) || c.not != "" && strings.Contains(got, c.not) || strings.Contains(got, "\n") {
			t.Errorf("moduleErrorMsg(%q) = %q, want one line with %q and without %q", c.in, got, c.want, c.not)
		}
	}
	if isModuleError("undefined: x") {
		t.Error("a type error is a module error")
	}
}

// Where the go command cannot load the module at all, the error is its own,
// on one line, with advice that is true for it.
func TestModuleErrorsOfGoList(t *testing.T) {
	t.Setenv("GOPROXY", "off")
	t.Setenv("GOWORK", "off")
	t.Setenv("GOFLAGS", "-mod=readonly")
	src := "package m\n\nimport _ \"example.com/gone\"\n\n// In is the input.\n//\n//samplegen:tool t\n//samplegen:prompt const=p\n//samplegen:output string\ntype In struct{}\n\nconst p = \"Say hi.\"\n"

	nomod := t.TempDir()
	writeFile(t, filepath.Join(nomod, "m.go"), src)
	_, err := Generate(Config{Dir: nomod, Warnings: io.Discard})
	if err == nil || !strings.Contains(err.Error(), "go.mod file not found") || !strings.Contains(err.Error(), "run go mod init") ||
		strings.Contains(err.Error(), "go mod tidy") || strings.Contains(err.Error(), "\n") {
		t.Errorf("Generate without go.mod: %v, want one line saying go mod init", err)
	}

	replaced := t.TempDir()
	writeFile(t, filepath.Join(replaced, "go.mod"), "module example.com/m\n\ngo 1.26\n\nrequire example.com/gone v0.0.0\n\nreplace example.com/gone => ./gone\n")
	writeFile(t, filepath.Join(replaced, "m.go"), src)
	_, err = Generate(Config{Dir: replaced, Warnings: io.Discard})
	if err == nil || !strings.Contains(err.Error(), "m.go:3:8: example.com/gone@v0.0.0: replacement directory ./gone does not exist") || strings.Contains(err.Error(), "go mod tidy") || strings.Contains(err.Error(), "\n") {
		t.Errorf("Generate with a replace to a missing directory: %v, want the go command's words on one line", err)
	}
}
