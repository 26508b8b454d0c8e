package gen

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// maxPromptFile is the most bytes a prompt file may hold. A prompt goes
// into the generated file and into every request, so anything near this
// is a mistake; the bound keeps a wrong path (a device, a log) from
// exhausting memory.
const maxPromptFile = 1 << 20

// A promptFileError says what is wrong with the file a samplegen:prompt
// directive names; the message follows "prompt file NAME", and starts
// with " " or ": ".
type promptFileError struct {
	msg string
	err error // the underlying error, if any
}

func (e *promptFileError) Error() string { return e.msg }
func (e *promptFileError) Unwrap() error { return e.err }

// readPromptFile reads the prompt file at path (absolute), which must lie
// inside the directory tree root (the module's), also once symbolic links
// are resolved, and be a regular file of at most maxPromptFile bytes.
// goFile is the Go file that names it, for the message when it is missing.
func readPromptFile(root, path, goFile string) ([]byte, error) {
	if !within(root, path) {
		return nil, &promptFileError{msg: " is outside the module: a prompt file must be in the directory tree of the package's module"}
	}
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &promptFileError{msg: fmt.Sprintf(" not found (it is looked for beside %s)", filepath.Base(goFile)), err: err}
		}
		return nil, &promptFileError{msg: ": " + err.Error(), err: err}
	}
	if realRoot, err := filepath.EvalSymlinks(root); err == nil && !within(realRoot, real) {
		return nil, &promptFileError{msg: " is a symbolic link that leads outside the module: a prompt file must be in the directory tree of the package's module"}
	}
	// Stat before opening: opening a named pipe blocks until a writer comes.
	info, err := os.Stat(real)
	if err != nil {
		return nil, &promptFileError{msg: ": " + err.Error(), err: err}
	}
	if problem := notRegular(info); problem != "" {
		return nil, &promptFileError{msg: problem}
	}
	if info.Size() > maxPromptFile {
		return nil, tooLarge()
	}
	f, err := os.Open(real)
	if err != nil {
		return nil, &promptFileError{msg: ": " + err.Error(), err: err}
	}
	defer f.Close()
	// The file may have changed between the Stat and the Open.
	if info, err := f.Stat(); err != nil || notRegular(info) != "" {
		return nil, &promptFileError{msg: " changed while samplegen read it: it is not a regular file any more", err: err}
	}
	data, err := io.ReadAll(io.LimitReader(f, maxPromptFile+1))
	if err != nil {
		return nil, &promptFileError{msg: ": " + err.Error(), err: err}
	}
	if len(data) > maxPromptFile {
		return nil, tooLarge()
	}
	return data, nil
}

func tooLarge() error {
	return &promptFileError{msg: fmt.Sprintf(" is larger than %d bytes (1 MiB), the most a prompt file may hold", maxPromptFile)}
}

// notRegular says what a file is when it is not a regular file.
func notRegular(info fs.FileInfo) string {
	m := info.Mode()
	var what string
	switch {
	case m.IsRegular():
		return ""
	case m.IsDir():
		what = "a directory"
	case m&fs.ModeNamedPipe != 0:
		what = "a named pipe"
	case m&fs.ModeSocket != 0:
		what = "a socket"
	case m&fs.ModeDevice != 0:
		what = "a device"
	default:
		what = "a special file"
	}
	return " is " + what + ", not a regular file"
}

// within reports whether path lies in the directory tree of dir; both are
// absolute and clean.
func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// moduleRoot is the directory of the go.mod file nearest above the
// package's directory: the root of its module. Outside a module it is the
// package's directory.
func (l *pkgLoader) moduleRoot() string {
	if l.modRoot != "" {
		return l.modRoot
	}
	dir := filepath.Clean(l.p.Dir)
	l.modRoot = dir
	for d := dir; ; {
		if info, err := os.Stat(filepath.Join(d, "go.mod")); err == nil && info.Mode().IsRegular() {
			l.modRoot = d
			break
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	return l.modRoot
}
