package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const parseSchema = `{
  "type": "object",
  "properties": {
    "label": {"type": "string", "enum": ["positive", "negative", "neutral"]},
    "score": {"type": "number", "minimum": 0, "maximum": 1}
  },
  "required": ["label", "score"],
  "additionalProperties": false
}`

func writeSchema(t *testing.T, text string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "schema.json")
	if err := os.WriteFile(file, []byte(text), 0o666); err != nil {
		t.Fatal(err)
	}
	return file
}

func runParseOn(t *testing.T, args []string, input string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = runParse(args, strings.NewReader(input), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestParseCommand(t *testing.T) {
	schema := writeSchema(t, parseSchema)
	for _, tc := range []struct {
		name, input, stop string
		code              int
		stdout            string // the value, compared as JSON
		stderr            []string
	}{
		{name: "clean", input: `{"label": "positive", "score": 0.9}`, code: 0, stdout: `{"label":"positive","score":0.9}`},
		{name: "repaired", input: "Sure!\n```json\n{'label': 'Negative', 'score': '0.5',}\n```", code: 0,
			stdout: `{"label":"negative","score":0.5}`,
			stderr: []string{"repair fence: took the JSON from a Markdown fence (json)", "repair quotes:", "repair trailing-comma:", `repair /label: enum-case: "Negative" → "negative"`, "repair /score: number:"}},
		{name: "invalid", input: `{"label": "positive", "score": 7}`, code: 1, stderr: []string{"error /score: 7 is above the maximum 1"}},
		{name: "cut off", input: `{"label": "posi`, stop: "maxTokens", code: 1, stderr: []string{"error the answer was cut off at the token limit"}},
		{name: "prose", input: "I would rather not say.", code: 1, stderr: []string{"error the answer holds no JSON value"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"-schema", schema}
			if tc.stop != "" {
				args = append(args, "-stop-reason", tc.stop)
			}
			code, stdout, stderr := runParseOn(t, args, tc.input)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tc.code, stderr)
			}
			if tc.stdout != "" {
				var got, want any
				if err := json.Unmarshal([]byte(stdout), &got); err != nil {
					t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
				}
				json.Unmarshal([]byte(tc.stdout), &want)
				if g, w := mustJSON(got), mustJSON(want); g != w {
					t.Errorf("stdout = %s, want %s", g, w)
				}
			} else if stdout != "" {
				t.Errorf("stdout = %q on failure, want nothing", stdout)
			}
			for _, want := range tc.stderr {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr)
				}
			}
		})
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestParseCommandUsage(t *testing.T) {
	if code, _, stderr := runParseOn(t, nil, ""); code != 2 || !strings.Contains(stderr, "usage: samplegen parse -schema FILE") {
		t.Errorf("no -schema: exit %d, stderr %q; want 2 and the usage", code, stderr)
	}
	if code, _, stderr := runParseOn(t, []string{"-schema", filepath.Join(t.TempDir(), "missing.json")}, "{}"); code != 2 || !strings.Contains(stderr, "missing.json") {
		t.Errorf("missing schema file: exit %d, stderr %q", code, stderr)
	}
	bad := writeSchema(t, `{"type": "object", "properties": {"n": {"type": "number", "default": "x"}}}`)
	if code, _, stderr := runParseOn(t, []string{"-schema", bad}, "{}"); code != 2 || !strings.Contains(stderr, "/properties/n") {
		t.Errorf("schema with an invalid default: exit %d, stderr %q", code, stderr)
	}
	if code, _, _ := runParseOn(t, []string{"-h"}, ""); code != 0 {
		t.Errorf("-h: exit %d, want 0", code)
	}
}

// TestParseCommandBinary runs the built command the way users do, through
// main's dispatch to the parse subcommand.
func TestParseCommandBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	bin := filepath.Join(t.TempDir(), "samplegen")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "parse", "-schema", writeSchema(t, parseSchema))
	cmd.Stdin = strings.NewReader(`{"label": "Positive", "score": 1}`)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("samplegen parse: %v\n%s", err, stderr.String())
	}
	if got := mustJSON(decode(t, out)); got != `{"label":"positive","score":1}` {
		t.Errorf("stdout = %s", got)
	}
	if !strings.Contains(stderr.String(), "enum-case") {
		t.Errorf("stderr = %q, want the enum-case repair", stderr.String())
	}
	cmd = exec.Command(bin, "parse", "-schema", writeSchema(t, parseSchema))
	cmd.Stdin = strings.NewReader(`{"label": "happy", "score": 1}`)
	if err := cmd.Run(); err == nil {
		t.Error("an invalid answer exited 0")
	} else if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Errorf("an invalid answer: %v, want exit status 1", err)
	}
}

func decode(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return v
}
