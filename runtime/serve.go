package runtime

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/sampling"
)

// ServeConfig says how [Serve] exposes a server. The zero value serves stdio.
type ServeConfig struct {
	// HTTP, when set, is the address to serve Streamable HTTP on, at path
	// /mcp. A bare port ("8080" or ":8080") binds the loopback interface
	// only; name a host ("0.0.0.0:8080") to listen further.
	HTTP string
	// SSE, when set, is the address to serve the older HTTP+SSE transport
	// on, at path /sse, with the same address rules as HTTP.
	SSE string
	// Stateless serves Streamable HTTP without sessions, so that replicas
	// need no sticky routing. Sampling then needs protocol 2026-07-28 (multi
	// round-trip), since a stateless server cannot push requests.
	Stateless bool
	// AllowRemoteHosts turns off DNS-rebinding protection, which refuses
	// requests that reach a loopback address with another host's name.
	AllowRemoteHosts bool
	// ShutdownTimeout bounds how long calls in flight may take to finish
	// once the context is done; 0 means 30 seconds.
	ShutdownTimeout time.Duration

	// The limits below protect the HTTP listeners from clients that connect
	// and stall, or never leave. For each, 0 means the default and a
	// negative value no limit. There is deliberately no write timeout: event
	// streams (SSE, and the GET and POST streams of Streamable HTTP) stay
	// open as long as a session or a call lasts.

	// ReadHeaderTimeout bounds reading a request's header; 0 means 10
	// seconds.
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds reading a whole request, header and body; a client
	// sending slower is cut off. It ends once the body is read, so it never
	// cuts a stream. 0 means 30 seconds.
	ReadTimeout time.Duration
	// IdleTimeout bounds how long a kept-alive connection may wait for its
	// next request; 0 means 60 seconds.
	IdleTimeout time.Duration
	// MaxConns caps the connections each listener has open at once, well
	// below the process's file descriptors; 0 means 1024. At the cap a new
	// connection takes the place of the open one that has gone longest
	// without a request under way (idle, or still sending its request), so
	// stalled connections cannot keep a prompt client out; when every open
	// connection is serving a request (a stream, say), the new one is
	// answered 503 Service Unavailable, saying so, and closed.
	MaxConns int
	// SessionTimeout closes a Streamable HTTP session that has had no
	// request for this long (go-sdk's StreamableHTTPOptions.SessionTimeout;
	// an open GET stream does not count as a request, a call in flight
	// does), so that the sessions of clients that leave without a DELETE do
	// not pile up. A client of a closed session gets 404 and, as the
	// protocol requires, initializes again. 0 means 30 minutes.
	SessionTimeout time.Duration

	// Model is the server's own model for every tool added without
	// [WithServerSampler] (direct mode): it answers clients that cannot
	// sample, clients whose sampling fails under SamplingAuto, and every
	// call under SamplingServer. When nil, Serve builds the one Provider
	// names, if any.
	Model Sampler
	// Provider and ModelName name the model Serve builds with NewModel
	// when Model is nil: ServeFlags fills them from -provider and -model,
	// whose defaults are SAMPLEGEN_PROVIDER and SAMPLEGEN_MODEL (keys and
	// base URLs come from the providers' own variables, such as
	// OPENAI_API_KEY). An empty Provider means none.
	Provider, ModelName string
	// NewModel builds the model Provider and ModelName name: provider.Open
	// from package github.com/samplegen/samplegen/provider. It is a field,
	// not a dependency of this package, so that a server without direct
	// mode does not link the providers' SDKs (they make a server's binary
	// several times larger).
	NewModel func(provider, model string) (Sampler, error)
	// Sampling says whose model answers the tools added without
	// [WithSampling]: ServeFlags fills it from -sampling, whose default is
	// SAMPLEGEN_SAMPLING (auto, client or server).
	Sampling Sampling
	// Prices put a cost on the tokens of the tools added without
	// [WithPrices]; when nil, Serve reads the table PricesFile names
	// ([sampling.LoadPrices]). ServeFlags fills PricesFile from -prices,
	// whose default is SAMPLEGEN_PRICES.
	Prices     sampling.Prices
	PricesFile string
	// TraceFile, when set, is a file Serve appends the spans of the tools
	// added without [WithTracerProvider] to, a JSON object a line, each as
	// it ends (see the package doc's Telemetry). ServeFlags fills it from
	// -trace-file, whose default is SAMPLEGEN_TRACE_FILE.
	TraceFile string

	// Log receives the lines that say where the server listens, and
	// reports of connections refused at MaxConns; nil means standard error.
	Log io.Writer

	envErr error // a bad environment default met by ServeFlags, reported by Serve
}

// parseEnvBool reads a boolean environment variable; unset is false.
func parseEnvBool(name string) (bool, error) {
	v := os.Getenv(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("%s=%q is not a boolean (use true or false)", name, v)
	}
	return b, nil
}

// Environment variables that set the defaults of [ServeFlags].
const (
	EnvHTTP      = "SAMPLEGEN_HTTP"
	EnvSSE       = "SAMPLEGEN_SSE"
	EnvStateless = "SAMPLEGEN_STATELESS"
	// EnvProvider and EnvModel name the server's own model; see
	// ServeConfig.Provider. Package provider reads the same two.
	EnvProvider = "SAMPLEGEN_PROVIDER"
	EnvModel    = "SAMPLEGEN_MODEL"
)

// ServeFlags registers -http, -sse, -stateless, -allow-remote-hosts,
// -provider, -model, -sampling, -prices and -trace-file on fs, with
// defaults from the environment (SAMPLEGEN_HTTP, SAMPLEGEN_SSE,
// SAMPLEGEN_STATELESS, SAMPLEGEN_PROVIDER, SAMPLEGEN_MODEL,
// SAMPLEGEN_SAMPLING, SAMPLEGEN_PRICES, SAMPLEGEN_TRACE_FILE), and returns the config they fill
// once fs is parsed.
func ServeFlags(fs *flag.FlagSet) *ServeConfig {
	c := &ServeConfig{}
	stateless, err := parseEnvBool(EnvStateless)
	if err != nil {
		c.envErr = err
	}
	if c.Sampling, err = ParseSampling(os.Getenv(EnvSampling)); err != nil {
		c.envErr = fmt.Errorf("%s: %w", EnvSampling, err)
	}
	fs.StringVar(&c.Provider, "provider", os.Getenv(EnvProvider), "the server's own model's provider: openai, anthropic or ollama (direct mode; keys from OPENAI_API_KEY or ANTHROPIC_API_KEY)")
	fs.StringVar(&c.ModelName, "model", os.Getenv(EnvModel), "with -provider: the model's name")
	fs.Func("sampling", "whose model answers: auto (the client's, else the server's), client or server (default from "+EnvSampling+", else auto)", func(v string) error {
		m, err := ParseSampling(v)
		c.Sampling = m
		return err
	})
	fs.StringVar(&c.PricesFile, "prices", os.Getenv(sampling.EnvPrices), "a JSON price `file` ({\"model\": {\"input\": X, \"output\": Y}}, per million tokens) to put a cost on each call's tokens in its report, log line and metrics")
	fs.StringVar(&c.TraceFile, "trace-file", os.Getenv(EnvTraceFile), "append each tool call's OpenTelemetry spans to this `file`, a JSON object a line")
	fs.StringVar(&c.HTTP, "http", os.Getenv(EnvHTTP), "serve Streamable HTTP at /mcp on this address instead of stdio (a bare port binds loopback only)")
	fs.StringVar(&c.SSE, "sse", os.Getenv(EnvSSE), "serve the HTTP+SSE transport at /sse on this address (a bare port binds loopback only)")
	fs.BoolVar(&c.Stateless, "stateless", stateless, "with -http: serve without sessions, for replicas behind a load balancer")
	fs.BoolVar(&c.AllowRemoteHosts, "allow-remote-hosts", false, "turn off DNS-rebinding protection for requests to loopback addresses")
	return c
}

// Serve runs srv until ctx is done, or (on stdio) until the client goes
// away. When ctx is done it stops taking new connections, lets the calls in
// flight finish (up to ShutdownTimeout), then ends the calls and closes
// what is left.
//
// Over HTTP a call ends, as a cancelled one does, when the client goes
// away: when the POST that carried it closes (Streamable HTTP), when its
// session's event stream closes (SSE), or when the client deletes its
// session. A sampling request the server gives up on (the ask's deadline,
// a cancelled call) is cancelled with notifications/cancelled on every
// transport, before the call's response. See [ServeConfig] for the limits
// on connections, requests and sessions.
func Serve(ctx context.Context, srv *mcp.Server, c *ServeConfig) error {
	if c == nil {
		c = &ServeConfig{}
	}
	if c.envErr != nil {
		return fmt.Errorf("serve: %w", c.envErr)
	}
	if err := CheckStateKeyEnv(); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	if _, err := parseReportMeta(os.Getenv(EnvReportMeta)); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	if err := c.serveModel(srv); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	if prices := c.Prices; prices != nil || c.PricesFile != "" {
		if prices == nil {
			var err error
			if prices, err = sampling.LoadPrices(c.PricesFile); err != nil {
				return fmt.Errorf("serve: -prices (%s): %w", sampling.EnvPrices, err)
			}
		}
		hooksFor(srv).setPrices(prices)
	}
	flushTraces, err := c.serveTraceFile(hooksFor(srv))
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer flushTraces()
	inflight := trackInFlight(srv)
	grace := cmp.Or(c.ShutdownTimeout, 30*time.Second)
	if c.HTTP == "" && c.SSE == "" {
		return serveStdio(ctx, srv, inflight, grace)
	}

	logw := c.Log
	if logw == nil {
		logw = os.Stderr
	}
	calls := trackerFor(srv)
	var servers []*http.Server
	errs := make(chan error, 2)
	listen := func(addr, path, kind string, h http.Handler) error {
		ln, err := net.Listen("tcp", loopbackByDefault(addr))
		if err != nil {
			return fmt.Errorf("serve %s: %w", kind, err)
		}
		mux := http.NewServeMux()
		mux.Handle(path, http.NewCrossOriginProtection().Handler(h))
		hs := &http.Server{
			Handler:           mux,
			ReadHeaderTimeout: limit(c.ReadHeaderTimeout, defaultReadHeaderTimeout),
			ReadTimeout:       limit(c.ReadTimeout, defaultReadTimeout),
			IdleTimeout:       limit(c.IdleTimeout, defaultIdleTimeout),
		}
		if max := limit(c.MaxConns, defaultMaxConns); max > 0 {
			cl := newConnLimiter(ln, max, kind, logw)
			cl.install(hs)
			ln = cl
		}
		servers = append(servers, hs)
		fmt.Fprintf(logw, "samplegen: serving %s on http://%s%s\n", kind, ln.Addr(), path)
		go func() { errs <- hs.Serve(ln) }()
		return nil
	}
	getServer := func(*http.Request) *mcp.Server { return srv }
	if c.HTTP != "" {
		h := mcp.NewStreamableHTTPHandler(getServer, &mcp.StreamableHTTPOptions{
			Stateless:                  c.Stateless,
			DisableLocalhostProtection: c.AllowRemoteHosts,
			SessionTimeout:             limit(c.SessionTimeout, defaultSessionTimeout),
		})
		if err := listen(c.HTTP, "/mcp", "Streamable HTTP", calls.streamable(h, srv, c.Stateless)); err != nil {
			return err
		}
	}
	if c.SSE != "" {
		h := mcp.NewSSEHandler(getServer, &mcp.SSEOptions{DisableLocalhostProtection: c.AllowRemoteHosts})
		if err := listen(c.SSE, "/sse", "SSE", calls.sse(h)); err != nil {
			for _, hs := range servers {
				hs.Close()
			}
			return err
		}
	}

	select {
	case err := <-errs:
		for _, hs := range servers {
			hs.Close()
		}
		return err
	case <-ctx.Done():
	}
	// Refuse new work but keep serving while the calls in flight finish:
	// a client's answer to a pushed sampling request arrives as a request
	// of its own. Then close, cutting the streams that only idle (a
	// standalone GET stream never ends on its own).
	drain, cancel := context.WithTimeout(context.WithoutCancel(ctx), grace)
	defer cancel()
	inflight.drain(drain)
	// The calls still running past the grace period end now: closing a
	// session waits for its calls.
	calls.cancelAll(errServeShutdown)
	closing, cancelClosing := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
	defer cancelClosing()
	for _, hs := range servers {
		hs.Shutdown(closing)
		hs.Close()
	}
	// Closing the HTTP server leaves go-sdk's sessions open (each with a
	// goroutine waiting for messages): close them too.
	for ss := range srv.Sessions() {
		ss.Close()
	}
	return nil
}

// cannotBuild says what a server that names a model but has no
// ServeConfig.NewModel lacks.
const cannotBuild = "this server cannot build it: set ServeConfig.NewModel to provider.Open (package github.com/samplegen/samplegen/provider)"

// serveModel gives srv's tools the server's own model and sampling choice.
func (c *ServeConfig) serveModel(srv *mcp.Server) error {
	model, named := c.Model, ""
	if model == nil && c.Provider != "" {
		switch {
		case c.NewModel == nil:
			// The variable may be meant for a client in the same
			// environment (samplegen call, a demo): say so, and serve,
			// with the sampling choice still given.
			fmt.Fprintf(cmp.Or[io.Writer](c.Log, os.Stderr), "samplegen: warning: %s=%s (or -provider) names a model, but %s; serving without a model of its own\n", EnvProvider, c.Provider, cannotBuild)
		default:
			var err error
			if model, err = c.NewModel(c.Provider, c.ModelName); err != nil {
				return err
			}
			if model == nil {
				return fmt.Errorf("ServeConfig.NewModel returned no model for %s %s", c.Provider, c.ModelName)
			}
			named = c.Provider + " " + c.ModelName
		}
	}
	if c.Sampling == SamplingServer && model == nil {
		// Tools with a model of their own (or a sampling choice of their
		// own) serve as they are; one without needs Serve's.
		if name, ok := hooksFor(srv).withoutModel(); ok && c.Provider != "" {
			return fmt.Errorf("sampling %s needs a model of the server's own for tool %s, and %s=%s names one, but %s", c.Sampling, name, EnvProvider, c.Provider, cannotBuild)
		} else if ok {
			return fmt.Errorf("sampling %s needs a model of the server's own, and tool %s has none: set %s and %s (or -provider and -model)", c.Sampling, name, EnvProvider, EnvModel)
		}
	}
	if model == nil && c.Sampling == SamplingAuto {
		return nil
	}
	hooksFor(srv).serve(model, c.Sampling)
	if named != "" {
		fmt.Fprintf(cmp.Or[io.Writer](c.Log, os.Stderr), "samplegen: the server's own model is %s (sampling %s)\n", named, c.Sampling)
	}
	return nil
}

func serveStdio(ctx context.Context, srv *mcp.Server, inflight *inFlight, grace time.Duration) error {
	run, stop := context.WithCancel(context.WithoutCancel(ctx))
	defer stop()
	owed := &counter{}
	transport := answeredTransport{&mcp.StdioTransport{}, owed}
	done := make(chan error, 1)
	go func() { done <- srv.Run(run, transport) }()
	select {
	case err := <-done:
		if errors.Is(err, context.Canceled) || errors.Is(err, io.EOF) {
			return nil
		}
		return err
	case <-ctx.Done():
	}
	// A handler that has returned has not yet written its response: wait
	// until every request read has its answer on the wire.
	drain, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	inflight.drain(drain)
	owed.wait(drain)
	stop()
	<-done
	return nil
}

// The defaults of ServeConfig's limits.
const (
	defaultReadHeaderTimeout = 10 * time.Second
	defaultReadTimeout       = 30 * time.Second
	defaultIdleTimeout       = 60 * time.Second
	defaultMaxConns          = 1024
	defaultSessionTimeout    = 30 * time.Minute
)

// limit reads one of ServeConfig's limits: 0 is the default, a negative
// value none (0 to net/http and go-sdk).
// limit is a configured limit, or its default where it is 0; a negative
// one stays negative, which net/http and the connection cap read as none.
func limit[T time.Duration | int](v, def T) T {
	if v == 0 {
		return def
	}
	return v
}

// loopbackByDefault binds a bare port to the loopback interface.
func loopbackByDefault(addr string) string {
	if _, err := strconv.Atoi(addr); err == nil {
		return net.JoinHostPort("127.0.0.1", addr)
	}
	if host, port, err := net.SplitHostPort(addr); err == nil && host == "" {
		return net.JoinHostPort("127.0.0.1", port)
	}
	return addr
}

// A counter counts things under way and tells when none are.
type counter struct {
	mu   sync.Mutex
	n    int
	idle chan struct{} // closed while n == 0; nil stands for closed
}

func (c *counter) add(d int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == 0 && d > 0 {
		c.idle = make(chan struct{})
	}
	c.n += d
	if c.n == 0 && c.idle != nil {
		close(c.idle)
	}
}

// wait returns when the count is zero or ctx is done.
func (c *counter) wait(ctx context.Context) {
	c.mu.Lock()
	idle := c.idle
	c.mu.Unlock()
	if idle == nil {
		return
	}
	select {
	case <-idle:
	case <-ctx.Done():
	}
}

// inFlight counts the requests being served, so that shutdown can wait
// for them, and refuses new ones once shutdown has begun.
type inFlight struct {
	counter
	gate     sync.Mutex // orders the draining check and the count, so drain misses no request
	draining bool
}

// errShuttingDown answers requests that arrive while the server drains.
var errShuttingDown = &jsonrpc.Error{Code: jsonrpc.CodeInternalError, Message: "the server is shutting down; call again shortly (another replica, or this one once restarted)"}

func trackInFlight(srv *mcp.Server) *inFlight {
	f := &inFlight{}
	srv.AddReceivingMiddleware(func(next mcp.MethodHandler) mcp.MethodHandler {
		return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
			if !f.enter(req) {
				return nil, errShuttingDown
			}
			defer f.add(-1)
			return next(ctx, method, req)
		}
	})
	return f
}

// startsWork tells new work from work in flight: notifications and the
// later round trips of a multi round-trip call (which carry request state)
// belong to calls already under way.
func startsWork(req mcp.Request) bool {
	switch p := req.GetParams().(type) {
	case *mcp.CallToolParamsRaw:
		return p.RequestState == ""
	case *mcp.InitializeParams, *mcp.ListToolsParams:
		return true
	}
	return false
}

// drain refuses new work from now on and returns when nothing is in flight
// or ctx is done.
func (f *inFlight) drain(ctx context.Context) {
	f.gate.Lock()
	f.draining = true
	f.gate.Unlock()
	f.wait(ctx)
}

// enter counts a request in, unless the server drains and the request
// starts new work.
func (f *inFlight) enter(req mcp.Request) bool {
	f.gate.Lock()
	defer f.gate.Unlock()
	if f.draining && startsWork(req) {
		return false
	}
	f.add(1)
	return true
}

// answeredTransport counts the requests its connection has read and not
// yet answered, so stdio can stop only once every answer is written.
type answeredTransport struct {
	mcp.Transport
	owed *counter
}

func (t answeredTransport) Connect(ctx context.Context) (mcp.Connection, error) {
	c, err := t.Transport.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return answeredConn{c, t.owed}, nil
}

type answeredConn struct {
	mcp.Connection
	owed *counter
}

func (c answeredConn) Read(ctx context.Context) (jsonrpc.Message, error) {
	msg, err := c.Connection.Read(ctx)
	if r, ok := msg.(*jsonrpc.Request); ok && r.IsCall() {
		c.owed.add(1)
	}
	return msg, err
}

func (c answeredConn) Write(ctx context.Context, msg jsonrpc.Message) error {
	err := c.Connection.Write(ctx, msg)
	if _, ok := msg.(*jsonrpc.Response); ok {
		c.owed.add(-1)
	}
	return err
}
