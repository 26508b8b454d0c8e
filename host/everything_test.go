package host_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/host"
)

// The reference server @modelcontextprotocol/server-everything, pinned in
// interop/package-lock.json, is a peer samplegen did not write: its
// trigger-sampling-request tool sends the client a sampling request and
// returns the result it got as text. These tests answer it with a host
// handler, over stdio and over Streamable HTTP.

const everythingName = "mcp-servers/everything" // what the server calls itself

// everythingBin returns node and the server's launcher, or skips the test
// where node is absent (failing instead under CI=true, where every peer
// must run).
func everythingBin(t *testing.T) (node, bin string) {
	t.Helper()
	ci := os.Getenv("CI") == "true"
	node, err := exec.LookPath("node")
	if err != nil {
		if ci {
			t.Fatal("node is not on PATH, and CI=true: the server-everything interop cell cannot be skipped in CI")
		}
		t.Skip("node is not on PATH: skipping the server-everything peer (install Node 20+ to run it)")
	}
	bin, err = filepath.Abs(filepath.Join("..", "interop", "node_modules", ".bin", "mcp-server-everything"))
	if err == nil {
		_, err = os.Stat(bin)
	}
	if err != nil {
		if ci {
			t.Fatalf("server-everything is not installed (%v), and CI=true: run `npm ci --prefix interop` first", err)
		}
		t.Skipf("server-everything is not installed (%v): run `npm ci --prefix interop` (or `go test ./interop`, which does) to run this peer", err)
	}
	return node, bin
}

// everythingHost is the host the tests put in front of the server: its
// requests are approved (and recorded), clamped to 40 tokens, charged to a
// session budget and answered from a catalog by a scripted model.
type everythingHost struct {
	model  *fakeModel
	asked  approvals
	budget *host.Budget
	router *host.Router
}

func newEverythingHost(t *testing.T) *everythingHost {
	h := &everythingHost{
		model:  &fakeModel{text: "Teal, mostly."},
		budget: host.NewSessionBudget(host.Limits{Requests: 1}),
		router: host.NewRouter(nil),
	}
	catalog := mustCatalog(t, host.Model{Name: "scripted-small", Sampler: h.model, Speed: 1})
	h.router.Handle(everythingName, host.Chain(catalog, host.ClampMaxTokens(40), h.budget.Charge, host.Approve(h.asked.approve)))
	return h
}

func (h *everythingHost) client() *mcp.Client {
	return mcp.NewClient(&mcp.Implementation{Name: "samplegen-host-test", Version: "1"}, &mcp.ClientOptions{CreateMessageWithToolsHandler: h.router.Handler()})
}

// check calls trigger-sampling-request on cs and checks that the answer
// came back in the tool's result, what the model was asked, and that the
// session's budget then refuses a second request.
func (h *everythingHost) check(t *testing.T, cs *mcp.ClientSession) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "trigger-sampling-request", Arguments: map[string]any{"prompt": "Name a colour.", "maxTokens": 60}})
	if err != nil {
		t.Fatal(err)
	}
	text := textOf(res)
	t.Logf("the tool's result: %s", text)
	if res.IsError || !strings.Contains(text, "LLM sampling result:") || !strings.Contains(text, "Teal, mostly.") || !strings.Contains(text, "scripted-small") {
		t.Fatalf("the tool's result (error: %v) does not carry the answer and its model:\n%s", res.IsError, text)
	}
	reqs := h.model.requests()
	if len(reqs) != 1 {
		t.Fatalf("the model was asked %d times, want once", len(reqs))
	}
	req := reqs[0]
	if got := req.Messages[0].Content[0].(*mcp.TextContent).Text; !strings.Contains(got, "Name a colour.") || req.SystemPrompt != "You are a helpful test server." || req.MaxTokens != 40 {
		t.Errorf("the model was asked %q (system %q, maxTokens %d); want the server's prompt, clamped from 60 to 40 tokens", got, req.SystemPrompt, req.MaxTokens)
	}
	if got := h.asked.names(); len(got) != 1 || got[0] != everythingName {
		t.Errorf("approvals named %v, want %q", got, everythingName)
	}
	if r := h.asked.requests()[0]; r.Server.Info == nil || r.Server.Info.Title != "Everything Reference Server" {
		t.Errorf("the approval showed server info %+v", r.Server.Info)
	}
	// A second request: the session's budget of one is spent, and the
	// server, which does not know samplegen, hears a refusal (-1).
	res, err = cs.CallTool(ctx, &mcp.CallToolParams{Name: "trigger-sampling-request", Arguments: map[string]any{"prompt": "Another?"}})
	if err == nil && !res.IsError {
		t.Errorf("a request past the budget was answered: %s", textOf(res))
	} else if msg := errOrText(err, res); !strings.Contains(msg, "budget of 1 requests is spent") {
		t.Errorf("past the budget the server reported %q; want the refusal's reason", msg)
	} else {
		t.Logf("past the budget: %s", msg)
	}
	if len(h.model.requests()) != 1 {
		t.Errorf("the model was asked past the budget")
	}
}

func errOrText(err error, res *mcp.CallToolResult) string {
	if err != nil {
		return err.Error()
	}
	return textOf(res)
}

func TestServerEverythingStdio(t *testing.T) {
	node, bin := everythingBin(t)
	h := newEverythingHost(t)
	cmd := exec.Command(node, bin, "stdio")
	cmd.Stderr = io.Discard
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cs, err := h.client().Connect(ctx, &mcp.CommandTransport{Command: cmd, TerminateDuration: time.Second}, nil)
	if err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	defer cs.Close()
	if got := cs.InitializeResult().ServerInfo.Name; got != everythingName {
		t.Fatalf("connected to %q, want %q", got, everythingName)
	}
	h.check(t, cs)
}

func TestServerEverythingStreamableHTTP(t *testing.T) {
	node, bin := everythingBin(t)
	h := newEverythingHost(t)
	url := startEverythingHTTP(t, node, bin)
	// A transport of the test's own, so that its idle connections can be
	// closed and leave no goroutine behind.
	transport := &http.Transport{}
	defer transport.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cs, err := h.client().Connect(ctx, &mcp.StreamableClientTransport{Endpoint: url, HTTPClient: &http.Client{Transport: transport}, MaxRetries: -1}, nil)
	if err != nil {
		t.Fatalf("connecting to %s: %v", url, err)
	}
	defer cs.Close()
	h.check(t, cs)
}

// startEverythingHTTP runs the server on Streamable HTTP on a free port,
// stopped when the test ends, and returns its endpoint. The server takes
// its port from PORT and cannot be told to pick one, so the test picks
// one, and tries again should another process take it first.
func startEverythingHTTP(t *testing.T, node, bin string) string {
	t.Helper()
	var lastErr error
	for range 3 {
		port, err := freePort()
		if err != nil {
			t.Fatal(err)
		}
		if lastErr = runEverythingHTTP(t, node, bin, port); lastErr == nil {
			return fmt.Sprintf("http://127.0.0.1:%d/mcp", port)
		}
	}
	t.Fatalf("server-everything did not start on Streamable HTTP: %v", lastErr)
	return ""
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// runEverythingHTTP starts the server on port and waits until it says it
// listens; a server that exits first is an error (its port was taken).
func runEverythingHTTP(t *testing.T, node, bin string, port int) error {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	cmd := exec.CommandContext(ctx, node, bin, "streamableHttp")
	cmd.Env = append(os.Environ(), fmt.Sprintf("PORT=%d", port))
	cmd.WaitDelay = 5 * time.Second
	pr, pw := io.Pipe()
	cmd.Stderr = pw
	if err := cmd.Start(); err != nil {
		cancel()
		return err
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		pw.Close()
		close(exited)
	}()
	var log strings.Builder
	var logMu sync.Mutex
	listening := make(chan struct{})
	scanned := make(chan struct{})
	go func() {
		defer close(scanned)
		sc := bufio.NewScanner(pr)
		once := sync.Once{}
		for sc.Scan() {
			logMu.Lock()
			fmt.Fprintln(&log, sc.Text())
			logMu.Unlock()
			if strings.Contains(sc.Text(), "listening on port") {
				once.Do(func() { close(listening) })
			}
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	stop := func() {
		cancel()
		<-exited
		<-scanned
	}
	select {
	case <-listening:
		t.Cleanup(func() {
			stop()
			if t.Failed() {
				logMu.Lock()
				t.Logf("server-everything's stderr:\n%s", log.String())
				logMu.Unlock()
			}
		})
		return nil
	case <-exited:
		stop()
		logMu.Lock()
		defer logMu.Unlock()
		return fmt.Errorf("it exited on port %d before listening:\n%s", port, log.String())
	case <-ctx.Done():
		stop()
		return fmt.Errorf("it did not say it was listening within a minute")
	}
}
