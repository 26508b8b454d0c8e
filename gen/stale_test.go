package gen

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestStaleFieldsFailBuild generates the stale_fields case, then changes a
// struct type its schemas were built from in each way that makes the
// schemas stale, without generating again: go build of the package must
// fail and say "run go generate", naming the type.
func TestStaleFieldsFailBuild(t *testing.T) {
	dir := copyCase(t, "stale_fields")
	if _, err := Generate(Config{Dir: dir, Warnings: io.Discard}); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(dir, "plan.go")
	orig, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	build := func() (string, error) {
		out, err := exec.Command("go", "build", dir).CombinedOutput()
		return string(out), err
	}
	if out, err := build(); err != nil {
		t.Fatalf("the generated package does not build: %v\n%s", err, out)
	}

	for _, c := range []struct {
		name, old, new, typ string
	}{
		{"field added to the tool's input", "\tTask  string `json:\"task\"`\n", "\tTask  string `json:\"task\"`\n\tDue   string `json:\"due\"`\n", "MakePlan"},
		{"field removed from the output", "\tHours int    `json:\"hours\"`\n", "", "Step"},
		{"field retyped in an embedded struct", "\tBudget int `json:\"budget\"", "\tBudget float64 `json:\"budget\"", "base"},
		{"tag changed in a generic type", "`json:\"more\"`", "`json:\"has_more\"`", "Page[Step]"},
		{"fields reordered", "\tTitle string `json:\"title\"`\n\tHours int    `json:\"hours\"`\n", "\tHours int    `json:\"hours\"`\n\tTitle string `json:\"title\"`\n", "Step"},
		{"unexported field added", "\towner string", "\towner string\n\tteam  string", "MakePlan"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(string(orig), c.old) {
				t.Fatalf("plan.go lacks %q", c.old)
			}
			writeFile(t, src, strings.Replace(string(orig), c.old, c.new, 1))
			defer func() {
				writeFile(t, src, string(orig))
				if _, err := Generate(Config{Dir: dir, Warnings: io.Discard}); err != nil {
					t.Fatal(err)
				}
			}()
			out, err := build()
			want := c.typ + ` has changed since samplegen ran: run go generate`
			if err == nil || !strings.Contains(out, want) {
				t.Errorf("go build after the change: err %v, want the message %q in:\n%s", err, want, out)
			}
			// And generating again repairs it.
			if _, err := Generate(Config{Dir: dir, Warnings: io.Discard}); err != nil {
				t.Fatal(err)
			}
			if out, err := build(); err != nil {
				t.Errorf("go build after generating again: %v\n%s", err, out)
			}
		})
	}
	// Of the types of other packages, the one of this module that this
	// package can write out is checked; those of other modules, and the
	// one it cannot write out, are left to samplegen -check.
	gen, err := os.ReadFile(filepath.Join(dir, "plan"+generatedSuffix))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(gen), "(time.Location{})") || strings.Contains(string(gen), "(mcp.Annotations{})") || !strings.Contains(string(gen), "(prompt.EnumValue{})") {
		t.Errorf("generated checks:\n%s", gen)
	}
}

func TestCanImport(t *testing.T) {
	for _, c := range []struct {
		from, path string
		want       bool
	}{
		{"example.com/a", "example.com/b", true},
		{"example.com/a", "example.com/a/internal/x", true},
		{"example.com/a/b", "example.com/a/internal/x", true},
		{"example.com/ab", "example.com/a/internal/x", false},
		{"example.com/c", "example.com/a/internal/x", false},
		{"example.com/a", "internal/poll", false},
	} {
		if got := canImport(c.from, c.path); got != c.want {
			t.Errorf("canImport(%q, %q) = %v, want %v", c.from, c.path, got, c.want)
		}
	}
}

// TestSameFieldsNameTaken: a package that declares the name the checks
// call is told so, at its declaration, rather than failing to build.
func TestSameFieldsNameTaken(t *testing.T) {
	dir := copyCase(t, "stale_fields")
	writeFile(t, filepath.Join(dir, "mine.go"), "package plan\n\nfunc samplegenSameFields() {}\n")
	_, err := Generate(Config{Dir: dir, Warnings: io.Discard})
	if want := "mine.go:3:6: the generated file declares samplegenSameFields, which this declaration takes: rename it"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Generate: %v, want %q", err, want)
	}
}
