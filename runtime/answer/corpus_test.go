package answer

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/jsonschema-go/jsonschema"
)

// corpusPath is the shared corpus of real model answers, beside the clone.
var corpusPath = filepath.Join("..", "..", "..", "shared", "corpus", "public.jsonl")

type corpusCase struct {
	ID         string             `json:"id"`
	Schema     *jsonschema.Schema `json:"schema"`
	Raw        string             `json:"raw"`
	StopReason string             `json:"stop_reason"`
	Want       json.RawMessage    `json:"want"`
	WantError  bool               `json:"want_error"`
}

// loadCorpus reads the corpus; in CI (CI=true) a missing corpus fails the
// test, elsewhere it skips it.
func loadCorpus(tb testing.TB) []corpusCase {
	tb.Helper()
	f, err := os.Open(corpusPath)
	if err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("the corpus is missing in CI: %v", err)
		}
		tb.Skipf("no corpus beside the clone (%v); CI runs this test", err)
	}
	defer f.Close()
	var cases []corpusCase
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 4<<20)
	for sc.Scan() {
		var c corpusCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			tb.Fatalf("corpus line %d: %v", len(cases)+1, err)
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	if len(cases) == 0 {
		tb.Fatal("the corpus is empty")
	}
	return cases
}

func TestCorpus(t *testing.T) {
	cases := loadCorpus(t)
	passed := 0
	for _, c := range cases {
		ok := t.Run(c.ID, func(t *testing.T) {
			rs, err := c.Schema.Resolve(nil)
			if err != nil {
				t.Fatalf("schema: %v", err)
			}
			v, repairs, err := Parse(c.Raw, c.StopReason, rs)
			if c.WantError {
				if err == nil {
					t.Fatalf("Parse(%q) = %s (repairs %v), want an error", c.Raw, show(v), repairs)
				}
				var e *Error
				if !asError(err, &e) {
					t.Fatalf("error %T %v, want an *Error", err, err)
				}
				t.Logf("refused: %v", err)
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v (repairs %v)", c.Raw, err, repairs)
			}
			var want any
			if err := json.Unmarshal(c.Want, &want); err != nil {
				t.Fatal(err)
			}
			if !equal(canonical(want), v) {
				t.Fatalf("Parse(%q) = %s, want %s (repairs %v)", c.Raw, show(v), c.Want, repairs)
			}
			t.Logf("repairs: %v", repairs)
		})
		if ok {
			passed++
		}
	}
	t.Logf("corpus score: %d/%d", passed, len(cases))
}
