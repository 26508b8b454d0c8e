package sampling

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
)

// EnvPrices names a price file ([LoadPrices]) in the environment: the
// prices a samplegen server and samplegen eval put on the tokens they
// count.
const EnvPrices = "SAMPLEGEN_PRICES"

// A Price is what a million tokens of a model cost, in whatever currency
// its table is in: {"input": 0.15, "output": 0.6}.
type Price struct {
	Input  float64 `json:"input"`
	Output float64 `json:"output"`
}

// Prices is a price table keyed by model name, as the model's answers
// name it (a result's model). samplegen holds no price of its own: prices
// change and differ by contract, so they come from the table's owner.
type Prices map[string]Price

// AnyModel is the key whose price is that of any model the table does not
// otherwise price.
const AnyModel = "*"

// For returns the price of model: its key's if the table has it exactly;
// else that of the longest key that is a prefix of model ending at a
// boundary (where model goes on with, or the key ends in, a character that
// is neither a letter nor a digit), so that "gpt-4o-mini" prices
// "gpt-4o-mini-2024-07-18" and "claude-sonnet-4" prices
// "claude-sonnet-4-5@20250929", but "gpt-4" does not price "gpt-4o"; else
// the [AnyModel] key's. ok is false where none applies.
//
// Its cost is the table's size, whatever model is: model comes from the
// answer, and any peer may send one.
func (p Prices) For(model string) (price Price, ok bool) {
	if price, ok := p[model]; ok && model != "" {
		return price, true
	}
	best := -1
	for key, kp := range p {
		if key == AnyModel || len(key) <= best || len(key) >= len(model) || !strings.HasPrefix(model, key) {
			continue
		}
		if separator(key[len(key)-1]) || separator(model[len(key)]) {
			best, price = len(key), kp
		}
	}
	if best >= 0 {
		return price, true
	}
	price, ok = p[AnyModel]
	return price, ok
}

// separator says whether b ends a part of a model's name: ASCII other
// than a letter or a digit ("-", "@", ".", ":", "/", "_"). A byte of a
// multi-byte character is none, so a key never ends inside a character.
func separator(b byte) bool {
	return b < 0x80 && !('a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9')
}

// Cost returns what u cost model at its price ([Prices.For]); ok is false,
// and cost 0, where the table has no price for model: such tokens are
// unpriced, not free.
func (p Prices) Cost(model string, u Usage) (cost float64, ok bool) {
	price, ok := p.For(model)
	if !ok {
		return 0, false
	}
	return (float64(u.InputTokens)*price.Input + float64(u.OutputTokens)*price.Output) / 1e6, true
}

// Bounds of a price file.
const (
	maxPricesFile   = 1 << 20
	maxPricedModels = 4096
)

// pricesExample is a price file, for error messages.
const pricesExample = `{"gpt-4o-mini": {"input": 0.15, "output": 0.6}, "*": {"input": 3, "output": 15}}`

// LoadPrices reads the price file at path ([ReadPrices]).
func LoadPrices(path string) (Prices, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading the price file: %w (give a JSON file of model names to prices per million tokens, such as %s)", err, pricesExample)
	}
	defer f.Close()
	return ReadPrices(f, path)
}

// ReadPrices reads a price table from r, a file called name (for errors):
// a JSON object of model names to prices per million tokens, such as
//
//	{"gpt-4o-mini": {"input": 0.15, "output": 0.6}, "claude-sonnet-4": {"input": 3, "output": 15}}
//
// with "*" for any model the others do not price. It refuses, naming the
// model and what to fix: a file over 1 MiB or of more than 4096 models, an
// empty or repeated model name, a price without both "input" and
// "output", any other field, and a price that is negative or not a finite
// number.
func ReadPrices(r io.Reader, name string) (Prices, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxPricesFile+1))
	if err != nil {
		return nil, fmt.Errorf("reading the price file %s: %w", name, err)
	}
	if len(data) > maxPricesFile {
		return nil, fmt.Errorf("the price file %s is over %d bytes: keep it to the models you use (a name's prefix, such as \"gpt-4o\", prices all its versions)", name, maxPricesFile)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	notTable := func(err error) error {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF // the object was cut short
		}
		return fmt.Errorf("the price file %s is not a JSON object of model names to prices per million tokens, such as %s: %w", name, pricesExample, err)
	}
	if tok, err := dec.Token(); err != nil {
		return nil, notTable(err)
	} else if tok != json.Delim('{') {
		return nil, notTable(fmt.Errorf("it starts with %v", tok))
	}
	p := Prices{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, notTable(err)
		}
		model, ok := tok.(string)
		if !ok { // Token fails first on a key that is not a string
			return nil, notTable(fmt.Errorf("a key %v", tok))
		}
		if _, dup := p[model]; dup {
			return nil, fmt.Errorf("the price file %s names model %q twice: keep one price for it", name, model)
		}
		if len(p) == maxPricedModels {
			return nil, fmt.Errorf("the price file %s prices more than %d models: keep it to the models you use (a name's prefix, such as \"gpt-4o\", prices all its versions)", name, maxPricedModels)
		}
		var entry priceEntry
		if err := dec.Decode(&entry); err != nil {
			return nil, fmt.Errorf("the price file %s, model %q: %w (a price is {\"input\": X, \"output\": Y}, per million tokens)", name, model, err)
		}
		if entry.Input == nil || entry.Output == nil {
			return nil, fmt.Errorf("the price file %s, model %q: give both \"input\" and \"output\", the prices of a million tokens, such as {\"input\": 0.15, \"output\": 0.6} (0 where they are free)", name, model)
		}
		price := Price{Input: *entry.Input, Output: *entry.Output}
		if err := checkPrice(model, price); err != nil {
			return nil, fmt.Errorf("the price file %s: %w", name, err)
		}
		p[model] = price
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, notTable(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, notTable(errors.New("more follows the object"))
	}
	if len(p) == 0 {
		return nil, fmt.Errorf("the price file %s prices no model: name at least one, such as %s", name, pricesExample)
	}
	return p, nil
}

// priceEntry is a Price as a file gives it, where a price left out is
// told from 0.
type priceEntry struct {
	Input  *float64 `json:"input"`
	Output *float64 `json:"output"`
}

// checkPrice says what is wrong with one entry of a table.
func checkPrice(model string, p Price) error {
	if strings.TrimSpace(model) == "" {
		return fmt.Errorf("a model with no name: name each model as its answers do, or %q for any other model", AnyModel)
	}
	if strings.TrimSpace(model) != model {
		return fmt.Errorf("model %q has spaces around its name, which no answer's model has: remove them", model)
	}
	for _, side := range []struct {
		name string
		v    float64
	}{{"input", p.Input}, {"output", p.Output}} {
		if math.IsNaN(side.v) || math.IsInf(side.v, 0) || side.v < 0 {
			return fmt.Errorf("model %q: the %s price %v is not a price: give what a million tokens cost, 0 or more", model, side.name, side.v)
		}
	}
	return nil
}
