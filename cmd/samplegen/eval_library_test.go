package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
	"github.com/samplegen/samplegen/sampling"
	"github.com/samplegen/samplegen/templates/analytics"
	"github.com/samplegen/samplegen/templates/classify"
	"github.com/samplegen/samplegen/templates/code"
	"github.com/samplegen/samplegen/templates/communication"
	"github.com/samplegen/samplegen/templates/language"
	"github.com/samplegen/samplegen/templates/summarize"
	"github.com/samplegen/samplegen/templates/teaching"
)

// This file evaluates the library's tools (templates/*) over their
// datasets with samplegen eval, in CI, with no network: the sampling
// requests are answered from recordings in testdata/library, and the
// scores must equal testdata/library/scores.txt exactly.
//
// No language model is reachable where these tests run, so the recordings
// are not of a model: they are of rule-based baselines written below
// (keyword lists, script and stop-word detection, blank-line splitting, a
// few lint rules, plain statistics). Their scores measure those rules and
// the path through the served tool, its parser and eval's comparison;
// they say nothing about any model. A baseline reads only a case's args,
// never its want; but its word lists were written by people who had read
// the datasets' texts, so its scores flatter it as a measure of such rules
// on texts it has never seen.
//
// To record again (after a prompt, a dataset, a baseline or eval's scoring
// changed) and rewrite the golden scores:
//
//	go test ./cmd/samplegen -run TestEvalLibrary -record-library

var recordLibrary = flag.Bool("record-library", false, "record the library baselines' answers into testdata/library/*.replay.jsonl and rewrite testdata/library/scores.txt")

const recordLibraryCommand = "go test ./cmd/samplegen -run TestEvalLibrary -record-library"

// envEvalLibraryServer, set in a test's environment to a library
// package's name (classify, language...), makes the test binary that
// samplegen eval starts serve that package's tools instead of running the
// tests (in init, before TestMain, so that call_test.go's TestMain need
// not know of it).
const envEvalLibraryServer = "SAMPLEGEN_EVAL_TEST_LIBRARY_SERVER"

// libraryPackages adds each library package's tools to a server.
var libraryPackages = map[string]func(*mcp.Server, ...runtime.ToolOption){
	"analytics":     analytics.AddTools,
	"classify":      classify.AddTools,
	"code":          code.AddTools,
	"communication": communication.AddTools,
	"language":      language.AddTools,
	"summarize":     summarize.AddTools,
	"teaching":      teaching.AddTools,
}

func init() {
	pkg := os.Getenv(envEvalLibraryServer)
	if pkg == "" {
		return
	}
	add, ok := libraryPackages[pkg]
	if !ok {
		fmt.Fprintf(os.Stderr, "%s=%q: not a library package; set it to one of %s\n", envEvalLibraryServer, pkg, strings.Join(sortedKeys(libraryPackages), ", "))
		os.Exit(2)
	}
	srv := mcp.NewServer(&mcp.Implementation{Name: pkg, Version: "0"}, nil)
	add(srv)
	if err := srv.Run(context.Background(), &mcp.StdioTransport{}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(0)
}

// A libraryBaseline is a rule-based stand-in for a model on one library
// tool.
type libraryBaseline struct {
	pkg, tool string
	// model is the name the baseline's answers carry, so that eval's
	// results say what answered.
	model string
	// answer is the baseline's output for a case's args (the tool's
	// input); it never sees want.
	answer func(args json.RawMessage) (any, error)
}

// libraryBaselines are the tools a rule can answer meaningfully. Left
// out: summarize and rewrite_tone, whose datasets want nothing that can be
// compared (samplegen eval refuses an empty want), and explain_concept,
// whose key terms only knowledge of the concept gives.
var libraryBaselines = []libraryBaseline{
	{"classify", "classify_sentiment", "keyword-baseline", baselineOf(sentimentBaseline)},
	{"classify", "classify_intent", "keyword-baseline", baselineOf(intentBaseline)},
	{"classify", "moderate_content", "keyword-baseline", baselineOf(moderationBaseline)},
	{"classify", "classify_labels", "label-word-baseline", baselineOf(labelsBaseline)},
	{"language", "detect_language", "script-stopword-baseline", baselineOf(detectBaseline)},
	{"language", "translate", "detect-copy-baseline", baselineOf(translateBaseline)},
	{"language", "correct_grammar", "misspelling-list-baseline", baselineOf(grammarBaseline)},
	{"code", "explain_code", "blank-line-baseline", baselineOf(explainCodeBaseline)},
	{"code", "review_code", "lint-rule-baseline", baselineOf(reviewCodeBaseline)},
	{"analytics", "narrate_series", "statistics-baseline", baselineOf(narrateBaseline)},
	{"communication", "draft_reply", "canned-reply-baseline", baselineOf(draftReplyBaseline)},
}

func (b libraryBaseline) dataset() string {
	return filepath.Join("..", "..", "templates", b.pkg, "testdata", b.tool+".jsonl")
}

func (b libraryBaseline) replayFile() string {
	return filepath.Join("testdata", "library", b.tool+".replay.jsonl")
}

const libraryScores = "testdata/library/scores.txt"

// baselineOf makes a baseline's answer function from one over the tool's
// own input type.
func baselineOf[In, Out any](f func(In) Out) func(json.RawMessage) (any, error) {
	return func(args json.RawMessage) (any, error) {
		var in In
		if err := json.Unmarshal(args, &in); err != nil {
			return nil, fmt.Errorf("the case's args are not the tool's input: %w", err)
		}
		return f(in), nil
	}
}

// baselineSampler answers a library tool's sampling requests with the
// baseline's output on the case the request asks about: of the cases
// whose every long text (a line of a string of its args, of
// requiredTextRunes or more) the request holds, the one with the most of
// its texts in it, so that a case whose text is part of another's is not
// taken for it. Short texts may be absent: a prompt words some values
// (a role, a language code) its own way. It is given the cases' args only.
func baselineSampler(b libraryBaseline, args []json.RawMessage) sampling.Sampler {
	texts := make([][]string, len(args))
	for i, a := range args {
		texts[i] = argTexts(a)
	}
	return sampling.SamplerFunc(func(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		var prompt strings.Builder
		for _, m := range req.Messages {
			if m != nil {
				for _, c := range m.Content {
					prompt.WriteString(contentLine(c))
					prompt.WriteByte('\n')
				}
			}
		}
		p := prompt.String()
		best, bestLen, tie := -1, 0, false
	cases:
		for i, ts := range texts {
			n := 0
			for _, t := range ts {
				switch {
				case strings.Contains(p, t):
					n += len(t)
				case utf8.RuneCountInString(t) >= requiredTextRunes:
					continue cases
				}
			}
			switch {
			case n > bestLen:
				best, bestLen, tie = i, n, false
			case n == bestLen && n > 0 && !bytes.Equal(args[i], args[best]):
				tie = true
			}
		}
		switch {
		case best < 0:
			return nil, fmt.Errorf("%s: the request holds the texts of none of the dataset's cases", b.model)
		case tie:
			return nil, fmt.Errorf("%s: the request holds the texts of two cases whose args differ (case %d's among them): give one of them a text of its own", b.model, best+1)
		}
		out, err := b.answer(args[best])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", b.model, err)
		}
		text, err := json.Marshal(out)
		if err != nil {
			return nil, err
		}
		return &mcp.CreateMessageWithToolsResult{Role: "assistant", Model: b.model, StopReason: "endTurn", Content: []mcp.Content{&mcp.TextContent{Text: string(text)}}}, nil
	})
}

// requiredTextRunes is how long a text of a case's args must be for a
// request about the case to be sure to hold it.
const requiredTextRunes = 12

// argTexts is every non-blank line, trimmed, of every string in args: what
// a prompt shows of a case whatever it does around it (fences, line
// numbers, an enum list).
func argTexts(args json.RawMessage) []string {
	var v any
	_ = json.Unmarshal(args, &v) // readDataset checked it is an object
	var texts []string
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			for line := range strings.SplitSeq(v, "\n") {
				if line = strings.TrimSpace(line); line != "" {
					texts = append(texts, line)
				}
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		case map[string]any:
			for _, k := range sortedKeys(v) {
				walk(v[k])
			}
		}
	}
	walk(v)
	return texts
}

// TestEvalLibraryReplayed runs the real samplegen eval command over each
// library dataset a baseline answers, against the test binary serving the
// tool's library package (a process per session), with -replay of the
// baseline's recorded answers: no network and no model. It holds the
// scores to testdata/library/scores.txt exactly, every case called with no
// error and no request missing from the recording, and every verdict to
// the baseline applied to the case's args directly, so that the path
// through the server, the parser and the comparison changes no answer and
// the recordings are the baselines' of today.
func TestEvalLibraryReplayed(t *testing.T) {
	serverEnv(t)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	var golden map[string]string
	if !*recordLibrary {
		b, err := os.ReadFile(libraryScores)
		if err != nil {
			t.Fatalf("%v: write it with %s", err, recordLibraryCommand)
		}
		golden = scoreBlocks(string(b))
	}
	blocks := make([]string, len(libraryBaselines))
	for i, b := range libraryBaselines {
		t.Run(b.tool, func(t *testing.T) {
			t.Setenv(envEvalLibraryServer, b.pkg)
			lines := readLibraryDataset(t, b.dataset())
			if *recordLibrary {
				recordBaseline(t, b, lines, exe)
			}
			res := replayBaseline(t, b, exe)
			checkDirect(t, b, lines, res)
			blocks[i] = scoreBlock(b, res)
			if *recordLibrary {
				return
			}
			want, ok := golden[b.tool]
			switch {
			case !ok:
				t.Errorf("%s has no scores for %s; record them: %s", libraryScores, b.tool, recordLibraryCommand)
			case blocks[i] != want:
				t.Errorf("the scores of %s changed (-: %s, +: now):\n%s\nIf the change is meant (a prompt, a dataset, a baseline or eval's scoring changed), record again and review the diff: %s",
					b.tool, libraryScores, lineDiff(want, blocks[i]), recordLibraryCommand)
			}
		})
	}
	if *recordLibrary && slices.Contains(blocks, "") {
		t.Fatalf("not every tool was recorded, so %s is left as it was: record them all with %s", libraryScores, recordLibraryCommand)
	}
	if *recordLibrary && !t.Failed() {
		text := libraryScoresHeader + strings.Join(blocks, "\n")
		if err := os.WriteFile(libraryScores, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s:\n%s", libraryScores, text)
		return
	}
	for tool := range golden {
		if !slices.ContainsFunc(libraryBaselines, func(b libraryBaseline) bool { return b.tool == tool }) {
			t.Errorf("%s has scores for %s, which has no baseline here; record again: %s", libraryScores, tool, recordLibraryCommand)
		}
	}
}

func readLibraryDataset(t *testing.T, path string) []datasetLine {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lines, err := readDataset(f, path)
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

// recordBaseline records the baseline's answers over the dataset with
// samplegen eval -record, one case at a time so that the file's order is
// the dataset's and a recording made again diffs as what changed.
func recordBaseline(t *testing.T, b libraryBaseline, lines []datasetLine, exe string) {
	t.Helper()
	args := make([]json.RawMessage, len(lines))
	for i, l := range lines {
		args[i] = l.Args
	}
	if err := os.Remove(b.replayFile()); err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	r := eval(t, baselineSampler(b, args), b.replayFile(), "-concurrency", "1", b.tool, b.dataset(), "--", exe)
	if r.code != evalOK {
		t.Fatalf("recording %s: exit %d\n%s", b.tool, r.code, r.stderr)
	}
}

// replayBaseline runs samplegen eval over the dataset from the recording.
func replayBaseline(t *testing.T, b libraryBaseline, exe string) *evalResult {
	t.Helper()
	out := filepath.Join(t.TempDir(), "result.json")
	r := eval(t, nil, "", "-replay", b.replayFile(), "-concurrency", "3", "-json", out, b.tool, b.dataset(), "--", exe)
	if strings.Contains(r.stderr, "no answer for this sampling request") || strings.Contains(r.stderr, "records this sampling request") {
		t.Fatalf("%s's recording is stale: the tool now asks what %s does not hold (its prompt or dataset changed). The recordings are of the baselines in eval_library_test.go, not of a model: record again with %s\n%s",
			b.tool, b.replayFile(), recordLibraryCommand, r.stderr)
	}
	if r.code != evalOK {
		t.Fatalf("samplegen eval %s: exit %d\n%s", b.tool, r.code, r.stderr)
	}
	res := readEvalJSON(t, out)
	tot := res.Totals
	if tot.Run != tot.Cases || tot.Errors != 0 {
		t.Errorf("%s: %d of %d cases run, %d failed; want every case run with no error:\n%s", b.tool, tot.Run, tot.Cases, tot.Errors, r.stderr)
	}
	if tot.Reported != tot.Run {
		t.Errorf("%s: %d of %d results carried the server's report (SAMPLEGEN_REPORT_META=on is set for the command)", b.tool, tot.Reported, tot.Run)
	}
	if len(res.Models) != 1 || res.Models[0] != b.model {
		t.Errorf("%s: answered by %q, want the recording's %q", b.tool, res.Models, b.model)
	}
	return res
}

// checkDirect holds each case's result to the baseline's own answer on
// its args: a field the tool returned otherwise was changed on the way
// (by the server, its parser or eval), or the recording is not of the
// baseline as it is now.
func checkDirect(t *testing.T, b libraryBaseline, lines []datasetLine, res *evalResult) {
	t.Helper()
	if len(res.Cases) != len(lines) {
		t.Fatalf("%s: %d cases in the result, %d in the dataset", b.tool, len(res.Cases), len(lines))
	}
	for i, k := range res.Cases {
		out, err := b.answer(lines[i].Args)
		if err != nil {
			t.Fatalf("%s: %v", lines[i].ID, err)
		}
		var direct map[string]any
		js, err := json.Marshal(out)
		if err == nil {
			err = json.Unmarshal(js, &direct)
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range sortedKeys(k.Fields) {
			if got := k.Fields[f].Got; !reflect.DeepEqual(got, direct[f]) {
				t.Errorf("%s, case %s, field %s: eval got %s, the baseline on the args gives %s (if the baseline changed, record again: %s)",
					b.tool, k.ID, f, clippedJSON(got), clippedJSON(direct[f]), recordLibraryCommand)
			}
		}
	}
}

// clippedJSON shows a value of a result in an error.
func clippedJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return sampling.Clip(string(b), 300)
}

const libraryScoresHeader = `# samplegen eval over the library's datasets (templates/*/testdata), answered by
# RULE-BASED BASELINES written in cmd/samplegen/eval_library_test.go, NOT by a
# language model: keyword lists, script and stop-word detection, blank-line
# splitting, lint rules, statistics. The scores measure those rules; they say
# nothing about any model. TestEvalLibraryReplayed replays the recorded answers
# in this folder and holds the scores to this file exactly. Written by:
#   go test ./cmd/samplegen -run TestEvalLibrary -record-library

`

// scoreBlock is a tool's scores as scores.txt holds them: totals, the
// rates from the servers' call reports, and per field and class. Latency
// is left out: it is the machine's, not the answers'.
func scoreBlock(b libraryBaseline, res *evalResult) string {
	var s strings.Builder
	tot := res.Totals
	fmt.Fprintf(&s, "%s (%s): %d cases, %d correct, accuracy %.4f, %d errors\n", b.tool, b.model, tot.Cases, tot.Correct, tot.Accuracy, tot.Errors)
	fmt.Fprintf(&s, "  of %d reported calls: repaired %.4f, re-asked %.4f, fell back %.4f\n", tot.Reported, tot.RepairRate, tot.ReAskRate, tot.FallbackRate)
	for _, f := range sortedKeys(tot.Fields) {
		fs := tot.Fields[f]
		fmt.Fprintf(&s, "  field %s: %d/%d correct, accuracy %.4f\n", f, fs.Correct, fs.Cases, fs.Accuracy)
		classes := tot.Classes[f]
		for _, c := range sortedKeys(classes) {
			cs := classes[c]
			fmt.Fprintf(&s, "    %q: precision %.4f, recall %.4f, F1 %.4f, support %d, predicted %d\n", c, cs.Precision, cs.Recall, cs.F1, cs.Support, cs.Predicted)
		}
	}
	return s.String()
}

// scoreBlocks splits scores.txt into its tools' blocks.
func scoreBlocks(text string) map[string]string {
	blocks := map[string]string{}
	tool := ""
	for line := range strings.SplitSeq(text, "\n") {
		switch {
		case strings.HasPrefix(line, "#") || line == "":
		case !strings.HasPrefix(line, " "):
			tool, _, _ = strings.Cut(line, " ")
			blocks[tool] += line + "\n"
		case tool != "":
			blocks[tool] += line + "\n"
		}
	}
	return blocks
}

// lineDiff is the lines of was that now lacks (-) and those of now that
// was lacks (+), each in its text's order.
func lineDiff(was, now string) string {
	wasLines, nowLines := strings.Split(was, "\n"), strings.Split(now, "\n")
	var b strings.Builder
	for _, l := range wasLines {
		if !slices.Contains(nowLines, l) {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range nowLines {
		if !slices.Contains(wasLines, l) {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}

// A termList matches words and phrases in a text, whole words only, case
// ignored: "late" is not found in "chocolate", nor "hi" in "this".
type termList []string

// terms writes each term as the words baselineWords splits it into.
func terms(ts ...string) termList {
	out := make(termList, len(ts))
	for i, t := range ts {
		out[i] = strings.Join(baselineWords(t), " ")
	}
	return out
}

// baselineWords is a text's words, lower-cased: runs of letters, marks and
// digits.
func baselineWords(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r)
	})
}

// phrased is a text's words between spaces, for termList.in.
func phrased(text string) string { return " " + strings.Join(baselineWords(text), " ") + " " }

// in says whether the phrased text holds one of the terms.
func (l termList) in(phrasedText string) bool {
	return slices.ContainsFunc(l, func(t string) bool { return strings.Contains(phrasedText, " "+t+" ") })
}

// Word lists of the sentiment baseline, which reads no context: negation,
// sarcasm and questions trip it.
var (
	baselinePositive = []string{"love", "best", "great", "thank", "fixed", "impeccable", "recommande", "better", "stunning", "gorgeous", "proud", "slaps", "relief", "brilliant", "fantastic", "breathtaking", "😍", "よかった", "excellent", "happy", "amazing"}
	baselineNegative = []string{"terrible", "broke", "refund", "😡", "frustrante", "not good", "disappointed", "torn", "trash", "lagging", "slow", "forgot", "late", "damaged", "unfair", "waste", "never", "stopped working", "empty", "overheats", "barely", "delayed", "bad", "worst"}
)

// sentimentBaseline is not a model: positive for a text holding a word of
// the positive list, negative for one of the negative list, mixed for
// both, neutral for neither (substrings, so "broke" finds "broken").
func sentimentBaseline(in classify.ClassifySentiment) classify.SentimentResult {
	lower := strings.ToLower(in.Text)
	has := func(words []string) bool {
		return slices.ContainsFunc(words, func(w string) bool { return strings.Contains(lower, w) })
	}
	s := classify.Neutral
	switch pos, neg := has(baselinePositive), has(baselineNegative); {
	case pos && neg:
		s = classify.Mixed
	case pos:
		s = classify.Positive
	case neg:
		s = classify.Negative
	}
	return classify.SentimentResult{Sentiment: s, Confidence: 0.5}
}

// intentRules are tried in order, the first whose terms the message holds
// giving the intent: requests before greetings and thanks, which often
// open a message that asks something. Mostly English, with a few words of
// other languages; it cannot tell a request from a mention of it.
var intentRules = []struct {
	intent classify.Intent
	terms  termList
}{
	{classify.HumanAgent, terms("real person", "human", "agent", "representative", "talk to someone", "speak to someone")},
	{classify.Refund, terms("refund", "money back", "reimburse", "reembolso", "remboursement", "rückerstattung")},
	{classify.Cancel, terms("cancel", "unsubscribe", "delete my account", "close my account", "kündigen", "annuler", "résilier", "cancelar", "darse de baja")},
	{classify.AccountAccess, terms("log in", "login", "locked out", "password", "2fa", "two factor", "sign in", "verification code", "passwort", "mot de passe", "contraseña")},
	{classify.Billing, terms("charged", "charge", "invoice", "bill", "billing", "price", "pricing", "payment", "plan", "plans", "vat", "rechnung", "facture", "factura")},
	{classify.OrderStatus, terms("order", "tracking", "delivery", "shipped", "shipping", "in transit", "package", "parcel", "bestellung", "commande", "pedido")},
	{classify.BugReport, terms("crash", "crashes", "error", "broken", "not working", "stopped working", "doesn't work", "bug", "blank", "fails", "freezes")},
	{classify.FeatureRequest, terms("could you add", "please add", "would be useful", "would be great if", "feature", "i wish", "support for")},
	{classify.HowTo, terms("how do i", "how to", "how can i", "is there a way", "where can i find", "where do i")},
	{classify.Complaint, terms("unacceptable", "disappointed", "terrible", "awful", "worst", "ridiculous", "fed up")},
	{classify.Thanks, terms("thanks", "thank you", "thx", "merci", "gracias", "danke", "grazie")},
	{classify.Goodbye, terms("bye", "goodbye", "see you", "that's all", "adios", "au revoir", "tschüss")},
	{classify.Greeting, terms("hi", "hello", "hey", "good morning", "good afternoon", "hola", "buenas", "bonjour", "hallo", "ciao")},
}

// intentBaseline is not a model: the first of intentRules whose terms the
// message holds, else other.
func intentBaseline(in classify.ClassifyIntent) classify.IntentResult {
	text := phrased(in.Message)
	for _, r := range intentRules {
		if r.terms.in(text) {
			return classify.IntentResult{Intent: r.intent, Confidence: 0.5}
		}
	}
	return classify.IntentResult{Intent: classify.OtherIntent, Confidence: 0.5}
}

// moderationRules flag a text in a category when it holds one of its
// terms or matches its pattern; each category has one severity, the
// verdict's the worst of its categories. A word list cannot tell using a
// word from quoting, condemning or joking about it.
var moderationRules = []struct {
	category classify.Category
	severity classify.Severity
	terms    termList
	pattern  *regexp.Regexp
}{
	{classify.Harassment, classify.SeverityMedium, terms("idiot", "loser", "stupid", "dumb", "dumbest", "pathetic", "worthless", "moron", "shut up", "nobody likes you"), nil},
	{classify.Hate, classify.SeverityMedium, terms("parasites", "vermin", "subhuman", "inferior race", "go back to your country"), nil},
	{classify.Violence, classify.SeverityHigh, terms("kill", "murder", "shoot", "stab", "burn", "bomb", "beat up", "destroy", "hurt you"), nil},
	{classify.SelfHarm, classify.SeverityHigh, terms("suicide", "kill myself", "end my life", "cut myself", "self harm", "overdose"), nil},
	{classify.Sexual, classify.SeverityMedium, terms("nude", "nudes", "explicit", "sex", "sexual", "porn", "xxx"), nil},
	{classify.Illegal, classify.SeverityHigh, terms("mdma", "cocaine", "heroin", "meth", "lsd", "fentanyl", "drugs", "full auto", "hack into", "stolen", "counterfeit", "fake id"), nil},
	{classify.Spam, classify.SeverityMedium, terms("click here", "dm me", "join my", "bit ly", "limited offer", "act now", "free money", "verify your identity", "crypto", "100x"), regexp.MustCompile(`!!!`)},
	{classify.PersonalData, classify.SeverityMedium, terms("cvv", "social security number", "passport number"), regexp.MustCompile(`\b(?:\d[ -]?){13,19}\b|\b\d{3}[-. ]\d{4}\b|\b\d+ [A-Z][a-z]+ (?:Street|St|Avenue|Ave|Road|Rd)\b`)},
	{classify.Misinformation, classify.SeverityMedium, terms("cures", "miracle cure", "vaccines cause", "hoax"), nil},
}

// minorTerms turn sexual content into sexual_minors.
var minorTerms = terms("minor", "minors", "child", "children", "kids", "underage", "year old", "year olds")

var severityRank = map[classify.Severity]int{classify.SeverityNone: 0, classify.SeverityLow: 1, classify.SeverityMedium: 2, classify.SeverityHigh: 3}

// moderationBaseline is not a model: the categories of moderationRules the
// text matches, sexual becoming sexual_minors when it also names a minor.
func moderationBaseline(in classify.ModerateContent) classify.Moderation {
	text := phrased(in.Text)
	m := classify.Moderation{Categories: []classify.Category{}, Severity: classify.SeverityNone}
	for _, r := range moderationRules {
		if !r.terms.in(text) && (r.pattern == nil || !r.pattern.MatchString(in.Text)) {
			continue
		}
		c, sev := r.category, r.severity
		if c == classify.Sexual && minorTerms.in(text) {
			c, sev = classify.SexualMinors, classify.SeverityHigh
		}
		m.Categories = append(m.Categories, c)
		if severityRank[sev] > severityRank[m.Severity] {
			m.Severity = sev
		}
	}
	m.Flagged = len(m.Categories) > 0
	m.Reason = "keyword baseline: matched the word lists of " + fmt.Sprint(m.Categories)
	return m
}

// labelsBaseline is not a model: a label applies when each of its words,
// or a word starting with its stem, is in the text ("shipping" finds
// "shipped"). It knows no synonyms, so "charged" is not billing, and it
// cannot tell a passing mention from what a text is about.
func labelsBaseline(in classify.ClassifyLabels) classify.LabelResult {
	words := baselineWords(in.Text)
	r := classify.LabelResult{Labels: []string{}}
	for _, label := range in.Labels {
		lw := baselineWords(label)
		if len(lw) > 0 && !slices.ContainsFunc(lw, func(w string) bool { return !hasStem(words, w) }) {
			r.Labels = append(r.Labels, label)
		}
	}
	return r
}

// hasStem says whether words has w, or, for w longer than four letters, a
// word starting with w less a common English suffix.
func hasStem(words []string, w string) bool {
	stem := w
	if len([]rune(w)) > 4 {
		for _, suffix := range []string{"ing", "ion", "ity", "ies", "es", "ed", "s", "y", "e"} {
			if s, ok := strings.CutSuffix(w, suffix); ok && len([]rune(s)) >= 4 {
				stem = s
				break
			}
		}
	}
	return slices.ContainsFunc(words, func(x string) bool { return x == w || (stem != w && strings.HasPrefix(x, stem)) })
}

// Stop words, and letters, that tell the languages of Latin script apart:
// the commonest function words of each, as a stop-word list has them. Each
// word of a text found in a language's list counts a point for it, each
// letter of its own half a point.
var latinLanguages = []struct {
	code    language.Code
	words   []string
	letters string
}{
	{language.English, strings.Fields("the and is are to of in you it that for on with this be have at was where what my please your not"), ""},
	{language.French, strings.Fields("le la les et est des une un je vous pour que qui pas ce dans sur avec il nous ne du au votre mon"), "àâçèéêëîïôùûœ"},
	{language.German, strings.Fields("der die das und ist nicht ich sie es ein eine zu mit den dem wir bitte um für auf mir sind auch mein"), "äöüß"},
	{language.Spanish, strings.Fields("el la los las y es de que en un una por para con no se si está muy del al este esta"), "áéíñóú¿¡"},
	{language.Portuguese, strings.Fields("o a os as e é de que em um uma para com não se você foi já do da no na mais"), "ãõçâêô"},
	{language.Italian, strings.Fields("il lo la gli le e è di che in un una per con non ho mi sono ma del della"), "àèìòù"},
	{language.Dutch, strings.Fields("de het een en is van ik je niet dat op te met maar hij zij wij heb voor mijn"), ""},
	{language.Afrikaans, strings.Fields("die en is nie ek het jy dat van vir ons hy sy met wat jou ook"), "êë"},
	{language.NorwegianBokmal, strings.Fields("og er ikke jeg det en et på har til med vi kan men etter hva hvor du"), "æøå"},
	{language.Danish, strings.Fields("og er ikke jeg det en et på har til med vi kan men efter hvad hvor du"), "æøå"},
	{language.Swedish, strings.Fields("och är inte jag det en ett på har till med vi kan men efter vad var du att som"), "åäö"},
	{language.Finnish, strings.Fields("ja on ei se että olen minä sinä hän me te he mutta tämä oli kun"), "äö"},
	{language.Polish, strings.Fields("i w nie jest się to na z że do czy ten ta jak tak co od"), "ąćęłńśźż"},
	{language.Czech, strings.Fields("a je v na se to že s z do jsem by bych si ale"), "ěščřžýůď"},
	{language.Turkish, strings.Fields("ve bir bu da de için ile çok ne mi var yok ben sen"), "çğıöşü"},
	{language.Vietnamese, strings.Fields("và của là có không tôi bạn một được cho rất này đã"), "ăâđêôơư"},
	{language.Indonesian, strings.Fields("dan yang di ke dari ini itu saya tidak bisa dengan untuk karena akan ada kami"), ""},
	{language.Swahili, strings.Fields("na ya wa za ni kwa katika hii mimi wewe"), ""},
	{language.Tagalog, strings.Fields("ang ng sa mga po ako ikaw siya ay hindi ko"), ""},
	{language.Catalan, strings.Fields("el la els les i és de que en un una per amb no"), "àçèéíòóú"},
	{language.Welsh, strings.Fields("y yr a ac mae yn i o ti"), "ŵŷ"},
	{language.Hungarian, strings.Fields("a az és hogy nem egy van ez igen is de meg"), "áéíóöőúüű"},
}

// detectLanguage is the baseline's language of a text: by its script
// where a script is one language's (Greek, Hebrew, Thai...), by letters of
// their own for Cyrillic and Arabic ones, and by stop words and letters
// for Latin script. It has no lists for many languages, and short texts
// of related languages (Danish and Norwegian) share most of their words.
func detectLanguage(text string) (language.Code, float64) {
	counts := map[string]int{}
	has := func(chars string) bool { return strings.ContainsAny(text, chars) }
	for _, r := range text {
		for _, s := range []string{"Latin", "Cyrillic", "Greek", "Hebrew", "Arabic", "Devanagari", "Thai", "Hangul", "Hiragana", "Katakana", "Han", "Armenian", "Georgian", "Bengali", "Tamil"} {
			if unicode.Is(unicode.Scripts[s], r) {
				counts[s]++
				break
			}
		}
	}
	script := ""
	for _, s := range sortedKeys(counts) {
		if script == "" || counts[s] > counts[script] {
			script = s
		}
	}
	switch script {
	case "Greek":
		return language.Greek, 0.9
	case "Hebrew":
		return language.Hebrew, 0.9
	case "Devanagari":
		return language.Hindi, 0.7
	case "Thai":
		return language.Thai, 0.9
	case "Hangul":
		return language.Korean, 0.9
	case "Armenian":
		return language.Armenian, 0.9
	case "Georgian":
		return language.Georgian, 0.9
	case "Bengali":
		return language.Bengali, 0.8
	case "Tamil":
		return language.Tamil, 0.9
	case "Hiragana", "Katakana":
		return language.Japanese, 0.9
	case "Han":
		if counts["Hiragana"]+counts["Katakana"] > 0 {
			return language.Japanese, 0.8
		}
		return language.Chinese, 0.8
	case "Arabic":
		switch {
		case has("ٹڈڑںےھ"):
			return language.Urdu, 0.7
		case has("پچژگکی"):
			return language.Persian, 0.7
		}
		return language.Arabic, 0.7
	case "Cyrillic":
		switch {
		case has("іїєґІЇЄҐ"):
			return language.Ukrainian, 0.7
		case has("ђјљњћџЂЈЉЊЋЏ"):
			return language.Serbian, 0.7
		}
		return language.Russian, 0.6
	case "Latin":
		return detectLatin(text)
	}
	return language.English, 0.1 // no letters: a guess
}

func detectLatin(text string) (language.Code, float64) {
	words := baselineWords(text)
	lower := strings.ToLower(text)
	best, bestScore := language.English, 0.0
	for _, l := range latinLanguages {
		score := 0.0
		for _, w := range words {
			if slices.Contains(l.words, w) {
				score++
			}
		}
		for _, r := range l.letters {
			score += 0.5 * float64(strings.Count(lower, string(r)))
		}
		if score > bestScore {
			best, bestScore = l.code, score
		}
	}
	if bestScore == 0 {
		return best, 0.1
	}
	return best, math.Min(0.9, 0.3+bestScore/float64(len(words)+1))
}

// detectBaseline is not a model: detectLanguage on the first 2000
// characters, as the tool reads them.
func detectBaseline(in language.DetectLanguage) language.Detection {
	text := in.Text
	if r := []rune(text); len(r) > 2000 {
		text = string(r[:2000])
	}
	code, confidence := detectLanguage(text)
	return language.Detection{Language: string(code), Confidence: confidence}
}

// translateBaseline is not a model and cannot translate: it gives the
// text back unchanged, which keeps every line, URL and placeholder, and
// the source language the caller gave, else detectLanguage's. Only the
// source language it reports measures something.
func translateBaseline(in language.Translate) language.Translation {
	source := in.Source
	if source == "" {
		source, _ = detectLanguage(in.Text)
	}
	return language.Translation{Translation: in.Text, SourceLanguage: string(source)}
}

// commonMisspellings are English words often misspelt, as spell checkers
// list them. The grammar baseline knows nothing else: not grammar,
// agreement, accents or any other language.
var commonMisspellings = map[string]string{
	"recieve": "receive", "recieved": "received", "seperate": "separate", "definately": "definitely",
	"occured": "occurred", "untill": "until", "wich": "which", "teh": "the", "accomodate": "accommodate",
	"adress": "address", "begining": "beginning", "beleive": "believe", "calender": "calendar",
	"enviroment": "environment", "goverment": "government", "occurence": "occurrence",
	"tommorow": "tomorrow", "tommorrow": "tomorrow", "wierd": "weird", "truely": "truly",
	"neccessary": "necessary", "existance": "existence", "independant": "independent",
	"publically": "publicly", "succesful": "successful", "thier": "their", "becuase": "because",
}

var letterRuns = regexp.MustCompile(`\p{L}+`)

// grammarBaseline is not a model: it corrects the words of
// commonMisspellings, keeping a capital first letter, and changes
// nothing else.
func grammarBaseline(in language.CorrectGrammar) language.GrammarResult {
	r := language.GrammarResult{Corrections: []language.Correction{}}
	r.Corrected = letterRuns.ReplaceAllStringFunc(in.Text, func(w string) string {
		fix, ok := commonMisspellings[strings.ToLower(w)]
		if !ok {
			return w
		}
		if first := []rune(w)[0]; unicode.IsUpper(first) {
			fix = string(unicode.ToUpper([]rune(fix)[0])) + fix[1:]
		}
		if !slices.ContainsFunc(r.Corrections, func(c language.Correction) bool { return c.Original == w }) {
			r.Corrections = append(r.Corrections, language.Correction{Original: w, Corrected: fix, Reason: "common misspelling"})
		}
		return fix
	})
	return r
}

// explainCodeBaseline is not a model and explains nothing: its parts are
// the code's runs of non-blank lines (the last taking the rest past the
// schema's 20), which is where authors often split code, but not always.
func explainCodeBaseline(in code.ExplainCode) code.Explanation {
	lines := strings.Split(strings.TrimSuffix(in.Code, "\n"), "\n")
	var parts []code.Part
	for i := 0; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) == "" {
			continue
		}
		start := i
		for i+1 < len(lines) && strings.TrimSpace(lines[i+1]) != "" {
			i++
		}
		if len(parts) == 20 {
			parts[19].EndLine = i + 1
			continue
		}
		parts = append(parts, code.Part{StartLine: start + 1, EndLine: i + 1, Explanation: fmt.Sprintf("Lines %d to %d, a block between blank lines.", start+1, i+1)})
	}
	if len(parts) == 0 {
		parts = []code.Part{{StartLine: 1, EndLine: len(lines), Explanation: "The whole code."}}
	}
	return code.Explanation{Summary: fmt.Sprintf("%d lines of code in %d blocks split at blank lines (a rule-based baseline; it does not read the code).", len(lines), len(parts)), Walkthrough: parts}
}

// lintRules are single-line patterns that linters (gosec, bandit,
// eslint) report, each with a severity, a category and how many lines
// the finding spans. They see one line at a time: no data flow, no
// concurrency, no logic.
var lintRules = []struct {
	pattern  *regexp.Regexp
	severity code.Severity
	category code.Category
	lines    int
	message  string
}{
	{regexp.MustCompile(`(?i)\b(select|insert|update|delete)\b.*["'` + "`" + `]\s*\+|\+\s*["'` + "`" + `].*\b(where|values|set)\b`), code.Critical, code.Security, 1, "A SQL statement is built by concatenating strings, which allows SQL injection."},
	{regexp.MustCompile(`\.innerHTML\s*=|dangerouslySetInnerHTML|document\.write\(`), code.Critical, code.Security, 1, "Markup is written from a string, which allows cross-site scripting."},
	{regexp.MustCompile(`\b(strcpy|strcat|gets|sprintf)\s*\(`), code.Critical, code.Security, 1, "An unbounded C string function can overflow its buffer."},
	{regexp.MustCompile(`(?i)(api[_-]?key|secret|passw(or)?d|token)\w*\s*(:=|=|:)\s*["'][^"']{8,}["']`), code.Critical, code.Security, 1, "A credential is written in the source code."},
	{regexp.MustCompile(`\beval\s*\(`), code.Critical, code.Security, 1, "eval runs a string as code."},
	{regexp.MustCompile(`^\s*except\s*:`), code.Major, code.ErrorHandling, 2, "A bare except catches every exception, hiding real failures."},
	{regexp.MustCompile(`,\s*_\s*:?=\s*\w|^\s*_\s*=\s*\w+[\w.]*\(`), code.Minor, code.ErrorHandling, 1, "An error is discarded with the blank identifier."},
	{regexp.MustCompile(`^\s*def \w+\(.*=\s*(\[\]|\{\})`), code.Major, code.Correctness, 1, "A mutable default argument is shared between calls."},
}

// reviewCodeBaseline is not a model: the findings of lintRules, one per
// rule and line.
func reviewCodeBaseline(in code.ReviewCode) code.Review {
	lines := strings.Split(strings.TrimSuffix(in.Code, "\n"), "\n")
	r := code.Review{Findings: []code.Finding{}}
	for i, line := range lines {
		for _, rule := range lintRules {
			if len(r.Findings) < 30 && rule.pattern.MatchString(line) {
				end := min(i+rule.lines, len(lines))
				r.Findings = append(r.Findings, code.Finding{StartLine: i + 1, EndLine: end, Severity: rule.severity, Category: rule.category, Message: rule.message})
			}
		}
	}
	sort.SliceStable(r.Findings, func(i, j int) bool {
		return severityOrder(r.Findings[i].Severity) < severityOrder(r.Findings[j].Severity)
	})
	r.Summary = fmt.Sprintf("%d findings from single-line lint rules (a rule-based baseline; it does not read the code's logic).", len(r.Findings))
	return r
}

func severityOrder(s code.Severity) int {
	return slices.Index([]code.Severity{code.Critical, code.Major, code.Minor, code.Nit}, s)
}

// narrateBaseline is not a model: plain statistics over the points.
//   - A shift is where the median of the points before and that of the
//     points from there on (three or more each) differ by more than five
//     times the series' typical step (the median of its point-to-point
//     moves) and four times either side's own spread; the largest such.
//   - A spike or dip is a point, not the first or last, more than five
//     typical steps from the median of its two neighbours either side
//     (within its side of a shift).
//   - Trends: one per side of a shift; without one, the series split at
//     its highest or lowest point, anomalies set aside, when both legs
//     move a third of its range or more the opposite way; else one trend.
//     A trend moving less than a third of the range is flat.
//
// It does not see seasons, gradual turns or more than one turn.
func narrateBaseline(in analytics.NarrateSeries) analytics.Narrative {
	v := make([]float64, len(in.Points))
	for i, p := range in.Points {
		v[i] = p.Value
	}
	n := len(v)
	step := typicalStep(v)
	anomalies := []analytics.Anomaly{}
	shift, bestJump := -1, 0.0
	for i := 3; i <= n-3; i++ {
		before, after := median(v[:i]), median(v[i:])
		jump := math.Abs(after - before)
		if jump > 5*step && jump > 4*spread(v[:i]) && jump > 4*spread(v[i:]) && jump > bestJump {
			shift, bestJump = i, jump
		}
	}
	segments := [][2]int{{0, n - 1}}
	if shift > 0 {
		segments = [][2]int{{0, shift - 1}, {shift, n - 1}}
		anomalies = append(anomalies, analytics.Anomaly{Index: shift, Kind: analytics.Shift, Reason: fmt.Sprintf("the median moves from %s to %s here", seriesNumber(median(v[:shift])), seriesNumber(median(v[shift:])))})
	}
	cleaned := slices.Clone(v)
	for _, seg := range segments {
		for i := seg[0] + 1; i < seg[1]; i++ {
			var around []float64
			for j := max(seg[0], i-2); j <= min(seg[1], i+2); j++ {
				if j != i {
					around = append(around, v[j])
				}
			}
			m := median(around)
			switch d := v[i] - m; {
			case d > 5*step:
				anomalies = append(anomalies, analytics.Anomaly{Index: i, Kind: analytics.Spike, Reason: fmt.Sprintf("%s above its neighbours' median of %s", seriesNumber(d), seriesNumber(m))})
				cleaned[i] = m
			case d < -5*step:
				anomalies = append(anomalies, analytics.Anomaly{Index: i, Kind: analytics.Dip, Reason: fmt.Sprintf("%s below its neighbours' median of %s", seriesNumber(-d), seriesNumber(m))})
				cleaned[i] = m
			}
		}
	}
	sort.Slice(anomalies, func(i, j int) bool { return anomalies[i].Index < anomalies[j].Index })
	if len(anomalies) > 10 {
		anomalies = anomalies[:10]
	}
	lo, hi := slices.Min(cleaned), slices.Max(cleaned)
	third := (hi - lo) / 3
	if shift < 0 && n > 2 {
		for _, turn := range []int{slices.Index(cleaned, hi), slices.Index(cleaned, lo)} {
			first, second := cleaned[turn]-cleaned[0], cleaned[n-1]-cleaned[turn]
			if turn > 0 && turn < n-1 && math.Abs(first) >= third && math.Abs(second) >= third && (first > 0) != (second > 0) {
				segments = [][2]int{{0, turn}, {turn, n - 1}}
				break
			}
		}
	}
	trends := make([]analytics.Trend, len(segments))
	for i, seg := range segments {
		moved := cleaned[seg[1]] - cleaned[seg[0]]
		change := v[seg[1]] - v[seg[0]]
		dir := analytics.Flat
		switch {
		case moved > third && change > 0:
			dir = analytics.Up
		case moved < -third && change < 0:
			dir = analytics.Down
		case math.Abs(change) > (slices.Max(v)-slices.Min(v))/3: // too far for flat
			dir = analytics.Up
			if change < 0 {
				dir = analytics.Down
			}
		}
		trends[i] = analytics.Trend{From: seg[0], To: seg[1], Direction: dir, Change: change}
	}
	headline := []rune(fmt.Sprintf("%s from %s to %s", in.Metric, seriesNumber(v[0]), seriesNumber(v[n-1])))
	if len(headline) > 120 {
		headline = headline[:120]
	}
	return analytics.Narrative{
		Headline:  string(headline),
		Summary:   fmt.Sprintf("%d points, from %s to %s (a statistics baseline, not a reading of the series).", n, seriesNumber(v[0]), seriesNumber(v[n-1])),
		Trends:    trends,
		Anomalies: anomalies,
	}
}

func seriesNumber(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// spread is the median distance of values from their median.
func spread(xs []float64) float64 {
	m := median(xs)
	d := make([]float64, len(xs))
	for i, x := range xs {
		d[i] = math.Abs(x - m)
	}
	return median(d)
}

// typicalStep is the median move from one point to the next, at least a
// millionth of the largest value so that a constant series has no
// anomalies.
func typicalStep(v []float64) float64 {
	moves := make([]float64, 0, len(v)-1)
	largest := 0.0
	for i := range v {
		largest = math.Max(largest, math.Abs(v[i]))
		if i > 0 {
			moves = append(moves, math.Abs(v[i]-v[i-1]))
		}
	}
	return math.Max(median(moves), math.Max(largest*1e-6, 1e-12))
}

// cannedReplies are one short acknowledgement per language, with a
// greeting and a subject for email.
var cannedReplies = map[language.Code]struct{ greeting, text, subject string }{
	language.English:    {"Hello,", "Thank you for your message; we will reply soon.", "Re: your message"},
	language.German:     {"Hallo,", "Danke für Ihre Nachricht; wir melden uns bald.", "Re: Ihre Nachricht"},
	language.French:     {"Bonjour,", "Merci pour votre message ; nous répondrons bientôt.", "Re : votre message"},
	language.Spanish:    {"Hola,", "Gracias por su mensaje; responderemos pronto.", "Re: su mensaje"},
	language.Italian:    {"Buongiorno,", "Grazie per il messaggio; risponderemo presto.", "Re: il suo messaggio"},
	language.Dutch:      {"Hallo,", "Bedankt voor uw bericht; we antwoorden snel.", "Re: uw bericht"},
	language.Portuguese: {"Olá,", "Obrigado pela mensagem; responderemos em breve.", "Re: sua mensagem"},
}

// draftReplyBaseline is not a model and reads neither the goal nor the
// notes: it sends the canned acknowledgement in the language
// detectLanguage finds in the other side's last message (English where it
// has none), signed as asked, with a subject for email.
func draftReplyBaseline(in communication.DraftReply) communication.Reply {
	lang := language.English
	for _, m := range slices.Backward(in.Conversation) {
		if m.Role == communication.Other {
			lang, _ = detectLanguage(m.Text)
			break
		}
	}
	canned, ok := cannedReplies[lang]
	if !ok {
		lang, canned = language.English, cannedReplies[language.English]
	}
	r := communication.Reply{Text: canned.text, Language: string(lang)}
	if in.Channel == "" || in.Channel == communication.Email {
		r.Subject = canned.subject
		r.Text = canned.greeting + "\n\n" + r.Text
	}
	if sign := strings.TrimSpace(in.SignAs); sign != "" {
		r.Text += "\n\n" + sign
	}
	return r
}
