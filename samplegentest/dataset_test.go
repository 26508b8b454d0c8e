package samplegentest_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/samplegen/samplegen/samplegentest"
)

type ticket struct {
	Text  string `json:"text"`
	Queue string `json:"queue,omitempty"`
}

type triage struct {
	Priority string   `json:"priority"`
	Tags     []string `json:"tags"`
	Team     struct {
		Name string `json:"name"`
	} `json:"team"`
}

var triageTool = &mcp.Tool{
	Name:        "triage",
	InputSchema: json.RawMessage(`{"type": "object", "properties": {"text": {"type": "string", "minLength": 1, "maxLength": 20}, "queue": {"type": "string"}}, "required": ["text"], "additionalProperties": false}`),
	OutputSchema: json.RawMessage(`{"type": "object", "properties": {
		"priority": {"type": "string", "enum": ["low", "high"]},
		"tags": {"type": "array", "items": {"type": "string", "enum": ["billing", "bug"]}},
		"team": {"type": "object", "properties": {"name": {"type": "string", "enum": ["core"]}}}}}`),
}

func writeDataset(t *testing.T, lines ...string) string {
	path := filepath.Join(t.TempDir(), "triage.jsonl")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCases(t *testing.T) {
	path := writeDataset(t,
		`{"id": "a", "args": {"text": "refund please"}, "want": {"priority": "high", "tags": ["billing"]}}`,
		``,
		`{"id": "b", "args": {"text": "hi", "queue": "x"}, "want": {}}`,
	)
	cases := samplegentest.Cases[ticket, triage](t, path, triageTool)
	if len(cases) != 2 || cases[0].ID != "a" || cases[0].Args.Text != "refund please" || cases[0].Want.Priority != "high" || cases[1].Line != 3 || string(cases[1].WantJSON) != "{}" {
		t.Errorf("cases: %+v", cases)
	}
}

// Every line a test could not trust fails it, saying which line and why.
func TestCasesRefuses(t *testing.T) {
	for _, c := range []struct {
		line, want string
	}{
		{`{"id": "a", "args": {"text": "x"}, "want": {}, "note": 1}`, `:1: json: unknown field "note"`},
		{`{"id": "a", "args": {"text": "x", "qeue": "y"}, "want": {}}`, `:1: args: json: unknown field "qeue"`},
		{`{"id": "a", "args": {"text": "x"}, "want": {"priorty": "low"}}`, `:1: want: json: unknown field "priorty"`},
		{`{"id": "", "args": {"text": "x"}, "want": {}}`, `the id "" is empty or used twice`},
		{`{"id": "a", "args": {"text": "x"}}`, `no want (write {} for a case with no field to compare)`},
		{`{"id": "a", "args": {"text": "x"}, "want": {}} {"id": "b"}`, `more after the value`},
		{`{"id": "a", "args": {"text": "far more than twenty characters"}, "want": {}}`, `args: the input schema of triage refuses them`},
		{`{"id": "a", "args": {"text": "x"}, "want": {"priority": "urgent"}}`, `want: /priority: urgent is not one of [low high]`},
		{`{"id": "a", "args": {"text": "x"}, "want": {"tags": ["bug", "biling"]}}`, `want: /tags/1: biling is not one of [billing bug]`},
		{`{"id": "a", "args": {"text": "x"}, "want": {"team": {"name": "ops"}}}`, `want: /team/name: ops is not one of [core]`},
	} {
		rec := &recorder{TB: t}
		path := writeDataset(t, c.line)
		rec.run(func() { samplegentest.Cases[ticket, triage](rec, path, triageTool) })
		if !rec.failed || !strings.Contains(rec.msg, c.want) {
			t.Errorf("%s: failed %v with %q, want %q", c.line, rec.failed, rec.msg, c.want)
		}
	}
	rec := &recorder{TB: t}
	path := writeDataset(t, `{"id": "a", "args": {"text": "x"}, "want": {}}`, `{"id": "a", "args": {"text": "y"}, "want": {}}`)
	rec.run(func() { samplegentest.Cases[ticket, triage](rec, path, nil) })
	if !strings.Contains(rec.msg, `:2: the id "a" is empty or used twice`) {
		t.Errorf("a repeated id: %q", rec.msg)
	}
	// Without a tool, the schemas are not checked.
	rec = &recorder{TB: t}
	path = writeDataset(t, `{"id": "a", "args": {"text": "far more than twenty characters"}, "want": {"priority": "urgent"}}`)
	rec.run(func() { samplegentest.Cases[ticket, triage](rec, path, nil) })
	if rec.failed {
		t.Errorf("without a tool: %q", rec.msg)
	}
}
