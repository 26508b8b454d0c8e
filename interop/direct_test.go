package interop_test

import (
	"testing"

	"github.com/samplegen/samplegen/internal/aimock"
)

// Direct mode, the way README runs it: the sentiment server started with
// SAMPLEGEN_PROVIDER and SAMPLEGEN_MODEL has a model of its own, the OpenAI
// adapter (here against aimock), and a host that never shipped sampling
// (the TypeScript client declaring no capability) gets the typed answer
// instead of -32021, over stdio and Streamable HTTP. The answer is asked
// for as structured output: response_format json_schema with the output
// schema, strict, on the wire.
func TestDirectModeTypeScriptClient(t *testing.T) {
	needNode(t)
	for _, transport := range []string{"--stdio", "--http"} {
		t.Run(transport, func(t *testing.T) {
			mock := aimock.Start(t, aimock.Options{Fixtures: "testdata/aimock/direct.json"})
			env := map[string]string{
				"SAMPLEGEN_PROVIDER": "openai",
				"SAMPLEGEN_MODEL":    "gpt-4o-mini",
				"OPENAI_BASE_URL":    mock.URL + "/v1",
				"OPENAI_API_KEY":     "sk-interop",
			}
			target := []string{"--stdio", serverBin}
			if transport == "--http" {
				var pairs []string
				for k, v := range env {
					pairs = append(pairs, k+"="+v)
				}
				target = []string{"--http", startServerProc(t, pairs, serverBin, "-http", "127.0.0.1:0").url}
			} else {
				for k, v := range env { // the client passes its environment to the server it starts
					t.Setenv(k, v)
				}
			}
			out := runTSClientCall(t, tsCall{tool: toolName, args: map[string]any{"text": inputText}, noSampling: true}, target...)
			if len(out.Requests) != 0 {
				t.Errorf("the client was sent %d sampling requests; it declared no sampling", len(out.Requests))
			}
			if got := out.Result["structuredContent"]; jsonString(got) != jsonString(wantResult) {
				t.Errorf("structuredContent = %s, want %s", jsonString(got), jsonString(wantResult))
			}
			meta, _ := out.Result["_meta"].(map[string]any)
			rep, _ := meta[reportKey].(map[string]any)
			plan, _ := rep["plan"].(map[string]any)
			if plan["era"] != "direct" {
				t.Errorf("report plan = %s, want era direct", jsonString(plan))
			}
			if usage, _ := rep["usage"].(map[string]any); usage["inputTokens"] != float64(152) || usage["outputTokens"] != float64(14) {
				t.Errorf("report usage = %s, want the provider's counts 152 and 14", jsonString(rep["usage"]))
			}

			entries := mock.Journal(t, aimock.Filter{Path: "/v1/chat/completions"})
			if len(entries) != 1 {
				t.Fatalf("aimock saw %d chat completions, want 1", len(entries))
			}
			var body struct {
				Model          string `json:"model"`
				Temperature    *float64
				ResponseFormat struct {
					Type       string `json:"type"`
					JSONSchema struct {
						Strict *bool          `json:"strict"`
						Schema map[string]any `json:"schema"`
					} `json:"json_schema"`
				} `json:"response_format"`
			}
			if err := entries[0].Decode(&body); err != nil {
				t.Fatal(err)
			}
			props, _ := body.ResponseFormat.JSONSchema.Schema["properties"].(map[string]any)
			if body.Model != "gpt-4o-mini" || body.ResponseFormat.Type != "json_schema" || props["sentiment"] == nil {
				t.Errorf("the provider was asked %+v, want gpt-4o-mini with the output schema as response_format json_schema", body)
			}
			if body.Temperature == nil || *body.Temperature != 0 {
				t.Errorf("temperature on the wire = %v, want the tool's 0", body.Temperature)
			}
		})
	}
}
