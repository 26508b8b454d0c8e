package samplegentest

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/samplegen/samplegen/runtime/answer"
)

// A Case is one line of a tool's labelled dataset: a JSON object
// {"id": ..., "args": the tool's input, "want": the fields of a right
// answer that can be checked}, as the ready tools' testdata/<tool>.jsonl
// hold and an evaluation runs.
type Case[In, Out any] struct {
	ID   string
	Line int // the line of the file, from 1, for a test's messages
	Args In
	// Want holds the fields of a right answer the case compares; the
	// others are their zero values. WantJSON is want as written, to tell
	// a field left out from a zero one.
	Want     Out
	WantJSON json.RawMessage
}

// Cases reads the labelled dataset at path, one case a line, and fails t
// on any line a test or an evaluation could not trust: JSON that is not
// one object, an unknown field (in the case, its args or its want), an
// id that is empty or repeated, a missing want (write {} for a case with
// no field to compare). With tool (the generated XTool(), or nil to skip
// these), it also checks each case's args against the tool's input
// schema, as a served call would, and each enum value in want against
// the output schema's, so that a misspelled label fails here rather than
// scoring as the model's mistake. It returns the cases that decoded.
func Cases[In, Out any](t testing.TB, path string, tool *mcp.Tool) []Case[In, Out] {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("samplegentest: %v", err)
	}
	defer f.Close()
	var input, output *jsonschema.Schema
	var inputResolved *jsonschema.Resolved
	if tool != nil {
		if input, err = schemaOf(tool.InputSchema); err == nil {
			inputResolved, err = input.Resolve(nil)
		}
		if err == nil {
			output, err = schemaOf(tool.OutputSchema)
		}
		if err != nil {
			t.Fatalf("samplegentest: the schemas of tool %s: %v", tool.Name, err)
		}
	}
	var cases []Case[In, Out]
	ids := map[string]bool{}
	lines := bufio.NewScanner(f)
	lines.Buffer(nil, 16<<20)
	for n := 1; lines.Scan(); n++ {
		if len(bytes.TrimSpace(lines.Bytes())) == 0 {
			continue
		}
		var raw struct {
			ID   string          `json:"id"`
			Args json.RawMessage `json:"args"`
			Want json.RawMessage `json:"want"`
		}
		if err := strictly(lines.Bytes(), &raw); err != nil {
			t.Errorf("%s:%d: %v", path, n, err)
			continue
		}
		if raw.ID == "" || ids[raw.ID] {
			t.Errorf("%s:%d: the id %q is empty or used twice", path, n, raw.ID)
		}
		ids[raw.ID] = true
		c := Case[In, Out]{ID: raw.ID, Line: n, WantJSON: raw.Want}
		ok := true
		if err := strictly(raw.Args, &c.Args); err != nil {
			t.Errorf("%s:%d: args: %v", path, n, err)
			ok = false
		} else if inputResolved != nil {
			var v any
			if err := json.Unmarshal(raw.Args, &v); err == nil {
				if err := answer.Check(v, inputResolved); err != nil {
					t.Errorf("%s:%d: args: the input schema of %s refuses them: %v", path, n, tool.Name, err)
				}
			}
		}
		switch {
		case len(raw.Want) == 0:
			t.Errorf("%s:%d: no want (write {} for a case with no field to compare)", path, n)
			ok = false
		default:
			if err := strictly(raw.Want, &c.Want); err != nil {
				t.Errorf("%s:%d: want: %v", path, n, err)
				ok = false
			} else if output != nil {
				var v any
				if json.Unmarshal(raw.Want, &v) == nil {
					for _, err := range enumErrors(v, output, "") {
						t.Errorf("%s:%d: want: %v", path, n, err)
					}
				}
			}
		}
		if ok {
			cases = append(cases, c)
		}
	}
	if err := lines.Err(); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return cases
}

// schemaOf reads a tool's schema as the go-sdk holds it (raw JSON, a
// *jsonschema.Schema or a map).
func schemaOf(s any) (*jsonschema.Schema, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	var out jsonschema.Schema
	return &out, json.Unmarshal(b, &out)
}

// enumErrors lists the values of v, a want as decoded into an any, that
// the schema's enum at their place does not allow, each with its JSON
// pointer. It follows properties and items only: a want is a part of an
// answer, so what it leaves out is not checked.
func enumErrors(v any, s *jsonschema.Schema, path string) []error {
	if s == nil {
		return nil
	}
	var errs []error
	if len(s.Enum) > 0 && !slices.ContainsFunc(s.Enum, func(e any) bool { return equalJSON(e, v) }) {
		errs = append(errs, fmt.Errorf("%s: %v is not one of %v", cmp.Or(path, "/"), v, s.Enum))
	}
	switch x := v.(type) {
	case map[string]any:
		for _, k := range sortedKeys(x) {
			errs = append(errs, enumErrors(x[k], s.Properties[k], path+"/"+strings.NewReplacer("~", "~0", "/", "~1").Replace(k))...)
		}
	case []any:
		for i, e := range x {
			errs = append(errs, enumErrors(e, s.Items, fmt.Sprintf("%s/%d", path, i))...)
		}
	}
	return errs
}

func equalJSON(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// strictly decodes one JSON value into v, refusing unknown fields and
// anything after the value.
func strictly(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("more after the value: write one JSON object a line")
	}
	return nil
}
