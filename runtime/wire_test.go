package runtime_test

import (
	"context"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/internal/wirelog"
	"github.com/samplegen/samplegen/runtime"
	"github.com/samplegen/samplegen/sampling"
)

// connectLogged serves srv the way go-sdk documents (srv.Connect on a
// transport, no runtime.Serve) to a client whose transport logs the wire.
func connectLogged(t *testing.T, srv *mcp.Server, opts *mcp.ClientOptions) (*mcp.ClientSession, *wirelog.Log) {
	t.Helper()
	log := &wirelog.Log{}
	cs := connectVia(t, srv, opts, func(ct mcp.Transport) mcp.Transport { return &mcp.LoggingTransport{Transport: ct, Writer: log} })
	return cs, log
}

// samplingRequests finds the sampling requests among the messages: pushed
// requests' params, and the params of input requests.
func samplingRequests(msgs []map[string]any) []map[string]any {
	var out []map[string]any
	for _, m := range msgs {
		if m["method"] == "sampling/createMessage" {
			out = append(out, m["params"].(map[string]any))
		}
		if res, ok := m["result"].(map[string]any); ok {
			irs, _ := res["inputRequests"].(map[string]any)
			for _, ir := range irs {
				if ir := ir.(map[string]any); ir["method"] == "sampling/createMessage" {
					out = append(out, ir["params"].(map[string]any))
				}
			}
		}
	}
	return out
}

// A zero temperature reaches the wire however the server is run, on both
// eras, and the mark that carries it past go-sdk stays in the process.
func TestZeroTemperatureOnTheWire(t *testing.T) {
	for _, protocol := range []string{legacyProtocol, mrtrProtocol} {
		t.Run(protocol, func(t *testing.T) {
			spec := verdictSpec()
			spec.Params.Temperature = runtime.Float(0)
			srv := newServer(protocol)
			runtime.NewTool(spec).Add(srv, quiet(), runtime.WithStateKey(testKey))
			var asked *mcp.CreateMessageWithToolsParams
			model := runtime.SamplerFunc(func(_ context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
				asked = req
				return &mcp.CreateMessageWithToolsResult{Role: "assistant", Model: "m", Content: []mcp.Content{&mcp.TextContent{Text: `{"label":"spam","score":0.9}`}}}, nil
			})
			cs, log := connectLogged(t, srv, &mcp.ClientOptions{CreateMessageWithToolsHandler: runtime.SamplingHandler(model)})
			if res := callClassify(t, cs, "WIN A PRIZE"); res.IsError {
				t.Fatalf("tool error: %v", res.Content)
			}
			reqs := samplingRequests(log.Read(t))
			if len(reqs) != 1 {
				t.Fatalf("%d sampling requests on the wire, want 1", len(reqs))
			}
			if temp, ok := reqs[0]["temperature"]; !ok || temp != float64(0) {
				t.Errorf("temperature on the wire = %v (present %v), want 0", temp, ok)
			}
			if meta, _ := reqs[0]["_meta"].(map[string]any); meta[sampling.TemperatureMetaKey] == nil {
				t.Errorf("_meta on the wire = %v: a samplegen client reads the zero from the mark, which go-sdk's decoder loses", meta)
			}
			if asked == nil {
				t.Fatal("the client was not asked")
			}
			if temp, ok := sampling.Temperature(asked); !ok || temp != 0 {
				t.Errorf("at the client, sampling.Temperature = %v, %v; want 0, true", temp, ok)
			}
		})
	}
}

// In process, sampling.Temperature tells a zero temperature from none.
func TestTemperature(t *testing.T) {
	spec := verdictSpec()
	for _, tc := range []struct {
		temp   *float64
		want   float64
		wantOK bool
	}{{nil, 0, false}, {runtime.Float(0), 0, true}, {runtime.Float(0.7), 0.7, true}} {
		spec.Params.Temperature = tc.temp
		model := say(`{"label":"ham","score":0.1}`)
		if _, err := runtime.NewTool(spec).Sample(context.Background(), model, Ticket{Text: "hi"}); err != nil {
			t.Fatal(err)
		}
		got, ok := sampling.Temperature(model.asked()[0])
		if got != tc.want || ok != tc.wantOK {
			t.Errorf("temperature %v: Temperature = %v, %v; want %v, %v", tc.temp, got, ok, tc.want, tc.wantOK)
		}
	}
}

// Middleware of the server's own, added after a samplegen tool, still sees
// every tool result through ToolResult, and what middleware adds to a
// sampling request's _meta reaches the client.
func TestOtherMiddlewareOnTheSameServer(t *testing.T) {
	for _, protocol := range []string{legacyProtocol, mrtrProtocol} {
		t.Run(protocol, func(t *testing.T) {
			spec := verdictSpec()
			spec.Params.Temperature = runtime.Float(0)
			srv := newServer(protocol)
			// Sending middleware added before the tool, so that it sees the
			// request as samplegen's middleware passes it on.
			srv.AddSendingMiddleware(func(next mcp.MethodHandler) mcp.MethodHandler {
				return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
					if method == "sampling/createMessage" {
						m := req.GetParams().GetMeta()
						if m == nil {
							m = map[string]any{}
						}
						m["traceparent"] = "00-trace-span-01"
						req.GetParams().SetMeta(m)
					}
					return next(ctx, method, req)
				}
			})
			runtime.NewTool(spec).Add(srv, quiet(), runtime.WithStateKey(testKey))
			var results, unreadable int
			srv.AddReceivingMiddleware(func(next mcp.MethodHandler) mcp.MethodHandler {
				return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
					res, err := next(ctx, method, req)
					if method == "tools/call" && err == nil {
						if _, ok := runtime.ToolResult(res); ok {
							results++
						} else {
							unreadable++
						}
					}
					return res, err
				}
			})
			var meta mcp.Meta
			model := runtime.SamplerFunc(func(_ context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
				meta = req.Meta
				return &mcp.CreateMessageWithToolsResult{Role: "assistant", Model: "m", Content: []mcp.Content{&mcp.TextContent{Text: `{"label":"spam","score":0.9}`}}}, nil
			})
			res := callClassify(t, connect(t, srv, &mcp.ClientOptions{CreateMessageWithToolsHandler: runtime.SamplingHandler(model)}), "x")
			if res.IsError || unreadable != 0 || results == 0 {
				t.Errorf("result %s; middleware read %d results and could not read %d", textOf(res), results, unreadable)
			}
			if protocol == legacyProtocol && meta["traceparent"] != "00-trace-span-01" {
				t.Errorf("the client got _meta %v, without what sending middleware added", meta)
			}
		})
	}
}
