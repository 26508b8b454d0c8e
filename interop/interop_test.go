// Package interop_test runs samplegen's example servers against real MCP
// peers that samplegen did not write. The matrix:
//
//	peer                        transport                     era
//	TypeScript SDK client (ts/) stdio, Streamable HTTP, SSE   push (2025-11-25)
//	                            stateless HTTP                refused: -32021
//	go-sdk client               stdio, stateless HTTP         multi round-trip (2026-07-28)
//	go-sdk client, pinned       stateful Streamable HTTP      push (2025-11-25)
//	TypeScript SDK client,      stdio, Streamable HTTP        push (2025-11-25)
//	  server without Serve
//	  ... string output         stdio, Streamable HTTP        push: listed and sent under "result"
//	  ... nil slice and map     stdio, Streamable HTTP        push: sent as [] and {}
//	conformance suite 0.1.13    Streamable HTTP               push
//	conformance 0.2.0-alpha.12  stateless HTTP                multi round-trip: the 2026-07-28 requirements
//	Inspector CLI               stdio, HTTP, stateless, SSE   cannot sample: -32021
//
// (goclient_test.go, conformance_test.go, conformance_next_test.go,
// inspector_test.go and plain_test.go hold their cells; serve_test.go checks runtime.Serve's
// configuration from the environment and its shutdown mid-call, with the
// go-sdk client.) "Server without Serve" is internal/plainserver: the
// sentiment tool and two more run the two ways go-sdk documents (srv.Run
// over mcp.StdioTransport, mcp.NewStreamableHTTPHandler on a plain
// http.Server) rather than by runtime.Serve, so that what the runtime does
// to the wire, such as the explicit zero temperature, is shown to hold
// without it. In its output cells the TypeScript client lists the tools
// before the call, which arms its check of structured content against the
// output schema (-32602 on a mismatch): summarize, whose output is a
// string, must be listed with an object schema holding the string's under
// properties.result and answer {"result": text} with the model's text
// verbatim; tags, a function tool whose Go value has a nil slice and a nil
// map where its schema requires an array and an object, must answer [] and
// {}, not null.
//
// On the push era the server sends sampling/createMessage in the middle of a
// tool call; on the multi round-trip era it answers with InputRequests and a
// RequestState and the client calls again.
//
// Each sampling test scripts the "model": the first answer is fenced JSON
// with a wrong-case enum and an out-of-range confidence, which must be
// re-asked; the second is fenced JSON with a wrong-case enum that must be
// repaired. The tests check the typed result and every sampling request as
// it reached the client on the wire.
//
// TestMain builds the example servers and internal/plainserver once. Where
// node is on PATH and interop/node_modules is missing or older than
// package-lock.json, TestMain runs `npm ci` first, so `go test ./...` works
// on a fresh machine. Where node is absent the Node tests skip and say so,
// except in CI (CI=true), where that is a failure: the matrix must run there
// in full.
//
// SAMPLEGEN_INTEROP_SERVER may name a prebuilt sentiment server binary to test
// instead of building the example (useful when debugging a server by hand).
package interop_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
)

const (
	// subprocessTimeout bounds every client run and server lifetime in a test.
	subprocessTimeout = 60 * time.Second
	// setupTimeout bounds `go build` and `npm ci` in TestMain.
	setupTimeout = 5 * time.Minute

	toolName   = "analyze_sentiment"
	inputText  = "The update fixed every crash I had; the app finally feels fast."
	reportKey  = "io.samplegen/report"
	mrtrEra    = "2026-07-28"
	pushEra    = "2025-11-25"
	badAnswer  = "```json\n{\"sentiment\": \"Positive\", \"confidence\": 1.7}\n```"
	goodAnswer = "```json\n{\"sentiment\": \"Positive\", \"confidence\": 0.9}\n```"
)

// answer is one scripted model answer, in the JSON shape ts/client.mjs reads.
type answer struct {
	Text       string `json:"text"`
	Model      string `json:"model"`
	StopReason string `json:"stopReason"`
}

var script = []answer{
	{Text: badAnswer, Model: "scripted-model-1", StopReason: "endTurn"},
	{Text: goodAnswer, Model: "scripted-model-2", StopReason: "endTurn"},
}

var wantResult = map[string]any{"sentiment": "positive", "confidence": 0.9}

var (
	serverBin     string // path of the sentiment example server binary
	conformanceSB string // path of the conformance example server binary
	plainSB       string // path of internal/plainserver: the sentiment tool without runtime.Serve
	interopDir    string // absolute path of this package's directory
	nodeSkip      string // non-empty: why the Node tests skip
)

// inCI reports whether the tests run in CI, where nothing may be skipped.
func inCI() bool { return os.Getenv("CI") == "true" }

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	// The tests read each call's report from its result's _meta, which a
	// server shows only when told; every server the tests start inherits
	// this (the TypeScript client passes its whole environment on).
	os.Setenv(runtime.EnvReportMeta, "true")
	dir, err := os.Getwd()
	if err != nil {
		fmt.Fprintln(os.Stderr, "interop:", err)
		return 1
	}
	interopDir = dir

	tmp, err := os.MkdirTemp("", "samplegen-interop-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "interop:", err)
		return 1
	}
	defer os.RemoveAll(tmp)

	if serverBin = os.Getenv("SAMPLEGEN_INTEROP_SERVER"); serverBin == "" {
		serverBin = filepath.Join(tmp, "sentiment-server")
		if err := buildServer(serverBin, "./examples/sentiment/server"); err != nil {
			fmt.Fprintln(os.Stderr, "interop:", err)
			return 1
		}
	}
	conformanceSB = filepath.Join(tmp, "conformance-server")
	if err := buildServer(conformanceSB, "./examples/conformance/server"); err != nil {
		fmt.Fprintln(os.Stderr, "interop:", err)
		return 1
	}
	plainSB = filepath.Join(tmp, "plain-server")
	if err := buildServer(plainSB, "./interop/internal/plainserver"); err != nil {
		fmt.Fprintln(os.Stderr, "interop:", err)
		return 1
	}

	if _, err := exec.LookPath("node"); err != nil {
		if inCI() {
			fmt.Fprintln(os.Stderr, "interop: node is not on PATH, and CI=true: the TypeScript SDK, conformance suite and Inspector cells of the matrix cannot be skipped in CI")
			return 1
		}
		nodeSkip = "node is not on PATH: skipping a Node peer (CI has node; install Node 20+ to run it)"
	} else if err := ensureNodeModules(); err != nil {
		fmt.Fprintln(os.Stderr, "interop:", err)
		return 1
	}
	return m.Run()
}

func buildServer(out, pkg string) error {
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, pkg)
	cmd.Dir = filepath.Dir(interopDir) // the module root
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building %s: %v\n%s", pkg, err, b)
	}
	return nil
}

// needNode skips the test where node is absent (never in CI; see TestMain).
func needNode(t *testing.T) {
	t.Helper()
	if nodeSkip != "" {
		t.Skip(nodeSkip)
	}
}

// ensureNodeModules runs `npm ci` in interop/ when node_modules is missing or
// older than package-lock.json. npm rewrites node_modules/.package-lock.json on
// every install, so its modification time says when node_modules was last made.
func ensureNodeModules() error {
	lock, err := os.Stat(filepath.Join(interopDir, "package-lock.json"))
	if err != nil {
		return fmt.Errorf("interop/package-lock.json: %v", err)
	}
	installed, err := os.Stat(filepath.Join(interopDir, "node_modules", ".package-lock.json"))
	if err == nil && !installed.ModTime().Before(lock.ModTime()) {
		return nil
	}
	why := "missing"
	if err == nil {
		why = "older than package-lock.json"
	}
	if _, err := exec.LookPath("npm"); err != nil {
		return fmt.Errorf("node is on PATH but npm is not, and interop/node_modules is %s: install npm, or run `npm ci --prefix interop`", why)
	}
	fmt.Fprintf(os.Stderr, "interop: node_modules is %s: running npm ci in %s\n", why, interopDir)
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund")
	cmd.Dir = interopDir
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("`npm ci` in %s failed (%v); the TypeScript interop tests need it:\n%s", interopDir, err, b)
	}
	return nil
}

// lockedBuffer collects a subprocess's stderr while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// command returns a command bound to a deadline and to the test: at the
// deadline or when the test ends its whole process group is stopped, and
// Wait gives up on its pipes soon after.
func command(t *testing.T, name string, args ...string) (*exec.Cmd, context.Context) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), subprocessTimeout)
	cmd := exec.CommandContext(ctx, name, args...)
	ownProcessGroup(cmd)
	cmd.WaitDelay = 5 * time.Second
	t.Cleanup(func() {
		cancel()
		killGroup(cmd)
	})
	return cmd, ctx
}

// tsOutput is what ts/client.mjs prints.
type tsOutput struct {
	ProtocolVersion string           `json:"protocolVersion"`
	Result          map[string]any   `json:"result"`
	Requests        []map[string]any `json:"requests"`
	Tools           []map[string]any `json:"tools"` // with --list-tools only
}

// A tsCall is the one tool call ts/client.mjs makes, and its script.
type tsCall struct {
	tool   string
	args   map[string]any
	script []answer
	// listTools has the client list the tools first, which arms the SDK's
	// check of structured content against each tool's output schema, and
	// print them.
	listTools bool
	// noSampling has the client declare no sampling capability.
	noSampling bool
}

// sentimentCall is the standard call: analyze_sentiment with the standard
// script.
var sentimentCall = tsCall{tool: toolName, args: map[string]any{"text": inputText}, script: script}

// runTSClient runs ts/client.mjs with the given target arguments
// (--stdio BIN, --http URL or --sse URL) and the standard call.
func runTSClient(t *testing.T, target ...string) tsOutput {
	t.Helper()
	return runTSClientCall(t, sentimentCall, target...)
}

// runTSClientCall is runTSClient with another call.
func runTSClientCall(t *testing.T, call tsCall, target ...string) tsOutput {
	t.Helper()
	stdout, stderr, err := execTSClientCall(t, call, target...)
	if err != nil {
		t.Fatalf("node client: %v\nstderr:\n%s\nstdout:\n%s", err, stderr, stdout)
	}
	var out tsOutput
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("node client printed no JSON result: %v\nstdout:\n%s\nstderr:\n%s", err, stdout, stderr)
	}
	if stderr != "" && (t.Failed() || testing.Verbose()) {
		t.Logf("node client stderr:\n%s", stderr)
	}
	return out
}

// execTSClient runs ts/client.mjs as runTSClient does and returns what it
// printed and how it exited; it fails the test only on a hang.
func execTSClient(t *testing.T, target ...string) (stdout, stderr string, err error) {
	t.Helper()
	return execTSClientCall(t, sentimentCall, target...)
}

// execTSClientCall is execTSClient with another call.
func execTSClientCall(t *testing.T, call tsCall, target ...string) (stdout, stderr string, err error) {
	t.Helper()
	answers := filepath.Join(t.TempDir(), "answers.json")
	b, err := json.Marshal(append([]answer{}, call.script...)) // [], not null, for no answers
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(answers, b, 0o644); err != nil {
		t.Fatal(err)
	}
	args, err := json.Marshal(call.args)
	if err != nil {
		t.Fatal(err)
	}
	argv := append([]string{filepath.Join(interopDir, "ts", "client.mjs")}, target...)
	argv = append(argv,
		"--tool", call.tool,
		"--args", string(args),
		"--answers", answers,
		"--timeout-ms", fmt.Sprint((subprocessTimeout - 10*time.Second).Milliseconds()))
	if call.listTools {
		argv = append(argv, "--list-tools")
	}
	if call.noSampling {
		argv = append(argv, "--no-sampling")
	}

	cmd, ctx := command(t, "node", argv...)
	cmd.Dir = interopDir
	var out bytes.Buffer
	errs := new(lockedBuffer)
	cmd.Stdout = &out
	cmd.Stderr = errs
	err = cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("node client did not finish within %v\nstderr:\n%s", subprocessTimeout, errs)
	}
	return out.String(), errs.String(), err
}

func TestTypeScriptClientStdio(t *testing.T) {
	needNode(t)
	out := runTSClient(t, "--stdio", serverBin)
	checkTSOutput(t, out)
}

func TestTypeScriptClientStreamableHTTP(t *testing.T) {
	needNode(t)
	url := startServer(t, serverBin, "-http", "127.0.0.1:0")
	out := runTSClient(t, "--http", url)
	checkTSOutput(t, out)
}

// TestTypeScriptClientSSE uses the older HTTP+SSE transport (the SDK's
// SSEClientTransport): server messages, the pushed sampling requests among
// them, come down one GET stream, and the client POSTs its answers.
func TestTypeScriptClientSSE(t *testing.T) {
	needNode(t)
	url := startServer(t, serverBin, "-sse", "127.0.0.1:0")
	out := runTSClient(t, "--sse", url)
	checkTSOutput(t, out)
}

// TestTypeScriptClientStatelessHTTPRefused: a stateless server cannot push
// a sampling request to a 2025-11-25 client (there is no session to push
// on, and it does not know the client's capabilities), so the client, which
// can sample, must get -32021 at once rather than a hang. Sampling over
// stateless HTTP needs 2026-07-28 (TestGoClientMultiRoundTripStatelessHTTP).
func TestTypeScriptClientStatelessHTTPRefused(t *testing.T) {
	needNode(t)
	url := startServer(t, serverBin, "-http", "127.0.0.1:0", "-stateless")
	stdout, stderr, err := execTSClient(t, "--http", url)
	if err == nil {
		t.Fatalf("the call succeeded on a stateless server with a push-era client:\n%s", stdout)
	}
	if !strings.Contains(stderr, "-32021") {
		t.Errorf("the client's error does not carry -32021 (missing required client capability):\n%s", stderr)
	}
	t.Logf("the client was told: %s", firstLine(stderr))
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// urlPattern matches the line runtime.Serve prints for each listener.
var urlPattern = regexp.MustCompile(`http://127\.0\.0\.1:[0-9]+/(?:mcp|sse)\b`)

// startServer starts bin with args, which must make it listen on a free
// loopback port (-http 127.0.0.1:0 or -sse 127.0.0.1:0), and returns the URL
// it prints. The server is stopped when the test ends.
func startServer(t *testing.T, bin string, args ...string) string {
	t.Helper()
	return startServerProc(t, nil, bin, args...).url
}

// serverProc is a server started by startServerProc.
type serverProc struct {
	url     string
	cmd     *exec.Cmd
	exited  chan struct{} // closed when the server has exited
	waitErr error         // how it exited, once exited is closed
}

// startServerProc is startServer with extra environment variables (env, in
// the form KEY=VALUE), and it returns the process too.
func startServerProc(t *testing.T, env []string, bin string, args ...string) *serverProc {
	t.Helper()
	cmd, ctx := command(t, bin, args...)
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	// The server's stderr goes through a pipe the test scans for the URL (and
	// keeps, to show if the test fails); exec copies into it until Wait.
	pr, pw := io.Pipe()
	cmd.Stderr = pw
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s %s: %v", bin, strings.Join(args, " "), err)
	}
	proc := &serverProc{cmd: cmd, exited: make(chan struct{})}
	exited := proc.exited
	go func() {
		proc.waitErr = cmd.Wait()
		pw.Close()
		close(exited)
	}()
	log := new(lockedBuffer)
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(log, line)
			if u := urlPattern.FindString(line); u != "" {
				select {
				case found <- u:
				default:
				}
			}
		}
		_, _ = io.Copy(log, pr) // a line too long to scan: keep draining
	}()
	// Registered after command's cleanup, so it runs first: stop the server,
	// wait for it, and show its log if the test failed.
	t.Cleanup(func() {
		_ = cmd.Cancel()
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			killGroup(cmd)
			<-exited
		}
		if t.Failed() {
			t.Logf("server stderr:\n%s", log)
		}
	})

	select {
	case proc.url = <-found:
		return proc
	case <-exited:
		t.Fatalf("server exited before printing its URL: %v (its stderr follows)", proc.waitErr)
	case <-ctx.Done():
		t.Fatalf("server printed no %s URL within %v (its stderr follows)", urlPattern, subprocessTimeout)
	}
	panic("unreachable")
}

func checkTSOutput(t *testing.T, out tsOutput) {
	t.Helper()
	// The TypeScript SDK 1.32 speaks at most 2025-11-25: the push era, where
	// the server sends sampling/createMessage during the tool call.
	if out.ProtocolVersion != pushEra {
		t.Errorf("negotiated protocol version = %q, want %q", out.ProtocolVersion, pushEra)
	}
	checkToolResult(t, out.Result, runtime.EraPush)
	checkSamplingRequests(t, out.Requests)
}

// checkToolResult checks a CallToolResult in its JSON form, and that the
// server served it on the era the cell is meant to test.
func checkToolResult(t *testing.T, result map[string]any, era string) {
	t.Helper()
	if result == nil {
		t.Fatal("no tool result")
	}
	if isErr, _ := result["isError"].(bool); isErr {
		t.Fatalf("tool returned an error: %v", jsonString(result["content"]))
	}
	if got := result["structuredContent"]; !reflect.DeepEqual(got, wantResult) {
		t.Errorf("structuredContent = %s, want %s", jsonString(got), jsonString(wantResult))
	}
	// The report, as a client receives it (runtime.CallReport): the plan's
	// era, the outcome, and the one sample's rounds.
	meta, _ := result["_meta"].(map[string]any)
	report, ok, err := runtime.CallReportOf(&mcp.CallToolResult{Meta: meta})
	if !ok || err != nil {
		t.Errorf("result _meta has no %q report (%v): _meta = %s", reportKey, err, jsonString(result["_meta"]))
		return
	}
	if report.Plan.Era != era || report.Outcome != runtime.OutcomeOK || len(report.Samples) != 1 {
		t.Errorf("report = %s, want era %q, outcome ok and one sample", jsonString(meta[reportKey]), era)
		return
	}
	if rounds := report.Samples[0].Rounds; len(rounds) != 2 {
		t.Errorf("report rounds = %s, want 2 rounds (a re-ask, then a repaired answer)", jsonString(rounds))
	}
}

// checkSamplingRequests checks the params of the sampling requests a client
// received, in their JSON form.
func checkSamplingRequests(t *testing.T, reqs []map[string]any) {
	t.Helper()
	if len(reqs) != 2 {
		t.Fatalf("got %d sampling requests, want 2 (the first answer is invalid and must be re-asked):\n%s", len(reqs), jsonString(reqs))
	}
	for i, req := range reqs {
		sys, _ := req["systemPrompt"].(string)
		if !strings.Contains(sys, "sentiment: Sentiment,") || !strings.Contains(sys, "- positive: ") {
			t.Errorf("request %d: systemPrompt does not carry the output's shape (no sentiment enum):\n%s", i+1, sys)
		}
		if !strings.Contains(strings.ToLower(sys), "json") {
			t.Errorf("request %d: systemPrompt does not ask for JSON:\n%s", i+1, sys)
		}
		if got, _ := req["maxTokens"].(float64); got != 64 {
			t.Errorf("request %d: maxTokens = %v, want 64", i+1, req["maxTokens"])
		}
		// The tool declares temperature=0. go-sdk v1.8.0 drops a zero
		// temperature when it encodes the request (go-sdk#1133); the runtime
		// works around that, and every client must see an explicit 0.
		if temp, ok := req["temperature"]; !ok || temp != float64(0) {
			t.Errorf("request %d: temperature = %v (present: %v), want an explicit 0 on the wire; _meta = %s", i+1, temp, ok, jsonString(req["_meta"]))
		}
	}

	first := messages(t, 1, reqs[0])
	if len(first) < 1 {
		t.Fatalf("request 1 has no messages")
	}
	if role, text := first[0].role, first[0].text; role != "user" || !strings.Contains(text, inputText) {
		t.Errorf("request 1 messages[0] = %s %q, want a user message containing the input %q", role, text, inputText)
	}

	second := messages(t, 2, reqs[1])
	if len(second) != 3 {
		t.Fatalf("request 2 has %d messages, want 3 [user prompt, assistant bad answer, user error]:\n%s", len(second), jsonString(reqs[1]["messages"]))
	}
	if second[0] != first[0] {
		t.Errorf("request 2 messages[0] = %+v, want the original prompt %+v", second[0], first[0])
	}
	if second[1].role != "assistant" || second[1].text != badAnswer {
		t.Errorf("request 2 messages[1] = %s %q, want the bad answer echoed as assistant: %q", second[1].role, second[1].text, badAnswer)
	}
	errText := strings.ToLower(second[2].text)
	if second[2].role != "user" || !strings.Contains(errText, "confidence") || !strings.Contains(errText, "maximum") {
		t.Errorf("request 2 messages[2] = %s %q, want a user message naming the error (confidence above its maximum)", second[2].role, second[2].text)
	}
}

type message struct{ role, text string }

// messages returns the role and text of each message of a sampling request.
// Content may be one block or (from 2025-11-25) an array of blocks; text
// blocks are joined.
func messages(t *testing.T, n int, req map[string]any) []message {
	t.Helper()
	raw, ok := req["messages"].([]any)
	if !ok {
		t.Fatalf("request %d: messages is not an array: %s", n, jsonString(req["messages"]))
	}
	var out []message
	for i, m := range raw {
		obj, _ := m.(map[string]any)
		role, _ := obj["role"].(string)
		var blocks []any
		switch c := obj["content"].(type) {
		case []any:
			blocks = c
		case map[string]any:
			blocks = []any{c}
		default:
			t.Fatalf("request %d: messages[%d] has no content: %s", n, i, jsonString(m))
		}
		var text []string
		for _, b := range blocks {
			if bm, _ := b.(map[string]any); bm["type"] == "text" {
				s, _ := bm["text"].(string)
				text = append(text, s)
			}
		}
		out = append(out, message{role: role, text: strings.Join(text, "\n")})
	}
	return out
}

func jsonString(v any) string {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Sprintf("%v (%v)", v, err)
	}
	return string(b)
}
