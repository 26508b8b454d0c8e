package gen

import (
	"bytes"
	"errors"
	"fmt"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Config says what [Generate] works on.
type Config struct {
	// Dir is the directory patterns are resolved in and file names in
	// errors and changes are relative to; "" means the current directory.
	Dir string

	// Patterns are package patterns as the go command takes them, such as
	// "." or "./...". None means ".".
	Patterns []string

	// Check reports the changes Generate would make and writes nothing.
	Check bool

	// Warnings is where warnings go, such as an input field that the
	// system prompt shows unfenced: one per line, as
	// file:line:col: warning: message. They do not fail the run. Nil means
	// os.Stderr.
	Warnings io.Writer
}

// An Action is what happens to a generated file.
type Action int

// The actions of a [Change].
const (
	Create Action = iota // the file does not exist yet
	Update               // the file exists with other content
	Remove               // the file is generated but its package has no tools any more
)

func (a Action) String() string {
	switch a {
	case Create:
		return "missing"
	case Update:
		return "stale"
	case Remove:
		return "no longer generated"
	}
	return fmt.Sprintf("Action(%d)", int(a))
}

// A Change is one file that Generate wrote or removed, or in check mode
// would have.
type Change struct {
	Path   string // relative to Config.Dir where possible
	Action Action
}

func (c Change) String() string { return c.Path + ": " + c.Action.String() }

// An Error is a problem at one place in the user's sources: a Go file, a
// prompt template or the declaration a directive names.
type Error struct {
	Pos token.Position // Filename is relative to Config.Dir where possible
	Msg string
	Err error // the underlying error, if any
}

func (e *Error) Error() string {
	if !e.Pos.IsValid() {
		return e.Msg
	}
	return e.Pos.String() + ": " + e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

// An ErrorList is every [Error] of a run, sorted by position. Its Error
// method puts one on each line, as the Go compiler does.
type ErrorList []*Error

func (l ErrorList) Error() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the errors, for [errors.Is] and [errors.As].
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// errorList collects errors during a run, and warnings.
type errorList struct {
	list     ErrorList
	warnings ErrorList // Msg starts with "warning: "
}

func (l *errorList) warnf(pos token.Position, format string, args ...any) {
	l.warnings = append(l.warnings, &Error{Pos: pos, Msg: "warning: " + fmt.Sprintf(format, args...)})
}

func (l *errorList) add(pos token.Position, err error, format string, args ...any) {
	l.list = append(l.list, &Error{Pos: pos, Msg: fmt.Sprintf(format, args...), Err: err})
}

func (l *errorList) errorf(pos token.Position, format string, args ...any) {
	l.add(pos, nil, format, args...)
}

func (l *errorList) len() int { return len(l.list) }

// sorted returns the errors relative to dir, sorted, without duplicates.
func (l *errorList) sorted(dir string) ErrorList { return sortErrors(dir, l.list) }

// sortErrors returns errs relative to dir, sorted, without duplicates.
func sortErrors(dir string, errs ErrorList) ErrorList {
	for _, e := range errs {
		e.Pos.Filename = shortPath(dir, e.Pos.Filename)
	}
	list := slices.Clone(errs)
	slices.SortStableFunc(list, func(a, b *Error) int {
		if c := strings.Compare(a.Pos.Filename, b.Pos.Filename); c != 0 {
			return c
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line - b.Pos.Line
		}
		return a.Pos.Column - b.Pos.Column
	})
	return slices.CompactFunc(list, func(a, b *Error) bool { return a.Error() == b.Error() })
}

// Generate loads the packages cfg names, builds the model of their tools and
// writes one <package>_samplegen.go file per package that has any, only where
// its content changed. A package that no longer has tools loses its generated
// file. With cfg.Check it writes nothing and returns what it would change.
//
// Problems in the sources come back as an [ErrorList]; then nothing is
// written. Warnings go to cfg.Warnings, whether or not there are errors.
// Other errors (the go command failing, a file that cannot be
// written) are returned wrapped.
func Generate(cfg Config) ([]Change, error) {
	changes, _, err := generate(cfg)
	return changes, err
}

// generate is Generate, and returns the packages it generated for too.
func generate(cfg Config) ([]Change, []*toolPackage, error) {
	dir := cfg.Dir
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, nil, fmt.Errorf("samplegen: %w", err)
		}
		dir = wd
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("samplegen: %w", err)
	}
	patterns := cfg.Patterns
	if len(patterns) == 0 {
		patterns = []string{"."}
	}

	var errs errorList
	done := phase("load and model")
	loaded, err := load(dir, patterns, &errs)
	done()
	if err != nil {
		return nil, nil, err
	}
	if len(errs.warnings) > 0 {
		w := cfg.Warnings
		if w == nil {
			w = os.Stderr
		}
		for _, e := range sortErrors(dir, errs.warnings) {
			fmt.Fprintln(w, e)
		}
	}
	if errs.len() > 0 {
		return nil, nil, errs.sorted(dir)
	}

	// Render everything before writing anything, so that a failure leaves
	// the tree as it was.
	type file struct {
		path    string
		content []byte // nil: remove
	}
	var files []file
	var pkgs []*toolPackage
	done = phase("emit")
	defer func() { done() }()
	for _, lp := range loaded {
		for _, stale := range unwantedFiles(lp) {
			files = append(files, file{path: stale})
		}
		if lp.pkg == nil {
			continue
		}
		src, err := emit(lp.pkg)
		if err != nil {
			return nil, nil, fmt.Errorf("samplegen: package %s: %w", lp.pkg.Path, err)
		}
		files = append(files, file{path: generatedFile(lp), content: src})
		pkgs = append(pkgs, lp.pkg)
	}

	done()
	done = phase("write")
	var changes []Change
	for _, f := range files {
		old, err := os.ReadFile(f.path)
		exists := err == nil
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return changes, pkgs, fmt.Errorf("samplegen: %w", err)
		}
		var c Change
		switch {
		case f.content == nil && exists:
			c = Change{Path: f.path, Action: Remove}
		case f.content != nil && !exists:
			c = Change{Path: f.path, Action: Create}
		case f.content != nil && !bytes.Equal(old, f.content):
			c = Change{Path: f.path, Action: Update}
		default:
			continue
		}
		if !cfg.Check {
			if c.Action == Remove {
				err = os.Remove(f.path)
			} else {
				err = os.WriteFile(f.path, f.content, 0o666)
			}
			if err != nil {
				return changes, pkgs, fmt.Errorf("samplegen: %w", err)
			}
		}
		c.Path = shortPath(dir, c.Path)
		changes = append(changes, c)
	}
	return changes, pkgs, nil
}

// tracePhase, when set (by the benchmark), is told how long each phase of a
// run took.
var tracePhase func(name string, d time.Duration)

// phase starts timing a phase; the function it returns ends it.
func phase(name string) func() {
	if tracePhase == nil {
		return func() {}
	}
	start := time.Now()
	return func() { tracePhase(name, time.Since(start)) }
}

// shortPath returns path relative to dir when it lies inside dir, as the go
// command shows file names.
func shortPath(dir, path string) string {
	if path == "" || !filepath.IsAbs(path) {
		return path
	}
	rel, err := filepath.Rel(dir, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return path
	}
	return rel
}
