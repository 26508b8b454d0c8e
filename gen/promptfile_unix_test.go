//go:build unix

package gen

import (
	"path/filepath"
	"syscall"
	"testing"
)

// A named pipe is not opened: reading it would wait for a writer forever.
func TestPromptFileNamedPipe(t *testing.T) {
	dir := promptPackage(t, "pipe.tmpl")
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.tmpl"), 0o600); err != nil {
		t.Skipf("no named pipes: %v", err)
	}
	wantPromptError(t, generateWithin(t, dir), "a.go:6:1: prompt file pipe.tmpl is a named pipe, not a regular file")
}
