package classify_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/samplegen/samplegen/prompt"
	"github.com/samplegen/samplegen/templates/classify"
)

// TestDatasets reads every labelled case: each line's args must decode into
// the tool's input type and its want into the output type, with no unknown
// field, and each classifier holds at least 30 cases with distinct ids.
func TestDatasets(t *testing.T) {
	checkDataset[classify.ClassifySentiment, classify.SentimentResult](t, "testdata/classify_sentiment.jsonl", 30)
	checkDataset[classify.ClassifyIntent, classify.IntentResult](t, "testdata/classify_intent.jsonl", 30)
	checkDataset[classify.ModerateContent, classify.Moderation](t, "testdata/moderate_content.jsonl", 30)
	checkDataset[classify.ClassifyLabels, classify.LabelResult](t, "testdata/classify_labels.jsonl", 30)
}

// A labelled case: the tool's arguments and the fields of the answer an
// evaluation compares.
type labelled struct {
	ID   string          `json:"id"`
	Args json.RawMessage `json:"args"`
	Want json.RawMessage `json:"want"`
}

func checkDataset[In, Out any](t *testing.T, file string, min int) {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ids := map[string]bool{}
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
		}
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

// excerptOf is what {{excerpt n .}} makes of text, fence included, without
// the line that says where it was cut.
func excerptOf(n int, text string) string {
	if r := []rune(text); len(r) > n {
		text = string(r[:n]) + "…"
	}
	return prompt.Fence(text)
}
