package interop_test

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/samplegen/samplegen/runtime"
)

// exportedSpan is what OpenTelemetry's stdout exporter writes of a span
// (runtime.ServeConfig.TraceFile), as far as the test reads it.
type exportedSpan struct {
	Name        string
	SpanContext struct{ TraceID, SpanID string }
	Parent      struct{ TraceID, SpanID string }
	Attributes  []struct {
		Key   string
		Value struct{ Value any }
	}
}

func (s exportedSpan) attr(key string) any {
	for _, a := range s.Attributes {
		if a.Key == key {
			return a.Value.Value
		}
	}
	return nil
}

// The TypeScript SDK's client receives, in each pushed sampling request's
// _meta, the traceparent of the server's chat span for that question, and
// that span, a child of the tool call's, is in the server's -trace-file:
// the trace goes on into a real peer.
func TestTypeScriptClientGetsTheTraceContext(t *testing.T) {
	needNode(t)
	file := filepath.Join(t.TempDir(), "spans.jsonl")
	url := startServer(t, serverBin, "-http", "127.0.0.1:0", "-trace-file", file)
	out := runTSClient(t, "--http", url)
	checkToolResult(t, out.Result, runtime.EraPush)
	if len(out.Requests) == 0 {
		t.Fatal("the client got no sampling request")
	}

	spans := map[string]exportedSpan{}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var s exportedSpan
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			t.Fatalf("trace file line %q: %v", sc.Text(), err)
		}
		spans[s.SpanContext.SpanID] = s
	}
	for i, req := range out.Requests {
		meta, _ := req["_meta"].(map[string]any)
		tp, _ := meta["traceparent"].(string)
		parts := strings.Split(tp, "-")
		if len(parts) != 4 || parts[0] != "00" {
			t.Fatalf("sampling request %d: _meta.traceparent = %q (_meta %v)", i, tp, meta)
		}
		chat, ok := spans[parts[2]]
		if !ok || chat.Name != "chat" || chat.SpanContext.TraceID != parts[1] {
			t.Fatalf("sampling request %d carries span %s, which the trace file has not as a chat span (%+v)", i, parts[2], chat)
		}
		call, ok := spans[chat.Parent.SpanID]
		if !ok || call.Name != "tools/call "+toolName || call.attr("gen_ai.tool.name") != toolName || call.attr("mcp.protocol.version") != pushEra {
			t.Errorf("the chat span's parent is %+v, want the tools/call span", call)
		}
	}
}
