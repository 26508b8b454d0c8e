package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/internal/aimock"
	"github.com/samplegen/samplegen/replay"
	"github.com/samplegen/samplegen/runtime"
	"github.com/samplegen/samplegen/sampling"
	"go.uber.org/goleak"
)

// update re-records testdata/call/sentiment.jsonl with the scripted model:
// go test ./cmd/samplegen -run TestCallReplay -update. Needed when the
// sentiment tool's prompt changes, which the replay tests report as a
// request the file has no answer for.
var update = flag.Bool("update", false, "re-record testdata/call/sentiment.jsonl")

const (
	sentimentReplay = "testdata/call/sentiment.jsonl"
	lovedText       = "The update fixed every crash I had; the app finally feels fast."
	pushEra         = "2025-11-25"
	mrtrEra         = "2026-07-28"
	callTimeout     = "60s"
)

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

// envServerRole, set in a test's environment, makes the test binary that
// samplegen call starts serve envServer instead of running the tests.
const envServerRole = "SAMPLEGEN_CALL_TEST_ENV_SERVER"

func TestMain(m *testing.M) {
	if os.Getenv(envServerRole) != "" {
		os.Exit(envServer())
	}
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// exampleServers builds the repository's example servers once and returns
// the sentiment and conformance binaries.
func exampleServers(t *testing.T) (sentiment, conformance string) {
	t.Helper()
	buildOnce.Do(func() {
		if buildDir, buildErr = os.MkdirTemp("", "samplegen-call-"); buildErr != nil {
			return
		}
		var (
			wg sync.WaitGroup
			mu sync.Mutex
		)
		for name, pkg := range map[string]string{"sentiment": "./examples/sentiment/server", "conformance": "./examples/conformance/server", "samplegen": "./cmd/samplegen"} {
			wg.Go(func() {
				cmd := exec.Command("go", "build", "-o", filepath.Join(buildDir, name), pkg)
				cmd.Dir = filepath.Join("..", "..")
				if out, err := cmd.CombinedOutput(); err != nil {
					mu.Lock()
					buildErr = fmt.Errorf("building %s: %v\n%s", pkg, err, out)
					mu.Unlock()
				}
			})
		}
		wg.Wait()
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return filepath.Join(buildDir, "sentiment"), filepath.Join(buildDir, "conformance")
}

// serverEnv makes the servers the tests start answer with no model of
// their own, and keep their reports to themselves unless a test says.
func serverEnv(t *testing.T) {
	t.Setenv("SAMPLEGEN_PROVIDER", "")
	t.Setenv("SAMPLEGEN_MODEL", "")
	t.Setenv("SAMPLEGEN_SAMPLING", "")
	t.Setenv(runtime.EnvReportMeta, "")
}

// callResult is what one samplegen call run gave.
type callResult struct {
	code           int
	stdout, stderr string
}

// call runs samplegen call in this process with args and stdin.
func call(t *testing.T, stdin string, args ...string) callResult {
	t.Helper()
	var stdout, stderr strings.Builder
	code := runCall(append([]string{"-timeout", callTimeout}, args...), strings.NewReader(stdin), &stdout, &stderr)
	return callResult{code, stdout.String(), stderr.String()}
}

// noLeaks checks, when t ends, that the calls left no goroutine behind:
// not a session, a server's pipe, a person's reader nor an idle HTTP
// connection.
func noLeaks(t *testing.T) {
	t.Helper()
	before := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, before) })
}

// wantSentiment checks the typed result a scripted or replayed model
// gives for lovedText, and the exit code.
func wantSentiment(t *testing.T, r callResult, confidence float64) {
	t.Helper()
	if r.code != callOK {
		t.Fatalf("exit %d, want 0; stderr:\n%s", r.code, r.stderr)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, r.stdout)
	}
	if got["sentiment"] != "positive" || got["confidence"] != confidence || len(got) != 2 {
		t.Errorf("stdout %s, want sentiment positive, confidence %v", r.stdout, confidence)
	}
}

// script is the scripted model the replay file was recorded with: a
// wrong-case enum with an out-of-range confidence, to be re-asked, then a
// wrong-case enum to be repaired.
func script() sampling.Sampler {
	answers := []struct {
		text, model string
		usage       sampling.Usage
	}{
		{"```json\n{\"sentiment\": \"Positive\", \"confidence\": 1.7}\n```", "scripted-model-1", sampling.Usage{InputTokens: 120, OutputTokens: 14}},
		{"```json\n{\"sentiment\": \"Positive\", \"confidence\": 0.9}\n```", "scripted-model-2", sampling.Usage{InputTokens: 180, OutputTokens: 13}},
	}
	var mu sync.Mutex
	n := 0
	return sampling.SamplerFunc(func(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		mu.Lock()
		defer mu.Unlock()
		if n == len(answers) {
			return nil, fmt.Errorf("script: request %d, but only %d answers", n+1, len(answers))
		}
		a := answers[n]
		n++
		res := &mcp.CreateMessageWithToolsResult{Role: "assistant", Model: a.model, StopReason: "endTurn", Content: []mcp.Content{&mcp.TextContent{Text: a.text}}}
		sampling.SetUsage(res, a.usage)
		return res, nil
	})
}

// recordSentiment records the scripted model's exchanges with the
// sentiment server into sentimentReplay, through a go-sdk client.
func recordSentiment(t *testing.T, server string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(sentimentReplay), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(sentimentReplay); err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	rec, err := replay.Record(sentimentReplay)
	if err != nil {
		t.Fatal(err)
	}
	client := mcp.NewClient(&mcp.Implementation{Name: "recorder", Version: "0"}, &mcp.ClientOptions{
		CreateMessageWithToolsHandler: runtime.SamplingHandler(rec.Wrap(script())),
	})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cs, err := client.Connect(ctx, &mcp.CommandTransport{Command: exec.Command(server)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "analyze_sentiment", Arguments: map[string]any{"text": lovedText}})
	if err != nil || res.IsError {
		t.Fatalf("recording: %v %+v", err, res)
	}
	if err := rec.Close(); err != nil || rec.Recorded() != 2 {
		t.Fatalf("recording: %v, %d exchanges, want 2", err, rec.Recorded())
	}
}

// TestCallReplay calls the sentiment example on both eras, over stdio and
// HTTP, answering from the recorded file: the same two answers (re-asked,
// then repaired) give the same typed result, and the summary names the
// recorded models and sums their tokens.
func TestCallReplay(t *testing.T) {
	sentiment, _ := exampleServers(t)
	serverEnv(t)
	if *update {
		recordSentiment(t, sentiment)
	}
	pushURL := startHTTP(t, sentiment, "-http", "127.0.0.1:0")
	sseURL := startHTTP(t, sentiment, "-sse", "127.0.0.1:0")
	statelessURL := startHTTP(t, sentiment, "-http", "127.0.0.1:0", "-stateless")
	for _, tc := range []struct {
		name  string
		where []string
		era   string
	}{
		{"stdio push", []string{"--", sentiment}, pushEra},
		{"stdio multi round-trip", []string{"--", sentiment}, mrtrEra},
		{"stdio default", []string{"--", sentiment}, ""},
		{"Streamable HTTP push", []string{"-url", pushURL}, pushEra},
		{"SSE push", []string{"-sse", "-url", sseURL}, pushEra},
		{"stateless HTTP multi round-trip", []string{"-url", statelessURL}, mrtrEra},
	} {
		t.Run(tc.name, func(t *testing.T) {
			noLeaks(t)
			args := []string{"-replay", sentimentReplay}
			if tc.era != "" {
				args = append(args, "-protocol", tc.era)
			}
			url := slices.Contains(tc.where, "-url")
			if url {
				args = append(args, tc.where...)
			}
			args = append(args, "analyze_sentiment", `{"text":"`+lovedText+`"}`)
			if !url {
				args = append(args, tc.where...)
			}
			r := call(t, "", args...)
			if strings.Contains(r.stderr, "has no answer") {
				t.Fatalf("%s\n(if the sentiment tool's prompt changed on purpose, record again: go test ./cmd/samplegen -run TestCallReplay -update)", r.stderr)
			}
			wantSentiment(t, r, 0.9)
			if want := "analyze_sentiment: answered 2 sampling request(s) (model scripted-model-1, scripted-model-2; tokens: 300 in, 27 out)"; !strings.Contains(r.stderr, want) {
				t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
			}
		})
	}
}

// With the server's report in the result's _meta, that report is what
// stderr shows: the rounds, the repairs, the era.
func TestCallPrintsTheServersReport(t *testing.T) {
	sentiment, _ := exampleServers(t)
	serverEnv(t)
	t.Setenv(runtime.EnvReportMeta, "on")
	for _, era := range []string{pushEra, mrtrEra} {
		t.Run(era, func(t *testing.T) {
			noLeaks(t)
			r := call(t, "", "-protocol", era, "-replay", sentimentReplay, "analyze_sentiment", `{"text":"`+lovedText+`"}`, "--", sentiment)
			wantSentiment(t, r, 0.9)
			_, report, ok := strings.Cut(r.stderr, "analyze_sentiment: report:\n")
			if !ok {
				t.Fatalf("stderr has no report:\n%s", r.stderr)
			}
			var rep runtime.CallReport
			if err := json.NewDecoder(strings.NewReader(report)).Decode(&rep); err != nil {
				t.Fatalf("the report is not a CallReport: %v\n%s", err, report)
			}
			if rep.Outcome != runtime.OutcomeOK || rep.Plan.Protocol != era || len(rep.Samples) != 1 || len(rep.Samples[0].Rounds) != 2 || rep.Samples[0].Rounds[1].Model != "scripted-model-2" {
				t.Errorf("report %+v", rep)
			}
			if strings.Contains(r.stderr, "answered 2 sampling request(s)") {
				t.Errorf("stderr has the summary beside the server's report:\n%s", r.stderr)
			}
		})
	}
}

// A request the replay file does not hold fails the command on both eras,
// whatever the server then does, with the replay's error: the file, the
// nearest request and how to record again.
func TestCallMissingReplayEntry(t *testing.T) {
	sentiment, _ := exampleServers(t)
	serverEnv(t)
	for _, era := range []string{pushEra, mrtrEra} {
		t.Run(era, func(t *testing.T) {
			noLeaks(t)
			r := call(t, "", "-protocol", era, "-replay", sentimentReplay, "analyze_sentiment", `{"text":"The update broke everything."}`, "--", sentiment)
			if r.code != callFailed || r.stdout != "" {
				t.Fatalf("exit %d, stdout %q; want 1 and nothing", r.code, r.stdout)
			}
			for _, part := range []string{
				"samplegen call: replay: " + sentimentReplay + " has no answer for this sampling request",
				"line 1, differs at messages[0].content.text",
				"The update broke everything.",
				"-record " + sentimentReplay,
				"failed 1",
			} {
				if !strings.Contains(r.stderr, part) {
					t.Errorf("stderr lacks %q:\n%s", part, r.stderr)
				}
			}
		})
	}
}

// A tool that answers with an error exits 1 and says why, on both eras:
// here test_sampling, whose sampling request the person at the terminal
// refuses.
func TestCallToolError(t *testing.T) {
	_, conformance := exampleServers(t)
	serverEnv(t)
	for _, era := range []string{pushEra, mrtrEra} {
		t.Run(era, func(t *testing.T) {
			noLeaks(t)
			r := call(t, "/refuse not on my watch\n", "-protocol", era, "-human", "test_sampling", `{"prompt":"Say hi."}`, "--", conformance)
			if r.code != callFailed || r.stdout != "" {
				t.Fatalf("exit %d, stdout %q; want 1 and nothing\n%s", r.code, r.stdout, r.stderr)
			}
			for _, part := range []string{"samplegen call: test_sampling answered with an error:", "not on my watch", "answered 0 sampling request(s), refused 1"} {
				if !strings.Contains(r.stderr, part) {
					t.Errorf("stderr lacks %q:\n%s", part, r.stderr)
				}
			}
		})
	}
}

// -human shows each request readably, its untrusted text unable to drive
// the terminal, reads each answer up to an empty line, and with -record
// writes what was said, which -replay then answers on the other era.
func TestCallHuman(t *testing.T) {
	sentiment, _ := exampleServers(t)
	serverEnv(t)
	noLeaks(t)
	file := filepath.Join(t.TempDir(), "human.jsonl")
	answers := "\n```json\n{\"sentiment\": \"Positive\",\n \"confidence\": 1.5}\n```\n\n{\"sentiment\": \"positive\", \"confidence\": 0.7}\n"
	r := call(t, answers, "-protocol", pushEra, "-human", "-record", file, "analyze_sentiment", `{"text":"Loved it \u001b[2J\u0007 truly"}`, "--", sentiment)
	wantSentiment(t, r, 0.7)
	for _, part := range []string{
		"─── sampling request 1 ───", "─── sampling request 2 ───",
		"system:\n  You classify the sentiment", "user:\n  Classify the sentiment of this text:",
		`Loved it \u001b[2J\u0007 truly`,
		"assistant:\n  ```json\n  {\"sentiment\": \"Positive\",\n   \"confidence\": 1.5}",
		"/confidence: 1.5 is above the maximum 1",
		"tool respond:", "tool choice: required · max tokens: 64 · temperature: 0",
		"Your answer (end it with an empty line; /refuse [reason] refuses):",
		"answered 2 sampling request(s) (model human; tokens not reported)",
		"recorded 2 exchange(s) to " + file,
	} {
		if !strings.Contains(r.stderr, part) {
			t.Errorf("stderr lacks %q:\n%s", part, r.stderr)
		}
	}
	if strings.ContainsAny(r.stderr, "\x1b\x07") {
		t.Errorf("stderr passes the server's control characters to the terminal:\n%q", r.stderr)
	}

	r = call(t, "", "-protocol", mrtrEra, "-replay", file, "analyze_sentiment", `{"text":"Loved it \u001b[2J\u0007 truly"}`, "--", sentiment)
	wantSentiment(t, r, 0.7)

	// An answer of several lines ends at the first empty line.
	_, conformance := exampleServers(t)
	r = call(t, "Hello\nthere\n\nnot part of it\n", "-human", "test_sampling", `{"prompt":"Say hi."}`, "--", conformance)
	if r.code != callOK || r.stdout != "{\n  \"text\": \"LLM response: Hello\\nthere\"\n}\n" {
		t.Errorf("a two-line answer: exit %d, stdout %q\n%s", r.code, r.stdout, r.stderr)
	}

	// Standard input that ends before an answer is an error, not an empty
	// answer: the server reads only that the client's model failed, and
	// why is said here.
	r = call(t, "", "-human", "analyze_sentiment", `{"text":"x"}`, "--", sentiment)
	why := `samplegen call: answering a sampling request here failed: no answer: standard input ended before one was given (of a failed model a server is told only "` + sampling.ModelFailed + `")`
	_, toolError, _ := strings.Cut(r.stderr, "analyze_sentiment answered with an error:")
	toolError, _, _ = strings.Cut(toolError, "\n")
	if r.code != callFailed || !strings.Contains(r.stderr, why) || !strings.Contains(toolError, sampling.ModelFailed) || strings.Contains(toolError, "standard input") {
		t.Errorf("no answer on stdin: exit %d\n%s", r.code, r.stderr)
	}
}

// A -record file cut short by a crash is refused before the server starts.
func TestCallRecordRefusesACutShortFile(t *testing.T) {
	sentiment, _ := exampleServers(t)
	serverEnv(t)
	file := filepath.Join(t.TempDir(), "cut.jsonl")
	if err := os.WriteFile(file, []byte(`{"version":1,"request":{"maxTo`), 0o600); err != nil {
		t.Fatal(err)
	}
	r := call(t, "x\n", "-human", "-record", file, "analyze_sentiment", `{"text":"x"}`, "--", sentiment)
	if r.code != callFailed || !strings.Contains(r.stderr, "ends without a newline") {
		t.Errorf("exit %d\n%s", r.code, r.stderr)
	}
	r = call(t, "", "-replay", file, "analyze_sentiment", `{"text":"x"}`, "--", sentiment)
	if r.code != callFailed || !strings.Contains(r.stderr, "cut.jsonl:1 stops after") {
		t.Errorf("exit %d\n%s", r.code, r.stderr)
	}
}

// -protocol pins the era: a server that will not speak it fails the call
// before the tool is called.
func TestCallProtocolIsPinned(t *testing.T) {
	sentiment, _ := exampleServers(t)
	serverEnv(t)
	noLeaks(t)
	url := startHTTP(t, sentiment, "-http", "127.0.0.1:0") // stateful: go-sdk serves 2025-11-25 there
	r := call(t, "", "-protocol", mrtrEra, "-replay", sentimentReplay, "-url", url, "analyze_sentiment", `{"text":"x"}`)
	if r.code != callFailed || !strings.Contains(r.stderr, "speaks protocol 2025-11-25, not the 2026-07-28 that -protocol pins") {
		t.Errorf("exit %d\n%s", r.code, r.stderr)
	}
}

// A server that cannot start fails the call, naming it.
func TestCallServerDoesNotStart(t *testing.T) {
	noLeaks(t)
	missing := filepath.Join(t.TempDir(), "no-such-server")
	r := call(t, "", "-replay", sentimentReplay, "analyze_sentiment", "--", missing)
	if r.code != callFailed || !strings.Contains(r.stderr, "connecting to \""+missing+"\"") {
		t.Errorf("exit %d\n%s", r.code, r.stderr)
	}
}

// A wrong command line exits 2 before anything starts, saying what is
// wrong.
func TestCallUsageErrors(t *testing.T) {
	t.Setenv("SAMPLEGEN_PROVIDER", "")
	t.Setenv("SAMPLEGEN_MODEL", "")
	never := "/nonexistent/server-that-must-not-start"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"tool", `{"text":`, "--", never}, "JSON-ARGS must be a JSON object"},
		{[]string{"tool", `text=hi`, "--", never}, "JSON-ARGS must be a JSON object"},
		{[]string{"tool", `["hi"]`, "--", never}, "JSON-ARGS must be a JSON object"},
		{[]string{"tool", `null`, "--", never}, "it is null"},
		{[]string{"--", never}, "name the TOOL before --"},
		{[]string{}, "name the TOOL"},
		{[]string{"tool"}, "give the server: -url URL, or its command after --"},
		{[]string{"tool", "--"}, "-- must be followed by the server's command"},
		{[]string{"tool", "{}", "extra", "--", never}, "too many arguments before --"},
		{[]string{"-url", "http://127.0.0.1:1/mcp", "tool", "--", never}, "not both"},
		{[]string{"-sse", "tool", "--", never}, "-sse needs -url"},
		{[]string{"-protocol", "2099-01-01", "tool", "--", never}, `-protocol "2099-01-01" is not a protocol version`},
		{[]string{"-replay", "f", "-human", "tool", "--", never}, "-replay answers sampling by itself"},
		{[]string{"-replay", "f", "-model", "m", "tool", "--", never}, "-replay answers sampling by itself"},
		{[]string{"-replay", "f", "-record", "g", "tool", "--", never}, "-record records a model or a person"},
		{[]string{"-human", "-provider", "openai", "tool", "--", never}, "-human answers sampling by itself"},
		{[]string{"-model", "gpt-4o-mini", "tool", "--", never}, "no provider is given"},
		{[]string{"-provider", "openai", "tool", "--", never}, "-provider openai needs a model"},
		{[]string{"-record", "g", "tool", "--", never}, "-record needs something to record"},
		{[]string{"-provider", "gemini", "-model", "x", "tool", "--", never}, `"gemini" is not a provider`},
		{[]string{"-no-such-flag", "tool", "--", never}, "flag provided but not defined: -no-such-flag"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := call(t, "", tc.args...)
			if r.code != callUsage || r.stdout != "" || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant exit 2 and %q", r.code, r.stdout, r.stderr, tc.want)
			}
		})
	}
	// The environment's model counts as -provider and -model.
	t.Setenv("SAMPLEGEN_MODEL", "gpt-4o-mini")
	if r := call(t, "", "tool", "--", never); r.code != callUsage || !strings.Contains(r.stderr, "SAMPLEGEN_PROVIDER") {
		t.Errorf("SAMPLEGEN_MODEL alone: exit %d\n%s", r.code, r.stderr)
	}
}

// The samplegen binary routes call to the client, exits 2 for a wrong
// command line and 0 for -h, answers as -human from a real pipe, and still
// generates with no subcommand.
func TestCallSubcommand(t *testing.T) {
	serverEnv(t)
	_, conformance := exampleServers(t)
	bin := filepath.Join(buildDir, "samplegen")
	for _, tc := range []struct {
		args  []string
		stdin string
		code  int
		want  string
	}{
		{[]string{"call", "tool", "not json", "--", "true"}, "", callUsage, "JSON-ARGS must be a JSON object"},
		{[]string{"call", "-h"}, "", callOK, "usage: samplegen call [flags] TOOL [JSON-ARGS] [-- SERVER-COMMAND ARGS...]"},
		{[]string{"call", "-human", "test_sampling", `{"prompt":"Say hi."}`, "--", conformance}, "Hi from a pipe\n", callOK, `"text": "LLM response: Hi from a pipe"`},
		{[]string{"-h"}, "", 0, "usage: samplegen [-check] [packages]"},
	} {
		cmd := exec.Command(bin, tc.args...)
		cmd.Stdin = strings.NewReader(tc.stdin) // exec makes it a pipe
		out, err := cmd.CombinedOutput()
		code := 0
		if exit, ok := err.(*exec.ExitError); ok {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != tc.code || !strings.Contains(string(out), tc.want) {
			t.Errorf("samplegen %s: exit %d, want %d; output lacks %q?\n%s", strings.Join(tc.args, " "), code, tc.code, tc.want, out)
		}
	}
}

// -provider answers with a real adapter, here OpenAI's against aimock on
// the provider's real wire format: the model's respond call gives the
// result, the summary names the model and its tokens, and -record writes an
// exchange without the key that -replay answers on the other era.
func TestCallProviderWithAimock(t *testing.T) {
	sentiment, _ := exampleServers(t)
	noLeaks(t) // before aimock starts: its cleanup runs after aimock's
	srv := aimock.Start(t, aimock.Options{Fixtures: "testdata/call/aimock"})
	serverEnv(t)
	const key = "sk-test-call-0123456789abcdef"
	t.Setenv("OPENAI_API_KEY", key)
	t.Setenv("OPENAI_BASE_URL", srv.URL+"/v1")
	file := filepath.Join(t.TempDir(), "openai.jsonl")
	r := call(t, "", "-protocol", mrtrEra, "-provider", "openai", "-model", "gpt-4o-mini", "-record", file,
		"analyze_sentiment", `{"text":"`+lovedText+`"}`, "--", sentiment)
	wantSentiment(t, r, 0.8)
	if want := "answered 1 sampling request(s) (model gpt-4o-mini; tokens: 151 in, 12 out)"; !strings.Contains(r.stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
	}
	entries := srv.Journal(t, aimock.Filter{Path: "/v1/chat/completions"})
	if len(entries) != 1 {
		t.Fatalf("aimock got %d chat completions, want 1", len(entries))
	}
	var body struct {
		Model string `json:"model"`
		Tools []struct {
			Function struct {
				Name string `json:"name"`
			} `json:"function"`
		} `json:"tools"`
	}
	if err := entries[0].Decode(&body); err != nil {
		t.Fatal(err)
	}
	if body.Model != "gpt-4o-mini" || len(body.Tools) != 1 || body.Tools[0].Function.Name != "respond" {
		t.Errorf("the request aimock got: %s", entries[0].Body)
	}
	recorded, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(recorded), key) || strings.Contains(string(recorded), srv.URL) {
		t.Errorf("the recording holds the key or the base URL:\n%s", recorded)
	}
	r = call(t, "", "-protocol", pushEra, "-replay", file, "analyze_sentiment", `{"text":"`+lovedText+`"}`, "--", sentiment)
	wantSentiment(t, r, 0.8)
}

var listenLine = regexp.MustCompile(`http://127\.0\.0\.1:[0-9]+/(?:mcp|sse)\b`)

// startHTTP starts an example server listening on a free port and returns
// the URL it prints; it is stopped when the test ends.
func startHTTP(t *testing.T, bin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	stderr, pw := io.Pipe()
	cmd.Stderr = pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if u := listenLine.FindString(sc.Text()); u != "" {
				select {
				case found <- u:
				default:
				}
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
		close(found)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); pw.Close(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	select {
	case u, ok := <-found:
		if !ok {
			t.Fatalf("%s exited before printing its URL", bin)
		}
		return u
	case <-time.After(30 * time.Second):
		t.Fatalf("%s printed no URL within 30s", bin)
	}
	return ""
}

// A request shown to the person at the terminal is bounded however long
// the server makes it.
func TestShowRequestIsBounded(t *testing.T) {
	var b strings.Builder
	showRequest(&b, 1, &mcp.CreateMessageWithToolsParams{
		MaxTokens: 10,
		Messages:  []*mcp.SamplingMessageV2{{Role: "user", Content: []mcp.Content{&mcp.TextContent{Text: strings.Repeat("long ", 100_000)}, &mcp.ImageContent{MIMEType: "image/png", Data: make([]byte, 1234)}}}},
	})
	if b.Len() > maxShown+100 || !strings.Contains(b.String(), "more bytes not shown") {
		t.Errorf("showed %d bytes, want at most %d and a note", b.Len(), maxShown+100)
	}
	b.Reset()
	showRequest(&b, 2, &mcp.CreateMessageWithToolsParams{
		MaxTokens: 10,
		Messages:  []*mcp.SamplingMessageV2{{Role: "user", Content: []mcp.Content{&mcp.ImageContent{MIMEType: "image/png", Data: make([]byte, 1234)}}}},
	})
	if !strings.Contains(b.String(), "[image image/png, 1234 bytes]") {
		t.Errorf("an image shows as:\n%s", b.String())
	}
}

// A result with no structured content prints its text.
func TestPrintResultText(t *testing.T) {
	var b strings.Builder
	if err := printResult(&b, &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "plain answer"}, &mcp.TextContent{Text: "second"}}}); err != nil {
		t.Fatal(err)
	}
	if b.String() != "plain answer\nsecond\n" {
		t.Errorf("printed %q", b.String())
	}
}

// A hostile server's "messages":[null] and "tools":[null] decode without
// error in go-sdk: the terminal shows them as (null), and the entries
// after them as usual.
func TestShowRequestNullEntries(t *testing.T) {
	var req mcp.CreateMessageWithToolsParams
	raw := `{"maxTokens":10,"messages":[null,{"role":"user","content":[{"type":"text","text":"after the null"}]}],"tools":[null,{"name":"respond","inputSchema":{"type":"object"}}]}`
	if err := json.Unmarshal([]byte(raw), &req); err != nil {
		t.Fatalf("go-sdk now refuses null entries (%v): this test's premise is gone", err)
	}
	var b strings.Builder
	showRequest(&b, 1, &req)
	for _, part := range []string{"(null message)\nuser:\n  after the null\n", "tool (null)\ntool respond:"} {
		if !strings.Contains(b.String(), part) {
			t.Errorf("shown request lacks %q:\n%s", part, b.String())
		}
	}
}

// The bound on a request shown at the terminal cuts between characters,
// wherever the bound falls in the text.
func TestShowRequestCutsWholeCharacters(t *testing.T) {
	for pad := range 3 {
		var b strings.Builder
		showRequest(&b, 1, &mcp.CreateMessageWithToolsParams{
			MaxTokens: 10,
			Messages:  []*mcp.SamplingMessageV2{{Role: "user", Content: []mcp.Content{&mcp.TextContent{Text: strings.Repeat("x", pad) + strings.Repeat("€", maxShown)}}}},
		})
		if !utf8.ValidString(b.String()) || !strings.Contains(b.String(), "more bytes not shown") {
			t.Errorf("pad %d: the cut request is not whole UTF-8 with a note (%d bytes)", pad, b.Len())
		}
	}
}

// hostileServer serves, over Streamable HTTP, a go-sdk server whose tools
// misbehave: "long_error" answers with an error text of 1 MiB,
// "null_entries" asks for a sample whose messages and tools hold nulls, and
// "report" sends a report holding terminal controls.
func hostileServer(t *testing.T) string {
	t.Helper()
	server := mcp.NewServer(&mcp.Implementation{Name: "hostile", Version: "0"}, nil)
	server.AddTool(&mcp.Tool{Name: "long_error", InputSchema: json.RawMessage(`{"type":"object"}`)}, func(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return &mcp.CallToolResult{IsError: true, Content: []mcp.Content{&mcp.TextContent{Text: "boom " + strings.Repeat("€", 1<<20/3)}}}, nil
	})
	server.AddTool(&mcp.Tool{Name: "null_entries", InputSchema: json.RawMessage(`{"type":"object"}`)}, func(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		res, err := req.Session.CreateMessageWithTools(ctx, &mcp.CreateMessageWithToolsParams{
			MaxTokens: 10,
			Messages:  []*mcp.SamplingMessageV2{nil, {Role: "user", Content: []mcp.Content{&mcp.TextContent{Text: "say hi"}}}},
			Tools:     []*mcp.Tool{nil},
		})
		if err != nil {
			return nil, err
		}
		return &mcp.CallToolResult{Content: res.Content}, nil
	})
	server.AddTool(&mcp.Tool{Name: "report", InputSchema: json.RawMessage(`{"type":"object"}`)}, func(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return &mcp.CallToolResult{
			Content: []mcp.Content{&mcp.TextContent{Text: "done"}},
			Meta:    mcp.Meta{runtime.ReportMetaKey: map[string]any{"outcome": "ok \u009b2J \x1b[2J"}},
		}, nil
	})
	srv := httptest.NewServer(mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return server }, nil))
	t.Cleanup(func() { srv.CloseClientConnections(); srv.Close() })
	return srv.URL
}

// A tool's error text is shown bounded, cut between characters.
func TestCallBoundsTheToolsError(t *testing.T) {
	noLeaks(t)
	url := hostileServer(t)
	r := call(t, "", "-url", url, "long_error")
	_, line, _ := strings.Cut(r.stderr, "samplegen call: long_error answered with an error: boom ")
	line, _, _ = strings.Cut(line, "\n")
	if r.code != callFailed || line == "" || len(line) > maxFailureShown || !utf8.ValidString(line) || !strings.HasSuffix(line, "€…") {
		t.Errorf("exit %d, the error line is %d bytes (want at most %d, whole characters, cut with …); stderr starts %q", r.code, len(line), maxFailureShown, r.stderr[:min(len(r.stderr), 200)])
	}
}

// -human answers a request whose messages and tools hold nulls, showing
// them, rather than crashing.
func TestCallHumanNullEntries(t *testing.T) {
	noLeaks(t)
	url := hostileServer(t)
	r := call(t, "hi there\n", "-protocol", pushEra, "-human", "-url", url, "null_entries")
	if r.code != callOK || r.stdout != "hi there\n" {
		t.Fatalf("exit %d, stdout %q\n%s", r.code, r.stdout, r.stderr)
	}
	for _, part := range []string{"(null message)\nuser:\n  say hi", "tool (null)"} {
		if !strings.Contains(r.stderr, part) {
			t.Errorf("stderr lacks %q:\n%s", part, r.stderr)
		}
	}
}

// A sampler that returns neither a result nor an error is counted as a
// failure, not read.
func TestTallyNilResult(t *testing.T) {
	counted := &tally{next: sampling.SamplerFunc(func(context.Context, *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		return nil, nil
	})}
	if res, err := counted.CreateMessage(context.Background(), &mcp.CreateMessageWithToolsParams{}); res != nil || err != nil {
		t.Fatalf("got %v, %v; want what the sampler gave", res, err)
	}
	if got := counted.summary(); got != "answered 0 sampling request(s), failed 1" {
		t.Errorf("summary %q", got)
	}
	if err := counted.firstFailure(); err == nil || !strings.Contains(err.Error(), "neither a result nor an error") {
		t.Errorf("first failure %v", err)
	}
}

// The server's report cannot drive the terminal either: JSON escapes C0
// controls, and printable the C1 ones.
func TestCallReportIsPrintable(t *testing.T) {
	noLeaks(t)
	url := hostileServer(t)
	r := call(t, "", "-url", url, "report")
	if r.code != callOK || !strings.Contains(r.stderr, `"outcome": "ok \u009b2J \u001b[2J"`) || strings.ContainsAny(r.stderr, "\x1b\u009b") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}

// envServer serves, on stdio, a go-sdk server whose tool server_env says
// what its process got of SAMPLEGEN_PROVIDER and SAMPLEGEN_MODEL.
func envServer() int {
	server := mcp.NewServer(&mcp.Implementation{Name: "env", Version: "0"}, nil)
	server.AddTool(&mcp.Tool{Name: "server_env", InputSchema: json.RawMessage(`{"type":"object"}`)}, func(context.Context, *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		var parts []string
		for _, name := range []string{"SAMPLEGEN_PROVIDER", "SAMPLEGEN_MODEL"} {
			v, ok := os.LookupEnv(name)
			if !ok {
				v = "(unset)"
			}
			parts = append(parts, name+"="+v)
		}
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: strings.Join(parts, " ")}}}, nil
	})
	if err := server.Run(context.Background(), &mcp.StdioTransport{}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// SAMPLEGEN_PROVIDER and SAMPLEGEN_MODEL that name the client's model (no
// -provider or -model) are left out of the server's environment, which
// call says; a server given its own with env(1) on its command keeps them;
// and where the client did not read them (flags, -replay) they pass on.
func TestCallServerEnvironment(t *testing.T) {
	serverEnv(t)
	t.Setenv(envServerRole, "on")
	t.Setenv("OPENAI_API_KEY", "sk-test-never-sent-0123456789")
	t.Setenv("OPENAI_BASE_URL", "http://127.0.0.1:1/v1") // never asked: server_env samples nothing
	t.Setenv("SAMPLEGEN_PROVIDER", "openai")
	t.Setenv("SAMPLEGEN_MODEL", "gpt-4o-mini")
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	envBin, err := exec.LookPath("env")
	if err != nil {
		t.Fatal(err)
	}
	const stripped = "samplegen call: SAMPLEGEN_PROVIDER and SAMPLEGEN_MODEL name this client's model, so the server starts without them"
	for _, tc := range []struct {
		name  string
		args  []string
		want  string
		noted bool
	}{
		{"the client's model from the environment", []string{"server_env", "--", self}, "SAMPLEGEN_PROVIDER=(unset) SAMPLEGEN_MODEL=(unset)", true},
		{"and the server's own with env", []string{"server_env", "--", envBin, "SAMPLEGEN_PROVIDER=ollama", "SAMPLEGEN_MODEL=llama3", self}, "SAMPLEGEN_PROVIDER=ollama SAMPLEGEN_MODEL=llama3", true},
		{"half from the environment", []string{"-model", "gpt-4o", "server_env", "--", self}, "SAMPLEGEN_PROVIDER=(unset) SAMPLEGEN_MODEL=(unset)", true},
		{"the client's model from flags", []string{"-provider", "ollama", "-model", "llama3", "server_env", "--", self}, "SAMPLEGEN_PROVIDER=openai SAMPLEGEN_MODEL=gpt-4o-mini", false},
		{"a replay", []string{"-replay", sentimentReplay, "server_env", "--", self}, "SAMPLEGEN_PROVIDER=openai SAMPLEGEN_MODEL=gpt-4o-mini", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			noLeaks(t)
			r := call(t, "", tc.args...)
			if r.code != callOK || r.stdout != tc.want+"\n" {
				t.Fatalf("exit %d, stdout %q, want %q\n%s", r.code, r.stdout, tc.want, r.stderr)
			}
			if strings.Contains(r.stderr, stripped) != tc.noted {
				t.Errorf("stderr says %q: %v, want %v\n%s", stripped, !tc.noted, tc.noted, r.stderr)
			}
		})
	}
}
