package runtime_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
)

// Faults on the push era, where the server waits on the client: each has a
// defined outcome and none hangs. (On the multi round-trip era the server
// never waits: the client's failures end the call on the client's side, and
// an answer that comes too late meets an expired state; see
// TestRequestStateFromAnotherKeyOrTooLateIsRefused.)

const bound = 10 * time.Second // a test that has not finished by then has hung

// addWatchedTool adds classify as a function tool whose sampling error is
// sent on the returned channel when its handler ends.
func addWatchedTool(t *testing.T, srv *mcp.Server) <-chan error {
	t.Helper()
	done := make(chan error, 1)
	verdict := runtime.NewTool(verdictSpec())
	tool := &mcp.Tool{Name: "classify", InputSchema: json.RawMessage(ticketSchema)}
	if err := runtime.AddFunc(srv, tool, func(ctx context.Context, s runtime.Sampler, in Ticket) (Verdict, error) {
		v, err := verdict.Sample(ctx, s, in)
		done <- err
		return v, err
	}, quiet()); err != nil {
		t.Fatal(err)
	}
	return done
}

func TestClientRefusalGoesToTheFallbacks(t *testing.T) {
	refuse := func(context.Context, *mcp.CreateMessageRequest) (*mcp.CreateMessageResult, error) {
		return nil, &jsonrpc.Error{Code: -1, Message: "User rejected sampling request"}
	}
	t.Run("no fallback: a tool error that says so", func(t *testing.T) {
		srv := newServer(legacyProtocol)
		runtime.NewTool(verdictSpec()).Add(srv, quiet())
		res := callClassify(t, connect(t, srv, &mcp.ClientOptions{CreateMessageHandler: refuse}), "x")
		if !res.IsError || !strings.Contains(textOf(res), "refused the sampling request (User rejected sampling request)") {
			t.Fatalf("result = %s, want a tool error naming the refusal", textOf(res))
		}
		if n := len(reportOf(t, res).Rounds); n != 0 {
			t.Errorf("a refusal was re-asked: %d rounds", n)
		}
	})
	t.Run("fallback sampler answers", func(t *testing.T) {
		srv := newServer(legacyProtocol)
		runtime.NewTool(verdictSpec()).Add(srv, quiet(), runtime.WithServerSampler(say(`{"label":"ham","score":0.5}`)))
		res := callClassify(t, connect(t, srv, &mcp.ClientOptions{CreateMessageHandler: refuse}), "x")
		if res.IsError || reportOf(t, res).Fallback != "sampler" {
			t.Fatalf("result = %s, want the fallback sampler's answer", textOf(res))
		}
	})
}

func TestClientErrorIsAToolError(t *testing.T) {
	srv := newServer(legacyProtocol)
	runtime.NewTool(verdictSpec()).Add(srv, quiet())
	broken := func(context.Context, *mcp.CreateMessageRequest) (*mcp.CreateMessageResult, error) {
		return nil, errors.New("model backend unavailable")
	}
	res := callClassify(t, connect(t, srv, &mcp.ClientOptions{CreateMessageHandler: broken}), "x")
	if !res.IsError || !strings.Contains(textOf(res), "model backend unavailable") {
		t.Fatalf("result = %s, want a tool error carrying the client's error", textOf(res))
	}
}

func TestClientTooSlowMeetsTheDeadlineAndIsTold(t *testing.T) {
	srv := newServer(legacyProtocol)
	runtime.NewTool(verdictSpec()).Add(srv, quiet(), runtime.WithParams(runtime.Params{Timeout: 200 * time.Millisecond}))
	told := make(chan struct{})
	slow := func(ctx context.Context, _ *mcp.CreateMessageRequest) (*mcp.CreateMessageResult, error) {
		select {
		case <-ctx.Done(): // the server's notifications/cancelled
			close(told)
			return nil, ctx.Err()
		case <-time.After(bound):
			return nil, errors.New("never cancelled")
		}
	}
	res := callClassify(t, connect(t, srv, &mcp.ClientOptions{CreateMessageHandler: slow}), "x")
	if !res.IsError || !strings.Contains(textOf(res), "did not answer the sampling request within 200ms") {
		t.Fatalf("result = %s, want the deadline named", textOf(res))
	}
	select {
	case <-told:
	case <-time.After(bound):
		t.Fatal("the client's sampling handler was never told the request was cancelled")
	}
}

func TestCancelledCallCancelsTheSamplingRequest(t *testing.T) {
	srv := newServer(legacyProtocol)
	handlerDone := addWatchedTool(t, srv)
	asked, told := make(chan struct{}), make(chan struct{})
	waiting := func(ctx context.Context, _ *mcp.CreateMessageRequest) (*mcp.CreateMessageResult, error) {
		close(asked)
		select {
		case <-ctx.Done():
			close(told)
			return nil, ctx.Err()
		case <-time.After(bound):
			return nil, errors.New("never cancelled")
		}
	}
	cs := connect(t, srv, &mcp.ClientOptions{CreateMessageHandler: waiting})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-asked; cancel() }()
	if _, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "classify", Arguments: map[string]any{"text": "x"}}); !errors.Is(err, context.Canceled) {
		t.Fatalf("CallTool = %v, want context.Canceled", err)
	}
	for what, ch := range map[string]chan struct{}{"the sampling handler was not told": told} {
		select {
		case <-ch:
		case <-time.After(bound):
			t.Fatal(what)
		}
	}
	select {
	case err := <-handlerDone:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("the tool handler ended with %v, want context.Canceled", err)
		}
	case <-time.After(bound):
		t.Fatal("the tool handler is still running after its call was cancelled")
	}
}

func TestClientDisconnectEndsTheCall(t *testing.T) {
	srv := newServer(legacyProtocol)
	handlerDone := addWatchedTool(t, srv)
	// Pipes like a subprocess's stdio; closing the client's ends is the
	// client process dying while the server waits on its model.
	toServer, fromClient := io.Pipe()
	toClient, fromServer := io.Pipe()
	ss, err := srv.Connect(context.Background(), &mcp.IOTransport{Reader: toServer, Writer: fromServer}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ss.Close()
	dies := func(ctx context.Context, _ *mcp.CreateMessageRequest) (*mcp.CreateMessageResult, error) {
		fromClient.Close()
		toClient.Close()
		<-ctx.Done()
		return nil, ctx.Err()
	}
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "c"}, &mcp.ClientOptions{CreateMessageHandler: dies}).
		Connect(context.Background(), &mcp.IOTransport{Reader: toClient, Writer: fromClient}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	go cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "classify", Arguments: map[string]any{"text": "x"}})
	select {
	case err := <-handlerDone:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("the handler ended with %v, want context.Canceled", err)
		}
	case <-time.After(bound):
		t.Fatal("the tool handler is still waiting on a client that went away")
	}
}

func TestSamplingPolicies(t *testing.T) {
	server := `{"label":"ham","score":0.1}`
	client := `{"label":"spam","score":0.9}`
	for _, tc := range []struct {
		name   string
		policy runtime.Sampling
		want   string
	}{
		{"fallback when needed asks the client", runtime.SamplingAuto, "spam"},
		{"always asks the server's sampler", runtime.SamplingServer, "ham"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(legacyProtocol)
			runtime.NewTool(verdictSpec()).Add(srv, quiet(), runtime.WithServerSampler(say(server)), runtime.WithSampling(tc.policy))
			res := callClassify(t, connect(t, srv, &mcp.ClientOptions{CreateMessageHandler: say(client).handler}), "x")
			if got := decode[Verdict](t, res.StructuredContent).Label; got != tc.want {
				t.Errorf("label = %q, want %q", got, tc.want)
			}
		})
	}
	t.Run("never ignores the fallback sampler", func(t *testing.T) {
		srv := newServer(legacyProtocol)
		runtime.NewTool(verdictSpec()).Add(srv, quiet(), runtime.WithServerSampler(say(server)), runtime.WithSampling(runtime.SamplingClient))
		_, err := connect(t, srv, nil).CallTool(context.Background(), &mcp.CallToolParams{Name: "classify", Arguments: map[string]any{"text": "x"}})
		var wire *jsonrpc.Error
		if !errors.As(err, &wire) || wire.Code != mcp.CodeMissingRequiredClientCapabilities {
			t.Fatalf("err = %v, want -32021", err)
		}
	})
	t.Run("server sampling without a model of the server's fails the call, saying what to add", func(t *testing.T) {
		srv := newServer(legacyProtocol)
		runtime.NewTool(verdictSpec()).Add(srv, quiet(), runtime.WithSampling(runtime.SamplingServer)) // Serve may still give it one
		res, err := connect(t, srv, &mcp.ClientOptions{CreateMessageWithToolsHandler: runtime.SamplingHandler(say(server))}).
			CallTool(context.Background(), &mcp.CallToolParams{Name: "classify", Arguments: map[string]any{"text": "x"}})
		if err != nil || !res.IsError || !strings.Contains(textOf(res), "add the tool WithServerSampler, or serve it with -provider and -model") {
			t.Errorf("%v %s, want a tool error that says what to add", err, textOf(res))
		}
	})
}

// A function tool may ask the Sampler it is given directly. For a client
// that cannot sample that Sampler answers ErrCannotSample (-32021 to the
// client); it is never nil, which would crash the server.
func TestFunctionToolAskingAClientThatCannotSample(t *testing.T) {
	for _, protocol := range []string{legacyProtocol, mrtrProtocol} {
		t.Run(protocol, func(t *testing.T) {
			srv := newServer(protocol)
			tool := &mcp.Tool{Name: "classify", InputSchema: json.RawMessage(ticketSchema)}
			if err := runtime.AddFunc(srv, tool, func(ctx context.Context, s runtime.Sampler, in Ticket) (string, error) {
				res, err := s.CreateMessage(ctx, &mcp.CreateMessageWithToolsParams{MaxTokens: 5})
				if err != nil {
					return "", err
				}
				return res.Model, nil
			}, quiet()); err != nil {
				t.Fatal(err)
			}
			_, err := connect(t, srv, nil).CallTool(context.Background(), &mcp.CallToolParams{Name: "classify", Arguments: map[string]any{"text": "x"}})
			var wire *jsonrpc.Error
			if !errors.As(err, &wire) || wire.Code != mcp.CodeMissingRequiredClientCapabilities {
				t.Fatalf("err = %v, want -32021", err)
			}
		})
	}
}

// The options a function tool is added with reach the SampleX calls inside
// it, as they do for a sampling tool.
func TestFunctionToolHonoursItsOptions(t *testing.T) {
	verdict := runtime.NewTool(verdictSpec())
	for _, tc := range []struct {
		name    string
		opts    []runtime.ToolOption
		handler *mcp.ClientOptions
	}{
		{"the server's model for a client that cannot sample", nil, nil},
		{"always the server's model", []runtime.ToolOption{runtime.WithSampling(runtime.SamplingServer)}, &mcp.ClientOptions{CreateMessageHandler: say(`{"label":"spam","score":1}`).handler}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(legacyProtocol)
			tool := &mcp.Tool{Name: "classify", InputSchema: json.RawMessage(ticketSchema)}
			var rep runtime.Report
			opts := append([]runtime.ToolOption{quiet(), runtime.WithServerSampler(say(`{"label":"ham","score":0.3}`))}, tc.opts...)
			if err := runtime.AddFunc(srv, tool, func(ctx context.Context, s runtime.Sampler, in Ticket) (Verdict, error) {
				return verdict.Sample(ctx, s, in, runtime.WithReport(&rep))
			}, opts...); err != nil {
				t.Fatal(err)
			}
			res := callClassify(t, connect(t, srv, tc.handler), "x")
			if res.IsError || decode[Verdict](t, res.StructuredContent).Label != "ham" || rep.Era != runtime.EraDirect || rep.Fallback != "" {
				t.Fatalf("result %s on era %q with fallback %q, want the server's model to answer directly", textOf(res), rep.Era, rep.Fallback)
			}
		})
	}
}

// SamplerFunc values cannot be compared; the runtime must never try, on
// the way from a failing client to the server's model.
func TestFallbackBetweenSamplerFuncs(t *testing.T) {
	broken := func(context.Context, *mcp.CreateMessageRequest) (*mcp.CreateMessageResult, error) {
		return nil, errors.New("down")
	}
	backup := runtime.SamplerFunc(say(`{"label":"ham","score":0.1}`).CreateMessage)
	srv := newServer(legacyProtocol)
	runtime.NewTool(verdictSpec()).Add(srv, quiet(), runtime.WithServerSampler(backup))
	res := callClassify(t, connect(t, srv, &mcp.ClientOptions{CreateMessageHandler: broken}), "x")
	if res.IsError || decode[Verdict](t, res.StructuredContent).Label != "ham" || reportOf(t, res).Fallback != "sampler" {
		t.Fatalf("result %s, want the backup's answer", textOf(res))
	}
}
