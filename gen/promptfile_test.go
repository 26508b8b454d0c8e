package gen

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// promptPackage writes a package whose one tool's prompt is the file
// name, and returns its directory: a fresh one inside this module.
func promptPackage(t *testing.T, name string) string {
	t.Helper()
	root, err := scratch()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp(root, "prompt-")
	if err != nil {
		t.Fatal(err)
	}
	dir, err = filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "a.go"), `package p

// Greet greets.
//
//samplegen:tool greet
//samplegen:prompt `+name+`
//samplegen:output Out
type Greet struct{}

// Out is the output.
type Out struct{}
`)
	return dir
}

// generateWithin runs Generate in dir and returns its error, failing the
// test when it takes longer than a minute (as reading a named pipe does).
func generateWithin(t *testing.T, dir string) error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		_, err := Generate(Config{Dir: dir, Warnings: io.Discard})
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Minute):
		t.Fatal("Generate did not return within a minute")
		return nil
	}
}

func wantPromptError(t *testing.T, err error, want string) {
	t.Helper()
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("Generate: %v; want the error %q", err, want)
	}
	if got := list.Error(); got != want {
		t.Errorf("Generate:\n%s\nwant:\n%s", got, want)
	}
}

// A symbolic link inside the module that leads out of it is refused, as
// is a path that leads out without one (the case err_prompt_unsafe).
func TestPromptFileSymlinkOutside(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "secret.txt")
	writeFile(t, secret, "not for the prompt")
	dir := promptPackage(t, "link.tmpl")
	if err := os.Symlink(secret, filepath.Join(dir, "link.tmpl")); err != nil {
		t.Skipf("no symbolic links: %v", err)
	}
	wantPromptError(t, generateWithin(t, dir), "a.go:6:1: prompt file link.tmpl is a symbolic link that leads outside the module: a prompt file must be in the directory tree of the package's module")
}

// A symbolic link to a file inside the module is fine.
func TestPromptFileSymlinkInside(t *testing.T) {
	dir := promptPackage(t, "link.tmpl")
	writeFile(t, filepath.Join(dir, "shared", "greet.tmpl"), "Say hello.")
	if err := os.Symlink(filepath.Join("shared", "greet.tmpl"), filepath.Join(dir, "link.tmpl")); err != nil {
		t.Skipf("no symbolic links: %v", err)
	}
	if err := generateWithin(t, dir); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join(dir, "p"+generatedSuffix))
	if err != nil || !strings.Contains(string(src), "Say hello.") {
		t.Errorf("generated file lacks the prompt (%v):\n%s", err, src)
	}
}

// A device inside the module, or linked from it, is not read: /dev/zero
// would fill memory.
func TestPromptFileDevice(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no /dev/zero")
	}
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip(err)
	}
	// The module's root holds /dev/zero when the module is the whole
	// file system; a link from a module elsewhere leads outside it.
	dir := promptPackage(t, "zero.tmpl")
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero.tmpl")); err != nil {
		t.Skipf("no symbolic links: %v", err)
	}
	wantPromptError(t, generateWithin(t, dir), "a.go:6:1: prompt file zero.tmpl is a symbolic link that leads outside the module: a prompt file must be in the directory tree of the package's module")
	if got := notRegular(statOf(t, "/dev/zero")); got != " is a device, not a regular file" {
		t.Errorf("notRegular(/dev/zero) = %q", got)
	}
}

func statOf(t *testing.T, path string) os.FileInfo {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

// A prompt file larger than 1 MiB is refused, and one of exactly 1 MiB
// is read.
func TestPromptFileSize(t *testing.T) {
	dir := promptPackage(t, "big.tmpl")
	path := filepath.Join(dir, "big.tmpl")
	writeFile(t, path, strings.Repeat("x", maxPromptFile+1))
	wantPromptError(t, generateWithin(t, dir), "a.go:6:1: prompt file big.tmpl is larger than 1048576 bytes (1 MiB), the most a prompt file may hold")

	writeFile(t, path, strings.Repeat("x", maxPromptFile))
	root, _ := filepath.Abs("..")
	data, err := readPromptFile(root, path, filepath.Join(dir, "a.go"))
	if err != nil || len(data) != maxPromptFile {
		t.Errorf("a prompt file of 1 MiB: %d bytes, %v", len(data), err)
	}
}
