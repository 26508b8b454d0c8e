package runtime

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"net/http"
	goruntime "runtime"
	"sync"
	"time"
	"weak"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// The calls that Serve's HTTP transports carry, tied to the HTTP requests
// that carry them.
//
// go-sdk v1.8.0 runs a tool call on a context of its session, not of the
// HTTP request it came in: a client that goes away mid-call (its POST of
// the tools/call closed, over Streamable HTTP; its event stream closed,
// over SSE) leaves the handler waiting on the client's model until the
// ask's deadline, though no answer can reach the client any more (Serve
// configures no event store, so a stream cannot be resumed). And
// ServerSession.Close, which DELETE and the session timeout call, waits
// for the handlers in flight rather than ending them. So:
//
//   - A Streamable HTTP POST is tagged with a header only Serve sets
//     (callStreamHeader); the call it carries finds its POST by the tag
//     (go-sdk hands the request's header to the handler) and ends when the
//     POST's context does. An SSE session's event stream puts its context
//     in the session's (sseStreamKey), which every call of the session
//     inherits.
//   - A DELETE ends the calls of its session before go-sdk closes it, and
//     Serve's shutdown ends the calls left when its grace period is over.
//   - go-sdk sends notifications/cancelled for a sampling request it gives
//     up on from a goroutine of its own (mcp/transport.go, call), which
//     over Streamable HTTP races the call's response: the notice travels on
//     the POST's stream, which closes with the response, and a notice too
//     late is dropped. (MCPGODEBUG=blockingcancelnotify=1 sends it before
//     the call returns, but go-sdk reads MCPGODEBUG once, when its package
//     is initialized, before any code of ours runs.) So the tool's response
//     waits until the POST's stream has carried one notice per request
//     given up on, up to noticeWait.

// callStreamHeader tags a Streamable HTTP POST for the calls it carries.
// Serve sets it on every request, replacing whatever a client sent.
const callStreamHeader = "X-Samplegen-Call-Stream"

// noticeWait bounds how long a tool's response waits for go-sdk to write
// the notifications/cancelled it owes; writing one to a live stream takes
// microseconds.
const noticeWait = 2 * time.Second

var (
	errClientGone    = errors.New("the client went away: the HTTP request that carried the call closed")
	errSessionClosed = errors.New("the client ended its session")
	errServeShutdown = errors.New("the server shut down before the call finished")
)

// sseStreamKey holds, in an SSE session's context, the context of its
// event stream (the GET).
type sseStreamKey struct{}

// callStateKey holds a call's *servedCall in the contexts under its
// handler.
type callStateKey struct{}

// callStreams holds the Streamable HTTP POSTs in flight, by tag, of every
// Serve: one server may be served more than once, each time adding its
// middleware.
var callStreams sync.Map // string → *callStream

// A callTracker knows the calls under way of one Serve.
type callTracker struct {
	mu    sync.Mutex
	calls map[string]map[*servedCall]struct{} // by session ID
}

// A callStream is a Streamable HTTP POST: its context, and the
// notifications/cancelled its stream owes and has carried.
type callStream struct {
	ctx     context.Context
	mu      sync.Mutex
	owed    int           // requests given up on, each owing a notice
	sent    int           // notices written to the stream
	changed chan struct{} // closed, and replaced, when sent grows
}

// A servedCall is a tools/call under way.
type servedCall struct {
	t      *callTracker
	cancel context.CancelCauseFunc
	stream *callStream // nil but over Streamable HTTP
}

func newCallTracker() *callTracker {
	return &callTracker{calls: map[string]map[*servedCall]struct{}{}}
}

// streamable wraps go-sdk's Streamable HTTP handler: it tags each POST,
// watches its stream for notices, and ends a session's calls on DELETE.
//
// A DELETE ends calls only on a stateful server, of a session the server
// holds: on a stateless one session ids are the client's to choose.
func (t *callTracker) streamable(h http.Handler, srv *mcp.Server, stateless bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Del(callStreamHeader)
		switch r.Method {
		case http.MethodPost:
			tag := rand.Text()
			s := &callStream{ctx: r.Context(), changed: make(chan struct{})}
			callStreams.Store(tag, s)
			defer callStreams.Delete(tag)
			r.Header.Set(callStreamHeader, tag)
			w = &noticeWriter{ResponseWriter: w, s: s}
		case http.MethodDelete:
			if id := r.Header.Get("Mcp-Session-Id"); id != "" && !stateless && holdsSession(srv, id) {
				t.cancelSession(id, errSessionClosed)
			}
		}
		h.ServeHTTP(w, r)
	})
}

// sse wraps go-sdk's SSE handler: a session's calls end with its event
// stream.
func (t *callTracker) sse(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			r = r.WithContext(context.WithValue(r.Context(), sseStreamKey{}, r.Context()))
		}
		h.ServeHTTP(w, r)
	})
}

// install adds the middleware that ties each call to its carrier.
func (t *callTracker) install(srv *mcp.Server) {
	srv.AddReceivingMiddleware(func(next mcp.MethodHandler) mcp.MethodHandler {
		return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
			if _, tracked := ctx.Value(callStateKey{}).(*servedCall); method != "tools/call" || tracked {
				return next(ctx, method, req) // tracked already
			}
			return t.serve(ctx, method, req, next)
		}
	})
	srv.AddSendingMiddleware(func(next mcp.MethodHandler) mcp.MethodHandler {
		return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
			res, err := next(ctx, method, req)
			// go-sdk gives up on a request whose context is done and sends
			// the notice afterwards (returning the context's error), except
			// when the connection is closing.
			if err != nil && ctx.Err() != nil && errors.Is(err, ctx.Err()) && !errors.Is(err, mcp.ErrConnectionClosed) {
				if c, ok := ctx.Value(callStateKey{}).(*servedCall); ok && c.t == t && c.stream != nil {
					c.stream.owe()
				}
			}
			return res, err
		}
	})
}

func (t *callTracker) serve(ctx context.Context, method string, req mcp.Request, next mcp.MethodHandler) (mcp.Result, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	c := &servedCall{t: t, cancel: cancel}
	carrier, _ := ctx.Value(sseStreamKey{}).(context.Context)
	if extra := req.GetExtra(); extra != nil && extra.Header != nil {
		if tag := extra.Header.Get(callStreamHeader); tag != "" {
			if s, ok := callStreams.Load(tag); ok {
				c.stream = s.(*callStream)
			}
			if c.stream == nil {
				cancel(errClientGone) // its POST is over already
			} else {
				carrier = c.stream.ctx
			}
		}
	}
	if carrier != nil {
		stop := context.AfterFunc(carrier, func() { cancel(errClientGone) })
		defer stop()
	}
	var id string
	if ss := req.GetSession(); ss != nil {
		id = ss.ID()
	}
	t.add(id, c)
	defer t.remove(id, c)
	res, err := next(context.WithValue(ctx, callStateKey{}, c), method, req)
	if c.stream != nil {
		c.stream.settle()
	}
	return res, err
}

func (t *callTracker) add(session string, c *servedCall) {
	t.mu.Lock()
	defer t.mu.Unlock()
	m := t.calls[session]
	if m == nil {
		m = map[*servedCall]struct{}{}
		t.calls[session] = m
	}
	m[c] = struct{}{}
}

func (t *callTracker) remove(session string, c *servedCall) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.calls[session], c)
	if len(t.calls[session]) == 0 {
		delete(t.calls, session)
	}
}

// cancelSession ends the calls of one session.
func (t *callTracker) cancelSession(session string, cause error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for c := range t.calls[session] {
		c.cancel(cause)
	}
}

// cancelAll ends every call.
func (t *callTracker) cancelAll(cause error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, m := range t.calls {
		for c := range m {
			c.cancel(cause)
		}
	}
}

// owe counts a request given up on, whose notice go-sdk is sending.
func (s *callStream) owe() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.owed++
}

// notice counts a notice written to the stream.
func (s *callStream) notice() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent++
	close(s.changed)
	s.changed = make(chan struct{})
}

// settle returns once the stream has carried every notice it owes, or
// cannot (the POST is over), or noticeWait has passed.
func (s *callStream) settle() {
	var timeout <-chan time.Time
	for {
		s.mu.Lock()
		done, changed := s.sent >= s.owed, s.changed
		s.mu.Unlock()
		if done {
			return
		}
		if timeout == nil {
			timer := time.NewTimer(noticeWait)
			defer timer.Stop()
			timeout = timer.C
		}
		select {
		case <-changed:
		case <-s.ctx.Done():
			return
		case <-timeout:
			return
		}
	}
}

// cancelledNotice is how go-sdk writes the method of notifications/cancelled.
var cancelledNotice = []byte(`"method":"notifications/cancelled"`)

// noticeWriter counts the notifications/cancelled written to a POST's
// stream. go-sdk writes each event in one Write.
type noticeWriter struct {
	http.ResponseWriter
	s *callStream
}

func (w *noticeWriter) Write(p []byte) (int, error) {
	n, err := w.ResponseWriter.Write(p)
	if bytes.Contains(p, cancelledNotice) {
		w.s.notice()
	}
	return n, err
}

// Unwrap lets http.ResponseController reach the writer's Flush.
func (w *noticeWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// holdsSession reports whether srv has a live session of that id.
func holdsSession(srv *mcp.Server, id string) bool {
	for ss := range srv.Sessions() {
		if ss.ID() == id {
			return true
		}
	}
	return false
}

// trackers holds each server's call tracker: one per server however often
// it is served, so that a DELETE or a shutdown finds the calls of every
// Serve of it. It lives as long as the server does.
var trackers sync.Map // weak.Pointer[mcp.Server] → *callTracker

func trackerFor(srv *mcp.Server) *callTracker {
	key := weak.Make(srv)
	if t, ok := trackers.Load(key); ok {
		return t.(*callTracker)
	}
	t := newCallTracker()
	if got, loaded := trackers.LoadOrStore(key, t); loaded {
		return got.(*callTracker)
	}
	goruntime.AddCleanup(srv, func(k weak.Pointer[mcp.Server]) { trackers.Delete(k) }, key)
	t.install(srv)
	return t
}
