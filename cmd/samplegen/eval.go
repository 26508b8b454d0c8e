package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/replay"
	"github.com/samplegen/samplegen/runtime"
	"github.com/samplegen/samplegen/sampling"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Exit codes of samplegen eval.
const (
	evalOK = 0
	// evalFailed: the evaluation could not be made or trusted: the
	// dataset could not be read, no session could be opened, a sampling
	// request was not in the replay file (the recording is stale), or an
	// output file could not be written.
	evalFailed = 1
	evalUsage  = 2
	// evalBelow: the evaluation ran, and its accuracy is below
	// -min-accuracy.
	evalBelow = 3
)

const evalUsageText = `usage: samplegen eval [flags] TOOL DATA.jsonl [-- SERVER-COMMAND ARGS...]

Calls TOOL once per line of DATA.jsonl through the client of samplegen call
(the same -url, -sse, -protocol, and sampling answered by -provider/-model
or -replay, recorded with -record), compares each result with the line's
want, and prints a summary on stdout. A line is
  {"id": "optional-name", "args": {...the tool's arguments...}, "want": {...}}
where want holds the result's fields to compare; the others are ignored. A
line without an id is named "line N".

Comparison, field by field of want: strings (enums) exactly, byte for byte
(-fold-case: ignoring case, and classes are then lower-cased); numbers
within -tolerance (default 0: exactly); a list as a set: the same members,
order and repeats ignored (multi-label answers); an object over the fields
its want names. A case is correct when its call succeeded and every field
is. Accuracy is correct cases over the cases run.

Per class scores (precision, recall, F1) are given for a field whose wants
are all strings (an enum: with a confusion matrix) or all lists of strings
(multi-label: per label).

Concurrency: -concurrency N opens N sessions, so N copies of SERVER-COMMAND
(or N sessions with -url), each calling one case at a time, so that each
sampling request belongs to one case and the model's text is kept with it.
Budget: -max-cases N runs the first N lines; -max-tokens N starts no new
case once the tokens counted here reach N, the model's own counts and the
estimates for answers that carry none together; the cases left are
reported as skipped, not scored.

A server command is started with SAMPLEGEN_REPORT_META=on unless the
environment sets it (to off, on or full), so that a samplegen server's
results carry their call reports: the repair, re-ask and fallback rates
come from them (a server reached by -url must run with it on for those). Its log (stderr) goes to
-server-log FILE, or is dropped, the end of it shown if it fails to start.

Tokens: as the answers count them (their usage), else estimated from the
request's and the answer's sizes (about 4 bytes a token), kept apart and
labelled as estimates wherever they are shown.

Cost: -prices FILE (default $SAMPLEGEN_PRICES) prices each answer's tokens
at the price of the model that gave it: a JSON object of model names to
prices per million tokens (in any currency), such as
  {"gpt-4o-mini": {"input": 0.15, "output": 0.6}, "*": {"input": 3, "output": 15}}
where a name prices the models it is a prefix of ("gpt-4o-mini" prices
"gpt-4o-mini-2024-07-18") and "*" any other. -price in=X,out=Y is short
for a table of just "*": one price for every model. The cost of estimated
tokens is an estimate too; a model with no price is listed as unpriced,
its tokens in no cost. samplegen assumes no price of its own.

Output: a progress bar on stderr when it is a terminal, else a line a case;
a summary; -json FILE (per case the verdict per field; totals), -html FILE
(a self-contained report), -compare OLD.json (the cases that flipped and
the deltas, in the summary, the JSON and the report).

Exit status: 0 when it ran (and, with -min-accuracy, scored at least that);
1 when it could not run or cannot be trusted (the dataset, the price file,
the server, a sampling request the replay file has no answer for, an
output file); 2 for a wrong command line; 3 when the accuracy is below
-min-accuracy.

Flags (before TOOL):
`

// evalConfig is a parsed samplegen eval command line.
type evalConfig struct {
	tool        string
	dataset     string
	serverFlags serverFlags
	sampler     samplerFlags
	rules       compareRules
	concurrency int
	maxCases    int
	maxTokens   int64
	caseTimeout time.Duration
	timeout     time.Duration
	jsonOut     string
	htmlOut     string
	compare     string
	minAccuracy float64
	serverLog   string
	// pricesFile is -prices (or $SAMPLEGEN_PRICES), read by run into
	// prices; -price sets prices itself. pricesFrom says where they came
	// from; nil prices: no cost is shown.
	pricesFile    string
	pricesFromEnv bool
	prices        sampling.Prices
	pricesFrom    string

	// model, when set (by tests), answers sampling instead of the flags'.
	model sampling.Sampler
}

func runEval(args []string, stdout, stderr io.Writer) int {
	c, code := parseEval(args, stderr)
	if code >= 0 {
		return code
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	return c.run(ctx, stdout, stderr)
}

func parseEval(args []string, stderr io.Writer) (c *evalConfig, code int) {
	c = &evalConfig{}
	fs := flag.NewFlagSet("samplegen eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), evalUsageText)
		fs.PrintDefaults()
	}
	c.serverFlags.register(fs)
	c.sampler.register(fs, false)
	fs.IntVar(&c.concurrency, "concurrency", 4, "cases called at once, each on its own session")
	fs.IntVar(&c.maxCases, "max-cases", 0, "run only the first `N` cases (0: all)")
	fs.Int64Var(&c.maxTokens, "max-tokens", 0, "start no new case once the model's answers have used `N` tokens, input and output, counted or estimated (0: no limit)")
	fs.DurationVar(&c.caseTimeout, "case-timeout", 2*time.Minute, "give up on one case after this long (it counts as an error)")
	fs.DurationVar(&c.timeout, "timeout", 0, "give up on the whole evaluation after this long (0: never)")
	fs.BoolVar(&c.rules.foldCase, "fold-case", false, "compare strings ignoring case")
	fs.Float64Var(&c.rules.tolerance, "tolerance", 0, "numbers within this much of want are correct")
	fs.StringVar(&c.jsonOut, "json", "", "write the result as JSON to this `file`")
	fs.StringVar(&c.htmlOut, "html", "", "write a self-contained HTML report to this `file`")
	fs.StringVar(&c.compare, "compare", "", "compare with an earlier -json `file`: flipped cases, metric deltas")
	fs.Float64Var(&c.minAccuracy, "min-accuracy", 0, "exit 3 when the accuracy (0 to 1) is below this")
	var price string
	fs.StringVar(&c.pricesFile, "prices", "", "price each answer's tokens at its model's price from this JSON `file` of model names to {\"input\": X, \"output\": Y} per million tokens (default $"+sampling.EnvPrices+")")
	fs.StringVar(&price, "price", "", "one price per million tokens for every model, `in=X,out=Y` (in any currency): short for a -prices file of just \"*\"; none is assumed")
	fs.StringVar(&c.serverLog, "server-log", "", "append the server commands' logs to this `file` (default: dropped)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, evalOK
		}
		return nil, evalUsage
	}
	usage := func(format string, a ...any) (*evalConfig, int) {
		fmt.Fprintf(stderr, "samplegen eval: "+format+"\n", a...)
		fmt.Fprintln(stderr, "usage: samplegen eval [flags] TOOL DATA.jsonl [-- SERVER-COMMAND ARGS...] (samplegen eval -h for more)")
		return nil, evalUsage
	}
	rest := fs.Args()
	if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
		return usage("name the TOOL and DATA.jsonl before --")
	}
	if i := slices.Index(rest, "--"); i >= 0 {
		rest, c.serverFlags.command = rest[:i], rest[i+1:]
		if len(c.serverFlags.command) == 0 {
			return usage("-- must be followed by the server's command")
		}
	}
	if len(rest) != 2 {
		return usage("want TOOL and DATA.jsonl before --, got %d argument(s) (flags go before TOOL)", len(rest))
	}
	c.tool, c.dataset = rest[0], rest[1]
	if problem := c.serverFlags.check(); problem != "" {
		return usage("%s", problem)
	}
	if problem := c.sampler.resolve(); problem != "" {
		return usage("%s", problem)
	}
	switch {
	case c.concurrency < 1 || c.concurrency > 64:
		return usage("-concurrency %d: give 1 to 64", c.concurrency)
	case c.maxCases < 0 || c.maxTokens < 0:
		return usage("-max-cases and -max-tokens cannot be negative")
	case c.minAccuracy < 0 || c.minAccuracy > 1:
		return usage("-min-accuracy %v: give a fraction from 0 to 1, such as 0.9", c.minAccuracy)
	case c.rules.tolerance < 0:
		return usage("-tolerance cannot be negative")
	case c.caseTimeout <= 0:
		return usage("-case-timeout must be positive")
	}
	switch {
	case price != "" && c.pricesFile != "":
		return usage("-price is short for a -prices file of one price for every model: give one of them")
	case price != "":
		p, err := parsePrice(price)
		if err != nil {
			return usage("-price %q: %v", price, err)
		}
		c.prices = sampling.Prices{sampling.AnyModel: p}
		c.pricesFrom = fmt.Sprintf("-price in=%g,out=%g", p.Input, p.Output)
	case c.pricesFile == "":
		// Only the environment's: a -price on the command line beats it.
		c.pricesFile = os.Getenv(sampling.EnvPrices)
		c.pricesFromEnv = c.pricesFile != ""
	}
	return c, -1
}

// A datasetLine is one line of DATA.jsonl.
type datasetLine struct {
	ID   string          `json:"id"`
	Args json.RawMessage `json:"args"`
	Want map[string]any  `json:"want"`
}

// maxDatasetLine bounds one line of the dataset.
const maxDatasetLine = 4 << 20

// readDataset reads the lines of a dataset: every line must be an object
// with args and a non-empty want; ids are unique.
func readDataset(r io.Reader, name string) ([]datasetLine, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxDatasetLine)
	var lines []datasetLine
	ids := map[string]int{}
	for n := 1; sc.Scan(); n++ {
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		var l datasetLine
		if err := json.Unmarshal(text, &l); err != nil {
			return nil, fmt.Errorf("%s:%d: not a dataset line ({\"args\":{...},\"want\":{...}}): %w", name, n, err)
		}
		var args map[string]json.RawMessage
		if err := json.Unmarshal(l.Args, &args); err != nil || args == nil {
			return nil, fmt.Errorf("%s:%d: \"args\" must be a JSON object of the tool's arguments", name, n)
		}
		if len(l.Want) == 0 {
			return nil, fmt.Errorf("%s:%d: \"want\" must be an object naming at least one field of the result to compare", name, n)
		}
		if l.ID == "" {
			l.ID = fmt.Sprintf("line %d", n)
		}
		if first, dup := ids[l.ID]; dup {
			return nil, fmt.Errorf("%s:%d: id %q is also line %d's: ids must be unique (-compare matches cases by id)", name, n, l.ID, first)
		}
		ids[l.ID] = n
		lines = append(lines, l)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("%s: line %d is longer than %d bytes", name, len(lines)+1, maxDatasetLine)
		}
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if len(lines) == 0 {
		return nil, fmt.Errorf("%s has no cases", name)
	}
	return lines, nil
}

// An evalCase is one case's outcome.
type evalCase struct {
	ID      string                  `json:"id"`
	Skipped bool                    `json:"skipped,omitempty"` // not run: the budget was spent
	Correct bool                    `json:"correct"`
	Error   string                  `json:"error,omitempty"` // the call failed or the tool answered with an error
	Fields  map[string]fieldVerdict `json:"fields"`
	Latency float64                 `json:"latencyMs"`
	// From the server's call report, when its result carried one.
	Reported bool   `json:"reported"`
	Outcome  string `json:"outcome,omitempty"`
	Rounds   int    `json:"rounds,omitempty"`
	ReAsks   int    `json:"reAsks,omitempty"`
	Repairs  int    `json:"repairs,omitempty"`
	Fallback string `json:"fallback,omitempty"`
	// Counted here, from the answers of this client's model: Usage as
	// the answers counted it (HasUsage: some did), EstimatedUsage as
	// sampling.EstimateUsage guessed it for the answers that carried no
	// count.
	Usage          sampling.Usage `json:"usage,omitzero"`
	HasUsage       bool           `json:"hasUsage,omitempty"`
	EstimatedUsage sampling.Usage `json:"estimatedUsage,omitzero"`
	// Cost is of those tokens at the price table, each answer's at its
	// model's price; nil without one.
	Cost   *tokenCost `json:"cost,omitempty"`
	Models []string   `json:"models,omitempty"`
	// Raw is the model's answers' text, each cut to maxRawShown, the
	// first maxRawKept: untrusted.
	Raw []string `json:"raw,omitempty"`
}

// HasEstimate says whether some of the case's tokens are estimated.
func (k *evalCase) HasEstimate() bool { return k.EstimatedUsage != (sampling.Usage{}) }

// wrongFields counts the fields a case got wrong.
func (k *evalCase) wrongFields() int {
	n := 0
	for _, v := range k.Fields {
		if !v.Correct {
			n++
		}
	}
	return n
}

// Bounds of what is kept of a model's text and of an error, per case.
const (
	maxRawShown   = 2 << 10
	maxRawKept    = 4
	maxErrorShown = 1 << 10
)

// evalResult is what -json writes and -compare reads.
type evalResult struct {
	Tool    string `json:"tool"`
	Dataset string `json:"dataset"`
	// Source says what answered the sampling requests: a provider's
	// model, a replay file, or a sampler of a test.
	Source string   `json:"source"`
	Models []string `json:"models"`
	// Prices says where the prices came from: a file, or -price.
	Prices   string      `json:"prices,omitempty"`
	Rules    string      `json:"rules"`
	Totals   evalTotals  `json:"totals"`
	Cases    []*evalCase `json:"cases"`
	Compare  *comparison `json:"compare,omitempty"`
	Finished time.Time   `json:"finished"`
}

type evalTotals struct {
	Cases    int     `json:"cases"` // lines in the dataset
	Run      int     `json:"run"`
	Skipped  int     `json:"skipped"`
	Correct  int     `json:"correct"`
	Errors   int     `json:"errors"`
	Accuracy float64 `json:"accuracy"`

	Fields    map[string]fieldScore            `json:"fields"`
	Classes   map[string]map[string]classScore `json:"classes"`
	Confusion map[string]*confusion            `json:"confusion"`

	// Of the cases whose result carried the server's call report.
	Reported     int     `json:"reported"`
	RepairRate   float64 `json:"repairRate"`   // cases with a repaired answer
	ReAskRate    float64 `json:"reAskRate"`    // cases that asked the model more than once
	FallbackRate float64 `json:"fallbackRate"` // cases whose value came from a fallback

	LatencyMs latencySummary `json:"latencyMs"`

	// Tokens as the answers counted them, over CasesWithUsage cases;
	// EstimatedTokens as sampling.EstimateUsage guessed them for answers
	// that carried no count, over CasesEstimated cases.
	Tokens          sampling.Usage `json:"tokens"`
	CasesWithUsage  int            `json:"casesWithUsage"`
	EstimatedTokens sampling.Usage `json:"estimatedTokens"`
	CasesEstimated  int            `json:"casesEstimated"`
	// Cost is of the tokens at the price table (-prices, -price), when
	// given.
	Cost *tokenCost `json:"cost,omitempty"`
}

// tokenCost is what tokens cost at the price table, in its currency, each
// answer's at the price of the model that gave it.
type tokenCost struct {
	Counted   float64 `json:"counted"`   // of the tokens the answers counted
	Estimated float64 `json:"estimated"` // of the estimated tokens: an estimate too
	// Unpriced names the models the table has no price for (the first
	// maxUnpriced); their tokens, UnpricedTokens of them, are in neither
	// cost.
	Unpriced       []string `json:"unpriced,omitempty"`
	UnpricedTokens int64    `json:"unpricedTokens,omitempty"`
}

// maxUnpriced bounds the unpriced models named, per case and in all: the
// names are the answers'.
const maxUnpriced = 16

// add prices u, tokens of model's answer.
func (c *tokenCost) add(prices sampling.Prices, model string, u sampling.Usage, estimated bool) {
	cost, ok := prices.Cost(model, u)
	switch {
	case !ok:
		c.unpriced(model, u.InputTokens+u.OutputTokens)
	case estimated:
		c.Estimated += cost
	default:
		c.Counted += cost
	}
}

func (c *tokenCost) unpriced(model string, tokens int64) {
	if model == "" {
		model = "(unnamed)"
	}
	model = sampling.Clip(model, 200)
	if !slices.Contains(c.Unpriced, model) && len(c.Unpriced) < maxUnpriced {
		c.Unpriced = append(c.Unpriced, model)
	}
	c.UnpricedTokens += tokens
}

// merge adds a case's cost, which may be nil, to c.
func (c *tokenCost) merge(k *tokenCost) {
	if k == nil {
		return
	}
	c.Counted += k.Counted
	c.Estimated += k.Estimated
	for _, m := range k.Unpriced {
		c.unpriced(m, 0)
	}
	c.UnpricedTokens += k.UnpricedTokens
}

// formatCost shows a cost to four significant digits, without an
// exponent.
func formatCost(f float64) string {
	if f >= 1000 {
		return strconv.FormatFloat(f, 'f', 2, 64)
	}
	return strconv.FormatFloat(f, 'g', 4, 64)
}

// parsePrice reads in=X,out=Y.
func parsePrice(s string) (sampling.Price, error) {
	var p sampling.Price
	seen := map[string]bool{}
	for part := range strings.SplitSeq(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		f, err := strconv.ParseFloat(v, 64)
		if !ok || err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) || (k != "in" && k != "out") || seen[k] {
			return p, fmt.Errorf("give in=X,out=Y, the prices of a million input and output tokens, such as in=0.15,out=0.6")
		}
		seen[k] = true
		if k == "in" {
			p.Input = f
		} else {
			p.Output = f
		}
	}
	if !seen["in"] || !seen["out"] {
		return p, fmt.Errorf("give both in= and out=")
	}
	return p, nil
}

type latencySummary struct {
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

// describe is the comparison rules in a line.
func (r compareRules) describe() string {
	s := "strings exact"
	if r.foldCase {
		s = "strings ignoring case"
	}
	n := "numbers exactly"
	if r.tolerance > 0 {
		n = fmt.Sprintf("numbers within %g", r.tolerance)
	}
	return fmt.Sprintf("%s; %s; lists as sets; objects by want's fields", s, n)
}

// A caseTap sits between a session's sampling requests and the model: it
// keeps, for the case its worker is calling, the model's text, models,
// tokens (counted or estimated) and their cost, and notes a request the
// replay file had no answer for.
type caseTap struct {
	next sampling.Sampler
	// prices, when set, price each answer at its model's price; model is
	// the -model flag's, whose tokens a refusal without a result carries.
	prices sampling.Prices
	model  string

	mu        sync.Mutex
	raw       []string
	models    []string
	usage     sampling.Usage
	hasUsage  bool
	estimated sampling.Usage
	cost      *tokenCost
	miss      error
}

func (t *caseTap) CreateMessage(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
	res, err := t.next.CreateMessage(ctx, req)
	t.mu.Lock()
	defer t.mu.Unlock()
	if err != nil {
		if t.miss == nil && errors.Is(err, replay.ErrNotRecorded) {
			t.miss = err
		}
		if len(t.raw) < maxRawKept {
			t.raw = append(t.raw, sampling.Clip("(no answer: "+err.Error()+")", maxRawShown))
		}
		// A model that refused was paid to read the request.
		var refused *sampling.RefusalError
		if errors.As(err, &refused) && refused.Usage != nil {
			t.charge(t.model, *refused.Usage, false)
		}
		return res, err
	}
	if res == nil {
		return res, err
	}
	if len(t.raw) < maxRawKept {
		t.raw = append(t.raw, sampling.Clip(answerText(res), maxRawShown))
	}
	if res.Model != "" && !slices.Contains(t.models, res.Model) && len(t.models) < 8 {
		t.models = append(t.models, res.Model)
	}
	u, counted := sampling.UsageOf(res)
	if !counted {
		u = sampling.EstimateUsage(req, res)
	}
	t.charge(res.Model, u, !counted)
	return res, err
}

// charge counts u, the tokens of one of model's answers; t.mu is held.
func (t *caseTap) charge(model string, u sampling.Usage, estimated bool) {
	if estimated {
		t.estimated = t.estimated.Add(u)
	} else {
		t.usage = t.usage.Add(u)
		t.hasUsage = true
	}
	if t.prices != nil {
		if t.cost == nil {
			t.cost = &tokenCost{}
		}
		t.cost.add(t.prices, model, u, estimated)
	}
}

// answerText is an answer as text: its text, or the input of a tool it
// called.
func answerText(res *mcp.CreateMessageWithToolsResult) string {
	var parts []string
	for _, c := range res.Content {
		parts = append(parts, contentLine(c))
	}
	return strings.Join(parts, "\n")
}

// take empties the tap into k.
func (t *caseTap) take(k *evalCase) (miss error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	k.Raw, k.Models, k.Usage, k.HasUsage, k.EstimatedUsage, k.Cost = t.raw, t.models, t.usage, t.hasUsage, t.estimated, t.cost
	miss = t.miss
	t.raw, t.models, t.usage, t.hasUsage, t.estimated, t.cost, t.miss = nil, nil, sampling.Usage{}, false, sampling.Usage{}, nil, nil
	return miss
}

// tailWriter keeps the last bytes written to it: a server's log, shown
// when it fails to start.
type tailWriter struct {
	mu   sync.Mutex
	keep int
	b    []byte
	next io.Writer // also written to, when set
}

func (w *tailWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.b = append(w.b, p...)
	if len(w.b) > w.keep {
		w.b = append(w.b[:0], w.b[len(w.b)-w.keep:]...)
	}
	if w.next != nil {
		w.next.Write(p)
	}
	return len(p), nil
}

func (w *tailWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return string(w.b)
}

func (c *evalConfig) run(ctx context.Context, stdout, stderr io.Writer) int {
	stderr = &lockedWriter{w: stderr}
	fail := func(format string, a ...any) int {
		fmt.Fprintln(stderr, sampling.Clip(printable(fmt.Sprintf("samplegen eval: "+format, a...)), maxFailureShown))
		return evalFailed
	}
	f, err := os.Open(c.dataset)
	if err != nil {
		return fail("%v", err)
	}
	lines, err := readDataset(f, c.dataset)
	f.Close()
	if err != nil {
		return fail("%v", err)
	}
	if c.pricesFile != "" {
		from := "-prices"
		if c.pricesFromEnv {
			from = "$" + sampling.EnvPrices
		}
		if c.prices, err = sampling.LoadPrices(c.pricesFile); err != nil {
			return fail("%s: %v", from, err)
		}
		c.pricesFrom = c.pricesFile
	}
	var then *evalResult
	if c.compare != "" {
		if then, err = readResult(c.compare); err != nil {
			return fail("-compare: %v", err)
		}
	}

	transportHTTP := http.DefaultTransport.(*http.Transport).Clone()
	defer transportHTTP.CloseIdleConnections()
	httpClient := &http.Client{Transport: transportHTTP}
	c.sampler.provider.HTTPClient = httpClient
	model := c.model
	if model == nil {
		var cleanup func()
		var code int
		model, cleanup, code = c.sampler.model("samplegen eval", nil, stderr)
		if code >= 0 {
			return code
		}
		defer cleanup()
	}
	var rec *replay.Recorder
	if c.sampler.record != "" {
		if rec, err = replay.Record(c.sampler.record); err != nil {
			return fail("-record: %v", err)
		}
		defer rec.Close()
		model = rec.Wrap(model)
	}
	if model == nil {
		fmt.Fprintln(stderr, "samplegen eval: (this client offers no sampling: give -provider and -model, or -replay FILE)")
	}

	var env []string
	var serverLog io.Writer = io.Discard
	if c.serverFlags.command != nil {
		var extra []string
		if os.Getenv(runtime.EnvReportMeta) == "" {
			extra = append(extra, runtime.EnvReportMeta+"=on")
		}
		env = c.sampler.serverEnv(c.serverFlags.command, stderr, "samplegen eval", extra...)
		if c.serverLog != "" {
			lf, err := os.OpenFile(c.serverLog, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
			if err != nil {
				return fail("-server-log: %v", err)
			}
			defer lf.Close()
			serverLog = &lockedWriter{w: lf}
		}
	}

	cases := make([]*evalCase, len(lines))
	for i, l := range lines {
		cases[i] = &evalCase{ID: l.ID, Skipped: true, Fields: map[string]fieldVerdict{}}
	}
	toRun := len(lines)
	if c.maxCases > 0 {
		toRun = min(toRun, c.maxCases)
	}
	progress := newProgress(stderr, toRun, c.tool)

	// Each worker has its own session, so each sampling request is its
	// current case's.
	sessions := make([]*mcp.ClientSession, c.concurrency)
	taps := make([]*caseTap, c.concurrency)
	logs := make([]*tailWriter, c.concurrency)
	var connectErr error
	var connectMu sync.Mutex
	var wg sync.WaitGroup
	for w := range min(c.concurrency, toRun) {
		wg.Go(func() {
			var answering sampling.Sampler
			if model != nil {
				taps[w] = &caseTap{next: model, prices: c.prices, model: c.sampler.provider.Model}
				answering = taps[w]
			}
			logs[w] = &tailWriter{keep: 4 << 10, next: serverLog}
			s, err := c.serverFlags.connect(ctx, "samplegen-eval", answering, env, httpClient, logs[w])
			connectMu.Lock()
			defer connectMu.Unlock()
			if err != nil && connectErr == nil {
				connectErr = err
				if tail := strings.TrimSpace(logs[w].String()); tail != "" {
					connectErr = fmt.Errorf("%w; the end of the server's log:\n%s", err, tail)
				}
			}
			sessions[w] = s
		})
	}
	wg.Wait()
	defer func() {
		for _, s := range sessions {
			if s != nil {
				s.Close()
			}
		}
	}()
	if connectErr != nil {
		return fail("%v", connectErr)
	}

	// Each worker takes the next case when it is free, so that the token
	// budget is checked when a case starts: past it, no case starts, and
	// only the cases already running finish.
	var (
		mu       sync.Mutex
		nextCase int
		spent    int64
		firstMis error
	)
	take := func() (int, bool) {
		mu.Lock()
		defer mu.Unlock()
		if nextCase >= toRun || ctx.Err() != nil || (c.maxTokens > 0 && spent >= c.maxTokens) {
			return 0, false
		}
		nextCase++
		return nextCase - 1, true
	}
	for w := range min(c.concurrency, toRun) {
		wg.Go(func() {
			for i, ok := take(); ok; i, ok = take() {
				k := cases[i]
				miss := c.callCase(ctx, sessions[w], taps[w], lines[i], k)
				mu.Lock()
				spent += k.Usage.InputTokens + k.Usage.OutputTokens + k.EstimatedUsage.InputTokens + k.EstimatedUsage.OutputTokens
				if miss != nil && firstMis == nil {
					firstMis = miss
				}
				mu.Unlock()
				progress.done(k)
			}
		})
	}
	wg.Wait()
	progress.finish()

	res := c.score(cases)
	res.Source = c.source()
	res.Prices = c.pricesFrom
	if then != nil {
		res.Compare = compareWith(res, then, c.compare)
	}
	writeSummary(stdout, res)
	code := evalOK
	if ctx.Err() != nil {
		code = fail("stopped before the end: %v", context.Cause(ctx))
	}
	if firstMis != nil {
		code = fail("the replay file cannot answer every case, so the scores are not the recording's (record again with -provider, -model and -record): %v", firstMis)
	}
	if rec != nil {
		if err := rec.Close(); err != nil {
			code = fail("%v", err)
		} else {
			fmt.Fprintf(stderr, "samplegen eval: recorded %d exchange(s) to %s\n", rec.Recorded(), c.sampler.record)
		}
	}
	if c.jsonOut != "" {
		if err := writeJSONFile(c.jsonOut, res); err != nil {
			code = fail("-json: %v", err)
		}
	}
	if c.htmlOut != "" {
		if err := writeHTMLFile(c.htmlOut, res); err != nil {
			code = fail("-html: %v", err)
		}
	}
	if code == evalOK && c.minAccuracy > 0 && res.Totals.Accuracy < c.minAccuracy {
		fmt.Fprintf(stderr, "samplegen eval: accuracy %.3f is below -min-accuracy %.3f\n", res.Totals.Accuracy, c.minAccuracy)
		code = evalBelow
	}
	return code
}

// source says what answered sampling.
func (c *evalConfig) source() string {
	switch {
	case c.model != nil:
		return "a sampler set by the caller (a test's scripted model)"
	case c.sampler.replay != "":
		return "the replay file " + c.sampler.replay + " (answers recorded earlier, not a live model)"
	case c.sampler.provider.Provider != "":
		return c.sampler.provider.Provider + " model " + c.sampler.provider.Model
	}
	return "no one (the client offered no sampling; a server model or fallback may have answered)"
}

// callCase calls one case and judges it; miss is a sampling request the
// replay file had no answer for.
func (c *evalConfig) callCase(ctx context.Context, s *mcp.ClientSession, tap *caseTap, l datasetLine, k *evalCase) (miss error) {
	k.Skipped = false
	ctx, cancel := context.WithTimeout(ctx, c.caseTimeout)
	defer cancel()
	start := time.Now()
	res, err := s.CallTool(ctx, &mcp.CallToolParams{Name: c.tool, Arguments: l.Args})
	k.Latency = float64(time.Since(start)) / float64(time.Millisecond)
	if tap != nil {
		miss = tap.take(k)
	}
	if c.prices != nil && k.Cost == nil {
		k.Cost = &tokenCost{} // nothing answered: nothing to pay
	}
	var result map[string]any
	switch {
	case err != nil:
		k.Error = err.Error()
	case res.IsError:
		k.Error = "the tool answered with an error: " + contentText(res.Content)
	default:
		result, err = structured(res)
		if err != nil {
			k.Error = err.Error()
		}
	}
	k.Error = sampling.Clip(k.Error, maxErrorShown)
	if res != nil {
		if rep, ok, err := runtime.CallReportOf(res); ok && err == nil {
			k.Reported = true
			k.Outcome = rep.Outcome
			for _, sample := range rep.Samples {
				k.Rounds += len(sample.Rounds)
				k.ReAsks += max(len(sample.Rounds)-1, 0)
				k.Repairs += len(sample.Repairs())
				if sample.Fallback != "" {
					k.Fallback = sample.Fallback
				}
			}
		}
	}
	k.Fields, k.Correct = c.rules.judge(l.Want, result, k.Error != "")
	return miss
}

// structured is a result's structured content as an object; a tool
// without one may give its JSON as text.
func structured(res *mcp.CallToolResult) (map[string]any, error) {
	var b []byte
	if res.StructuredContent != nil {
		var err error
		if b, err = json.Marshal(res.StructuredContent); err != nil {
			return nil, err
		}
	} else {
		b = []byte(contentText(res.Content))
	}
	var obj map[string]any
	if err := json.Unmarshal(b, &obj); err != nil || obj == nil {
		return nil, fmt.Errorf("the result is not a JSON object: %s", sampling.Clip(string(b), 200))
	}
	return obj, nil
}

// score totals the cases.
func (c *evalConfig) score(cases []*evalCase) *evalResult {
	res := &evalResult{Tool: c.tool, Dataset: c.dataset, Rules: c.rules.describe(), Cases: cases, Models: []string{}, Finished: time.Now().UTC()}
	t := &res.Totals
	t.Cases = len(cases)
	if c.prices != nil {
		t.Cost = &tokenCost{}
	}
	var latencies []float64
	repaired, reasked, fellBack := 0, 0, 0
	for _, k := range cases {
		if k.Skipped {
			t.Skipped++
			continue
		}
		t.Run++
		if k.Correct {
			t.Correct++
		}
		if k.Error != "" {
			t.Errors++
		}
		latencies = append(latencies, k.Latency)
		if k.Reported {
			t.Reported++
			if k.Repairs > 0 {
				repaired++
			}
			if k.ReAsks > 0 {
				reasked++
			}
			if k.Fallback != "" || k.Outcome == runtime.OutcomeFallback {
				fellBack++
			}
		}
		if k.HasUsage {
			t.CasesWithUsage++
			t.Tokens = t.Tokens.Add(k.Usage)
		}
		if k.HasEstimate() {
			t.CasesEstimated++
			t.EstimatedTokens = t.EstimatedTokens.Add(k.EstimatedUsage)
		}
		if t.Cost != nil {
			t.Cost.merge(k.Cost)
		}
		for _, m := range k.Models {
			if !slices.Contains(res.Models, m) {
				res.Models = append(res.Models, m)
			}
		}
	}
	t.Accuracy = ratio(t.Correct, t.Run)
	t.RepairRate, t.ReAskRate, t.FallbackRate = ratio(repaired, t.Reported), ratio(reasked, t.Reported), ratio(fellBack, t.Reported)
	sort.Float64s(latencies)
	t.LatencyMs = latencySummary{P50: percentile(latencies, 50), P90: percentile(latencies, 90), P99: percentile(latencies, 99)}
	if len(latencies) > 0 {
		t.LatencyMs.Max = latencies[len(latencies)-1]
	}
	t.Fields, t.Classes, t.Confusion = c.rules.scoreFields(cases)
	sort.Strings(res.Models)
	return res
}

// readResult reads an earlier -json file.
func readResult(path string) (*evalResult, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r evalResult
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s is not a samplegen eval -json file: %w", path, err)
	}
	if r.Cases == nil {
		return nil, fmt.Errorf("%s has no cases: is it a samplegen eval -json file?", path)
	}
	return &r, nil
}

func writeJSONFile(path string, res *evalResult) error {
	b, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// writeSummary writes the summary a person reads. What the model wrote
// is in the cases, not here; classes and ids come from the dataset and the
// results, and are made printable.
func writeSummary(w io.Writer, res *evalResult) {
	var b strings.Builder
	t := res.Totals
	fmt.Fprintf(&b, "%s over %s: %d/%d correct, accuracy %.1f%%", res.Tool, res.Dataset, t.Correct, t.Run, 100*t.Accuracy)
	if t.Errors > 0 {
		fmt.Fprintf(&b, " (%d failed calls)", t.Errors)
	}
	if t.Skipped > 0 {
		fmt.Fprintf(&b, "; %d skipped (budget)", t.Skipped)
	}
	if len(res.Models) > 0 {
		fmt.Fprintf(&b, "; model %s", strings.Join(res.Models, ", "))
	}
	b.WriteString("\n")
	for _, f := range sortedKeys(t.Fields) {
		s := t.Fields[f]
		fmt.Fprintf(&b, "  field %-20s %d/%d  %.1f%%\n", f, s.Correct, s.Cases, 100*s.Accuracy)
		classes := t.Classes[f]
		for _, l := range sortedKeys(classes) {
			cs := classes[l]
			fmt.Fprintf(&b, "    %-22s precision %.2f  recall %.2f  F1 %.2f  (support %d)\n", l, cs.Precision, cs.Recall, cs.F1, cs.Support)
		}
	}
	if t.Reported > 0 {
		fmt.Fprintf(&b, "  of %d reported calls: repaired %.0f%%, re-asked %.0f%%, fell back %.0f%%\n", t.Reported, 100*t.RepairRate, 100*t.ReAskRate, 100*t.FallbackRate)
	} else if t.Run > 0 {
		b.WriteString("  no call reports (run the server with SAMPLEGEN_REPORT_META=on for repair, re-ask and fallback rates)\n")
	}
	fmt.Fprintf(&b, "  latency ms: p50 %.0f  p90 %.0f  p99 %.0f  max %.0f\n", t.LatencyMs.P50, t.LatencyMs.P90, t.LatencyMs.P99, t.LatencyMs.Max)
	if t.CasesWithUsage > 0 {
		fmt.Fprintf(&b, "  tokens: %d in, %d out (counted for %d of %d cases)\n", t.Tokens.InputTokens, t.Tokens.OutputTokens, t.CasesWithUsage, t.Run)
	}
	if t.CasesEstimated > 0 {
		fmt.Fprintf(&b, "  tokens, estimated: %d in, %d out (for %d of %d cases, whose answers carried no count; about 4 bytes a token)\n", t.EstimatedTokens.InputTokens, t.EstimatedTokens.OutputTokens, t.CasesEstimated, t.Run)
	}
	if c := t.Cost; c != nil && t.Run > 0 {
		fmt.Fprintf(&b, "  cost %s at %s", formatCost(c.Counted), res.Prices)
		if t.CasesEstimated > 0 {
			fmt.Fprintf(&b, ", and an estimated %s for the estimated tokens", formatCost(c.Estimated))
		}
		b.WriteString("\n")
		if len(c.Unpriced) > 0 {
			fmt.Fprintf(&b, "  unpriced (no price at %s; their %d tokens are in no cost): %s\n", res.Prices, c.UnpricedTokens, strings.Join(c.Unpriced, ", "))
		}
	}
	if c := res.Compare; c != nil {
		fmt.Fprintf(&b, "  against %s: accuracy %s points (was %.1f%%); fixed %d, broken %d\n", c.Against, signed(c.AccuracyDelta), 100*c.AccuracyThen, len(c.Fixed), len(c.Broken))
		if len(c.Broken) > 0 {
			fmt.Fprintf(&b, "    broken: %s\n", strings.Join(clipList(c.Broken, 20), ", "))
		}
		if len(c.Fixed) > 0 {
			fmt.Fprintf(&b, "    fixed: %s\n", strings.Join(clipList(c.Fixed, 20), ", "))
		}
	}
	io.WriteString(w, printable(b.String()))
}

func clipList(ids []string, n int) []string {
	if len(ids) <= n {
		return ids
	}
	return append(slices.Clone(ids[:n]), fmt.Sprintf("… %d more", len(ids)-n))
}

// A progress shows the cases as they finish: a bar on a terminal, a line
// a case otherwise.
type progress struct {
	mu    sync.Mutex
	bar   *progressbar.ProgressBar
	w     io.Writer
	total int
	n     int
}

func newProgress(stderr io.Writer, total int, tool string) *progress {
	p := &progress{w: stderr, total: total}
	if f, ok := unwrapFile(stderr); ok && term.IsTerminal(int(f.Fd())) {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(f),
			progressbar.OptionSetDescription("eval "+printable(tool)),
			progressbar.OptionShowCount(),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionClearOnFinish(),
		)
	}
	return p
}

// unwrapFile finds the *os.File under the writers call and eval wrap
// stderr in.
func unwrapFile(w io.Writer) (*os.File, bool) {
	for {
		switch x := w.(type) {
		case *os.File:
			return x, true
		case *lockedWriter:
			w = x.w
		default:
			return nil, false
		}
	}
}

func (p *progress) done(k *evalCase) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	if p.bar != nil {
		p.bar.Add(1)
		return
	}
	verdict := "correct"
	switch {
	case k.Error != "":
		verdict = "error: " + sampling.Clip(k.Error, 200)
	case !k.Correct:
		var wrong []string
		for _, f := range sortedKeys(k.Fields) {
			if !k.Fields[f].Correct {
				wrong = append(wrong, f)
			}
		}
		verdict = "wrong: " + strings.Join(wrong, ", ")
	}
	fmt.Fprintln(p.w, printable(fmt.Sprintf("samplegen eval: [%d/%d] %s: %s", p.n, p.total, sampling.Clip(k.ID, 200), verdict)))
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
}
