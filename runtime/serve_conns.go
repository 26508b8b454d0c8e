package runtime

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// A connLimiter caps the connections a listener has open at once, so that
// clients that connect and stall (or merely never leave) cannot use every
// file descriptor of the process.
//
// At the cap a new connection takes the place of the open one that has
// gone longest without a request under way: idle between requests, or
// still sending its request's header or body (a slow sender, or a
// slowloris). A connection whose request has been read in full is serving
// it, often a long-lived event stream (SSE, a Streamable HTTP GET or POST),
// and is never displaced: when every connection is such, the new one is
// answered 503 with a message saying why, and closed. So stalled
// connections, however many, cannot keep a client that sends a request
// promptly from being served.
type connLimiter struct {
	net.Listener
	max  int
	kind string    // names the listener in the log
	log  io.Writer // where a refusal is reported

	mu       sync.Mutex
	conns    map[*limitedConn]struct{}
	tick     uint64 // orders the moments connections begin to wait
	refusing map[net.Conn]struct{}
	closed   bool
	logged   time.Time // when a refusal was last logged
	refused  int       // refusals since then
	wg       sync.WaitGroup
}

// maxRefusing bounds the refusals being written at once; beyond it a
// connection over the cap is closed without a word.
const maxRefusing = 32

// refusalLogEvery bounds how often refusals are logged.
const refusalLogEvery = time.Minute

func newConnLimiter(ln net.Listener, max int, kind string, log io.Writer) *connLimiter {
	return &connLimiter{Listener: ln, max: max, kind: kind, log: log, conns: map[*limitedConn]struct{}{}, refusing: map[net.Conn]struct{}{}}
}

// A limitedConn is a connection the limiter counts.
type limitedConn struct {
	net.Conn
	l *connLimiter
	// Guarded by l.mu:
	serving bool   // its request has been read in full and is being served
	since   uint64 // when it began to wait for (the rest of) a request
	gone    bool   // closed, or displaced, and no longer counted
}

func (l *connLimiter) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		l.mu.Lock()
		var victim *limitedConn
		if len(l.conns) >= l.max {
			for lc := range l.conns {
				if !lc.serving && (victim == nil || lc.since < victim.since) {
					victim = lc
				}
			}
			if victim == nil {
				l.refuse(c)
				l.mu.Unlock()
				continue
			}
			victim.gone = true
			delete(l.conns, victim)
		}
		l.tick++
		lc := &limitedConn{Conn: c, l: l, since: l.tick}
		l.conns[lc] = struct{}{}
		l.mu.Unlock()
		if victim != nil {
			// The server's goroutine for it, blocked reading, sees an
			// error and lets it go.
			victim.Conn.Close()
		}
		return lc, nil
	}
}

// refuse answers c, a connection over the cap, with 503 and closes it. It
// reads what the client sent meanwhile, so that closing does not reset the
// connection before the client has read the answer. l.mu is held.
func (l *connLimiter) refuse(c net.Conn) {
	l.refused++
	if now := time.Now(); now.Sub(l.logged) >= refusalLogEvery {
		fmt.Fprintf(l.log, "samplegen: %s: refused %d connection(s): %d are open, the cap (ServeConfig.MaxConns); each is serving a request\n", l.kind, l.refused, l.max)
		l.logged, l.refused = now, 0
	}
	if l.closed || len(l.refusing) >= maxRefusing {
		c.Close()
		return
	}
	l.refusing[c] = struct{}{}
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		defer func() {
			l.mu.Lock()
			delete(l.refusing, c)
			l.mu.Unlock()
			c.Close()
		}()
		c.SetDeadline(time.Now().Add(time.Second))
		// Answer once the request's header is in: a client that finds an
		// answer waiting before it has asked may take it for garbage.
		r := bufio.NewReader(io.LimitReader(c, 64<<10))
		for {
			line, err := r.ReadSlice('\n')
			if err != nil && err != bufio.ErrBufferFull {
				return
			}
			if len(bytes.TrimRight(line, "\r\n")) == 0 {
				break
			}
		}
		msg := fmt.Sprintf("samplegen: too many connections: this server has %d open, its cap (ServeConfig.MaxConns), and each is serving a request; try again shortly\n", l.max)
		if _, err := fmt.Fprintf(c, "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: %d\r\nRetry-After: 1\r\nConnection: close\r\n\r\n%s", len(msg), msg); err != nil {
			return
		}
		if cw, ok := c.(interface{ CloseWrite() error }); ok {
			cw.CloseWrite()
		}
		io.Copy(io.Discard, io.LimitReader(c, 1<<20)) // until the client closes
	}()
}

// Close closes the listener and cuts the refusals being written.
func (l *connLimiter) Close() error {
	err := l.Listener.Close()
	l.mu.Lock()
	l.closed = true
	for c := range l.refusing {
		c.Close()
	}
	l.mu.Unlock()
	l.wg.Wait()
	return err
}

// CloseWrite lets net/http close a connection gently (FIN, then a short
// wait), as it does a TCP connection.
func (c *limitedConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

func (c *limitedConn) Close() error {
	c.l.forget(c)
	return c.Conn.Close()
}

func (l *connLimiter) forget(c *limitedConn) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !c.gone {
		c.gone = true
		delete(l.conns, c)
	}
}

// waiting marks c as waiting for a request (or the rest of one).
func (l *connLimiter) waiting(c *limitedConn) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.tick++
	c.serving, c.since = false, l.tick
}

// serving marks c as serving a request read in full.
func (l *connLimiter) serving(c *limitedConn) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c.serving = true
}

// connKey holds the *limitedConn of a request's connection in its context.
type connKey struct{}

// install hooks hs up to l: it learns from hs when a connection goes idle
// or away, and from hs's handler when a request has been read in full.
func (l *connLimiter) install(hs *http.Server) {
	hs.ConnContext = func(ctx context.Context, c net.Conn) context.Context {
		if lc, ok := c.(*limitedConn); ok {
			return context.WithValue(ctx, connKey{}, lc)
		}
		return ctx
	}
	hs.ConnState = func(c net.Conn, s http.ConnState) {
		lc, ok := c.(*limitedConn)
		if !ok {
			return
		}
		switch s {
		case http.StateIdle:
			l.waiting(lc)
		case http.StateHijacked, http.StateClosed:
			l.forget(lc)
		}
	}
	next := hs.Handler
	hs.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if lc, ok := r.Context().Value(connKey{}).(*limitedConn); ok {
			if r.Body == nil || r.Body == http.NoBody {
				l.serving(lc)
			} else {
				r.Body = &eofBody{ReadCloser: r.Body, eof: func() { l.serving(lc) }}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// eofBody calls eof once its reader has been read to the end.
type eofBody struct {
	io.ReadCloser
	eof  func()
	once sync.Once
}

func (b *eofBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		b.once.Do(b.eof)
	}
	return n, err
}
