package runtime

import (
	"strings"
	"testing"
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
	if got := string(restoreInResult([]byte(`{"inputRequests":{"a":{"method":"sampling/createMessage","params":{"_meta":{"io.samplegen/temperature":0}}}}}`))); !strings.Contains(got, `"temperature":0`) || strings.Contains(got, "_meta") {
		t.Errorf("restoreInResult = %s", got)
	}
}
