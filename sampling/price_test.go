package sampling_test

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/samplegen/samplegen/sampling"
)

// A model is priced by its exact name, else by the longest name that is a
// prefix of it at a boundary, else by "*".
func TestPricesFor(t *testing.T) {
	mini := sampling.Price{Input: 0.15, Output: 0.6}
	fourO := sampling.Price{Input: 2.5, Output: 10}
	sonnet := sampling.Price{Input: 3, Output: 15}
	pinned := sampling.Price{Input: 1, Output: 1}
	table := sampling.Prices{
		"gpt-4o-mini":                   mini,
		"gpt-4o":                        fourO,
		"claude-sonnet-4":               sonnet,
		"claude-sonnet-4-5@20250929-v2": pinned,
		"vendor/":                       pinned,
	}
	for _, tc := range []struct {
		model string
		want  sampling.Price
		ok    bool
	}{
		{"gpt-4o-mini", mini, true},
		{"gpt-4o-mini-2024-07-18", mini, true},          // the longest of two prefixes
		{"gpt-4o-2024-08-06", fourO, true},              // a boundary: "-"
		{"gpt-4o:ft-acme", fourO, true},                 // ":"
		{"claude-sonnet-4-5@20250929", sonnet, true},    // "-", then "@"
		{"claude-sonnet-4@20250514", sonnet, true},      // "@"
		{"claude-sonnet-4-5@20250929-v2", pinned, true}, // exact beats prefix
		{"vendor/model-a", pinned, true},                // the key ends at a boundary
		{"gpt-4omni", sampling.Price{}, false},          // no boundary: another model
		{"claude-sonnet-45", sampling.Price{}, false},
		{"gpt-4", sampling.Price{}, false}, // shorter than every key
		{"", sampling.Price{}, false},
		{"GPT-4O-MINI", sampling.Price{}, false}, // names are exact
	} {
		got, ok := table.For(tc.model)
		if got != tc.want || ok != tc.ok {
			t.Errorf("For(%q) = %+v, %v; want %+v, %v", tc.model, got, ok, tc.want, tc.ok)
		}
	}

	other := sampling.Price{Input: 9, Output: 9}
	table["*"] = other
	for model, want := range map[string]sampling.Price{"gpt-4omni": other, "": other, "gpt-4o-mini-x": mini, "*": other} {
		if got, ok := table.For(model); !ok || got != want {
			t.Errorf("with *: For(%q) = %+v, %v; want %+v", model, got, ok, want)
		}
	}
	if _, ok := (sampling.Prices{}).For("gpt-4o"); ok {
		t.Error("an empty table prices a model")
	}
	if _, ok := sampling.Prices(nil).For("gpt-4o"); ok {
		t.Error("a nil table prices a model")
	}
}

func TestPricesCost(t *testing.T) {
	table := sampling.Prices{"gpt-4o-mini": {Input: 0.15, Output: 0.6}}
	cost, ok := table.Cost("gpt-4o-mini-2024-07-18", sampling.Usage{InputTokens: 2_000_000, OutputTokens: 500_000})
	if !ok || math.Abs(cost-0.6) > 1e-12 {
		t.Errorf("Cost = %v, %v; want 0.3 + 0.3", cost, ok)
	}
	if cost, ok := table.Cost("claude-haiku-4-5", sampling.Usage{InputTokens: 1000}); ok || cost != 0 {
		t.Errorf("Cost of an unpriced model = %v, %v; want 0, false", cost, ok)
	}
}

func TestReadPrices(t *testing.T) {
	got, err := sampling.ReadPrices(strings.NewReader(`{
		"gpt-4o-mini": {"input": 0.15, "output": 0.6},
		"llama3": {"input": 0, "output": 0},
		"*": {"output": 15, "input": 3}
	}`), "prices.json")
	if err != nil {
		t.Fatal(err)
	}
	want := sampling.Prices{"gpt-4o-mini": {Input: 0.15, Output: 0.6}, "llama3": {}, "*": {Input: 3, Output: 15}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("ReadPrices = %v, want %v", got, want)
	}

	many := make([]string, 4097)
	for i := range many {
		many[i] = fmt.Sprintf(`"m%d": {"input": 1, "output": 1}`, i)
	}
	for _, tc := range []struct{ name, file, want string }{
		{"negative", `{"m": {"input": -1, "output": 1}}`, `model "m": the input price -1 is not a price: give what a million tokens cost, 0 or more`},
		{"out of range", `{"m": {"input": 1, "output": 1e999}}`, `model "m": json: cannot unmarshal number 1e999`},
		{"no output", `{"m": {"input": 1}}`, `model "m": give both "input" and "output"`},
		{"null", `{"m": null}`, `model "m": give both "input" and "output"`},
		{"unknown field", `{"m": {"input": 1, "output": 1, "cached": 0.5}}`, `model "m": json: unknown field "cached"`},
		{"a number, not a price", `{"m": 0.15}`, `model "m": json: cannot unmarshal number`},
		{"empty name", `{"": {"input": 1, "output": 1}}`, "a model with no name"},
		{"blank name", `{"  ": {"input": 1, "output": 1}}`, "a model with no name"},
		{"spaces", `{" gpt-4o": {"input": 1, "output": 1}}`, `model " gpt-4o" has spaces around its name`},
		{"twice", `{"m": {"input": 1, "output": 1}, "m": {"input": 2, "output": 2}}`, `names model "m" twice`},
		{"a list", `[{"m": 1}]`, "is not a JSON object of model names to prices"},
		{"not JSON", `input=1`, "is not a JSON object of model names to prices"},
		{"cut short", `{"m": {"input": 1, "output": 1}`, "is not a JSON object"},
		{"more after", `{"m": {"input": 1, "output": 1}} {}`, "more follows the object"},
		{"empty", `{}`, "prices no model"},
		{"too many", "{" + strings.Join(many, ",") + "}", "prices more than 4096 models"},
		{"too big", `{"m": {"input": 1, "output": 1}` + strings.Repeat(" ", 1<<20) + "}", "is over 1048576 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := sampling.ReadPrices(strings.NewReader(tc.file), "prices.json")
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "prices.json") {
				t.Errorf("ReadPrices = %v, %v; want an error naming prices.json and %q", p, err, tc.want)
			}
		})
	}

	// The file is read only so far: a reader that never ends is refused
	// at the bound.
	if _, err := sampling.ReadPrices(endless{}, "/dev/zero"); err == nil || !strings.Contains(err.Error(), "over 1048576 bytes") {
		t.Errorf("an endless file: %v", err)
	}
	broken := errors.New("disk on fire")
	if _, err := sampling.ReadPrices(iotest.ErrReader(broken), "p.json"); !errors.Is(err, broken) {
		t.Errorf("a failing reader: %v, want it wrapped", err)
	}
}

// endless reads spaces for ever.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

func TestLoadPrices(t *testing.T) {
	path := filepath.Join(t.TempDir(), "prices.json")
	if err := os.WriteFile(path, []byte(`{"gpt-4o-mini": {"input": 0.15, "output": 0.6}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := sampling.LoadPrices(path)
	if err != nil || p["gpt-4o-mini"] != (sampling.Price{Input: 0.15, Output: 0.6}) {
		t.Errorf("LoadPrices = %v, %v", p, err)
	}
	_, err = sampling.LoadPrices(filepath.Join(t.TempDir(), "missing.json"))
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "missing.json") {
		t.Errorf("a missing file: %v, want it named and wrapped", err)
	}
}
