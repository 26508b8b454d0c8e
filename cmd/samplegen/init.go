package main

import (
	"bytes"
	"cmp"
	"embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/format"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"text/template"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"

	"github.com/samplegen/samplegen/sampling"
	"github.com/samplegen/samplegen/templates"
)

// samplegenModule is the module every new server requires.
const samplegenModule = "github.com/samplegen/samplegen"

// scaffold is the server samplegen init writes: the feedback package (a
// real package of this repository, generated and tested with it) and the
// templates of the files around it.
//
//go:embed scaffold
var scaffold embed.FS

// scaffoldPackage is the scaffold's tool package, and its import path in
// this repository, which init rewrites to the new module's.
const (
	scaffoldPackage = "feedback"
	scaffoldPath    = samplegenModule + "/cmd/samplegen/scaffold/" + scaffoldPackage
	libraryPath     = samplegenModule + "/templates/"
)

const initUsageText = `usage: samplegen init [DIR] [flags]

Writes a new MCP server module in DIR (default "."), which must be absent,
empty, or hold only names that start with a dot (.git after git init, .idea;
a .gitignore there is kept and init writes none): go.mod, with the generator
pinned by a tool directive; a package of two tools (classify_feedback, which
asks the client's model, and route_feedback, a function tool that calls it);
a main that serves them (stdio, -http, and direct mode with -provider and
-model); tests that run every tool offline against scripted and recorded
answers; a README and a .gitignore. -tool copies packages of ready tools
from samplegen's library into the module as well, whole, to serve and
change. Then it runs go mod tidy there; once the modules are in the module
cache no step needs the network.
Afterwards:

	cd DIR && go test ./...

go.mod requires the samplegen this one was built from. A samplegen built from
a checkout has no version to require: run inside the checkout, go.mod
replaces samplegen with it; elsewhere (in another module that requires
samplegen too), say which with -samplegen.

Exit status: 0 when the module is written, 1 when writing it or go mod tidy
failed (what was written is removed), 2 for a wrong command line (nothing is
written).

Flags, before or after DIR:
`

// initConfig is a parsed samplegen init command line.
type initConfig struct {
	dir    string
	module string
	tools  []string
	// How go.mod requires samplegen: at version, or replaced by the
	// checkout in that directory.
	version, checkout string
}

// runInit runs samplegen init with args (those after "init") and returns
// its exit code.
func runInit(args []string, stdout, stderr io.Writer) int {
	c, err := parseInit(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err == nil {
		err = c.write(stderr)
	}
	if err != nil {
		if !errors.Is(err, errFlagReported) {
			fmt.Fprintf(stderr, "samplegen init: %v\n", err)
		}
		if _, ok := errors.AsType[*writeError](err); ok {
			return 1
		}
		return 2
	}
	next := "go test ./..."
	if filepath.Clean(c.dir) != "." {
		next = "cd " + c.dir + " && " + next
	}
	fmt.Fprintf(stdout, "wrote module %s in %s; run its tests with:\n\t%s\n", c.module, c.dir, next)
	return 0
}

// errFlagReported: package flag has said what is wrong with the command
// line.
var errFlagReported = errors.New("bad flag")

// A writeError is a failure after the command line was accepted: exit 1,
// not 2.
type writeError struct{ err error }

func (e *writeError) Error() string { return e.err.Error() }
func (e *writeError) Unwrap() error { return e.err }

// parseInit parses and checks the command line, before anything is
// written: the directory, the module path, the tools and the samplegen
// version.
func parseInit(args []string, stderr io.Writer) (*initConfig, error) {
	c := &initConfig{}
	flags := flag.NewFlagSet("samplegen init", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() {
		fmt.Fprint(flags.Output(), initUsageText)
		flags.PrintDefaults()
	}
	flags.StringVar(&c.module, "module", "", "the new module's `path` (default: DIR's last element, such as myserver)")
	flags.Func("tool", "copy the ready tools of this library `package` into the module, to serve and change (repeat, or separate with commas): "+strings.Join(libraryNames(), ", "), func(v string) error {
		for name := range strings.SplitSeq(v, ",") {
			if name = strings.TrimSpace(name); name != "" && !slices.Contains(c.tools, name) {
				c.tools = append(c.tools, name)
			}
		}
		return nil
	})
	samplegen := flags.String("samplegen", "", "the samplegen go.mod requires: a published `version` (v1.2.3), or the directory of a checkout, which go.mod replaces it with (default: the version this samplegen was built from)")
	dirs, err := parseInterspersed(flags, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, errFlagReported
	}
	switch len(dirs) {
	case 0:
		c.dir = "."
	case 1:
		c.dir = dirs[0]
	default:
		return nil, fmt.Errorf("one DIR at most, got %q", dirs)
	}

	abs, err := filepath.Abs(c.dir)
	if err != nil {
		return nil, err
	}
	if info, err := os.Stat(abs); err == nil && !info.IsDir() {
		return nil, fmt.Errorf("%s is a file, not a directory", c.dir)
	}
	entries, err := os.ReadDir(abs)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	for _, e := range entries {
		// A repository just made (.git), an editor's settings (.idea):
		// init writes no such name but .gitignore, which it keeps.
		if !strings.HasPrefix(e.Name(), ".") {
			return nil, fmt.Errorf("%s is not empty (it holds %s): name a new directory, or empty this one (names starting with a dot, such as .git, may stay)", c.dir, e.Name())
		}
	}

	if c.module == "" {
		c.module = filepath.Base(abs)
		if err := checkModulePath(c.module); err != nil {
			return nil, fmt.Errorf("DIR's name %q is not a module path (%v): give one with -module, such as -module example.com/%s", c.module, err, "myserver")
		}
	} else if err := checkModulePath(c.module); err != nil {
		return nil, fmt.Errorf("-module %q: %w", c.module, err)
	}

	names := libraryNames()
	for _, t := range c.tools {
		if !slices.Contains(names, t) {
			return nil, fmt.Errorf("-tool %q: no such package in the library; the library has %s", t, strings.Join(names, ", "))
		}
		if t == scaffoldPackage {
			return nil, fmt.Errorf("-tool %q: the server's own package has that name", t)
		}
	}

	if err := c.resolveSamplegen(*samplegen, stderr); err != nil {
		return nil, err
	}
	return c, nil
}

// parseInterspersed parses args with flags, which may come before and
// after the arguments that are not flags (samplegen init DIR -tool x, as
// well as samplegen init -tool x DIR), and returns those arguments. After
// "--" every argument is one, even if it starts with "-".
func parseInterspersed(flags *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := flags.Parse(args); err != nil {
			return nil, err
		}
		rest := flags.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// checkModulePath is go mod init's check: an import path (a single
// element such as "myserver" will do for a module nobody downloads), not
// one of the standard library's nor samplegen's own.
func checkModulePath(p string) error {
	if err := module.CheckImportPath(p); err != nil {
		return err
	}
	first, _, _ := strings.Cut(p, "/")
	if first == "std" || first == "cmd" {
		return fmt.Errorf("%q is reserved for the Go toolchain", p)
	}
	if p == samplegenModule || strings.HasPrefix(p, samplegenModule+"/") {
		return errors.New("that is samplegen's own module")
	}
	return nil
}

// resolveSamplegen decides how go.mod requires samplegen, from -samplegen
// or the version this binary was built from.
func (c *initConfig) resolveSamplegen(flagValue string, stderr io.Writer) error {
	switch {
	case flagValue == "":
	case semver.IsValid(flagValue) && !strings.ContainsAny(flagValue, `/\`):
		c.version = flagValue
		return nil
	default:
		dir, err := filepath.Abs(flagValue)
		if err != nil {
			return err
		}
		if err := checkCheckout(dir); err != nil {
			return fmt.Errorf("-samplegen %s: %w", flagValue, err)
		}
		c.checkout = dir
		return nil
	}
	info, ok := debug.ReadBuildInfo()
	if ok && info.Main.Path == samplegenModule && published(info) {
		c.version = info.Main.Version
		return nil
	}
	// Built from a checkout (go run ./cmd/samplegen, go build): that
	// version may never have been published, so no go.mod can count on
	// it. When run inside the checkout, it is the one to replace samplegen
	// with.
	var listed listedModule
	out, err := exec.Command("go", "list", "-m", "-json", samplegenModule).Output()
	if err == nil {
		err = json.Unmarshal(out, &listed)
	}
	var notCheckout error
	if err == nil {
		dir, err := listed.checkout(goEnv("GOMODCACHE"))
		if err == nil {
			c.checkout = dir
			fmt.Fprintf(stderr, "samplegen init: this samplegen was built from a checkout; go.mod replaces samplegen with the checkout in %s (-samplegen VERSION requires a published version instead)\n", dir)
			return nil
		}
		notCheckout = err
	}
	version := "unknown"
	if ok {
		version = info.Main.Version
	}
	why := "this samplegen was built from a checkout (version " + version + "), which no go.mod can require"
	if notCheckout != nil {
		why += ", and " + notCheckout.Error()
	}
	return fmt.Errorf("%s: give -samplegen the checkout's directory (go.mod then replaces samplegen with it) or a published version, or run go run %s/cmd/samplegen@latest init", why, samplegenModule)
}

// listedModule is what go list -m -json says of samplegen's module in the
// current directory.
type listedModule struct {
	Main    bool   // the current module, or one of the workspace's
	Version string // the version required, when it is a dependency
	Dir     string
	Replace *struct{ Version, Dir string }
}

// checkout returns the directory of the checkout of samplegen that m is:
// the main module (go run ./cmd/samplegen in the checkout) or a
// dependency replaced by a directory. A dependency the module cache
// holds (go run in another module that requires samplegen) is not one: a
// replace pointing into the module cache would tie go.mod to one
// machine's cache and a version this samplegen may not be.
func (m listedModule) checkout(modCache string) (string, error) {
	local := m.Main || (m.Replace != nil && m.Replace.Version == "")
	if !local || m.Dir == "" || (modCache != "" && inDir(m.Dir, modCache)) {
		if m.Version != "" {
			return "", fmt.Errorf("the module here requires samplegen %s from the module cache, not a checkout (-samplegen %[1]s requires that one)", m.Version)
		}
		return "", errors.New("samplegen is not a checkout here")
	}
	if err := checkCheckout(m.Dir); err != nil {
		return "", fmt.Errorf("%s is %w", m.Dir, err)
	}
	return m.Dir, nil
}

// inDir says whether path is dir or below it.
func inDir(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// goEnv returns the go command's value of the variable, or "".
func goEnv(name string) string {
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// published says whether the version samplegen was built from can be
// required: one the go command downloaded (go run ...@latest, go
// install), not "(devel)" nor a version stamped from a checkout's
// commit (go build in a checkout), which may never have been pushed.
func published(info *debug.BuildInfo) bool {
	for _, s := range info.Settings {
		if s.Key == "vcs" {
			return false
		}
	}
	return semver.IsValid(info.Main.Version) && !strings.HasSuffix(info.Main.Version, "+dirty")
}

// checkCheckout says whether dir holds samplegen's module.
func checkCheckout(dir string) error {
	data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return fmt.Errorf("not a checkout of samplegen: %w", err)
	}
	if p := modfile.ModulePath(data); p != samplegenModule {
		return fmt.Errorf("not a checkout of samplegen: its go.mod is module %q", p)
	}
	return nil
}

// libraryNames lists the library's packages: the folders of
// templates.Sources with Go files that are not tests.
func libraryNames() []string {
	var names []string
	entries, _ := fs.ReadDir(templates.Sources, ".")
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		files, _ := fs.Glob(templates.Sources, e.Name()+"/*.go")
		if slices.ContainsFunc(files, func(f string) bool { return !strings.HasSuffix(f, "_test.go") }) {
			names = append(names, e.Name())
		}
	}
	return names
}

// write writes the module and tidies it. On failure it removes what it
// wrote, so that the same command can be run again.
func (c *initConfig) write(stderr io.Writer) (err error) {
	_, statErr := os.Stat(c.dir)
	created := errors.Is(statErr, fs.ErrNotExist)
	if err := os.MkdirAll(c.dir, 0o777); err != nil {
		return &writeError{err}
	}
	// The top-level names init wrote, to remove on failure: the directory
	// may hold the user's .git, .idea or .gitignore.
	var wrote []string
	defer func() {
		if err == nil {
			return
		}
		err = &writeError{fmt.Errorf("%w\n(what init wrote in %s is removed, so the same command can run again)", err, c.dir)}
		if created {
			os.RemoveAll(c.dir)
			return
		}
		for _, name := range wrote {
			os.RemoveAll(filepath.Join(c.dir, name))
		}
	}()

	files, err := c.files()
	if err != nil {
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		data := files[name]
		top, _, _ := strings.Cut(name, "/")
		if _, err := os.Lstat(filepath.Join(c.dir, top)); err == nil {
			// parseInit let only dot-names through; of those init
			// writes .gitignore alone, and the user's stays.
			if !slices.Contains(wrote, top) {
				fmt.Fprintf(stderr, "samplegen init: %s keeps its %s; init's would have held:\n%s", c.dir, name, indent(strings.TrimRight(string(data), "\n"))+"\n")
				continue
			}
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		if !slices.Contains(wrote, top) {
			wrote = append(wrote, top)
		}
		p := filepath.Join(c.dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
			return err
		}
		if err := os.WriteFile(p, data, 0o666); err != nil {
			return err
		}
	}
	return c.tidy(stderr)
}

// files returns every file of the new module but go.sum's additions, by
// slash-separated name.
func (c *initConfig) files() (map[string][]byte, error) {
	files := map[string][]byte{}
	goMod, goSum, err := c.goMod()
	if err != nil {
		return nil, err
	}
	files["go.mod"] = goMod
	if goSum != nil {
		files["go.sum"] = goSum
	}

	rewrite := c.importRewriter()
	copyTree := func(src fs.FS, from, to string) error {
		return fs.WalkDir(src, from, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := fs.ReadFile(src, p)
			if err != nil {
				return err
			}
			files[path.Join(to, strings.TrimPrefix(p, from+"/"))] = rewrite(data)
			return nil
		})
	}
	if err := copyTree(scaffold, "scaffold/"+scaffoldPackage, scaffoldPackage); err != nil {
		return nil, err
	}
	for _, t := range c.tools {
		if err := copyTree(templates.Sources, t, t); err != nil {
			return nil, err
		}
	}

	data := struct {
		Module, Name string
		Packages     []string
	}{c.module, commandName(c.module), append([]string{scaffoldPackage}, c.tools...)}
	for out, tmpl := range map[string]string{
		"main.go":      "scaffold/main.go.tmpl",
		"main_test.go": "scaffold/main_test.go.tmpl",
		"README.md":    "scaffold/README.md.tmpl",
		".gitignore":   "scaffold/gitignore.tmpl",
	} {
		t, err := template.ParseFS(scaffold, tmpl)
		if err != nil {
			return nil, err
		}
		var b bytes.Buffer
		if err := t.Execute(&b, data); err != nil {
			return nil, err
		}
		text := b.Bytes()
		if strings.HasSuffix(out, ".go") {
			if text, err = format.Source(text); err != nil {
				return nil, fmt.Errorf("%s: %w", out, err)
			}
		}
		files[out] = text
	}
	return files, nil
}

// commandName is the name go build gives the module's command: its last
// path element, or the one before a major version suffix (/v2).
func commandName(modulePath string) string {
	dir, last := path.Split(modulePath)
	if dir != "" && len(last) > 1 && last[0] == 'v' && strings.Trim(last[1:], "0123456789") == "" {
		return path.Base(dir)
	}
	return last
}

// libraryImport finds the import paths of the library's packages and the
// scaffold's, in Go source and in comments alike.
var libraryImport = regexp.MustCompile(regexp.QuoteMeta(samplegenModule) + `/(?:templates|cmd/samplegen/scaffold)/([A-Za-z0-9_.-]+)`)

// importRewriter returns the function that points the import paths of
// the packages copied into the module at their copies. A library package
// that was not copied stays imported from samplegen's module.
func (c *initConfig) importRewriter() func([]byte) []byte {
	to := map[string]string{scaffoldPath: c.module + "/" + scaffoldPackage}
	for _, t := range c.tools {
		to[libraryPath+t] = c.module + "/" + t
	}
	return func(data []byte) []byte {
		return libraryImport.ReplaceAllFunc(data, func(m []byte) []byte {
			if p, ok := to[string(m)]; ok {
				return []byte(p)
			}
			return m
		})
	}
}

// goMod returns the new module's go.mod, and the go.sum to start from:
// samplegen's own, which holds the sums of every module the new one needs
// (go mod tidy then drops the rest), so that tidying needs no network
// when the modules are in the module cache.
func (c *initConfig) goMod() (goMod, goSum []byte, err error) {
	f := &modfile.File{}
	if err := f.AddModuleStmt(c.module); err != nil {
		return nil, nil, err
	}
	from := c.checkout // where samplegen's go.mod and go.sum are
	version := c.version
	if from == "" {
		from = moduleCacheDir(version)
	} else {
		version = "v0.0.0-00010101000000-000000000000" // what go mod edit -replace requires with
	}
	goVersion := "1.26.0"
	if data, err := os.ReadFile(filepath.Join(from, "go.mod")); err == nil {
		if sg, err := modfile.ParseLax("go.mod", data, nil); err == nil && sg.Go != nil {
			goVersion = sg.Go.Version
		}
	}
	if err := f.AddGoStmt(goVersion); err != nil {
		return nil, nil, err
	}
	if err := f.AddRequire(samplegenModule, version); err != nil {
		return nil, nil, err
	}
	if c.checkout != "" {
		if err := f.AddReplace(samplegenModule, "", c.checkout, ""); err != nil {
			return nil, nil, err
		}
	}
	if err := f.AddTool(samplegenModule + "/cmd/samplegen"); err != nil {
		return nil, nil, err
	}
	f.Cleanup()
	goMod, err = f.Format()
	if err != nil {
		return nil, nil, err
	}
	goSum, _ = os.ReadFile(filepath.Join(from, "go.sum")) // none: go mod tidy fetches the sums
	return goMod, goSum, nil
}

// moduleCacheDir is where the module cache holds samplegen at version,
// which go run ...@version has just put there; "" if it cannot tell.
func moduleCacheDir(version string) string {
	cache := goEnv("GOMODCACHE")
	if cache == "" {
		return ""
	}
	escaped, err := module.EscapePath(samplegenModule)
	if err != nil {
		return ""
	}
	return filepath.Join(cache, filepath.FromSlash(escaped)+"@"+version)
}

// tidy runs go mod tidy in the new module. Offline, go mod tidy fails on
// the modules that only the tests of its dependencies import (it checks
// that go test all would build); then tidy -e writes what it found, and
// go list checks that the module's own packages and tests have every
// module they need.
func (c *initConfig) tidy(stderr io.Writer) error {
	run := func(args ...string) ([]byte, error) {
		cmd := exec.Command("go", args...)
		cmd.Dir = c.dir
		return cmd.CombinedOutput()
	}
	out, err := run("mod", "tidy")
	if err == nil {
		return nil
	}
	if _, err2 := run("mod", "tidy", "-e"); err2 == nil {
		if _, err3 := run("list", "-deps", "-test", "./..."); err3 == nil {
			fmt.Fprintf(stderr, "samplegen init: go mod tidy could not look up some modules that only the tests of dependencies use (offline?); the module builds and tests without them, and go mod tidy run once online adds their sums. It said:\n%s", clipLines(lookupFailures(out), 4))
			return nil
		}
	}
	return fmt.Errorf("go mod tidy in %s: %w\n%s"+
		"check that go.mod's samplegen (%s) can be downloaded, or give -samplegen a checkout's directory", c.dir, err, clipLines(out, 12), cmp.Or(c.version, c.checkout))
}

// lookupFailures keeps the lines of go mod tidy's output that say what it
// could not look up: the last line of each import chain.
func lookupFailures(out []byte) []byte {
	var keep []string
	for line := range strings.Lines(string(out)) {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "go: downloading ") || strings.HasPrefix(line, "go: finding ") ||
			strings.HasSuffix(line, " imports") || strings.HasSuffix(line, " tested by") {
			continue
		}
		keep = append(keep, line)
	}
	return []byte(strings.Join(keep, "\n"))
}

// clipLines keeps the first n lines of out, saying how many it left out.
func clipLines(out []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) > n {
		lines = append(lines[:n], fmt.Sprintf("... (%d more lines)", len(lines)-n))
	}
	for i, l := range lines {
		lines[i] = sampling.Clip(l, 300)
	}
	return indent(strings.Join(lines, "\n")) + "\n"
}
