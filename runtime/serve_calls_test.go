package runtime_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/samplegen/samplegen/runtime"
)

// A client that goes away mid-call, over HTTP, ends the call: its handler
// returns at once, as for a cancelled call, rather than waiting on the
// client's model until the ask's deadline (60 seconds here, far beyond
// bound). The clients are raw HTTP clients, so that nothing but the
// connection tells the server the client has gone.

const initialize = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{"sampling":{}},"clientInfo":{"name":"raw","version":"1"}}}`

const initialized = `{"jsonrpc":"2.0","method":"notifications/initialized","params":{}}`

const callClassifyX = `{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"classify","arguments":{"text":"x"}}}`

// rawClient speaks MCP over HTTP by hand.
type rawClient struct {
	t       *testing.T
	ctx     context.Context
	http    *http.Client
	session string // Streamable HTTP's Mcp-Session-Id
}

func newRawClient(t *testing.T) *rawClient {
	ctx, cancel := context.WithTimeout(context.Background(), bound)
	tr := &http.Transport{}
	t.Cleanup(func() {
		cancel()
		tr.CloseIdleConnections()
	})
	return &rawClient{t: t, ctx: ctx, http: &http.Client{Transport: tr}}
}

func (c *rawClient) do(method, url, body string) *http.Response {
	c.t.Helper()
	req, err := http.NewRequestWithContext(c.ctx, method, url, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	if c.session != "" {
		req.Header.Set("Mcp-Session-Id", c.session)
		req.Header.Set("Mcp-Protocol-Version", legacyProtocol)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, url, err)
	}
	return res
}

// until reads events from r until one whose data holds want.
func until(t *testing.T, r *bufio.Reader, want string) {
	t.Helper()
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("the stream ended (%v) before %s", err, want)
		}
		if strings.HasPrefix(line, "data:") && strings.Contains(line, want) {
			return
		}
	}
}

// startStreamableCall initializes a session and calls classify; it returns
// once the call's sampling request has come down the POST's stream.
func startStreamableCall(t *testing.T, url string) (*rawClient, *http.Response) {
	c := newRawClient(t)
	res := c.do(http.MethodPost, url, initialize)
	c.session = res.Header.Get("Mcp-Session-Id")
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if c.session == "" {
		t.Fatalf("initialize: %s, no session", res.Status)
	}
	res = c.do(http.MethodPost, url, initialized)
	res.Body.Close()
	res = c.do(http.MethodPost, url, callClassifyX)
	until(t, bufio.NewReader(res.Body), `"method":"sampling/createMessage"`)
	return c, res
}

// handlerEnds waits for the watched tool's handler to end, cancelled.
func handlerEnds(t *testing.T, done <-chan error) {
	t.Helper()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("the handler ended with %v, want context.Canceled", err)
		}
	case <-time.After(bound):
		t.Fatal("the tool handler is still waiting on a client that went away")
	}
}

func TestServeEndsTheCallsOfAClientThatGoes(t *testing.T) {
	t.Run("streamable HTTP: the POST of the call closes", func(t *testing.T) {
		srv := newServer(legacyProtocol)
		done := addWatchedTool(t, srv)
		url, stop := serveHTTP(t, srv, runtime.ServeConfig{HTTP: "127.0.0.1:0"})
		defer stop()
		_, call := startStreamableCall(t, url)
		call.Body.Close() // the connection with it: the client is gone
		handlerEnds(t, done)
	})
	// Served once, or twice (one tracker per server, whichever Serve the
	// call came through).
	for _, serves := range []int{1, 2} {
		t.Run(fmt.Sprintf("streamable HTTP: the client deletes its session, served %d time(s)", serves), func(t *testing.T) {
			srv := newServer(legacyProtocol)
			done := addWatchedTool(t, srv)
			url, stop := serveHTTP(t, srv, runtime.ServeConfig{HTTP: "127.0.0.1:0"})
			defer stop()
			for range serves - 1 {
				_, stopOther := serveHTTP(t, srv, runtime.ServeConfig{HTTP: "127.0.0.1:0"})
				defer stopOther()
			}
			c, call := startStreamableCall(t, url) // through the first Serve
			defer call.Body.Close()
			res := c.do(http.MethodDelete, url, "")
			res.Body.Close()
			if res.StatusCode != http.StatusNoContent {
				t.Errorf("DELETE: %s", res.Status)
			}
			handlerEnds(t, done)
		})
	}
	t.Run("SSE: the event stream closes", func(t *testing.T) {
		srv := newServer(legacyProtocol)
		done := addWatchedTool(t, srv)
		url, stop := serveHTTP(t, srv, runtime.ServeConfig{SSE: "127.0.0.1:0"})
		defer stop()
		c := newRawClient(t)
		stream := c.do(http.MethodGet, url, "")
		events := bufio.NewReader(stream.Body)
		var endpoint string
		for endpoint == "" {
			line, err := events.ReadString('\n')
			if err != nil {
				t.Fatalf("no endpoint event: %v", err)
			}
			if data, ok := strings.CutPrefix(strings.TrimSpace(line), "data: "); ok {
				endpoint = data
			}
		}
		post := func(body string) {
			res := c.do(http.MethodPost, strings.TrimSuffix(url, "/sse")+endpoint, body)
			res.Body.Close()
			if res.StatusCode != http.StatusAccepted {
				t.Fatalf("POST %s: %s", body, res.Status)
			}
		}
		post(initialize)
		until(t, events, `"protocolVersion"`)
		post(initialized)
		post(callClassifyX)
		until(t, events, `"method":"sampling/createMessage"`)
		stream.Body.Close()
		handlerEnds(t, done)
	})
}

// A server-side check of the wait that lets notifications/cancelled reach
// the client before the call's response over Streamable HTTP: the raw
// client reads the call's POST stream to its end.
func TestServeTellsOfAGivenUpAskBeforeTheResponse(t *testing.T) {
	srv := newServer(legacyProtocol)
	runtime.NewTool(verdictSpec()).Add(srv, quiet(), runtime.WithParams(runtime.Params{Timeout: 50 * time.Millisecond, Retries: runtime.Int(0)}))
	url, stop := serveHTTP(t, srv, runtime.ServeConfig{HTTP: "127.0.0.1:0"})
	defer stop()
	for i := range 5 { // the race was lost about one time in two
		_, call := startStreamableCall(t, url)
		rest, err := io.ReadAll(call.Body) // the ask's deadline passes: the notice, then the response
		call.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		notice := strings.Index(string(rest), `"method":"notifications/cancelled"`)
		response := strings.Index(string(rest), `"id":2,"result"`)
		if notice < 0 || response < 0 || notice > response {
			t.Fatalf("run %d: the stream of the call, after its sampling request:\n%s\nwant notifications/cancelled, then the response", i+1, rest)
		}
	}
}
