package runtime_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
)

// Summary is a text output: the model's plain text is its value.
type Summary string

func summarySpec() runtime.Spec[Ticket, Summary] {
	return runtime.Spec[Ticket, Summary]{
		Name:         "summarize",
		InputSchema:  ticketSchema,
		OutputSchema: `{"type":"string","minLength":1,"maxLength":60}`,
		Prompt:       "Summarize: {{fence .Text}}",
	}
}

// wantStructured is the structured content a client of protocol sees for
// value: the value itself on 2026-07-28, wrapped under "result" before.
func wantStructured(protocol string, value any) any {
	if protocol >= mrtrProtocol {
		return value
	}
	return map[string]any{runtime.ResultProperty: value}
}

func TestTextOutputTakesTheModelsText(t *testing.T) {
	for _, protocol := range []string{legacyProtocol, mrtrProtocol} {
		t.Run(protocol, func(t *testing.T) {
			srv := newServer(protocol)
			runtime.NewTool(summarySpec()).Add(srv, quiet(), runtime.WithStateKey(testKey))
			// The first answer is too long; the re-ask says so, and the
			// second is taken as it is, reasoning set aside.
			model := say(strings.Repeat("far too long ", 10), "<think>short, then</think>\nThe app crashes on start.")
			res := callTool(t, connect(t, srv, &mcp.ClientOptions{CreateMessageHandler: model.handler}), "summarize", map[string]any{"text": "it crashes"})
			if res.IsError {
				t.Fatalf("tool error: %s", textOf(res))
			}
			const want = "The app crashes on start."
			if textOf(res) != want || !reflect.DeepEqual(decode[any](t, res.StructuredContent), wantStructured(protocol, want)) {
				t.Errorf("text %q, structured %v; want %q", textOf(res), res.StructuredContent, want)
			}
			reqs := model.asked()
			if !strings.Contains(reqs[0].SystemPrompt, "Answer with the text itself") || !strings.Contains(reqs[0].SystemPrompt, "between 1 and 60 characters long") || strings.Contains(reqs[0].SystemPrompt, "JSON") {
				t.Errorf("system prompt:\n%s", reqs[0].SystemPrompt)
			}
			if again := text(reqs[1].Messages[2]); !strings.Contains(again, "longer than the maximum 60") || !strings.Contains(again, "corrected text") {
				t.Errorf("re-ask:\n%s", again)
			}
			if rep := reportOf(t, res); rep.Answer != runtime.AnswerText || len(rep.Rounds) != 2 {
				t.Errorf("report %+v", rep)
			}
		})
	}
}

// A text output needs no respond tool, even where the client offers tools.
func TestTextOutputNeverUsesRespond(t *testing.T) {
	srv := newServer(legacyProtocol)
	runtime.NewTool(summarySpec()).Add(srv, quiet())
	var asked *mcp.CreateMessageWithToolsParams
	handler := func(_ context.Context, req *mcp.CreateMessageWithToolsRequest) (*mcp.CreateMessageWithToolsResult, error) {
		asked = req.Params
		return &mcp.CreateMessageWithToolsResult{Role: "assistant", Model: "m", Content: []mcp.Content{&mcp.TextContent{Text: "Short."}}}, nil
	}
	res := callTool(t, connect(t, srv, &mcp.ClientOptions{CreateMessageWithToolsHandler: handler}), "summarize", map[string]any{"text": "x"})
	if res.IsError || textOf(res) != "Short." || asked.Tools != nil {
		t.Errorf("result %s, tools asked %v", textOf(res), asked.Tools)
	}
}

// Label is one item of a list output.
type Label struct {
	Name string `json:"name"`
}

func labelsSpec() runtime.Spec[Ticket, []Label] {
	return runtime.Spec[Ticket, []Label]{
		Name:         "labels",
		InputSchema:  ticketSchema,
		OutputSchema: `{"type":"array","items":{"$ref":"#/$defs/Label"},"minItems":1,"$defs":{"Label":{"type":"object","properties":{"name":{"type":"string","enum":["bug","billing"]}},"required":["name"],"additionalProperties":false}}}`,
		Prompt:       "Labels for {{fence .Text}}",
	}
}

// A list output works on both eras, through the respond tool (its input
// wrapped under "result", its definitions moved to the wrapper) and as
// JSON in the answer's text.
func TestListOutput(t *testing.T) {
	for _, protocol := range []string{legacyProtocol, mrtrProtocol} {
		t.Run(protocol+"/respond", func(t *testing.T) {
			srv := newServer(protocol)
			runtime.NewTool(labelsSpec()).Add(srv, quiet(), runtime.WithStateKey(testKey))
			model := &toolModel{inputs: []map[string]any{{"result": []any{map[string]any{"name": "Bug"}}}}}
			res := callTool(t, connect(t, srv, &mcp.ClientOptions{CreateMessageWithToolsHandler: model.handler}), "labels", map[string]any{"text": "x"})
			if res.IsError {
				t.Fatalf("tool error: %s", textOf(res))
			}
			want := []any{map[string]any{"name": "bug"}}
			if got := decode[any](t, res.StructuredContent); !reflect.DeepEqual(got, wantStructured(protocol, want)) {
				t.Errorf("structured %v", got)
			}
			schema := decode[map[string]any](t, model.requests[0].Tools[0].InputSchema)
			if schema["type"] != "object" || schema["$defs"] == nil || !reflect.DeepEqual(schema["required"], []any{"result"}) {
				t.Errorf("respond's input schema = %v", schema)
			}
		})
		t.Run(protocol+"/json", func(t *testing.T) {
			srv := newServer(protocol)
			runtime.NewTool(labelsSpec()).Add(srv, quiet(), runtime.WithStateKey(testKey))
			model := say("```json\n[{\"name\": \"billing\"},]\n```")
			res := callTool(t, connect(t, srv, &mcp.ClientOptions{CreateMessageHandler: model.handler}), "labels", map[string]any{"text": "x"})
			if got := textOf(res); res.IsError || got != `[{"name":"billing"}]` {
				t.Errorf("result %s", got)
			}
		})
	}
}

// Clients before 2026-07-28 are shown an object output schema for a tool
// whose output is not an object; clients of 2026-07-28 see the value's own.
func TestListedOutputSchemas(t *testing.T) {
	for _, protocol := range []string{legacyProtocol, mrtrProtocol} {
		srv := newServer(protocol)
		runtime.NewTool(summarySpec()).Add(srv, quiet())
		runtime.NewTool(verdictSpec()).Add(srv, quiet())
		tools, err := connect(t, srv, nil).ListTools(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, tool := range tools.Tools {
			schema := decode[map[string]any](t, tool.OutputSchema)
			switch {
			case tool.Name == "classify" && schema["type"] != "object":
				t.Errorf("%s: classify's schema changed: %v", protocol, schema)
			case tool.Name == "summarize" && protocol < mrtrProtocol:
				props, _ := schema["properties"].(map[string]any)
				if schema["type"] != "object" || props["result"] == nil {
					t.Errorf("%s: summarize is listed with %v, want it wrapped under result", protocol, schema)
				}
			case tool.Name == "summarize" && schema["type"] != "string":
				t.Errorf("%s: summarize is listed with %v, want its own string schema", protocol, schema)
			}
		}
	}
}

// Tagged has a list the schema requires: Go's nil slice must go out as [].
type Tagged struct {
	Tags  []string          `json:"tags"`
	Notes map[string]string `json:"notes"`
}

const taggedSchema = `{"type":"object","properties":{"tags":{"type":"array","items":{"type":"string"}},"notes":{"type":"object","additionalProperties":{"type":"string"}}},"required":["tags","notes"],"additionalProperties":false}`

// Every result is checked against the schema the tool advertises before it
// is sent: nil slices and maps become empty, and a value that still breaks
// the schema is a tool error, never content the client must reject.
func TestResultsMatchTheAdvertisedSchema(t *testing.T) {
	for _, protocol := range []string{legacyProtocol, mrtrProtocol} {
		t.Run(protocol, func(t *testing.T) {
			srv := newServer(protocol)
			add := func(name, schema string, out Tagged) {
				tool := &mcp.Tool{Name: name, InputSchema: json.RawMessage(ticketSchema), OutputSchema: json.RawMessage(schema)}
				if err := runtime.AddFunc(srv, tool, func(context.Context, runtime.Sampler, Ticket) (Tagged, error) { return out, nil }, quiet()); err != nil {
					t.Fatal(err)
				}
			}
			add("nil", taggedSchema, Tagged{})
			add("broken", strings.Replace(taggedSchema, `"items":{"type":"string"}`, `"items":{"type":"string"},"minItems":1`, 1), Tagged{})
			cs := connect(t, srv, nil)
			res := callTool(t, cs, "nil", map[string]any{"text": "x"})
			if got := decode[map[string]any](t, res.StructuredContent); res.IsError || !reflect.DeepEqual(got, map[string]any{"tags": []any{}, "notes": map[string]any{}}) {
				t.Errorf("result %s, structured %v; want empty list and object", textOf(res), got)
			}
			res = callTool(t, cs, "broken", map[string]any{"text": "x"})
			if !res.IsError || !strings.Contains(textOf(res), "does not match the tool's output schema") || !strings.Contains(textOf(res), "/tags") {
				t.Errorf("result %s, want a tool error naming /tags", textOf(res))
			}
		})
	}
}

// A Fallback value is validated like the model's: one that breaks the
// output's Validate is an error, not a result.
func TestFallbackValueIsValidated(t *testing.T) {
	spec := runtime.Spec[Ticket, strictVerdict]{
		Name: "classify", InputSchema: ticketSchema, OutputSchema: verdictSchema, Prompt: "{{.Text}}",
		// A careless Fallback: strictVerdict refuses a spam verdict below 0.5.
		Fallback: func(Ticket, error) (strictVerdict, error) { return strictVerdict{Label: "spam", Score: 0.1}, nil },
	}
	_, err := runtime.NewTool(spec).Sample(context.Background(), say("!error"), Ticket{Text: "x"})
	if err == nil || !strings.Contains(err.Error(), "the Fallback method returned a value that is not valid (a spam verdict needs a score of at least 0.5)") {
		t.Fatalf("err = %v, want the invalid Fallback value refused", err)
	}
}

// A re-ask names every problem of the answer, each with its path, so one
// re-ask can fix them all.
func TestReaskNamesEveryError(t *testing.T) {
	model := say(`{"label":"maybe","score":5}`, `{"label":"ham","score":0.5}`)
	if _, err := runtime.NewTool(verdictSpec()).Sample(context.Background(), model, Ticket{Text: "x"}); err != nil {
		t.Fatal(err)
	}
	again := text(model.asked()[1].Messages[2])
	for _, want := range []string{`/label: expected one of "spam", "ham"`, "/score: 5 is above the maximum 1"} {
		if !strings.Contains(again, want) {
			t.Errorf("re-ask lacks %q:\n%s", want, again)
		}
	}
}

func callTool(t *testing.T, cs *mcp.ClientSession, name string, args map[string]any) *mcp.CallToolResult {
	t.Helper()
	res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// A report keeps no more of a hostile answer than a few short repairs and
// a short error, however long the answer's keys.
func TestReportOfAHostileAnswerIsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"label":"ham","score":0.5`)
	fmt.Fprintf(&b, `,"%s":1`, strings.Repeat("x", 256<<10))
	for i := range 4000 {
		fmt.Fprintf(&b, `,"%s%d":1`, strings.Repeat("k", 100), i)
	}
	b.WriteString("}")
	var rep runtime.Report
	if _, err := runtime.NewTool(verdictSpec()).Sample(context.Background(), say(b.String()), Ticket{Text: "x"}, runtime.WithReport(&rep)); err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	if len(raw) > 4<<10 {
		t.Errorf("the report of a %d-byte answer is %d bytes: %.300s", b.Len(), len(raw), raw)
	}
}
