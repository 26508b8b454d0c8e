package runtime_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
)

// recorder keeps the bytes of every HTTP response body a client reads: what
// arrived on the wire, before any SDK decoded it.
type recorder struct {
	mu   sync.Mutex
	body bytes.Buffer
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	res.Body = struct {
		io.Reader
		io.Closer
	}{io.TeeReader(res.Body, r), res.Body}
	return res, nil
}

func (r *recorder) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.body.Write(p)
}

func (r *recorder) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.body.String()
}

// serveHTTP runs Serve on a free loopback port and returns its URL and a
// function that stops it and returns Serve's error.
func serveHTTP(t *testing.T, srv *mcp.Server, c runtime.ServeConfig) (string, func() error) {
	t.Helper()
	var log syncBuffer
	c.Log = &log
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runtime.Serve(ctx, srv, &c) }()
	url := regexp.MustCompile(`http://\S+`)
	deadline := time.Now().Add(bound)
	for url.FindString(log.String()) == "" {
		if time.Now().After(deadline) {
			t.Fatalf("Serve did not say where it listens: %q", log.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	stop := func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(bound):
			t.Fatal("Serve did not return after its context was cancelled")
			return nil
		}
	}
	t.Cleanup(func() { cancel() })
	return url.FindString(log.String()), stop
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func zeroTemperatureSpec() runtime.Spec[Ticket, Verdict] {
	spec := verdictSpec()
	spec.Params.Temperature = runtime.Float(0)
	spec.Params.StopSequences = []string{"\n\n"}
	spec.Params.ModelHints = []string{"claude-haiku", "gpt-mini"}
	spec.Params.IntelligencePriority = runtime.Float(0.3)
	spec.Params.Metadata = map[string]any{"tenant": "t1"}
	return spec
}

func TestServeHTTPSendsParametersAsDeclared(t *testing.T) {
	for _, tc := range []struct {
		protocol  string
		stateless bool   // go-sdk speaks 2026-07-28 over stateless HTTP only
		find      string // where the sampling request sits in the stream
	}{
		{legacyProtocol, false, `"method":"sampling/createMessage"`},
		{mrtrProtocol, true, `"inputRequests"`},
	} {
		t.Run(tc.protocol, func(t *testing.T) {
			srv := newServer(tc.protocol)
			runtime.NewTool(zeroTemperatureSpec()).Add(srv, quiet(), runtime.WithStateKey(testKey))
			url, stop := serveHTTP(t, srv, runtime.ServeConfig{HTTP: "127.0.0.1:0", Stateless: tc.stateless})
			rec := &recorder{}
			model := say(`{"label":"ham","score":0.2}`)
			cs, err := mcp.NewClient(&mcp.Implementation{Name: "c", Version: "1"}, &mcp.ClientOptions{CreateMessageHandler: model.handler}).
				Connect(context.Background(), &mcp.StreamableClientTransport{Endpoint: url, HTTPClient: &http.Client{Transport: rec}}, nil)
			if err != nil {
				t.Fatal(err)
			}
			res := callClassify(t, cs, "x")
			cs.Close()
			if res.IsError {
				t.Fatalf("tool error: %s", textOf(res))
			}
			wire := rec.String()
			if !strings.Contains(wire, tc.find) {
				t.Fatalf("no sampling request on the wire:\n%s", wire)
			}
			for _, want := range []string{`"temperature":0`, `"maxTokens":50`, `"stopSequences":["\n\n"]`, `"hints":[{"name":"claude-haiku"},{"name":"gpt-mini"}]`, `"intelligencePriority":0.3`, `"metadata":{"tenant":"t1"}`} {
				if !strings.Contains(wire, want) {
					t.Errorf("the wire lacks %s:\n%s", want, wire)
				}
			}
			if !strings.Contains(wire, `"io.samplegen/temperature":0`) {
				t.Errorf("the wire lacks the zero-temperature mark that samplegen's clients read")
			}
			if err := stop(); err != nil {
				t.Errorf("Serve: %v", err)
			}
		})
	}
}

func TestServeShutdownLetsCallsInFlightFinish(t *testing.T) {
	srv := newServer(legacyProtocol)
	runtime.NewTool(verdictSpec()).Add(srv, quiet())
	url, stop := serveHTTP(t, srv, runtime.ServeConfig{HTTP: "127.0.0.1:0", ShutdownTimeout: bound})
	asked, release := make(chan struct{}), make(chan struct{})
	slow := func(ctx context.Context, req *mcp.CreateMessageRequest) (*mcp.CreateMessageResult, error) {
		close(asked)
		<-release
		return &mcp.CreateMessageResult{Role: "assistant", Model: "m", Content: &mcp.TextContent{Text: `{"label":"ham","score":0.5}`}}, nil
	}
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "c", Version: "1"}, &mcp.ClientOptions{CreateMessageHandler: slow}).
		Connect(context.Background(), &mcp.StreamableClientTransport{Endpoint: url}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	result := make(chan *mcp.CallToolResult, 1)
	go func() {
		res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "classify", Arguments: map[string]any{"text": "x"}})
		if err != nil {
			t.Errorf("the call in flight failed: %v", err)
		}
		result <- res
	}()
	<-asked
	stopped := make(chan error, 1)
	go func() { stopped <- stop() }() // SIGTERM while the call waits on the model
	select {
	case <-stopped:
		t.Fatal("Serve returned while a call was in flight")
	case <-time.After(100 * time.Millisecond):
	}
	// New work is refused while the server drains.
	if _, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "classify", Arguments: map[string]any{"text": "y"}}); err == nil || !strings.Contains(err.Error(), "shutting down") {
		t.Errorf("a new call during shutdown got %v, want a refusal", err)
	}
	close(release)
	if res := <-result; res == nil || res.IsError {
		t.Fatalf("the call in flight did not finish well: %+v", res)
	}
	if err := <-stopped; err != nil {
		t.Errorf("Serve: %v", err)
	}
}

func TestServeBindsLoopbackForABarePort(t *testing.T) {
	srv := newServer()
	url, stop := serveHTTP(t, srv, runtime.ServeConfig{HTTP: "0"})
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Errorf("a bare port listens on %s, want loopback", url)
	}
	if err := stop(); err != nil {
		t.Error(err)
	}
}

// A stateless server cannot push requests, and on protocol 2025-11-25 it
// does not know what the client can do: sampling is refused with -32021
// at once, never left to hang, unless a fallback sampler answers.
func TestStatelessLegacySessionCannotSample(t *testing.T) {
	for _, tc := range []struct {
		name     string
		fallback bool
	}{{"refused", false}, {"fallback sampler", true}} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(legacyProtocol)
			opts := []runtime.ToolOption{quiet()}
			if tc.fallback {
				opts = append(opts, runtime.WithServerSampler(say(`{"label":"ham","score":0.4}`)))
			}
			runtime.NewTool(verdictSpec()).Add(srv, opts...)
			url, stop := serveHTTP(t, srv, runtime.ServeConfig{HTTP: "127.0.0.1:0", Stateless: true})
			defer stop()
			cs, err := mcp.NewClient(&mcp.Implementation{Name: "c", Version: "1"}, &mcp.ClientOptions{CreateMessageHandler: say().handler}).
				Connect(context.Background(), &mcp.StreamableClientTransport{Endpoint: url}, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer cs.Close()
			if v := cs.InitializeResult().ProtocolVersion; v != legacyProtocol {
				t.Fatalf("negotiated %s", v)
			}
			ctx, cancel := context.WithTimeout(context.Background(), bound)
			defer cancel()
			res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "classify", Arguments: map[string]any{"text": "x"}})
			if tc.fallback {
				if err != nil || res.IsError || decode[Verdict](t, res.StructuredContent).Label != "ham" {
					t.Fatalf("%v %+v, want the fallback sampler's answer", err, res)
				}
				return
			}
			var wire *jsonrpc.Error
			if !errors.As(err, &wire) || wire.Code != mcp.CodeMissingRequiredClientCapabilities || !strings.Contains(wire.Message, "capabilities are unknown") {
				t.Fatalf("err = %v, want -32021 saying the capabilities are unknown", err)
			}
		})
	}
}

func TestServeRefusesABadStatelessSetting(t *testing.T) {
	t.Setenv(runtime.EnvStateless, "yes please")
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	c := runtime.ServeFlags(fs)
	if err := fs.Parse([]string{"-http", "127.0.0.1:0"}); err != nil {
		t.Fatal(err)
	}
	err := runtime.Serve(context.Background(), newServer(), c)
	if err == nil || !strings.Contains(err.Error(), `SAMPLEGEN_STATELESS="yes please" is not a boolean`) {
		t.Fatalf("Serve = %v, want the bad setting named", err)
	}
}

// A short SAMPLEGEN_STATE_KEY stops Serve with an error that names it,
// before anything is served: no panic, no stack trace.
func TestServeRefusesAShortStateKey(t *testing.T) {
	t.Setenv(runtime.StateKeyEnv, "hunter2")
	srv := newServer()
	runtime.NewTool(verdictSpec()).Add(srv, quiet()) // adding the tool does not panic
	err := runtime.Serve(context.Background(), srv, &runtime.ServeConfig{HTTP: "127.0.0.1:0"})
	if err == nil || !strings.Contains(err.Error(), "the state key from SAMPLEGEN_STATE_KEY is 7 bytes") {
		t.Fatalf("Serve = %v, want the short key named", err)
	}
}
