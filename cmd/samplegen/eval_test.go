package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/sampling"
)

// updateEval re-records testdata/eval/sentiment_replay.jsonl with
// keywordModel: go test ./cmd/samplegen -run TestEvalSentiment -update-eval.
var updateEval = flag.Bool("update-eval", false, "re-record testdata/eval/sentiment_replay.jsonl with the scripted keyword model")

const (
	evalDataset = "testdata/eval/sentiment.jsonl"
	evalReplay  = "testdata/eval/sentiment_replay.jsonl"
)

// keywordModel is a scripted model, not a real one: it answers by
// keywords, so that it is right on some cases of the dataset and wrong on
// others in known ways (sarcasm and mixed texts read as positive), answers
// one in the wrong case (repaired), one out of range and one with markup
// instead of JSON (both re-asked). Its scores say nothing about any model.
func keywordModel() sampling.Sampler {
	return sampling.SamplerFunc(func(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		if len(req.Messages) == 0 || req.Messages[0] == nil || len(req.Messages[0].Content) == 0 {
			return nil, fmt.Errorf("keyword model: a request with no message")
		}
		text := contentLine(req.Messages[0].Content[0])
		reasked := len(req.Messages) > 1
		answer := `{"sentiment": "neutral", "confidence": 0.7}`
		switch {
		case strings.Contains(text, "Great support"):
			answer = `{"sentiment": "Positive", "confidence": 0.8}`
		case strings.Contains(text, "love") || strings.Contains(text, "great"):
			answer = `{"sentiment": "positive", "confidence": 0.9}`
		case strings.Contains(text, "broken"):
			answer = `{"sentiment": "negative", "confidence": 0.8}`
		case strings.Contains(text, "refund") && !reasked:
			answer = `{"sentiment": "negative", "confidence": 1.7}`
		case strings.Contains(text, "refund"):
			answer = `{"sentiment": "negative", "confidence": 0.9}`
		case strings.Contains(text, "guess") && !reasked:
			answer = `<script>alert("owned")</script> hmm, not sure`
		case strings.Contains(text, "guess"):
			answer = `{"sentiment": "negative", "confidence": 0.4}`
		}
		res := &mcp.CreateMessageWithToolsResult{Role: "assistant", Model: "keyword-script", StopReason: "endTurn", Content: []mcp.Content{&mcp.TextContent{Text: answer}}}
		sampling.SetUsage(res, sampling.Usage{InputTokens: 100, OutputTokens: 10})
		return res, nil
	})
}

// The confusion matrix keywordModel gives over evalDataset: want → got →
// count.
var wantConfusion = map[string]map[string]int{
	"negative": {"negative": 2, "positive": 1},
	"neutral":  {"neutral": 1, "negative": 1, "positive": 1},
	"positive": {"positive": 2},
}

// evalRun is what one samplegen eval run gave.
type evalRun struct {
	code           int
	stdout, stderr string
}

// eval runs samplegen eval in this process; model, when not nil,
// answers sampling (recorded to record, when not empty) instead of the
// flags' model.
func eval(t *testing.T, model sampling.Sampler, record string, args ...string) evalRun {
	t.Helper()
	c, code := parseEval(append([]string{"-timeout", callTimeout}, args...), os.Stderr)
	if code >= 0 {
		t.Fatalf("parseEval(%q): exit %d", args, code)
	}
	c.model, c.sampler.record = model, record
	var stdout, stderr strings.Builder
	code = c.run(context.Background(), &stdout, &stderr)
	return evalRun{code, stdout.String(), stderr.String()}
}

func readEvalJSON(t *testing.T, path string) *evalResult {
	t.Helper()
	r, err := readResult(path)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// sentimentEval runs eval over evalDataset against the sentiment example
// server from the recording, writing JSON and HTML into dir.
func sentimentEval(t *testing.T, dir string, extra ...string) (evalRun, *evalResult) {
	t.Helper()
	sentiment, _ := exampleServers(t)
	serverEnv(t)
	t.Setenv(sampling.EnvPrices, "")
	if *updateEval {
		os.Remove(evalReplay)
		r := eval(t, keywordModel(), evalReplay, "-concurrency", "1", "analyze_sentiment", evalDataset, "--", sentiment)
		if r.code != evalOK {
			t.Fatalf("recording: exit %d\n%s", r.code, r.stderr)
		}
	}
	args := append([]string{"-replay", evalReplay, "-concurrency", "3",
		"-json", filepath.Join(dir, "result.json"), "-html", filepath.Join(dir, "report.html")}, extra...)
	r := eval(t, nil, "", append(args, "analyze_sentiment", evalDataset, "--", sentiment)...)
	if strings.Contains(r.stderr, "cannot answer every case") {
		t.Fatalf("%s\n(if the sentiment tool's prompt changed on purpose, record again: go test ./cmd/samplegen -run TestEvalSentiment -update-eval)", r.stderr)
	}
	return r, readEvalJSON(t, filepath.Join(dir, "result.json"))
}

// TestEvalSentiment runs samplegen eval against the sentiment example
// server, a subprocess per session, answering from answers recorded from
// keywordModel: the scores, the confusion matrix, the rates taken from
// the server's call reports, the tokens and the raw text of a wrong case
// are the ones that model's answers give.
func TestEvalSentiment(t *testing.T) {
	for _, era := range []string{pushEra, mrtrEra} {
		t.Run(era, func(t *testing.T) { testEvalSentiment(t, "-protocol", era) })
	}
}

func testEvalSentiment(t *testing.T, flags ...string) {
	noLeaks(t)
	dir := t.TempDir()
	r, res := sentimentEval(t, dir, flags...)
	if r.code != evalOK {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	tot := res.Totals
	if tot.Cases != 8 || tot.Run != 8 || tot.Correct != 5 || tot.Errors != 0 || tot.Accuracy != 5.0/8 {
		t.Errorf("totals %+v, want 5 of 8 correct", tot)
	}
	checkConfusion(t, tot.Confusion["sentiment"])
	pos := tot.Classes["sentiment"]["positive"]
	if pos.Precision != 0.5 || pos.Recall != 1 || math.Abs(pos.F1-2.0/3) > 1e-9 || pos.Support != 2 || pos.Predicted != 4 {
		t.Errorf("positive %+v, want precision 0.5, recall 1", pos)
	}
	// 8 calls with reports: one repaired (the wrong case), two re-asked.
	if tot.Reported != 8 || tot.RepairRate != 1.0/8 || tot.ReAskRate != 2.0/8 || tot.FallbackRate != 0 {
		t.Errorf("rates: reported %d, repair %v, re-ask %v, fallback %v; want 8, 1/8, 2/8, 0", tot.Reported, tot.RepairRate, tot.ReAskRate, tot.FallbackRate)
	}
	if tot.Tokens != (sampling.Usage{InputTokens: 1000, OutputTokens: 100}) || tot.CasesWithUsage != 8 {
		t.Errorf("tokens %+v for %d cases, want 10 answers of 100+10", tot.Tokens, tot.CasesWithUsage)
	}
	if len(res.Models) != 1 || res.Models[0] != "keyword-script" || !strings.Contains(res.Source, "replay file") {
		t.Errorf("models %q, source %q", res.Models, res.Source)
	}
	var shrug *evalCase
	for _, k := range res.Cases {
		if k.ID == "shrug" {
			shrug = k
		}
	}
	if shrug == nil || shrug.Correct || shrug.ReAsks != 1 || len(shrug.Raw) != 2 || !strings.Contains(shrug.Raw[0], "<script>") {
		t.Errorf("shrug case %+v: want wrong, re-asked once, both answers' text kept", shrug)
	}
	if v := shrug.Fields["sentiment"]; v.Want != "neutral" || v.Got != "negative" || v.Correct {
		t.Errorf("shrug verdict %+v", v)
	}
	for _, want := range []string{"analyze_sentiment over " + evalDataset + ": 5/8 correct, accuracy 62.5%", "positive", "precision 0.50  recall 1.00", "repaired 12%, re-asked 25%", "tokens: 1000 in, 100 out"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, r.stdout)
		}
	}
	// Not a terminal: a line a case.
	if n := strings.Count(r.stderr, "samplegen eval: ["); n != 8 {
		t.Errorf("%d progress lines, want 8:\n%s", n, r.stderr)
	}
	html, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(html), "<script>alert") || !strings.Contains(string(html), "&lt;script&gt;alert") {
		t.Errorf("the report does not escape the model's text")
	}
}

func checkConfusion(t *testing.T, m *confusion) {
	t.Helper()
	if m == nil {
		t.Fatal("no confusion matrix for sentiment")
	}
	total := 0
	for i, want := range m.Labels {
		for j, got := range m.Labels {
			total += m.Counts[i][j]
			if m.Counts[i][j] != wantConfusion[want][got] {
				t.Errorf("confusion[%s][%s] = %d, want %d", want, got, m.Counts[i][j], wantConfusion[want][got])
			}
		}
	}
	if total != 8 {
		t.Errorf("confusion counts %d cases, want 8", total)
	}
}

// -min-accuracy above the score exits 3, at or below it 0; -compare
// against an earlier result names the cases that flipped.
func TestEvalMinAccuracyAndCompare(t *testing.T) {
	dir := t.TempDir()
	r, res := sentimentEval(t, dir, "-min-accuracy", "0.9", "-price", "in=2,out=8")
	if r.code != evalBelow || !strings.Contains(r.stderr, "accuracy 0.625 is below -min-accuracy 0.900") {
		t.Fatalf("exit %d, want %d (below)\n%s", r.code, evalBelow, r.stderr)
	}
	// 1000 tokens in at 2 and 100 out at 8 a million, all counted.
	if c := res.Totals.Cost; c == nil || math.Abs(c.Counted-0.0028) > 1e-12 || c.Estimated != 0 || len(c.Unpriced) != 0 || !strings.Contains(r.stdout, "cost 0.0028 at -price in=2,out=8\n") {
		t.Errorf("cost %+v\n%s", c, r.stdout)
	}
	if res.Prices != "-price in=2,out=8" || res.Totals.CasesEstimated != 0 || strings.Contains(r.stdout, "estimated") {
		t.Errorf("prices from %q, %d cases estimated; want -price and none\n%s", res.Prices, res.Totals.CasesEstimated, r.stdout)
	}
	// An earlier run where sarcasm was right and opening-hours wrong.
	for _, k := range res.Cases {
		switch k.ID {
		case "sarcasm":
			k.Correct = true
		case "opening-hours":
			k.Correct = false
		}
	}
	res.Totals.Accuracy = 0.75
	old := filepath.Join(dir, "old.json")
	if err := writeJSONFile(old, res); err != nil {
		t.Fatal(err)
	}
	r, now := sentimentEval(t, dir, "-min-accuracy", "0.625", "-compare", old)
	if r.code != evalOK {
		t.Fatalf("exit %d at the threshold, want 0\n%s", r.code, r.stderr)
	}
	c := now.Compare
	if c == nil || len(c.Fixed) != 1 || c.Fixed[0] != "opening-hours" || len(c.Broken) != 1 || c.Broken[0] != "sarcasm" || c.AccuracyDelta != -0.125 {
		t.Errorf("compare %+v, want opening-hours fixed, sarcasm broken, -12.5 points", c)
	}
	if !strings.Contains(r.stdout, "accuracy -12.5 points (was 75.0%); fixed 1, broken 1") {
		t.Errorf("summary lacks the comparison:\n%s", r.stdout)
	}
	html, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`id="compare" data-accuracy-delta="-0.12"`, `<code class="broken">sarcasm</code>`, `<code class="fixed">opening-hours</code>`} {
		if !strings.Contains(string(html), want) {
			t.Errorf("the report lacks %s", want)
		}
	}
}

// A client whose model names itself per answer and counts only some of
// its answers: counted and estimated tokens are kept apart, each answer is
// priced at its own model's price from -prices (the longest name that is
// a prefix of it), the cost of estimated tokens is kept apart too, and the
// model the table has no price for is named, its tokens in no cost.
func TestEvalPricesAndEstimates(t *testing.T) {
	sentiment, _ := exampleServers(t)
	serverEnv(t)
	t.Setenv(sampling.EnvPrices, "")
	dir := t.TempDir()
	prices := filepath.Join(dir, "prices.json")
	if err := os.WriteFile(prices, []byte(`{"keyword-script": {"input": 2, "output": 8}, "keyword-script-v2": {"input": 1, "output": 4}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	var (
		mu                               sync.Mutex
		counted, estimated, unpriced     sampling.Usage
		wantCost, wantEstimatedCost      float64
		countedAnswers, estimatedAnswers int
	)
	keyword := keywordModel()
	model := sampling.SamplerFunc(func(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		res, err := keyword.CreateMessage(ctx, req)
		if err != nil {
			return nil, err
		}
		mu.Lock()
		defer mu.Unlock()
		switch text := contentLine(req.Messages[0].Content[0]); {
		case strings.Contains(text, "refund"): // no count, and no price
			res.Model = "mystery-model"
			delete(res.Meta, sampling.UsageMetaKey)
			unpriced = unpriced.Add(sampling.EstimateUsage(req, res))
			estimatedAnswers++
		case strings.Contains(text, "guess"): // no count; priced as keyword-script-v2
			res.Model = "keyword-script-v2-2025"
			delete(res.Meta, sampling.UsageMetaKey)
			u := sampling.EstimateUsage(req, res)
			estimated = estimated.Add(u)
			wantEstimatedCost += (float64(u.InputTokens)*1 + float64(u.OutputTokens)*4) / 1e6
			estimatedAnswers++
		default: // 100 in and 10 out, as keyword-script
			counted = counted.Add(sampling.Usage{InputTokens: 100, OutputTokens: 10})
			wantCost += (100*2 + 10*8) / 1e6
			countedAnswers++
		}
		return res, nil
	})
	jsonOut, htmlOut := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.html")
	r := eval(t, model, "", "-concurrency", "2", "-prices", prices, "-json", jsonOut, "-html", htmlOut, "analyze_sentiment", evalDataset, "--", sentiment)
	if r.code != evalOK {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	res := readEvalJSON(t, jsonOut)
	tot := res.Totals
	// refund and shrug are asked twice each (re-asked), and estimated.
	if estimatedAnswers != 4 || countedAnswers != 6 || estimated.InputTokens < 100 || estimated.OutputTokens == 0 {
		t.Fatalf("the model answered %d times without a count and %d with one, estimated %+v: the dataset or the server changed", estimatedAnswers, countedAnswers, estimated)
	}
	if tot.Tokens != counted || tot.CasesWithUsage != 6 || tot.EstimatedTokens != estimated.Add(unpriced) || tot.CasesEstimated != 2 {
		t.Errorf("tokens %+v over %d cases, estimated %+v over %d; want %+v over 6, %+v over 2",
			tot.Tokens, tot.CasesWithUsage, tot.EstimatedTokens, tot.CasesEstimated, counted, estimated.Add(unpriced))
	}
	c := tot.Cost
	if c == nil || math.Abs(c.Counted-wantCost) > 1e-12 || math.Abs(c.Estimated-wantEstimatedCost) > 1e-12 ||
		fmt.Sprint(c.Unpriced) != "[mystery-model]" || c.UnpricedTokens != unpriced.InputTokens+unpriced.OutputTokens {
		t.Errorf("cost %+v; want %v counted, %v estimated, mystery-model unpriced with %+v", c, wantCost, wantEstimatedCost, unpriced)
	}
	if res.Prices != prices {
		t.Errorf("prices from %q, want %s", res.Prices, prices)
	}
	for _, k := range res.Cases {
		switch k.ID {
		case "refund":
			if k.HasUsage || k.EstimatedUsage != unpriced || k.Cost == nil || k.Cost.Counted != 0 || k.Cost.Estimated != 0 || fmt.Sprint(k.Cost.Unpriced) != "[mystery-model]" {
				t.Errorf("refund case: usage %v %+v, estimated %+v, cost %+v; want only unpriced estimates", k.HasUsage, k.Usage, k.EstimatedUsage, k.Cost)
			}
		case "love-it":
			if !k.HasUsage || k.HasEstimate() || k.Cost == nil || math.Abs(k.Cost.Counted-0.00028) > 1e-12 || len(k.Cost.Unpriced) != 0 {
				t.Errorf("love-it case: usage %+v, estimated %+v, cost %+v; want 100+10 counted at 2 and 8", k.Usage, k.EstimatedUsage, k.Cost)
			}
		}
	}
	for _, want := range []string{
		fmt.Sprintf("tokens: %d in, %d out (counted for 6 of 8 cases)\n", counted.InputTokens, counted.OutputTokens),
		fmt.Sprintf("tokens, estimated: %d in, %d out (for 2 of 8 cases, whose answers carried no count; about 4 bytes a token)\n", tot.EstimatedTokens.InputTokens, tot.EstimatedTokens.OutputTokens),
		fmt.Sprintf("cost %s at %s, and an estimated %s for the estimated tokens\n", formatCost(c.Counted), prices, formatCost(c.Estimated)),
		fmt.Sprintf("unpriced (no price at %s; their %d tokens are in no cost): mystery-model\n", prices, c.UnpricedTokens),
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, r.stdout)
		}
	}
	html, err := os.ReadFile(htmlOut)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		fmt.Sprintf(`id="estimated-tokens" data-in="%d" data-out="%d"`, tot.EstimatedTokens.InputTokens, tot.EstimatedTokens.OutputTokens),
		fmt.Sprintf(`id="cost" data-value="%.6f"`, c.Counted),
		fmt.Sprintf(`id="estimated-cost" data-value="%.6f"`, c.Estimated),
		fmt.Sprintf(`id="unpriced" class="bad" data-tokens="%d"`, c.UnpricedTokens),
		`<code class="unpriced">mystery-model</code>`,
		"tokens estimated",
	} {
		if !strings.Contains(string(html), want) {
			t.Errorf("the report lacks %s", want)
		}
	}

	// -max-tokens counts estimates: with no answer counted, the first
	// case's estimate spends a budget of 1.
	uncounted := sampling.SamplerFunc(func(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		res, err := keyword.CreateMessage(ctx, req)
		if res != nil {
			delete(res.Meta, sampling.UsageMetaKey)
		}
		return res, err
	})
	r = eval(t, uncounted, "", "-concurrency", "1", "-max-tokens", "1", "-json", jsonOut, "analyze_sentiment", evalDataset, "--", sentiment)
	if tot := readEvalJSON(t, jsonOut).Totals; r.code != evalOK || tot.Run != 1 || tot.Skipped != 7 || tot.CasesWithUsage != 0 || tot.CasesEstimated != 1 || tot.Cost != nil {
		t.Errorf("-max-tokens 1, nothing counted: exit %d, totals %+v; want 1 case run on its estimate, no cost\n%s", r.code, tot, r.stderr)
	}
}

// The tap keeps each answer's tokens as counted or estimated and prices
// them at the answering model's price: a refusal that carries the tokens
// it spent is charged to the -model flag's model, an answer that names no
// model is "(unnamed)", and however many models go unpriced, only the
// first maxUnpriced are named while all their tokens are counted.
func TestEvalTapCountsAndPrices(t *testing.T) {
	var next func(req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error)
	tap := &caseTap{
		next: sampling.SamplerFunc(func(_ context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
			return next(req)
		}),
		prices: sampling.Prices{"flag-model": {Input: 1, Output: 2}},
		model:  "flag-model",
	}
	req := &mcp.CreateMessageWithToolsParams{Messages: []*mcp.SamplingMessageV2{{Role: "user", Content: []mcp.Content{&mcp.TextContent{Text: strings.Repeat("x", 400)}}}}}
	answer := func(model string) *mcp.CreateMessageWithToolsResult {
		return &mcp.CreateMessageWithToolsResult{Model: model, Content: []mcp.Content{&mcp.TextContent{Text: "12345678"}}}
	}
	ask := func() { tap.CreateMessage(context.Background(), req) }

	next = func(*mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		return nil, sampling.ModelRefused("no", sampling.Usage{InputTokens: 1000, OutputTokens: 500})
	}
	ask()
	next = func(*mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		return answer("flag-model-2025"), nil // 100 in, 2 out, estimated
	}
	ask()
	next = func(*mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		return answer(""), nil
	}
	ask()
	for i := range maxUnpriced + 4 {
		next = func(*mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
			return answer(fmt.Sprint("other-", i)), nil
		}
		ask()
	}
	var k evalCase
	tap.take(&k)
	if !k.HasUsage || k.Usage != (sampling.Usage{InputTokens: 1000, OutputTokens: 500}) {
		t.Errorf("counted %v %+v, want the refusal's 1000 in and 500 out", k.HasUsage, k.Usage)
	}
	answers := int64(1 + 1 + maxUnpriced + 4) // that named a model or none
	if k.EstimatedUsage != (sampling.Usage{InputTokens: 100 * answers, OutputTokens: 2 * answers}) {
		t.Errorf("estimated %+v, want 100 in and 2 out for each of %d answers", k.EstimatedUsage, answers)
	}
	c := k.Cost
	if c == nil || math.Abs(c.Counted-(1000*1+500*2)/1e6) > 1e-15 || math.Abs(c.Estimated-(100*1+2*2)/1e6) > 1e-15 {
		t.Fatalf("cost %+v, want 0.002 counted and 0.000104 estimated", c)
	}
	if len(c.Unpriced) != maxUnpriced || c.Unpriced[0] != "(unnamed)" || c.Unpriced[1] != "other-0" || c.UnpricedTokens != 102*(answers-1) {
		t.Errorf("unpriced %q with %d tokens; want (unnamed), other-0 and more, %d names, %d tokens", c.Unpriced, c.UnpricedTokens, maxUnpriced, 102*(answers-1))
	}
	// take empties the tap for the next case.
	var again evalCase
	tap.take(&again)
	if again.HasUsage || again.HasEstimate() || again.Cost != nil {
		t.Errorf("a second take: %+v", again)
	}
}

// $SAMPLEGEN_PRICES names the price file -prices defaults to; -price on
// the command line beats it; a bad file, from either, stops the run
// before it starts (exit 1), naming the file.
func TestEvalPricesFromEnvironment(t *testing.T) {
	serverEnv(t)
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "prices.json"), filepath.Join(dir, "bad.json")
	os.WriteFile(good, []byte(`{"*": {"input": 1, "output": 2}}`), 0o644)
	os.WriteFile(bad, []byte(`{"gpt-4o": {"input": -1, "output": 2}}`), 0o644)
	t.Setenv(sampling.EnvPrices, good)
	c, code := parseEval([]string{"tool", "d.jsonl", "--", "x"}, os.Stderr)
	if code >= 0 || c.pricesFile != good || !c.pricesFromEnv {
		t.Errorf("with $%s: exit %d, prices file %q; want %s", sampling.EnvPrices, code, c.pricesFile, good)
	}
	c, code = parseEval([]string{"-price", "in=3,out=4", "tool", "d.jsonl", "--", "x"}, os.Stderr)
	if code >= 0 || c.pricesFile != "" || c.prices["*"] != (sampling.Price{Input: 3, Output: 4}) || c.pricesFrom != "-price in=3,out=4" {
		t.Errorf("-price with $%s: exit %d, file %q, prices %v from %q; want -price's alone", sampling.EnvPrices, code, c.pricesFile, c.prices, c.pricesFrom)
	}

	t.Setenv(sampling.EnvPrices, bad)
	r := eval(t, keywordModel(), "", "analyze_sentiment", evalDataset, "--", "/nonexistent/server")
	if r.code != evalFailed || !strings.Contains(r.stderr, "$"+sampling.EnvPrices+": the price file "+bad+`: model "gpt-4o": the input price -1 is not a price`) {
		t.Errorf("a bad price file: exit %d, want 1 naming it\n%s", r.code, r.stderr)
	}
	t.Setenv(sampling.EnvPrices, "")
	r = eval(t, keywordModel(), "", "-prices", filepath.Join(dir, "missing.json"), "analyze_sentiment", evalDataset, "--", "/nonexistent/server")
	if r.code != evalFailed || !strings.Contains(r.stderr, "-prices: reading the price file: open "+filepath.Join(dir, "missing.json")) {
		t.Errorf("a missing price file: exit %d, want 1 naming it\n%s", r.code, r.stderr)
	}
}

// A model that never answers: each case ends at -case-timeout as a
// failed call, and the run ends, leaving nothing behind.
func TestEvalCaseTimeout(t *testing.T) {
	noLeaks(t)
	sentiment, _ := exampleServers(t)
	serverEnv(t)
	stuck := sampling.SamplerFunc(func(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	})
	dir := t.TempDir()
	r := eval(t, stuck, "", "-concurrency", "2", "-max-cases", "2", "-case-timeout", "500ms", "-json", filepath.Join(dir, "r.json"), "analyze_sentiment", evalDataset, "--", sentiment)
	if r.code != evalOK {
		t.Fatalf("exit %d, want 0 (the evaluation ran; its cases failed)\n%s", r.code, r.stderr)
	}
	res := readEvalJSON(t, filepath.Join(dir, "r.json"))
	if tot := res.Totals; tot.Run != 2 || tot.Errors != 2 || tot.Correct != 0 || tot.Confusion["sentiment"].count("positive", labelError)+tot.Confusion["sentiment"].count("negative", labelError) != 2 {
		t.Errorf("totals %+v, want 2 failed calls in the (error) column", tot)
	}
}

// The report of a hand-made result: a multi-label field gets per-label
// scores and no matrix, an enum's matrix has the (missing) and (error)
// columns, and text from the dataset or the model is escaped.
func TestEvalReportHTML(t *testing.T) {
	rules := compareRules{}
	mk := func(id string, want, got map[string]any, failed bool, raw ...string) *evalCase {
		k := &evalCase{ID: id, Raw: raw}
		if failed {
			k.Error = "boom <b>"
		}
		k.Fields, k.Correct = rules.judge(want, got, failed)
		return k
	}
	cases := []*evalCase{
		mk("ok", map[string]any{"kind": "a", "tags": []any{"x"}}, map[string]any{"kind": "a", "tags": []any{"x"}}, false),
		mk("<i>missing</i>", map[string]any{"kind": "a", "tags": []any{"x"}}, map[string]any{"tags": []any{}}, false, "</pre><img src=x onerror=alert(1)>"),
		mk("failed", map[string]any{"kind": "b", "tags": []any{"y"}}, nil, true),
	}
	c := &evalConfig{tool: "t", dataset: "d.jsonl", rules: rules}
	res := c.score(cases)
	res.Source = "a test"
	b, err := renderHTML(res)
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	for _, want := range []string{
		`data-want="a" data-got="(missing)" data-count="1"`,
		`data-want="b" data-got="(error)" data-count="1"`,
		`<table class="classes" data-field="tags">`,
		`Classes of <code>tags</code> (multi-label: per label)`,
		`&lt;/pre&gt;&lt;img src=x onerror=alert(1)&gt;`,
		`data-case="&lt;i&gt;missing&lt;/i&gt;"`,
		`boom &lt;b&gt;`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the report lacks %s", want)
		}
	}
	if strings.Contains(html, `<table class="confusion" data-field="tags"`) || strings.Contains(html, "<img") || strings.Contains(html, "<i>") {
		t.Errorf("a matrix for the multi-label field, or unescaped text:\n%s", html)
	}
}

// A dataset case the recording has no answer for fails the run (exit 1):
// scores from a stale recording are not the recording's.
func TestEvalStaleReplay(t *testing.T) {
	sentiment, _ := exampleServers(t)
	serverEnv(t)
	data := filepath.Join(t.TempDir(), "data.jsonl")
	os.WriteFile(data, []byte(`{"args":{"text":"A text never recorded."},"want":{"sentiment":"neutral"}}`+"\n"), 0o644)
	r := eval(t, nil, "", "-replay", evalReplay, "analyze_sentiment", data, "--", sentiment)
	if r.code != evalFailed || !strings.Contains(r.stderr, "the replay file cannot answer every case") {
		t.Errorf("exit %d, want 1 for a stale recording\n%s", r.code, r.stderr)
	}
}

// The metrics of a known small set, by hand: a 3-class enum with a failed
// call and a missing field, a multi-label field, a number with tolerance.
func TestEvalScores(t *testing.T) {
	rules := compareRules{tolerance: 0.05}
	mk := func(id string, want, got map[string]any, failed bool) *evalCase {
		k := &evalCase{ID: id}
		if failed {
			k.Error = "boom"
		}
		k.Fields, k.Correct = rules.judge(want, got, failed)
		return k
	}
	cases := []*evalCase{
		mk("1", map[string]any{"kind": "a", "tags": []any{"x", "y"}, "score": 0.5}, map[string]any{"kind": "a", "tags": []any{"y", "x", "x"}, "score": 0.53}, false),
		mk("2", map[string]any{"kind": "a", "tags": []any{"x"}, "score": 0.5}, map[string]any{"kind": "b", "tags": []any{"x", "z"}, "score": 0.6}, false),
		mk("3", map[string]any{"kind": "b", "tags": []any{}}, map[string]any{"kind": "b", "tags": []any{}}, false),
		mk("4", map[string]any{"kind": "b"}, map[string]any{"other": 1.0}, false),
		mk("5", map[string]any{"kind": "c"}, nil, true),
		{ID: "6", Skipped: true},
	}
	if !cases[0].Correct || cases[1].Correct || !cases[2].Correct || cases[3].Correct || cases[4].Correct {
		t.Fatalf("verdicts %v %v %v %v %v", cases[0].Correct, cases[1].Correct, cases[2].Correct, cases[3].Correct, cases[4].Correct)
	}
	fields, classes, matrices := rules.scoreFields(cases)
	if f := fields["kind"]; f.Cases != 5 || f.Correct != 2 || f.Accuracy != 0.4 {
		t.Errorf("kind accuracy %+v, want 2 of 5", f)
	}
	if f := fields["score"]; f.Cases != 2 || f.Correct != 1 {
		t.Errorf("score accuracy %+v, want 1 of 2 (tolerance 0.05)", f)
	}
	m := matrices["kind"]
	wantLabels := []string{"a", "b", "c", labelMissing, labelError}
	if fmt.Sprint(m.Labels) != fmt.Sprint(wantLabels) {
		t.Fatalf("labels %q, want %q", m.Labels, wantLabels)
	}
	for _, cell := range []struct {
		want, got string
		n         int
	}{{"a", "a", 1}, {"a", "b", 1}, {"b", "b", 1}, {"b", labelMissing, 1}, {"c", labelError, 1}, {"b", "a", 0}} {
		if got := m.count(cell.want, cell.got); got != cell.n {
			t.Errorf("confusion[%s][%s] = %d, want %d", cell.want, cell.got, got, cell.n)
		}
	}
	// b: predicted twice (cases 2, 3), right once; wanted twice, found once.
	if b := classes["kind"]["b"]; b.Precision != 0.5 || b.Recall != 0.5 || b.F1 != 0.5 || b.Support != 2 {
		t.Errorf("class b %+v, want precision, recall, F1 0.5", b)
	}
	if c := classes["kind"]["c"]; c.Precision != 0 || c.Recall != 0 || c.F1 != 0 || c.Support != 1 {
		t.Errorf("class c %+v, want zeros", c)
	}
	if _, ok := classes["kind"][labelMissing]; ok {
		t.Errorf("(missing) scored as a class")
	}
	// x: wanted twice, got twice; z: got once, never wanted; y: 1 of 1.
	tags := classes["tags"]
	if x := tags["x"]; x.Support != 2 || x.Predicted != 2 || x.TruePos != 2 || x.F1 != 1 {
		t.Errorf("tag x %+v", x)
	}
	if z := tags["z"]; z.Support != 0 || z.Predicted != 1 || z.Precision != 0 {
		t.Errorf("tag z %+v", z)
	}
	if _, ok := matrices["tags"]; ok {
		t.Errorf("a confusion matrix for a multi-label field")
	}
	if _, ok := classes["score"]; ok {
		t.Errorf("classes for a number field")
	}
}

// A long field of a result is judged whole but kept short.
func TestEvalKeepsLongResultsShort(t *testing.T) {
	long := strings.Repeat("a", 1<<20)
	verdicts, ok := compareRules{}.judge(map[string]any{"text": long, "other": "x"}, map[string]any{"text": long, "other": long}, false)
	if ok || !verdicts["text"].Correct || verdicts["other"].Correct {
		t.Fatalf("verdicts %v", ok)
	}
	for f, v := range verdicts {
		if got, _ := v.Got.(string); len(got) > maxGotShown+100 || !strings.HasPrefix(got, "(1048578 bytes of JSON)") {
			t.Errorf("%s: kept %d bytes, starting %.40q", f, len(got), got)
		}
	}
}

// -max-cases and -max-tokens leave cases unrun, reported as skipped and
// not scored; one session calls the cases in order.
func TestEvalBudget(t *testing.T) {
	for _, tc := range []struct {
		flag, value string
		run         int
	}{
		{"-max-cases", "3", 3},
		// 110 tokens a case (the dataset's first four ask once): after
		// two cases 220 >= 150.
		{"-max-tokens", "150", 2},
	} {
		t.Run(tc.flag, func(t *testing.T) {
			r, res := sentimentEval(t, t.TempDir(), "-concurrency", "1", tc.flag, tc.value)
			tot := res.Totals
			if r.code != evalOK || tot.Run != tc.run || tot.Skipped != 8-tc.run || tot.Correct != tc.run || tot.Accuracy != 1 {
				t.Errorf("exit %d, totals %+v; want %d run, all correct, the rest skipped\n%s", r.code, tot, tc.run, r.stderr)
			}
			if !strings.Contains(r.stdout, fmt.Sprintf("%d skipped (budget)", 8-tc.run)) {
				t.Errorf("summary: %s", r.stdout)
			}
		})
	}
}

// Labels the dataset never wants are bounded: past maxOtherLabels they are
// counted as (other), so that a matrix stays small whatever the results.
func TestEvalBoundsOtherLabels(t *testing.T) {
	rules := compareRules{}
	var cases []*evalCase
	for i := range 100 {
		k := &evalCase{ID: fmt.Sprint(i)}
		k.Fields, k.Correct = rules.judge(map[string]any{"kind": "a", "tags": []any{"x"}},
			map[string]any{"kind": fmt.Sprintf("junk-%03d-%s", i, strings.Repeat("z", 1000)), "tags": []any{"x", fmt.Sprint("t", i)}}, false)
		cases = append(cases, k)
	}
	_, classes, matrices := rules.scoreFields(cases)
	m := matrices["kind"]
	if len(m.Labels) != 1+maxOtherLabels+1 || m.Labels[len(m.Labels)-1] != labelOther {
		t.Fatalf("%d labels, want a, %d others and (other)", len(m.Labels), maxOtherLabels)
	}
	if n := m.count("a", labelOther); n != 100-maxOtherLabels {
		t.Errorf("(other) counts %d, want %d", n, 100-maxOtherLabels)
	}
	for _, l := range m.Labels {
		if len(l) > maxLabel+len("…") {
			t.Errorf("a label of %d bytes", len(l))
		}
	}
	tags := classes["tags"]
	if len(tags) != 1+maxOtherLabels+1 || tags[labelOther].Predicted != 100-maxOtherLabels || tags["x"].F1 != 1 {
		t.Errorf("%d tag classes, (other) %+v, x %+v", len(tags), tags[labelOther], tags["x"])
	}
}

func TestEvalCompareRules(t *testing.T) {
	exact, folded := compareRules{}, compareRules{foldCase: true, tolerance: 0.1}
	for _, tc := range []struct {
		want, got   any
		exact, fold bool
	}{
		{"Positive", "positive", false, true},
		{"a", "a", true, true},
		{1.0, 1.05, false, true},
		{1.0, "1", false, false},
		{[]any{"a", "b"}, []any{"b", "a"}, true, true},
		{[]any{"a", "b"}, []any{"a"}, false, false},
		{[]any{"a"}, []any{"a", "c"}, false, false},
		{map[string]any{"k": "v"}, map[string]any{"k": "v", "extra": 1.0}, true, true},
		{map[string]any{"k": "v"}, map[string]any{}, false, false},
		// A list of objects: each result object may say more than the
		// dataset's names, on either side of the set comparison.
		{[]any{map[string]any{"line": 3.0}}, []any{map[string]any{"line": 3.0, "reason": "x"}}, true, true},
		{[]any{map[string]any{"line": 3.0}}, []any{map[string]any{"line": 3.0, "reason": "x"}, map[string]any{"line": 9.0}}, false, false},
		{true, false, false, false},
		{nil, nil, true, true},
	} {
		if got := exact.equal(tc.want, tc.got); got != tc.exact {
			t.Errorf("exact: equal(%v, %v) = %v", tc.want, tc.got, got)
		}
		if got := folded.equal(tc.want, tc.got); got != tc.fold {
			t.Errorf("fold-case, tolerance 0.1: equal(%v, %v) = %v", tc.want, tc.got, got)
		}
	}
}

// Short one-line strings are labels; a want of free text (a sentence, a
// summary) makes its field one of accuracy only, not a class per case.
func TestEvalFieldKinds(t *testing.T) {
	for _, tc := range []struct {
		wants []any
		kind  fieldKind
	}{
		{[]any{"positive", "negative"}, kindEnum},
		{[]any{"en", "pt-BR", "feature_request"}, kindEnum},
		{[]any{"It is a dog.", "The cat sat on the mat, and then it slept all day."}, kindOther},
		{[]any{"two\nlines"}, kindOther},
		{[]any{[]any{"spam", "abuse"}, []any{}}, kindMultiSet},
		{[]any{[]any{"a long sentence that is no label at all"}}, kindOther},
		{[]any{"a", 1.0}, kindOther},
	} {
		if got := kindOf(tc.wants); got != tc.kind {
			t.Errorf("kindOf(%q) = %v, want %v", tc.wants, got, tc.kind)
		}
	}
}

func TestEvalPercentile(t *testing.T) {
	v := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	if p := percentile(v, 50); p != 5 {
		t.Errorf("p50 %v", p)
	}
	if p := percentile(v, 90); p != 9 {
		t.Errorf("p90 %v", p)
	}
	if p := percentile(v, 99); p != 10 {
		t.Errorf("p99 %v", p)
	}
	if p := percentile(nil, 50); p != 0 {
		t.Errorf("p50 of none %v", p)
	}
}

func TestEvalCompareWith(t *testing.T) {
	res := func(acc float64, verdicts map[string]bool) *evalResult {
		r := &evalResult{Totals: evalTotals{Accuracy: acc, Fields: map[string]fieldScore{"kind": {Accuracy: acc}}, Classes: map[string]map[string]classScore{"kind": {"a": {F1: acc}}}}}
		for _, id := range sortedKeys(verdicts) {
			r.Cases = append(r.Cases, &evalCase{ID: id, Correct: verdicts[id]})
		}
		return r
	}
	then := res(0.5, map[string]bool{"a": true, "b": false, "gone": true})
	now := res(0.75, map[string]bool{"a": false, "b": true, "new": true})
	c := compareWith(now, then, "old.json")
	if fmt.Sprint(c.Fixed, c.Broken) != "[b] [a]" || c.OnlyNow != 1 || c.OnlyThen != 1 || c.AccuracyDelta != 0.25 || c.FieldDelta["kind"] != 0.25 || c.F1Delta["kind"]["a"] != 0.25 {
		t.Errorf("%+v", c)
	}
}

func TestEvalDataset(t *testing.T) {
	for _, tc := range []struct{ name, data, err string }{
		{"not JSON", "nope\n", "data.jsonl:1: not a dataset line"},
		{"args not an object", `{"args":[1],"want":{"a":1}}`, `data.jsonl:1: "args" must be a JSON object`},
		{"no want", `{"args":{}}`, `data.jsonl:1: "want" must be an object naming at least one field`},
		{"duplicate id", `{"id":"x","args":{},"want":{"a":1}}` + "\n\n" + `{"id":"x","args":{},"want":{"a":1}}`, `data.jsonl:3: id "x" is also line 1's`},
		{"empty", "\n", "data.jsonl has no cases"},
		{"too long", `{"args":{"t":"` + strings.Repeat("a", maxDatasetLine) + `"}}`, "longer than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readDataset(strings.NewReader(tc.data), "data.jsonl")
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("error %v, want %q", err, tc.err)
			}
		})
	}
	lines, err := readDataset(strings.NewReader(`{"args":{"t":"a"},"want":{"k":"v"}}`+"\n"+`{"id":"two","args":{},"want":{"k":"w"}}`), "d")
	if err != nil || len(lines) != 2 || lines[0].ID != "line 1" || lines[1].ID != "two" {
		t.Errorf("%v %+v", err, lines)
	}
}

func TestEvalUsageErrors(t *testing.T) {
	serverEnv(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"tool"}, "want TOOL and DATA.jsonl"},
		{[]string{"tool", "d.jsonl"}, "give the server"},
		{[]string{"-concurrency", "0", "tool", "d.jsonl", "--", "x"}, "-concurrency 0"},
		{[]string{"-min-accuracy", "90", "tool", "d.jsonl", "--", "x"}, "give a fraction from 0 to 1"},
		{[]string{"-replay", "r", "-model", "m", "tool", "d.jsonl", "--", "x"}, "-replay answers sampling by itself"},
		{[]string{"-human", "tool", "d.jsonl", "--", "x"}, "flag provided but not defined: -human"},
		{[]string{"-price", "in=1", "tool", "d.jsonl", "--", "x"}, "give both in= and out="},
		{[]string{"-price", "in=1,out=-2", "tool", "d.jsonl", "--", "x"}, "give in=X,out=Y"},
		{[]string{"-price", "in=NaN,out=1", "tool", "d.jsonl", "--", "x"}, "give in=X,out=Y"},
		{[]string{"-price", "in=1,out=1", "-prices", "p.json", "tool", "d.jsonl", "--", "x"}, "-price is short for a -prices file of one price for every model: give one of them"},
	} {
		var stderr strings.Builder
		if _, code := parseEval(tc.args, &stderr); code != evalUsage || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%q: exit %d, stderr %q; want 2 and %q", tc.args, code, stderr.String(), tc.want)
		}
	}
}

// The samplegen binary dispatches eval, and its exit status is eval's:
// 0 at the threshold, 3 below it, 2 for a wrong command line.
func TestEvalSubcommand(t *testing.T) {
	sentiment, _ := exampleServers(t)
	serverEnv(t)
	bin := filepath.Join(filepath.Dir(sentiment), "samplegen")
	for _, tc := range []struct {
		minAccuracy string
		code        int
	}{{"0.625", evalOK}, {"0.9", evalBelow}, {"9", evalUsage}} {
		cmd := exec.Command(bin, "eval", "-timeout", callTimeout, "-replay", evalReplay, "-min-accuracy", tc.minAccuracy, "analyze_sentiment", evalDataset, "--", sentiment)
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		if exit, ok := err.(*exec.ExitError); ok {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != tc.code {
			t.Errorf("-min-accuracy %s: exit %d, want %d\n%s", tc.minAccuracy, code, tc.code, stderr.String())
		}
		if tc.code != evalUsage && !strings.Contains(stdout.String(), "5/8 correct, accuracy 62.5%") {
			t.Errorf("-min-accuracy %s: stdout %q", tc.minAccuracy, stdout.String())
		}
	}
}
