//go:build unix

package interop_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
)

// runtime.Serve's transport behaviour as real clients see it (issue 5,
// point 6): configuration from the environment with a bare port bound to
// loopback, and a shutdown on SIGTERM that lets a call in flight finish,
// with the client's answer to a pushed sampling request still taken in.
// (DNS-rebinding protection is the conformance suite's
// dns-rebinding-protection scenario.)

// drainBound bounds each wait of the shutdown tests.
const drainBound = 10 * time.Second

// TestServeFromEnvironment: SAMPLEGEN_HTTP with a bare port and
// SAMPLEGEN_STATELESS, no flags. The server must listen on loopback only,
// serve without sessions, and a multi round-trip call must work.
func TestServeFromEnvironment(t *testing.T) {
	proc := startServerProc(t, []string{runtime.EnvHTTP + "=0", runtime.EnvStateless + "=true"}, serverBin)
	if !strings.HasPrefix(proc.url, "http://127.0.0.1:") || !strings.HasSuffix(proc.url, "/mcp") {
		t.Fatalf("URL = %s, want http://127.0.0.1:PORT/mcp (a bare port binds loopback)", proc.url)
	}
	tap := &httpTap{next: http.DefaultTransport}
	runGoClient(t, &mcp.StreamableClientTransport{Endpoint: proc.url, HTTPClient: &http.Client{Transport: tap}, MaxRetries: -1}, &tap.wire, "", mrtrEra, runtime.EraMultiRoundTrip)
	if calls, sessions := tap.summary(); calls != 3 || len(sessions) != 0 {
		t.Errorf("%d tools/call POSTs and sessions %v, want 3 and none (stateless from %s)", calls, sessions, runtime.EnvStateless)
	}
}

// TestShutdownLetsCallsInFlightFinish sends SIGTERM to the server while a
// pushed sampling request waits for the client's answer, checks that the
// server now refuses new work, then lets the client answer: the call must
// complete with the right result, and the server must then exit, status 0.
func TestShutdownLetsCallsInFlightFinish(t *testing.T) {
	for _, tc := range []struct {
		name  string
		runs  int // > 1 where a race needs several tries to show
		start func(t *testing.T) shutdownTarget
	}{
		{"streamable-http", 1, func(t *testing.T) shutdownTarget {
			proc := startServerProc(t, nil, serverBin, "-http", "127.0.0.1:0")
			return shutdownTarget{
				transport: &mcp.StreamableClientTransport{Endpoint: proc.url, MaxRetries: -1},
				opts:      &mcp.ClientSessionOptions{ProtocolVersion: pushEra},
				server:    proc.cmd,
				wait:      proc.waitExit,
			}
		}},
		// go-sdk's SSE transport serves 2025-11-25 and older only, so the
		// client settles on push without being pinned.
		{"sse", 1, func(t *testing.T) shutdownTarget {
			proc := startServerProc(t, nil, serverBin, "-sse", "127.0.0.1:0")
			return shutdownTarget{
				transport: &mcp.SSEClientTransport{Endpoint: proc.url},
				server:    proc.cmd,
				wait:      proc.waitExit,
			}
		}},
		// The stdio server has lost the response of the call it drained
		// about one time in three: ten runs make a pass by luck unlikely.
		{"stdio", 10, func(t *testing.T) shutdownTarget {
			cmd, _ := command(t, serverBin)
			stderr := new(lockedBuffer)
			cmd.Stderr = stderr
			t.Cleanup(func() {
				if t.Failed() {
					t.Logf("server stderr:\n%s", stderr)
				}
			})
			return shutdownTarget{
				transport: &mcp.CommandTransport{Command: cmd, TerminateDuration: 2 * time.Second},
				opts:      &mcp.ClientSessionOptions{ProtocolVersion: pushEra},
				server:    cmd,
				// Over stdio the session ends when the server exits.
				wait: func(cs *mcp.ClientSession) error {
					done := make(chan error, 1)
					go func() { done <- cs.Wait() }()
					select {
					case <-done:
						return nil
					case <-time.After(drainBound):
						return fmt.Errorf("the server's stdio stayed open %v after the call finished", drainBound)
					}
				},
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for run := 1; run <= tc.runs && !t.Failed(); run++ {
				if tc.runs > 1 {
					t.Logf("run %d of %d", run, tc.runs)
				}
				shutdownMidCall(t, tc.start(t))
			}
		})
	}
}

// shutdownMidCall is one run of TestShutdownLetsCallsInFlightFinish.
func shutdownMidCall(t *testing.T, target shutdownTarget) {
	t.Helper()
	asked := make(chan struct{}, len(script))
	release := make(chan struct{})
	var (
		mu     sync.Mutex
		served int
	)
	handler := func(ctx context.Context, req *mcp.CreateMessageRequest) (*mcp.CreateMessageResult, error) {
		asked <- struct{}{}
		select {
		case <-release:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		mu.Lock()
		defer mu.Unlock()
		served++
		if served > len(script) {
			return nil, fmt.Errorf("scripted client: sampling request #%d but the script has only %d answers", served, len(script))
		}
		a := script[served-1]
		return &mcp.CreateMessageResult{Role: "assistant", Content: &mcp.TextContent{Text: a.Text}, Model: a.Model, StopReason: a.StopReason}, nil
	}
	client := mcp.NewClient(&mcp.Implementation{Name: "samplegen-interop-shutdown", Version: "0.0.0"}, &mcp.ClientOptions{CreateMessageHandler: handler})
	ctx, cancel := context.WithTimeout(context.Background(), subprocessTimeout)
	defer cancel()
	cs, err := client.Connect(ctx, target.transport, target.opts)
	if err != nil {
		t.Fatalf("connecting: %v", err)
	}
	defer cs.Close()
	if v := cs.InitializeResult().ProtocolVersion; v >= mrtrEra {
		t.Fatalf("negotiated %s; this test needs a push-era session", v)
	}

	type outcome struct {
		res *mcp.CallToolResult
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: toolName, Arguments: map[string]any{"text": inputText}})
		done <- outcome{res, err}
	}()
	select {
	case <-asked:
	case <-time.After(drainBound):
		t.Fatal("the server sent no sampling request")
	}

	if err := target.server.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// The server drains once it refuses new work: poll with a request
	// that starts work (tools/list) on the same session.
	deadline := time.Now().Add(drainBound)
	for {
		_, err := cs.ListTools(ctx, nil)
		if err != nil && strings.Contains(err.Error(), "shutting down") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%v after SIGTERM the server still takes new work (last tools/list: %v)", drainBound, err)
		}
		time.Sleep(20 * time.Millisecond)
	}

	close(release) // the client answers now, during the drain
	var out outcome
	select {
	case out = <-done:
	case <-time.After(drainBound):
		t.Fatalf("the call in flight did not finish within %v of the client's answers", drainBound)
	}
	if out.err != nil {
		t.Fatalf("the call in flight failed during shutdown: %v", out.err)
	}
	b, err := json.Marshal(out.res)
	if err != nil {
		t.Fatal(err)
	}
	var result map[string]any
	if err := json.Unmarshal(b, &result); err != nil {
		t.Fatal(err)
	}
	checkToolResult(t, result, runtime.EraPush)

	if err := target.wait(cs); err != nil {
		t.Error(err)
	}
}

// shutdownTarget is a started server as TestShutdownLetsCallsInFlightFinish
// needs it.
type shutdownTarget struct {
	transport mcp.Transport
	opts      *mcp.ClientSessionOptions
	server    *exec.Cmd
	// wait waits for the server to exit after the call, and says what was
	// wrong if it did not, or not cleanly.
	wait func(*mcp.ClientSession) error
}

// waitExit waits for the server to exit, with status 0.
func (p *serverProc) waitExit(*mcp.ClientSession) error {
	select {
	case <-p.exited:
		if p.waitErr != nil {
			return fmt.Errorf("the server exited with %v after draining, want status 0", p.waitErr)
		}
		return nil
	case <-time.After(drainBound):
		return fmt.Errorf("the server had not exited %v after the call finished", drainBound)
	}
}

// TestSSERejectsForeignHost is the conformance suite's DNS-rebinding check,
// which knows only Streamable HTTP, made on the SSE endpoint: a request that
// reaches the loopback listener under another host's name (as a rebound
// name would) is refused with a 4xx; one under the server's own address
// opens the event stream.
func TestSSERejectsForeignHost(t *testing.T) {
	url := startServer(t, serverBin, "-sse", "127.0.0.1:0")
	get := func(host string) int {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), drainBound)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Accept", "text/event-stream")
		if host != "" {
			req.Host = host
			req.Header.Set("Origin", "http://"+host)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("GET %s (Host %q): %v", url, host, err)
		}
		resp.Body.Close() // an open stream is cut here; the status is known
		return resp.StatusCode
	}
	if code := get("evil.example.com"); code < 400 || code > 499 {
		t.Errorf("GET with Host evil.example.com = %d, want 4xx", code)
	}
	if code := get(""); code != http.StatusOK {
		t.Errorf("GET with the server's own Host = %d, want 200", code)
	}
}
