package runtime_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
)

// The limits Serve puts on its HTTP listeners, seen from raw connections.
// No test here measures time: a limit that works closes a connection well
// within bound, one that does not leaves it open until bound.

// dial opens a raw connection to the server at url and returns it with a
// channel closed when the server closes it.
func dial(t *testing.T, rawURL string) (net.Conn, <-chan struct{}) {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	c, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	closed := make(chan struct{})
	go func() {
		io.Copy(io.Discard, c) // until the server closes, or the test does
		close(closed)
	}()
	return c, closed
}

// requestHead is the start of a POST whose body is to come.
func requestHead(rawURL string, contentLength int) string {
	u, _ := url.Parse(rawURL)
	return fmt.Sprintf("POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: %d\r\n\r\n", u.Path, u.Host, contentLength)
}

// trickle writes one byte of s at a time, a few milliseconds apart, until
// the server closes the connection (true) or bound passes (false).
func trickle(c net.Conn, closed <-chan struct{}, s string) bool {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for i := 0; i < int(bound/(20*time.Millisecond)); i++ {
		select {
		case <-closed:
			return true
		case <-tick.C:
		}
		if _, err := c.Write([]byte{s[i%len(s)]}); err != nil {
			return true // the server is gone
		}
	}
	return false
}

func TestServeCutsOffSlowClients(t *testing.T) {
	for _, kind := range []string{"http", "sse"} {
		serve := func(t *testing.T, c runtime.ServeConfig) string {
			if kind == "http" {
				c.HTTP = "127.0.0.1:0"
			} else {
				c.SSE = "127.0.0.1:0"
			}
			url, stop := serveHTTP(t, newServer(legacyProtocol), c)
			t.Cleanup(func() { stop() })
			return url
		}
		t.Run(kind, func(t *testing.T) {
			t.Run("a body sent a byte at a time", func(t *testing.T) {
				url := serve(t, runtime.ServeConfig{ReadTimeout: 200 * time.Millisecond})
				c, closed := dial(t, url)
				if _, err := io.WriteString(c, requestHead(url, 1000)); err != nil {
					t.Fatal(err)
				}
				if !trickle(c, closed, `{"jsonrpc":"2.0","id":1,"method":"ping"}`) {
					t.Fatalf("a request body sent a byte at a time was still open after %v", bound)
				}
			})
			t.Run("a header sent a byte at a time", func(t *testing.T) {
				url := serve(t, runtime.ServeConfig{ReadHeaderTimeout: 200 * time.Millisecond})
				c, closed := dial(t, url)
				if !trickle(c, closed, requestHead(url, 0)[:40]+"X-Slow: aaaaaaaaaaaaaaaaaaaaa") {
					t.Fatalf("a request header sent a byte at a time was still open after %v", bound)
				}
			})
			t.Run("a stream outlives every timeout", func(t *testing.T) {
				// The call's stream (a POST's, or SSE's GET) stays open three
				// times the longest timeout while the client's model thinks.
				const timeout = 100 * time.Millisecond
				srv := newServer(legacyProtocol)
				runtime.NewTool(verdictSpec()).Add(srv, quiet())
				c := runtime.ServeConfig{ReadHeaderTimeout: timeout, ReadTimeout: timeout, IdleTimeout: timeout}
				var transport mcp.Transport
				if kind == "http" {
					c.HTTP = "127.0.0.1:0"
					url, stop := serveHTTP(t, srv, c)
					defer stop()
					transport = &mcp.StreamableClientTransport{Endpoint: url, MaxRetries: -1}
				} else {
					c.SSE = "127.0.0.1:0"
					url, stop := serveHTTP(t, srv, c)
					defer stop()
					transport = &mcp.SSEClientTransport{Endpoint: url}
				}
				slow := func(ctx context.Context, req *mcp.CreateMessageRequest) (*mcp.CreateMessageResult, error) {
					time.Sleep(3 * timeout)
					return say(`{"label":"ham","score":0.5}`).handler(ctx, req)
				}
				cs, err := mcp.NewClient(&mcp.Implementation{Name: "c", Version: "1"}, &mcp.ClientOptions{CreateMessageHandler: slow}).
					Connect(context.Background(), transport, nil)
				if err != nil {
					t.Fatal(err)
				}
				defer cs.Close()
				if res := callClassify(t, cs, "x"); res.IsError {
					t.Fatalf("a call longer than the timeouts: %s", textOf(res))
				}
			})
			t.Run("a kept-alive connection left idle", func(t *testing.T) {
				url := serve(t, runtime.ServeConfig{IdleTimeout: 200 * time.Millisecond})
				c, closed := dial(t, url)
				if _, err := io.WriteString(c, "GET /nothing-here HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"); err != nil {
					t.Fatal(err)
				}
				select {
				case <-closed:
				case <-time.After(bound):
					t.Fatalf("an idle kept-alive connection was still open after %v", bound)
				}
			})
		})
	}
}

// openSSEStream opens the event stream of an SSE session and reads its
// endpoint event: the connection is then serving a request.
func openSSEStream(ctx context.Context, client *http.Client, url string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "text/event-stream")
	res, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusOK {
		return res, nil
	}
	line, err := bufio.NewReader(res.Body).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "event: endpoint") {
		res.Body.Close()
		return nil, fmt.Errorf("the stream began %q (%v), want its endpoint event", line, err)
	}
	return res, nil
}

// A connection over the cap, when every open connection is serving a
// request, is told why it is refused; once a connection closes there is
// room again.
func TestServeCapsConnections(t *testing.T) {
	url, stop := serveHTTP(t, newServer(legacyProtocol), runtime.ServeConfig{SSE: "127.0.0.1:0", MaxConns: 2})
	defer stop()
	ctx, cancel := context.WithTimeout(context.Background(), bound)
	defer cancel()
	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()
	var streams []*http.Response
	defer func() {
		for _, s := range streams {
			s.Body.Close()
		}
	}()
	for range 2 {
		s, err := openSSEStream(ctx, client, url)
		if err != nil {
			t.Fatal(err)
		}
		if s.StatusCode != http.StatusOK {
			t.Fatalf("stream %d: %s", len(streams)+1, s.Status)
		}
		streams = append(streams, s)
	}
	res, err := openSSEStream(ctx, client, url)
	if err != nil {
		t.Fatalf("the connection over the cap: %v, want 503", err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "too many connections") || !strings.Contains(string(body), "MaxConns") {
		t.Fatalf("the connection over the cap got %s %q, want 503 saying there are too many connections", res.Status, body)
	}

	streams[0].Body.Close() // one stream ends: there is room again
	streams = streams[1:]
	for {
		s, err := openSSEStream(ctx, client, url)
		if err != nil {
			t.Fatalf("no room once a stream closed: %v", err)
		}
		if s.StatusCode == http.StatusOK {
			streams = append(streams, s)
			break
		}
		s.Body.Close() // the server has not seen the close yet
		select {
		case <-ctx.Done():
			t.Fatalf("no room once a stream closed: %s until %v", s.Status, bound)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// Connections that stall, more of them than the cap, do not keep a client
// that sends its requests promptly from initializing and calling. (The
// read timeout, at its default of 30 seconds, is longer than the test may
// take: the stalled connections are not cut off by it but displaced.)
func TestServeStalledConnectionsDoNotStarveAClient(t *testing.T) {
	const maxConns = 4
	srv := newServer(legacyProtocol)
	runtime.NewTool(verdictSpec()).Add(srv, quiet())
	url, stop := serveHTTP(t, srv, runtime.ServeConfig{HTTP: "127.0.0.1:0", MaxConns: maxConns})
	defer stop()
	stalled := make([]<-chan struct{}, 2*maxConns)
	var conns []net.Conn
	defer func() { // before stop, which would wait for them
		for _, c := range conns {
			c.Close()
		}
	}()
	for i := range stalled {
		c, closed := dial(t, url)
		stalled[i], conns = closed, append(conns, c)
		if _, err := io.WriteString(c, requestHead(url, 100)+`{"jsonrpc":`); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), bound)
	defer cancel()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "c", Version: "1"}, &mcp.ClientOptions{CreateMessageHandler: say(`{"label":"ham","score":0.5}`).handler}).
		Connect(ctx, &mcp.StreamableClientTransport{Endpoint: url, MaxRetries: -1}, nil)
	if err != nil {
		t.Fatalf("initialize with %d stalled connections open: %v", len(stalled), err)
	}
	defer cs.Close()
	if res := callClassify(t, cs, "x"); res.IsError {
		t.Fatalf("call: %s", textOf(res))
	}
	displaced := func() int {
		n := 0
		for _, closed := range stalled {
			select {
			case <-closed:
				n++
			default:
			}
		}
		return n
	}
	for deadline := time.Now().Add(bound); displaced() < len(stalled)-maxConns; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d stalled connections were closed, want %d at least", displaced(), len(stalled), len(stalled)-maxConns)
		}
	}
}

// Sessions whose clients leave without a DELETE are closed once idle for
// SessionTimeout; a call in flight keeps its session, however long it
// takes.
func TestServeClosesIdleSessions(t *testing.T) {
	const timeout = 100 * time.Millisecond
	srv := newServer(legacyProtocol)
	runtime.NewTool(verdictSpec()).Add(srv, quiet())
	url, stop := serveHTTP(t, srv, runtime.ServeConfig{HTTP: "127.0.0.1:0", SessionTimeout: timeout})
	defer stop()
	slow := func(ctx context.Context, req *mcp.CreateMessageRequest) (*mcp.CreateMessageResult, error) {
		time.Sleep(3 * timeout) // longer than the session may idle
		return say(`{"label":"ham","score":0.5}`).handler(ctx, req)
	}
	sessions := func() int {
		n := 0
		for range srv.Sessions() {
			n++
		}
		return n
	}
	for i := range 3 {
		cs, err := mcp.NewClient(&mcp.Implementation{Name: "c", Version: "1"}, &mcp.ClientOptions{CreateMessageHandler: slow}).
			Connect(context.Background(), &mcp.StreamableClientTransport{Endpoint: url, MaxRetries: -1}, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer cs.Close()
		if i == 0 {
			if res := callClassify(t, cs, "x"); res.IsError {
				t.Fatalf("a call longer than the session timeout: %s", textOf(res))
			}
		}
	}
	for deadline := time.Now().Add(bound); sessions() > 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d idle sessions still open after %v (SessionTimeout %v)", sessions(), bound, timeout)
		}
	}
}
