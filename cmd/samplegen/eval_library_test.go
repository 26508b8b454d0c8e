package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/sampling"
	"github.com/samplegen/samplegen/templates/classify"
)

// envEvalLibraryServer, set in a test's environment, makes the test binary
// that samplegen eval starts serve the classify library instead of running
// the tests (before TestMain, so that call_test.go's TestMain need not
// know of it).
const envEvalLibraryServer = "SAMPLEGEN_EVAL_TEST_LIBRARY_SERVER"

func init() {
	if os.Getenv(envEvalLibraryServer) == "" {
		return
	}
	srv := mcp.NewServer(&mcp.Implementation{Name: "classify", Version: "0"}, nil)
	classify.AddTools(srv)
	if err := srv.Run(context.Background(), &mcp.StdioTransport{}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(0)
}

const librarySentimentDataset = "../../templates/classify/testdata/classify_sentiment.jsonl"

// Word lists of the keyword baseline. A baseline, not a model: it reads
// no context, so negation, sarcasm and questions trip it.
var (
	baselinePositive = []string{"love", "best", "great", "thank", "fixed", "impeccable", "recommande", "better", "stunning", "gorgeous", "proud", "slaps", "relief", "brilliant", "fantastic", "breathtaking", "😍", "よかった", "excellent", "happy", "amazing"}
	baselineNegative = []string{"terrible", "broke", "refund", "😡", "frustrante", "not good", "disappointed", "torn", "trash", "lagging", "slow", "forgot", "late", "damaged", "unfair", "waste", "never", "stopped working", "empty", "overheats", "barely", "delayed", "bad", "worst"}
)

// baselineSentiment is the keyword baseline's verdict on a text.
func baselineSentiment(text string) string {
	lower := strings.ToLower(text)
	has := func(words []string) bool {
		for _, w := range words {
			if strings.Contains(lower, w) {
				return true
			}
		}
		return false
	}
	switch pos, neg := has(baselinePositive), has(baselineNegative); {
	case pos && neg:
		return "mixed"
	case pos:
		return "positive"
	case neg:
		return "negative"
	}
	return "neutral"
}

// baselineModel answers a sampling request of classify_sentiment with the
// keyword baseline's verdict on the dataset text the request holds (the
// longest one it contains, so that the prompt's own words are not read).
func baselineModel(lines []datasetLine) sampling.Sampler {
	return sampling.SamplerFunc(func(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		var prompt strings.Builder
		for _, m := range req.Messages {
			if m != nil {
				for _, c := range m.Content {
					prompt.WriteString(contentLine(c))
				}
			}
		}
		text := ""
		for _, l := range lines {
			if t := caseText(l); strings.Contains(prompt.String(), t) && len(t) > len(text) {
				text = t
			}
		}
		if text == "" {
			return nil, fmt.Errorf("keyword baseline: the request holds none of the dataset's texts")
		}
		answer := fmt.Sprintf(`{"sentiment": %q, "confidence": 0.5}`, baselineSentiment(text))
		return &mcp.CreateMessageWithToolsResult{Role: "assistant", Model: "keyword-baseline", StopReason: "endTurn", Content: []mcp.Content{&mcp.TextContent{Text: answer}}}, nil
	})
}

func caseText(l datasetLine) string {
	var args struct{ Text string }
	_ = json.Unmarshal(l.Args, &args) // readDataset checked it is an object
	return args.Text
}

// TestEvalLibraryDataset runs samplegen eval over the classify library's
// sentiment dataset against a served classify tool (a subprocess per
// session), its sampling answered by a keyword baseline scripted here, not
// by a language model: the scores measure that baseline, and are checked
// against the baseline applied to the dataset directly, so that the path
// through the server, the parser and the comparison changes no verdict.
// The baseline reads the dataset's texts, not the prompt, so that a change
// of the library's prompt does not stale it as it would a recording.
func TestEvalLibraryDataset(t *testing.T) {
	serverEnv(t)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(envEvalLibraryServer, "1")
	f, err := os.Open(librarySentimentDataset)
	if err != nil {
		t.Fatal(err)
	}
	lines, err := readDataset(f, librarySentimentDataset)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	r := eval(t, baselineModel(lines), "", "-concurrency", "4", "-json", filepath.Join(dir, "result.json"), "-html", filepath.Join(dir, "report.html"),
		"classify_sentiment", librarySentimentDataset, "--", exe)
	if r.code != evalOK {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	res := readEvalJSON(t, filepath.Join(dir, "result.json"))

	correct := 0
	want := map[string]map[string]int{}
	for _, l := range lines {
		w, got := l.Want["sentiment"].(string), baselineSentiment(caseText(l))
		if w == got {
			correct++
		}
		if want[w] == nil {
			want[w] = map[string]int{}
		}
		want[w][got]++
	}
	tot := res.Totals
	if tot.Run != len(lines) || tot.Errors != 0 || tot.Correct != correct {
		t.Errorf("eval: %d run, %d failed, %d correct; the baseline applied directly: %d of %d correct", tot.Run, tot.Errors, tot.Correct, correct, len(lines))
	}
	m := tot.Confusion["sentiment"]
	if m == nil {
		t.Fatal("no confusion matrix")
	}
	for i, w := range m.Labels {
		for j, g := range m.Labels {
			if m.Counts[i][j] != want[w][g] {
				t.Errorf("confusion[%s][%s] = %d; the baseline applied directly gives %d", w, g, m.Counts[i][j], want[w][g])
			}
		}
	}
	if tot.Reported != len(lines) {
		t.Errorf("%d of %d results carried the server's report (SAMPLEGEN_REPORT_META=on is set for the command)", tot.Reported, len(lines))
	}
	t.Logf("keyword baseline (scripted, not a language model) on %s:\n%s", librarySentimentDataset, r.stdout)
}
