package interop_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
	"github.com/samplegen/samplegen/sampling"
)

// The plain-server cells of the matrix: tools on a server run the two ways
// go-sdk documents, without runtime.Serve (see internal/plainserver):
// srv.Run over mcp.StdioTransport, and mcp.NewStreamableHTTPHandler on a
// plain http.Server. go-sdk v1.8.0 drops a zero temperature from the
// sampling requests it encodes (go-sdk#1133); the sentiment tool declares
// temperature=0, so the client must still see an explicit 0, and no trace
// together with the runtime's mark of it in _meta, which samplegen's own
// clients read (go-sdk's decoder loses the zero), however the server is run. The output cells
// (below) check what the runtime does to listings and results the same way.

// zeroTemperatureMeta is the _meta key under which the runtime marks an
// explicit zero temperature (runtime/wire.go).
const zeroTemperatureMeta = sampling.TemperatureMetaKey

// TestPlainServerTypeScriptStdio: the TypeScript SDK client over stdio
// against srv.Run(ctx, &mcp.StdioTransport{}).
func TestPlainServerTypeScriptStdio(t *testing.T) {
	needNode(t)
	out := runTSClient(t, "--stdio", plainSB)
	checkTSOutput(t, out)
	checkTemperatureMark(t, out.Requests)
}

// TestPlainServerTypeScriptStreamableHTTP: the TypeScript SDK client over
// stateful Streamable HTTP against mcp.NewStreamableHTTPHandler served by a
// plain http.Server.
func TestPlainServerTypeScriptStreamableHTTP(t *testing.T) {
	needNode(t)
	url := startServer(t, plainSB, "-http", "127.0.0.1:0")
	out := runTSClient(t, "--http", url)
	checkTSOutput(t, out)
	checkTemperatureMark(t, out.Requests)
}

// checkTemperatureMark checks that every sampling request, as it reached
// the client, carries the runtime's zero-temperature mark in its _meta
// exactly where it asks for temperature 0 (checkSamplingRequests, through
// checkTSOutput, checks the explicit 0).
func checkTemperatureMark(t *testing.T, reqs []map[string]any) {
	t.Helper()
	for i, req := range reqs {
		meta, _ := req["_meta"].(map[string]any)
		_, marked := meta[zeroTemperatureMeta]
		temp, hasTemp := req["temperature"]
		if zero := hasTemp && temp == float64(0); marked != zero {
			t.Errorf("request %d: temperature %v (present %v), mark %v in _meta = %s: the mark goes with an explicit 0 and only with it", i+1, temp, hasTemp, marked, jsonString(req["_meta"]))
		}
	}
}

// The output cells: two more tools of internal/plainserver, called by the
// TypeScript SDK client after it has listed the tools. Listing arms the
// SDK's check of each result's structured content against the tool's
// output schema (a mismatch is -32602, "Structured content does not match
// the tool's output schema"), and the SDK's parsing of tools/list refuses
// an output schema whose type is not "object"; the client speaks
// 2025-11-25, so it must be shown objects.

const (
	// summaryText is the summary the scripted model gives, after a
	// reasoning block that is not part of the answer.
	summaryText   = "The update fixed the crashes."
	summaryAnswer = "<think>ok</think>" + summaryText
)

// summarizeSchema is summarize's own output schema (internal/plainserver),
// which a 2025-11-25 client must see under properties.result.
var summarizeSchema = map[string]any{"type": "string", "minLength": 1.0, "maxLength": 200.0}

var summarizeCall = tsCall{
	tool:      "summarize",
	args:      map[string]any{"text": inputText},
	script:    []answer{{Text: summaryAnswer, Model: "scripted-model-1", StopReason: "endTurn"}},
	listTools: true,
}

// tagsCall calls tags with a text without hashtags: the tool's Go value
// has a nil slice and a nil map, and samples nothing.
var tagsCall = tsCall{tool: "tags", args: map[string]any{"text": inputText}, listTools: true}

// TestPlainServerTypeScriptTextOutput: a tool whose output is a string.
// The client must accept the result, see the model's text verbatim (its
// reasoning set aside) as the text content, the value under "result" as
// structured content, and an object output schema with the string's own
// schema under properties.result.
func TestPlainServerTypeScriptTextOutput(t *testing.T) {
	needNode(t)
	onPlainTransports(t, func(t *testing.T, target ...string) {
		out := runTSClientCall(t, summarizeCall, target...)
		if out.ProtocolVersion != pushEra {
			t.Errorf("negotiated protocol version = %q, want %q (the era whose clients take only object outputs)", out.ProtocolVersion, pushEra)
		}

		schema := listedOutputSchema(t, out.Tools, "summarize")
		props, _ := schema["properties"].(map[string]any)
		if schema["type"] != "object" || !reflect.DeepEqual(props[runtime.ResultProperty], summarizeSchema) || !reflect.DeepEqual(schema["required"], []any{runtime.ResultProperty}) {
			t.Errorf("summarize is listed with outputSchema %s, want an object requiring %q whose properties.%s is %s", jsonString(schema), runtime.ResultProperty, runtime.ResultProperty, jsonString(summarizeSchema))
		}

		res := checkAccepted(t, out.Result)
		if got := textContent(t, res); got != summaryText {
			t.Errorf("text content = %q, want the model's text without its reasoning, verbatim: %q", got, summaryText)
		}
		if got, want := res["structuredContent"], map[string]any{runtime.ResultProperty: summaryText}; !reflect.DeepEqual(got, want) {
			t.Errorf("structuredContent = %s, want %s", jsonString(got), jsonString(want))
		}
		report := reportOf(t, res)
		if report.Plan.Era != runtime.EraPush || report.Outcome != runtime.OutcomeOK || len(report.Samples) != 1 ||
			report.Samples[0].Answer != runtime.AnswerText || len(report.Samples[0].Rounds) != 1 {
			t.Errorf("report = %s, want era %q, outcome ok and one sample answered as text in one round", jsonString(report), runtime.EraPush)
		}

		if len(out.Requests) != 1 {
			t.Fatalf("got %d sampling requests, want 1 (the answer is valid as it is):\n%s", len(out.Requests), jsonString(out.Requests))
		}
		req := out.Requests[0]
		if msgs := messages(t, 1, req); len(msgs) != 1 || msgs[0].role != "user" || !strings.Contains(msgs[0].text, inputText) {
			t.Errorf("request messages = %+v, want one user message containing the input %q", msgs, inputText)
		}
		if temp, ok := req["temperature"]; !ok || temp != float64(0) {
			t.Errorf("request temperature = %v (present: %v), want an explicit 0 on the wire", temp, ok)
		}
		checkTemperatureMark(t, out.Requests)
	})
}

// TestPlainServerTypeScriptEmptyCollections: a function tool whose schema
// requires an array and an object, and whose Go value leaves them nil. The
// client must accept the result, with [] and {} where encoding/json writes
// null, which its schema check would reject.
func TestPlainServerTypeScriptEmptyCollections(t *testing.T) {
	needNode(t)
	onPlainTransports(t, func(t *testing.T, target ...string) {
		out := runTSClientCall(t, tagsCall, target...)
		// The schema the client checks the result against, as it listed it.
		schema := listedOutputSchema(t, out.Tools, "tags")
		if schema["type"] != "object" || !reflect.DeepEqual(schema["required"], []any{"tags", "notes"}) {
			t.Errorf("tags is listed with outputSchema %s, want its own, which requires tags and notes", jsonString(schema))
		}

		res := checkAccepted(t, out.Result)
		want := map[string]any{"tags": []any{}, "notes": map[string]any{}}
		if got := res["structuredContent"]; !reflect.DeepEqual(got, want) {
			t.Errorf("structuredContent = %s, want %s", jsonString(got), jsonString(want))
		}
		var text any
		if err := json.Unmarshal([]byte(textContent(t, res)), &text); err != nil || !reflect.DeepEqual(text, want) {
			t.Errorf("text content = %q (%v), want the JSON of the structured content", textContent(t, res), err)
		}
		if report := reportOf(t, res); report.Outcome != runtime.OutcomeOK || len(report.Samples) != 0 {
			t.Errorf("report = %s, want outcome ok and no samples", jsonString(report))
		}
		if len(out.Requests) != 0 {
			t.Errorf("got %d sampling requests, want none:\n%s", len(out.Requests), jsonString(out.Requests))
		}
	})
}

// onPlainTransports runs cell against internal/plainserver over stdio and
// over stateful Streamable HTTP, with the client target arguments for each.
func onPlainTransports(t *testing.T, cell func(t *testing.T, target ...string)) {
	t.Helper()
	t.Run("stdio", func(t *testing.T) { cell(t, "--stdio", plainSB) })
	t.Run("http", func(t *testing.T) { cell(t, "--http", startServer(t, plainSB, "-http", "127.0.0.1:0")) })
}

// listedOutputSchema returns the output schema of the named tool as the
// client listed it.
func listedOutputSchema(t *testing.T, tools []map[string]any, name string) map[string]any {
	t.Helper()
	for _, tool := range tools {
		if tool["name"] == name {
			schema, ok := tool["outputSchema"].(map[string]any)
			if !ok {
				t.Fatalf("%s is listed without an outputSchema: %s", name, jsonString(tool))
			}
			return schema
		}
	}
	t.Fatalf("the client listed no tool %q (did it list the tools at all?): %s", name, jsonString(tools))
	return nil
}

// checkAccepted returns a CallToolResult the client accepted (runTSClientCall
// fails the test when the client rejects one), after checking it is not a
// tool error.
func checkAccepted(t *testing.T, result map[string]any) map[string]any {
	t.Helper()
	if result == nil {
		t.Fatal("no tool result")
	}
	if isErr, _ := result["isError"].(bool); isErr {
		t.Fatalf("tool returned an error: %s", jsonString(result["content"]))
	}
	return result
}

// textContent returns the text of a result that must have exactly one
// content block, a text block.
func textContent(t *testing.T, result map[string]any) string {
	t.Helper()
	content, _ := result["content"].([]any)
	var block map[string]any
	if len(content) == 1 {
		block, _ = content[0].(map[string]any)
	}
	text, ok := block["text"].(string)
	if block["type"] != "text" || !ok {
		t.Fatalf("content = %s, want one text block", jsonString(result["content"]))
	}
	return text
}

// reportOf returns the call's report from the result's _meta.
func reportOf(t *testing.T, result map[string]any) runtime.CallReport {
	t.Helper()
	meta, _ := result["_meta"].(map[string]any)
	report, ok, err := runtime.CallReportOf(&mcp.CallToolResult{Meta: meta})
	if !ok || err != nil {
		t.Fatalf("result _meta has no %q report (%v): _meta = %s", reportKey, err, jsonString(result["_meta"]))
	}
	return *report
}
