package runtime

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// go-sdk v1.8.0 marshals a sampling request's temperature with omitempty,
// so a temperature of 0, the usual choice for extraction, never reaches the
// client, which then samples at its own default (go-sdk issue #1133). The
// runtime marks an explicit 0 in the request's _meta, and the transports
// that Serve sets up move it into "temperature" as the message leaves.
// Where a message leaves another way the mark stays in _meta, where it is
// harmless. Delete this file when go-sdk sends the zero itself.
const zeroTemperatureMeta = "io.samplegen/temperature"

var zeroTemperatureMark = []byte(`"` + zeroTemperatureMeta + `"`)

const methodCreateMessage = "sampling/createMessage"

// restoreTemperature returns the JSON-RPC message msg with marked zero
// temperatures put back in place: in a pushed sampling request, or in the
// input requests of a multi round-trip result. Messages without the mark,
// all but a few, are returned as they are without being decoded.
func restoreTemperature(msg []byte) []byte {
	return rewriteMarked(msg, func(m map[string]any) bool {
		changed := false
		if m["method"] == methodCreateMessage {
			changed = restoreParams(m["params"])
		}
		if result, ok := m["result"].(map[string]any); ok {
			changed = restoreInputRequests(result) || changed
		}
		return changed
	})
}

// restoreInputRequests restores the sampling requests among a result's
// input requests.
func restoreInputRequests(result map[string]any) bool {
	requests, ok := result["inputRequests"].(map[string]any)
	if !ok {
		return false
	}
	changed := false
	for _, r := range requests {
		if r, ok := r.(map[string]any); ok && r["method"] == methodCreateMessage {
			changed = restoreParams(r["params"]) || changed
		}
	}
	return changed
}

// rewriteMarked decodes a JSON object that holds the mark, lets fix change
// it, and encodes it again; anything else comes back untouched.
func rewriteMarked(data []byte, fix func(map[string]any) bool) []byte {
	if !bytes.Contains(data, zeroTemperatureMark) {
		return data
	}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if dec.Decode(&m) != nil || !fix(m) {
		return data
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if enc.Encode(m) != nil {
		return data
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

func restoreParams(p any) bool {
	params, ok := p.(map[string]any)
	if !ok {
		return false
	}
	meta, ok := params["_meta"].(map[string]any)
	if !ok {
		return false
	}
	t, ok := meta[zeroTemperatureMeta]
	if !ok {
		return false
	}
	params["temperature"] = t
	delete(meta, zeroTemperatureMeta)
	if len(meta) == 0 {
		delete(params, "_meta")
	}
	return true
}

// temperatureTransport restores marked temperatures on a transport's
// outgoing messages.
type temperatureTransport struct{ mcp.Transport }

func (t temperatureTransport) Connect(ctx context.Context) (mcp.Connection, error) {
	c, err := t.Transport.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return temperatureConn{c}, nil
}

type temperatureConn struct{ mcp.Connection }

func (c temperatureConn) Write(ctx context.Context, msg jsonrpc.Message) error {
	switch m := msg.(type) {
	case *jsonrpc.Request:
		if m.Method == methodCreateMessage {
			cp := *m
			cp.Params = rewriteMarked(m.Params, func(params map[string]any) bool { return restoreParams(params) })
			msg = &cp
		}
	case *jsonrpc.Response:
		if len(m.Result) > 0 {
			cp := *m
			cp.Result = rewriteMarked(m.Result, restoreInputRequests)
			msg = &cp
		}
	}
	return c.Connection.Write(ctx, msg)
}

// temperatureHandler restores marked temperatures in the messages an HTTP
// transport writes: server-sent events ("data: " lines, one event a Write,
// as go-sdk writes them) and plain JSON bodies.
func temperatureHandler(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(&temperatureWriter{ResponseWriter: w}, r)
	})
}

type temperatureWriter struct{ http.ResponseWriter }

// Unwrap lets http.ResponseController reach the Flusher go-sdk needs.
func (w *temperatureWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *temperatureWriter) Write(p []byte) (int, error) {
	if !bytes.Contains(p, zeroTemperatureMark) {
		return w.ResponseWriter.Write(p)
	}
	var out []byte
	if bytes.HasPrefix(bytes.TrimSpace(p), []byte("{")) {
		out = restoreTemperature(p)
	} else {
		lines := bytes.SplitAfter(p, []byte("\n"))
		for i, l := range lines {
			if data, ok := bytes.CutPrefix(l, []byte("data: ")); ok {
				end := bytes.TrimRight(data, "\r\n")
				lines[i] = append(append([]byte("data: "), restoreTemperature(end)...), data[len(end):]...)
			}
		}
		out = bytes.Join(lines, nil)
	}
	if _, err := w.ResponseWriter.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}
