package summarize_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/samplegen/samplegen/templates/summarize"
)

// TestDataset reads every case: each line's args must decode into
// Summarize and its want into Summary, with no unknown field, each request
// must be one the tool takes, and there are at least 10 with distinct ids.
func TestDataset(t *testing.T) {
	for _, c := range checkDataset[summarize.Summarize, summarize.Summary](t, summarize.SummarizeTool(), "testdata/summarize.jsonl", 10) {
		in := c.In
		if _, err := in.Budget(); err != nil {
			t.Errorf("%+.40v: %v", in, err)
		}
	}
}

// A labelled case: the tool's arguments and the fields of the answer an
// evaluation compares.
type labelled struct {
	ID   string          `json:"id"`
	Args json.RawMessage `json:"args"`
	Want json.RawMessage `json:"want"`
}

func checkDataset[In, Out any](t *testing.T, tool *mcp.Tool, file string, min int) []decoded[In, Out] {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ids := map[string]bool{}
	var cases []decoded[In, Out]
	lines := bufio.NewScanner(f)
	for n := 1; lines.Scan(); n++ {
		var c labelled
		if err := strictly(lines.Bytes(), &c); err != nil {
			t.Errorf("%s:%d: %v", file, n, err)
			continue
		}
		if c.ID == "" || ids[c.ID] {
			t.Errorf("%s:%d: id %q is empty or repeated", file, n, c.ID)
		}
		ids[c.ID] = true
		var in In
		var want Out
		if err := strictly(c.Args, &in); err != nil {
			t.Errorf("%s:%d: args: %v", file, n, err)
		}
		if len(c.Want) == 0 {
			t.Errorf("%s:%d: no want (write {} for a case with no field to compare)", file, n)
		} else if err := strictly(c.Want, &want); err != nil {
			t.Errorf("%s:%d: want: %v", file, n, err)
		} else {
			checkEnums(t, fmt.Sprintf("%s:%d", file, n), tool, c.Want)
		}
		cases = append(cases, decoded[In, Out]{in, want})
		if v, ok := any(want).(interface{ Validate() error }); ok {
			if err := v.Validate(); err != nil {
				t.Errorf("%s:%d: want: %v", file, n, err)
			}
		}
	}
	if err := lines.Err(); err != nil {
		t.Fatal(err)
	}
	if len(ids) < min {
		t.Errorf("%s: %d cases, want at least %d", file, len(ids), min)
	}
	return cases
}

// checkEnums fails t for a value of want that the tool's output schema
// does not allow among its enum values (a label misspelled in the
// dataset), for each top-level field and the items of a list field.
func checkEnums(t *testing.T, where string, tool *mcp.Tool, want json.RawMessage) {
	t.Helper()
	var schema struct {
		Properties map[string]struct {
			Enum  []any `json:"enum"`
			Items struct {
				Enum []any `json:"enum"`
			} `json:"items"`
		} `json:"properties"`
	}
	b, err := json.Marshal(tool.OutputSchema)
	if err == nil {
		err = json.Unmarshal(b, &schema)
	}
	var fields map[string]any
	if err == nil {
		err = json.Unmarshal(want, &fields)
	}
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	for name, v := range fields {
		p := schema.Properties[name]
		values := []any{v}
		allowed := p.Enum
		if list, ok := v.([]any); ok {
			values, allowed = list, p.Items.Enum
		}
		for _, v := range values {
			if len(allowed) > 0 && !slices.Contains(allowed, v) {
				t.Errorf("%s: want.%s: %v is not one of %v", where, name, v, allowed)
			}
		}
	}
}

// A decoded case: its args and want as the tool's types.
type decoded[In, Out any] struct {
	In   In
	Want Out
}

// strictly decodes one JSON value into v, refusing unknown fields and
// trailing data.
func strictly(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errTrailing
	}
	return nil
}

var errTrailing = errors.New("trailing data after the value")
