package interop_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
)

// The go-sdk cells of the matrix. go-sdk v1.8.0's client negotiates
// 2026-07-28 by default: the tool returns InputRequests and a RequestState,
// and the client's built-in multi round-trip middleware answers them through
// the sampling handler and calls the tool again. Pinned to 2025-11-25
// (ClientSessionOptions.ProtocolVersion) it is a push-era client instead,
// which the server samples in the middle of the call.

// TestGoClientMultiRoundTripStdio: go-sdk over stdio, multi round-trip.
func TestGoClientMultiRoundTripStdio(t *testing.T) {
	cmd, _ := command(t, serverBin)
	stderr := new(lockedBuffer)
	cmd.Stderr = stderr
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server stderr:\n%s", stderr)
		}
	})
	wire := new(wireLog)
	transport := &stdioTap{Transport: &mcp.CommandTransport{Command: cmd, TerminateDuration: 2 * time.Second}, wire: wire}
	runGoClient(t, transport, wire, "", mrtrEra, runtime.EraMultiRoundTrip)
}

// TestGoClientMultiRoundTripStatelessHTTP: go-sdk over Streamable HTTP
// served without sessions. Each round trip is a tools/call POST of its own,
// and nothing but the signed request state carries the conversation between
// them: the setup that lets replicas run behind a plain load balancer
// (bench/scaleout runs it at scale).
func TestGoClientMultiRoundTripStatelessHTTP(t *testing.T) {
	url := startServer(t, serverBin, "-http", "127.0.0.1:0", "-stateless")
	tap := &httpTap{next: http.DefaultTransport}
	runGoClient(t, &mcp.StreamableClientTransport{Endpoint: url, HTTPClient: &http.Client{Transport: tap}, MaxRetries: -1}, &tap.wire, "", mrtrEra, runtime.EraMultiRoundTrip)

	calls, sessions := tap.summary()
	// First ask, re-ask, then the answer that completes the call.
	if calls != 3 {
		t.Errorf("tools/call POSTs = %d, want 3 (one per round trip)", calls)
	}
	if len(sessions) != 0 {
		t.Errorf("a stateless server answered with Mcp-Session-Id %v", sessions)
	}
}

// TestGoClientPushStatefulHTTP: go-sdk pinned to 2025-11-25 over stateful
// Streamable HTTP; the server pushes both sampling requests within one
// tools/call.
func TestGoClientPushStatefulHTTP(t *testing.T) {
	url := startServer(t, serverBin, "-http", "127.0.0.1:0")
	tap := &httpTap{next: http.DefaultTransport}
	runGoClient(t, &mcp.StreamableClientTransport{Endpoint: url, HTTPClient: &http.Client{Transport: tap}, MaxRetries: -1}, &tap.wire, pushEra, pushEra, runtime.EraPush)

	calls, sessions := tap.summary()
	if calls != 1 {
		t.Errorf("tools/call POSTs = %d, want 1 (the server samples within the call)", calls)
	}
	if len(sessions) != 1 {
		t.Errorf("Mcp-Session-Id values = %v, want exactly one session", sessions)
	}
}

// runGoClient connects a go-sdk client with a scripted sampling handler over
// transport (at protocol version pin, or the SDK's default when empty), calls
// the tool, and checks the negotiated version, the result and the sampling
// requests as wire recorded them on their way in: go-sdk's own types drop a
// zero temperature when re-encoded, so the handler's view is not the wire's.
func runGoClient(t *testing.T, transport mcp.Transport, wire *wireLog, pin, wantVersion, wantEra string) {
	t.Helper()
	var (
		mu     sync.Mutex
		served int
	)
	handler := func(_ context.Context, req *mcp.CreateMessageRequest) (*mcp.CreateMessageResult, error) {
		mu.Lock()
		defer mu.Unlock()
		served++
		n := served
		if n > len(script) {
			return nil, fmt.Errorf("scripted client: sampling request #%d but the script has only %d answers", n, len(script))
		}
		a := script[n-1]
		return &mcp.CreateMessageResult{
			Role:       "assistant",
			Content:    &mcp.TextContent{Text: a.Text},
			Model:      a.Model,
			StopReason: a.StopReason,
		}, nil
	}
	// CreateMessageHandler (not CreateMessageWithToolsHandler) declares
	// sampling without sampling.tools, so the server puts the schema in the
	// system prompt as it does for the TypeScript client, and the same checks
	// hold.
	client := mcp.NewClient(
		&mcp.Implementation{Name: "samplegen-interop-go", Version: "0.0.0"},
		&mcp.ClientOptions{CreateMessageHandler: handler},
	)

	ctx, cancel := context.WithTimeout(context.Background(), subprocessTimeout)
	defer cancel()
	var opts *mcp.ClientSessionOptions
	if pin != "" {
		opts = &mcp.ClientSessionOptions{ProtocolVersion: pin}
	}
	cs, err := client.Connect(ctx, transport, opts)
	if err != nil {
		t.Fatalf("connecting: %v", err)
	}
	t.Cleanup(func() { _ = cs.Close() })

	if init := cs.InitializeResult(); init == nil {
		t.Fatal("no InitializeResult after Connect")
	} else if init.ProtocolVersion != wantVersion {
		t.Errorf("negotiated protocol version = %q, want %q", init.ProtocolVersion, wantVersion)
	}

	res, err := cs.CallTool(ctx, &mcp.CallToolParams{
		Name:      toolName,
		Arguments: map[string]any{"text": inputText},
	})
	if err != nil {
		t.Fatalf("CallTool: %v", err)
	}
	// Compare the result in its wire form too.
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var result map[string]any
	if err := json.Unmarshal(b, &result); err != nil {
		t.Fatal(err)
	}
	checkToolResult(t, result, wantEra)

	mu.Lock()
	defer mu.Unlock()
	requests := wire.requests()
	if len(requests) != served {
		t.Errorf("the wire carried %d sampling requests but the handler served %d", len(requests), served)
	}
	checkSamplingRequests(t, requests)
}

// wireLog collects the params of the sampling requests that reach a client,
// as they were on the wire: pushed sampling/createMessage requests, and the
// input requests of multi round-trip results.
type wireLog struct {
	mu   sync.Mutex
	reqs []map[string]any
}

// add records the sampling requests in one JSON-RPC message.
func (w *wireLog) add(msg []byte) {
	var m struct {
		Method string          `json:"method"`
		Params json.RawMessage `json:"params"`
		Result struct {
			InputRequests map[string]struct {
				Method string          `json:"method"`
				Params json.RawMessage `json:"params"`
			} `json:"inputRequests"`
		} `json:"result"`
	}
	if json.Unmarshal(msg, &m) != nil {
		return
	}
	var raw []json.RawMessage
	if m.Method == "sampling/createMessage" {
		raw = append(raw, m.Params)
	}
	for _, r := range m.Result.InputRequests { // one per round trip here
		if r.Method == "sampling/createMessage" {
			raw = append(raw, r.Params)
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, p := range raw {
		var params map[string]any
		if json.Unmarshal(p, &params) == nil {
			w.reqs = append(w.reqs, params)
		}
	}
}

func (w *wireLog) requests() []map[string]any {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.reqs)
}

// stdioTap wraps a client transport whose connection needs nothing from the
// client session (stdio's does not) and logs what it reads.
type stdioTap struct {
	mcp.Transport
	wire *wireLog
}

func (s *stdioTap) Connect(ctx context.Context) (mcp.Connection, error) {
	c, err := s.Transport.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &tapConn{Connection: c, wire: s.wire}, nil
}

type tapConn struct {
	mcp.Connection
	wire *wireLog
}

func (c *tapConn) Read(ctx context.Context) (jsonrpc.Message, error) {
	msg, err := c.Connection.Read(ctx)
	if err == nil {
		if b, err := jsonrpc.EncodeMessage(msg); err == nil {
			c.wire.add(b)
		}
	}
	return msg, err
}

// httpTap is an http.RoundTripper that counts the tools/call requests a
// client POSTs and the session IDs the server hands out, and logs the
// sampling requests in the response bodies (JSON, or server-sent events).
type httpTap struct {
	next     http.RoundTripper
	wire     wireLog
	mu       sync.Mutex
	calls    int
	sessions map[string]bool
}

func (h *httpTap) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method == http.MethodPost && req.Body != nil {
		body, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		req = req.Clone(req.Context())
		req.Body = io.NopCloser(bytes.NewReader(body))
		var msg struct {
			Method string `json:"method"`
		}
		if json.Unmarshal(body, &msg) == nil && msg.Method == "tools/call" {
			h.mu.Lock()
			h.calls++
			h.mu.Unlock()
		}
	}
	resp, err := h.next.RoundTrip(req)
	if err == nil {
		events := strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream")
		resp.Body = &bodyTap{ReadCloser: resp.Body, wire: &h.wire, events: events}
		if id := resp.Header.Get("Mcp-Session-Id"); id != "" {
			h.mu.Lock()
			if h.sessions == nil {
				h.sessions = map[string]bool{}
			}
			h.sessions[id] = true
			h.mu.Unlock()
		}
	}
	return resp, err
}

func (h *httpTap) summary() (calls int, sessions []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for id := range h.sessions {
		sessions = append(sessions, id)
	}
	return h.calls, sessions
}

// bodyTap passes a response body through and logs each message in it as
// soon as it is complete: a JSON body at its end, an event stream event by
// event (a pushed request must be logged before the client answers it).
type bodyTap struct {
	io.ReadCloser
	wire   *wireLog
	events bool // text/event-stream
	buf    []byte
}

func (b *bodyTap) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.buf = append(b.buf, p[:n]...)
	for b.events {
		line, rest, ok := bytes.Cut(b.buf, []byte("\n"))
		if !ok {
			break
		}
		if data, ok := bytes.CutPrefix(line, []byte("data:")); ok {
			b.wire.add(bytes.TrimSpace(data))
		}
		b.buf = rest
	}
	if err == io.EOF && !b.events {
		b.wire.add(b.buf)
		b.buf = nil
	}
	return n, err
}
