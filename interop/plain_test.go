package interop_test

import "testing"

// The plain-server cells of the matrix: the sentiment tool on a server run
// the two ways go-sdk documents, without runtime.Serve (see
// internal/plainserver): srv.Run over mcp.StdioTransport, and
// mcp.NewStreamableHTTPHandler on a plain http.Server. go-sdk v1.8.0 drops
// a zero temperature from the sampling requests it encodes (go-sdk#1133);
// the tool declares temperature=0, so the client must still see an explicit
// 0, and no trace of the runtime's workaround, however the server is run.

// zeroTemperatureMeta is the _meta key under which the runtime carries an
// explicit zero temperature past go-sdk's encoder (runtime/wire.go). It
// must never reach a client: it is moved into "temperature" on the way out.
const zeroTemperatureMeta = "io.samplegen/temperature"

// TestPlainServerTypeScriptStdio: the TypeScript SDK client over stdio
// against srv.Run(ctx, &mcp.StdioTransport{}).
func TestPlainServerTypeScriptStdio(t *testing.T) {
	needNode(t)
	out := runTSClient(t, "--stdio", plainSB)
	checkTSOutput(t, out)
	checkNoTemperatureMark(t, out.Requests)
}

// TestPlainServerTypeScriptStreamableHTTP: the TypeScript SDK client over
// stateful Streamable HTTP against mcp.NewStreamableHTTPHandler served by a
// plain http.Server.
func TestPlainServerTypeScriptStreamableHTTP(t *testing.T) {
	needNode(t)
	url := startServer(t, plainSB, "-http", "127.0.0.1:0")
	out := runTSClient(t, "--http", url)
	checkTSOutput(t, out)
	checkNoTemperatureMark(t, out.Requests)
}

// checkNoTemperatureMark checks that no sampling request, as it reached the
// client, still carries the runtime's zero-temperature mark in its _meta.
// (checkSamplingRequests, through checkTSOutput, checks the explicit 0.)
func checkNoTemperatureMark(t *testing.T, reqs []map[string]any) {
	t.Helper()
	for i, req := range reqs {
		meta, _ := req["_meta"].(map[string]any)
		if v, ok := meta[zeroTemperatureMeta]; ok {
			t.Errorf("request %d: _meta still carries %q (= %v), the runtime's mark, which must not reach the client: _meta = %s", i+1, zeroTemperatureMeta, v, jsonString(req["_meta"]))
		}
	}
}
