package runtime

import (
	"context"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

func TestRestoreTemperature(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{
			"pushed request",
			`{"jsonrpc":"2.0","id":3,"method":"sampling/createMessage","params":{"_meta":{"io.samplegen/temperature":0},"maxTokens":64,"messages":[{"role":"user","content":{"type":"text","text":"<b>&"}}]}}`,
			`{"id":3,"jsonrpc":"2.0","method":"sampling/createMessage","params":{"maxTokens":64,"messages":[{"content":{"text":"<b>&","type":"text"},"role":"user"}],"temperature":0}}`,
		},
		{
			"other _meta keys stay",
			`{"method":"sampling/createMessage","params":{"_meta":{"io.samplegen/temperature":0,"progressToken":7}}}`,
			`{"method":"sampling/createMessage","params":{"_meta":{"progressToken":7},"temperature":0}}`,
		},
		{
			"input requests of a multi round-trip result",
			`{"id":1,"result":{"resultType":"input_required","requestState":"s","inputRequests":{"a":{"method":"sampling/createMessage","params":{"_meta":{"io.samplegen/temperature":0},"maxTokens":8}},"b":{"method":"elicitation/create","params":{"_meta":{"io.samplegen/temperature":0}}}}}}`,
			`{"id":1,"result":{"inputRequests":{"a":{"method":"sampling/createMessage","params":{"maxTokens":8,"temperature":0}},"b":{"method":"elicitation/create","params":{"_meta":{"io.samplegen/temperature":0}}}},"requestState":"s","resultType":"input_required"}}`,
		},
		{"no mark", `{"method":"sampling/createMessage","params":{"maxTokens":1}}`, `{"method":"sampling/createMessage","params":{"maxTokens":1}}`},
		{"the mark in a tool result is text, not a request", `{"id":1,"result":{"content":[{"type":"text","text":"\"io.samplegen/temperature\""}]}}`, `{"id":1,"result":{"content":[{"type":"text","text":"\"io.samplegen/temperature\""}]}}`},
		{"not JSON", `data: "io.samplegen/temperature"`, `data: "io.samplegen/temperature"`},
	} {
		if got := string(restoreTemperature([]byte(tc.in))); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
	}
}

// The stdio transport sees params and results on their own, not whole
// messages.
func TestTemperatureConnRestoresParamsAndResults(t *testing.T) {
	sent := &lastWrite{}
	conn := temperatureConn{sent}
	id, _ := jsonrpc.MakeID(float64(1))
	conn.Write(context.Background(), &jsonrpc.Request{ID: id, Method: methodCreateMessage, Params: []byte(`{"_meta":{"io.samplegen/temperature":0},"maxTokens":5}`)})
	if got := string(sent.msg.(*jsonrpc.Request).Params); got != `{"maxTokens":5,"temperature":0}` {
		t.Errorf("pushed request params = %s", got)
	}
	conn.Write(context.Background(), &jsonrpc.Response{ID: id, Result: []byte(`{"inputRequests":{"a":{"method":"sampling/createMessage","params":{"_meta":{"io.samplegen/temperature":0}}}},"requestState":"s"}`)})
	if got := string(sent.msg.(*jsonrpc.Response).Result); got != `{"inputRequests":{"a":{"method":"sampling/createMessage","params":{"temperature":0}}},"requestState":"s"}` {
		t.Errorf("multi round-trip result = %s", got)
	}
}

type lastWrite struct {
	mcp.Connection
	msg jsonrpc.Message
}

func (w *lastWrite) Write(_ context.Context, msg jsonrpc.Message) error {
	w.msg = msg
	return nil
}
