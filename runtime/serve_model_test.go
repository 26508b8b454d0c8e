package runtime_test

import (
	"context"
	"errors"
	"flag"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
	"github.com/samplegen/samplegen/sampling"
)

// connectHTTP connects a go-sdk client with opts to url.
func connectHTTP(t *testing.T, url string, opts *mcp.ClientOptions) *mcp.ClientSession {
	t.Helper()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "c", Version: "1"}, opts).
		Connect(context.Background(), &mcp.StreamableClientTransport{Endpoint: url}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close() })
	return cs
}

// eraServe is how each era is served over HTTP: go-sdk speaks 2026-07-28
// over stateless HTTP only.
var eraServe = []struct {
	protocol  string
	stateless bool
}{{legacyProtocol, false}, {mrtrProtocol, true}}

// Serve's Model answers for every tool added without one, where the client
// cannot sample: direct mode with no tool option, on both eras, and the
// report names the model that answered.
func TestServeModelAnswersClientsThatCannotSample(t *testing.T) {
	for _, tc := range eraServe {
		t.Run(tc.protocol, func(t *testing.T) {
			srv := newServer(tc.protocol)
			runtime.NewTool(verdictSpec()).Add(srv, quiet(), runtime.WithStateKey(testKey), runtime.WithReportMeta(runtime.ReportMetaFull))
			model := say(`{"label":"spam","score":0.9}`)
			model.model = "server-model-1"
			url, stop := serveHTTP(t, srv, runtime.ServeConfig{HTTP: "127.0.0.1:0", Stateless: tc.stateless, Model: model})
			res := callClassify(t, connectHTTP(t, url, nil), "WIN")
			call := callReportOf(t, res)
			if res.IsError || call.Plan.Era != runtime.EraDirect || len(call.Samples) != 1 || call.Samples[0].Rounds[0].Model != "server-model-1" {
				t.Fatalf("result %s, report %+v: want the server's model to answer directly and be named", textOf(res), call)
			}
			if err := stop(); err != nil {
				t.Error(err)
			}
		})
	}
}

// ServeConfig.Sampling = SamplingServer keeps a client that can sample from
// being asked; a tool's own options win over Serve's.
func TestServeSamplingAndToolOptions(t *testing.T) {
	askedClient := errors.New("the client was asked")
	clientModel := runtime.SamplerFunc(func(context.Context, *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		return nil, askedClient
	})
	for _, tc := range eraServe {
		t.Run(tc.protocol, func(t *testing.T) {
			srv := newServer(tc.protocol)
			runtime.NewTool(verdictSpec()).Add(srv, quiet(), runtime.WithStateKey(testKey))
			own := say(`{"label":"ham","score":0.1}`)
			ownTool := verdictSpec()
			ownTool.Name = "classify-own"
			runtime.NewTool(ownTool).Add(srv, quiet(), runtime.WithStateKey(testKey), runtime.WithServerSampler(own))
			clientOnly := verdictSpec()
			clientOnly.Name = "classify-client"
			runtime.NewTool(clientOnly).Add(srv, quiet(), runtime.WithStateKey(testKey), runtime.WithSampling(runtime.SamplingClient))

			served := say(`{"label":"spam","score":0.9}`, `{"label":"spam","score":0.9}`)
			url, stop := serveHTTP(t, srv, runtime.ServeConfig{HTTP: "127.0.0.1:0", Stateless: tc.stateless, Model: served, Sampling: runtime.SamplingServer})
			defer stop()
			cs := connectHTTP(t, url, &mcp.ClientOptions{CreateMessageWithToolsHandler: runtime.SamplingHandler(clientModel)})
			if res := callClassify(t, cs, "x"); res.IsError || !strings.Contains(textOf(res), "spam") {
				t.Errorf("classify: %s, want Serve's model's answer", textOf(res))
			}
			res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "classify-own", Arguments: map[string]any{"text": "x"}})
			if err != nil || res.IsError || !strings.Contains(textOf(res), "ham") {
				t.Errorf("classify-own: %v %s, want the tool's own model's answer", err, textOf(res))
			}
			// SamplingClient: the client is asked, and its model fails, which
			// its handler tells the server as a refusal on both eras (what
			// failed stays at the client); Serve's model is not asked in its
			// place.
			res, err = cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "classify-client", Arguments: map[string]any{"text": "x"}})
			if err != nil || !res.IsError || !strings.Contains(textOf(res), sampling.ModelFailed) || strings.Contains(textOf(res), askedClient.Error()) {
				t.Errorf("classify-client: %v %s, want a tool error naming the refusal %q and nothing of the client's error", err, textOf(res), sampling.ModelFailed)
			}
			if n := len(served.asked()); n != 1 {
				t.Errorf("Serve's model was asked %d times, want once", n)
			}
		})
	}
}

// -provider, -model and -sampling, and their environment, configure the
// server's model; what cannot work stops Serve with an error that says what
// to set, before anything is served.
func TestServeModelSettings(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{map[string]string{runtime.EnvSampling: "server"}, nil, "sampling server needs a model of the server's own, and tool classify has none: set SAMPLEGEN_PROVIDER and SAMPLEGEN_MODEL"},
		{map[string]string{runtime.EnvSampling: "always"}, nil, `sampling "always" is not one of auto, client, server`},
		{nil, []string{"-provider", "openai", "-model", "gpt-4o-mini", "-sampling", "server"}, "this server cannot build it: set ServeConfig.NewModel to provider.Open"},
		{nil, []string{"-sampling", "server"}, "sampling server needs a model"},
	} {
		for k, v := range tc.env {
			t.Setenv(k, v)
		}
		fs := flag.NewFlagSet("server", flag.ContinueOnError)
		c := runtime.ServeFlags(fs)
		err := fs.Parse(append([]string{"-http", "127.0.0.1:0"}, tc.args...))
		if err == nil {
			srv := newServer()
			runtime.NewTool(verdictSpec()).Add(srv, quiet())
			err = runtime.Serve(context.Background(), srv, c)
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("env %v, args %v: %v, want %q", tc.env, tc.args, err, tc.want)
		}
		for k := range tc.env {
			t.Setenv(k, "")
		}
	}
}

// With -provider and -model, Serve builds the server's model with NewModel
// and serves it; NewModel's error stops Serve.
func TestServeBuildsTheNamedModel(t *testing.T) {
	srv := newServer(legacyProtocol)
	runtime.NewTool(verdictSpec()).Add(srv, quiet(), runtime.WithReportMeta(runtime.ReportMetaFull))
	var asked []string
	built := say(`{"label":"spam","score":0.9}`)
	built.model = "built-model"
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	c := runtime.ServeFlags(fs)
	if err := fs.Parse([]string{"-http", "127.0.0.1:0", "-provider", "acme", "-model", "acme-1"}); err != nil {
		t.Fatal(err)
	}
	c.NewModel = func(p, m string) (runtime.Sampler, error) {
		asked = append(asked, p+" "+m)
		return built, nil
	}
	url, stop := serveHTTP(t, srv, *c)
	res := callClassify(t, connectHTTP(t, url, nil), "x")
	if rep := reportOf(t, res); res.IsError || rep.Rounds[0].Model != "built-model" || len(asked) != 1 || asked[0] != "acme acme-1" {
		t.Errorf("result %s, report %+v, NewModel asked for %v", textOf(res), rep, asked)
	}
	if err := stop(); err != nil {
		t.Error(err)
	}

	c.NewModel = func(string, string) (runtime.Sampler, error) { return nil, errors.New("no key: set ACME_KEY") }
	if err := runtime.Serve(context.Background(), newServer(), c); err == nil || !strings.Contains(err.Error(), "no key: set ACME_KEY") {
		t.Errorf("Serve = %v, want NewModel's error", err)
	}
}

// A provider named in the environment of a server that cannot build models
// is a warning: the server serves, and the sampling choice still holds (a
// tool with a model of its own answers directly under -sampling server).
func TestServeWarnsOfAModelItCannotBuild(t *testing.T) {
	srv := newServer(legacyProtocol)
	own := say(`{"label":"ham","score":0.1}`)
	runtime.NewTool(verdictSpec()).Add(srv, quiet(), runtime.WithServerSampler(own))
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	c := runtime.ServeFlags(fs)
	if err := fs.Parse([]string{"-http", "127.0.0.1:0", "-provider", "openai", "-model", "gpt-4o-mini", "-sampling", "server"}); err != nil {
		t.Fatal(err)
	}
	// No NewModel, but the one tool has a model of its own: Serve serves.
	url, stop := serveHTTP(t, srv, *c)
	defer stop()
	clientModel := runtime.SamplerFunc(func(context.Context, *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		t.Error("the client was asked under -sampling server")
		return nil, errors.New("no")
	})
	res := callClassify(t, connectHTTP(t, url, &mcp.ClientOptions{CreateMessageWithToolsHandler: runtime.SamplingHandler(clientModel)}), "x")
	if res.IsError || len(own.asked()) != 1 {
		t.Errorf("result %s, the tool's own model asked %d times: want it to answer", textOf(res), len(own.asked()))
	}

	srv2 := newServer(legacyProtocol)
	runtime.NewTool(verdictSpec()).Add(srv2, quiet())
	c2 := runtime.ServeConfig{HTTP: "127.0.0.1:0", Provider: "openai", ModelName: "gpt-4o-mini"}
	_, stop2 := serveHTTP(t, srv2, c2)
	if err := stop2(); err != nil {
		t.Errorf("Serve = %v, want it to serve with a warning", err)
	}
}
