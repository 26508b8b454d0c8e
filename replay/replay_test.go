package replay_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/provider"
	"github.com/samplegen/samplegen/replay"
	"github.com/samplegen/samplegen/sampling"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// model answers each request with a numbered text, and records nothing.
type model struct {
	mu sync.Mutex
	n  int
}

func (m *model) CreateMessage(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
	m.mu.Lock()
	m.n++
	n := m.n
	m.mu.Unlock()
	res := &mcp.CreateMessageWithToolsResult{
		Role: "assistant", Model: "real-model", StopReason: "endTurn",
		Content: []mcp.Content{&mcp.TextContent{Text: fmt.Sprintf("answer %d", n)}},
		Meta:    mcp.Meta{"x-request-id": "req_123", "openai/trace": "trace-77"},
	}
	sampling.SetUsage(res, sampling.Usage{InputTokens: int64(10 * n), OutputTokens: int64(n)})
	return res, nil
}

func textOf(t *testing.T, res *mcp.CreateMessageWithToolsResult) string {
	t.Helper()
	if res == nil || len(res.Content) != 1 {
		t.Fatalf("result %+v, want one content block", res)
	}
	c, ok := res.Content[0].(*mcp.TextContent)
	if !ok {
		t.Fatalf("content %T, want text", res.Content[0])
	}
	return c.Text
}

// requests are requests that differ in one field each, from a base that
// sets every field lookup reads.
func requests() map[string]*mcp.CreateMessageWithToolsParams {
	base := func() *mcp.CreateMessageWithToolsParams {
		return &mcp.CreateMessageWithToolsParams{
			SystemPrompt: "You sort tickets.",
			Messages: []*mcp.SamplingMessageV2{
				{Role: "user", Content: []mcp.Content{&mcp.TextContent{Text: "Classify: WIN A PRIZE"}, &mcp.ImageContent{MIMEType: "image/png", Data: []byte{0x89, 'P', 'N', 'G'}}}},
			},
			Tools:         []*mcp.Tool{{Name: "respond", InputSchema: json.RawMessage(`{"type":"object","maxProperties":1,"properties":{"label":{"type":"string","enum":["spam","ham"]}}}`)}},
			ToolChoice:    &mcp.ToolChoice{Mode: "required"},
			MaxTokens:     50,
			Temperature:   0.2,
			StopSequences: []string{"\n\n"},
			Meta:          mcp.Meta{sampling.OutputSchemaMetaKey: json.RawMessage(`{"type":"object"}`)},
		}
	}
	out := map[string]*mcp.CreateMessageWithToolsParams{"base": base()}
	vary := func(name string, f func(r *mcp.CreateMessageWithToolsParams)) {
		r := base()
		f(r)
		out[name] = r
	}
	vary("system prompt", func(r *mcp.CreateMessageWithToolsParams) { r.SystemPrompt += " Be brief." })
	vary("message text", func(r *mcp.CreateMessageWithToolsParams) {
		r.Messages[0].Content[0] = &mcp.TextContent{Text: "Classify: win a prize"}
	})
	vary("image", func(r *mcp.CreateMessageWithToolsParams) {
		r.Messages[0].Content[1] = &mcp.ImageContent{MIMEType: "image/png", Data: []byte{0x89, 'P', 'N', 'H'}}
	})
	vary("second message", func(r *mcp.CreateMessageWithToolsParams) {
		r.Messages = append(r.Messages, &mcp.SamplingMessageV2{Role: "assistant", Content: []mcp.Content{&mcp.TextContent{Text: "spam"}}})
	})
	vary("tool schema", func(r *mcp.CreateMessageWithToolsParams) {
		r.Tools[0].InputSchema = json.RawMessage(`{"type":"object","properties":{"label":{"type":"string","enum":["spam","ham","eggs"]}}}`)
	})
	vary("no tools", func(r *mcp.CreateMessageWithToolsParams) { r.Tools, r.ToolChoice = nil, nil })
	vary("tool choice", func(r *mcp.CreateMessageWithToolsParams) { r.ToolChoice = &mcp.ToolChoice{Mode: "auto"} })
	vary("max tokens", func(r *mcp.CreateMessageWithToolsParams) { r.MaxTokens = 51 })
	vary("temperature", func(r *mcp.CreateMessageWithToolsParams) { r.Temperature = 0.7 })
	vary("temperature 0", func(r *mcp.CreateMessageWithToolsParams) {
		r.Temperature = 0
		r.Meta[sampling.TemperatureMetaKey] = 0
	})
	vary("no temperature", func(r *mcp.CreateMessageWithToolsParams) { r.Temperature = 0 })
	vary("stop sequences", func(r *mcp.CreateMessageWithToolsParams) { r.StopSequences = []string{"END"} })
	vary("output schema", func(r *mcp.CreateMessageWithToolsParams) {
		r.Meta[sampling.OutputSchemaMetaKey] = json.RawMessage(`{"type":"object","required":["label"]}`)
	})
	return out
}

// Every request recorded is answered by its own answer, looked up afresh
// with what does not count for lookup changed: _meta, metadata, model
// preferences, the order and spacing of a schema's keys, a number's
// notation.
func TestRecordThenReplay(t *testing.T) {
	var file bytes.Buffer
	rec := replay.NewRecorder(&file, "mem.jsonl")
	live := rec.Wrap(&model{})
	ctx := context.Background()
	want := map[string]string{}
	for name, req := range requests() {
		req.Meta["progressToken"] = "p-1"
		req.Metadata = map[string]any{"user": "alice@example.com"}
		res, err := live.CreateMessage(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		want[name] = textOf(t, res)
	}
	if err := rec.Close(); err != nil || rec.Recorded() != len(want) {
		t.Fatalf("Close: %v; recorded %d, want %d", err, rec.Recorded(), len(want))
	}
	replayed, err := replay.Read(bytes.NewReader(file.Bytes()), "mem.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	for name, req := range requests() {
		req.Meta["progressToken"] = "p-2"
		req.Meta["io.modelcontextprotocol/related-task"] = map[string]any{"taskId": "9"}
		req.ModelPreferences = &mcp.ModelPreferences{Hints: []*mcp.ModelHint{{Name: "claude"}}}
		if name == "base" {
			req.Tools[0].InputSchema = json.RawMessage(`{ "properties": {"label": {"enum": ["spam","ham"], "type": "string"}}, "maxProperties": 1.0, "type": "object" }`)
			req.MaxTokens = 50
			req.Temperature = 0.20
		}
		res, err := replayed.CreateMessage(ctx, req)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := textOf(t, res); got != want[name] {
			t.Errorf("%s: replayed %q, want %q", name, got, want[name])
		}
		if u, ok := sampling.UsageOf(res); !ok || u.InputTokens == 0 {
			t.Errorf("%s: replayed usage %+v %v, want the recorded tokens", name, u, ok)
		}
		if res.Model != "real-model" || res.StopReason != "endTurn" {
			t.Errorf("%s: replayed %+v", name, res)
		}
	}
	if n := replayed.Remaining(); n != 0 {
		t.Errorf("Remaining() = %d after replaying everything", n)
	}
}

// What could carry a credential or a trace id never reaches the file, and
// what samplegen's keys say does.
func TestRecordKeepsNoSecrets(t *testing.T) {
	t.Setenv("OPENAI_API_KEY", "test-openai-key-0123456789")
	var file bytes.Buffer
	rec := replay.NewRecorder(&file, "mem.jsonl")
	req := requests()["temperature 0"]
	req.Meta["progressToken"] = "progress-77"
	req.Meta["traceparent"] = "00-trace-id-01"
	req.Messages[0].Content[0] = &mcp.TextContent{Text: "hello", Meta: mcp.Meta{"host/secret": "content-secret", "io.samplegen/kept": "kept-1"}}
	req.Metadata = map[string]any{"user": "alice@example.com"}
	ctx := context.Background()
	if _, err := rec.Wrap(&model{}).CreateMessage(ctx, req); err != nil {
		t.Fatal(err)
	}
	failing := sampling.SamplerFunc(func(context.Context, *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		return nil, errors.New(`POST https://api.openai.com/v1/chat/completions: 401 {"error":"Incorrect API key provided: sk-proj-abc***wxyz"} key test-openai-key-0123456789, Authorization: Bearer eyJhbGciOi.payload.sig, x-api-key: sk-ant-api03-secret; base https://svc-user:hunter2pass@llm.internal/v1, proxy http://u:p@ss'word@proxy.internal:8080/`)
	})
	_, err := rec.Wrap(failing).CreateMessage(ctx, requests()["max tokens"])
	if err == nil {
		t.Fatal("the failing sampler's error was lost")
	}
	written := file.String()
	for _, secret := range []string{"progress-77", "trace-id", "content-secret", "alice@example.com", "req_123", "trace-77", "abc***wxyz", "test-openai-key", "eyJhbGciOi", "api03-secret", "svc-user", "hunter2pass", "ss'word"} {
		if strings.Contains(written, secret) {
			t.Errorf("the file holds %q:\n%s", secret, written)
		}
	}
	for _, kept := range []string{sampling.TemperatureMetaKey, sampling.OutputSchemaMetaKey, sampling.UsageMetaKey, "kept-1", "401", "[redacted]", "https://[redacted]@llm.internal/v1", "http://[redacted]@proxy.internal:8080/"} {
		if !strings.Contains(written, kept) {
			t.Errorf("the file lacks %q:\n%s", kept, written)
		}
	}
}

// Every variable provider reads a credential from is kept out of a
// recorded error, whatever its value looks like.
func TestRecordScrubsEveryProviderCredential(t *testing.T) {
	for _, name := range []string{provider.EnvOpenAIKey, provider.EnvAnthropicKey, provider.EnvAnthropicAuthToken} {
		t.Run(name, func(t *testing.T) {
			value := "plain-" + strings.ToLower(name) + "-0123456789" // no pattern matches it
			t.Setenv(name, value)
			var file bytes.Buffer
			rec := replay.NewRecorder(&file, "mem.jsonl")
			failing := sampling.SamplerFunc(func(context.Context, *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
				return nil, errors.New("gateway said: unknown credential " + value + " (401)")
			})
			if _, err := rec.Wrap(failing).CreateMessage(context.Background(), requests()["base"]); err == nil {
				t.Fatal("the failing sampler's error was lost")
			}
			if written := file.String(); strings.Contains(written, value) || !strings.Contains(written, "unknown credential [redacted] (401)") {
				t.Errorf("the file holds:\n%s", written)
			}
		})
	}
}

// A refusal is replayed as a refusal with its reason and wait; another
// error with its text.
func TestErrorsReplay(t *testing.T) {
	var file bytes.Buffer
	rec := replay.NewRecorder(&file, "mem.jsonl")
	ctx := context.Background()
	errs := []error{
		sampling.Throttled("budget spent", 1500*time.Millisecond),
		sampling.Refused("the user declined"),
		fmt.Errorf("provider: openai: 500 Internal Server Error after 3 retries"),
	}
	for i, e := range errs {
		s := rec.Wrap(sampling.SamplerFunc(func(context.Context, *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
			return nil, e
		}))
		req := requests()["base"]
		req.MaxTokens = int64(100 + i)
		if _, err := s.CreateMessage(ctx, req); err != e {
			t.Fatalf("recording passed on %v, want %v", err, e)
		}
	}
	replayed, err := replay.Read(&file, "mem.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range errs {
		req := requests()["base"]
		req.MaxTokens = int64(100 + i)
		_, got := replayed.CreateMessage(ctx, req)
		if got == nil || got.Error() != want.Error() {
			t.Errorf("replayed %v, want %v", got, want)
		}
		if errors.Is(got, sampling.ErrRefused) != errors.Is(want, sampling.ErrRefused) {
			t.Errorf("replayed %v: refusal %v, want %v", got, errors.Is(got, sampling.ErrRefused), errors.Is(want, sampling.ErrRefused))
		}
		var r *sampling.RefusalError
		if errors.As(want, &r) {
			var g *sampling.RefusalError
			if !errors.As(got, &g) || g.RetryAfter != r.RetryAfter || g.Reason != r.Reason {
				t.Errorf("replayed refusal %+v, want %+v", g, r)
			}
		}
	}
}

// An ask the caller gave up on is not the model's answer: it is not
// recorded.
func TestCancelledAskIsNotRecorded(t *testing.T) {
	var file bytes.Buffer
	rec := replay.NewRecorder(&file, "mem.jsonl")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s := rec.Wrap(sampling.SamplerFunc(func(ctx context.Context, _ *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		return nil, ctx.Err()
	}))
	if _, err := s.CreateMessage(ctx, requests()["base"]); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	if file.Len() != 0 || rec.Recorded() != 0 || rec.Err() != nil {
		t.Errorf("recorded %q (%d, %v)", file.String(), rec.Recorded(), rec.Err())
	}
}

// The same request asked again gets the next answer recorded for it, in
// order; asked once more than recorded, it fails, saying so.
func TestRepeatedRequestsReplayInOrder(t *testing.T) {
	var file bytes.Buffer
	rec := replay.NewRecorder(&file, "mem.jsonl")
	live := rec.Wrap(&model{})
	ctx := context.Background()
	req := requests()["base"]
	other := requests()["max tokens"]
	for _, r := range []*mcp.CreateMessageWithToolsParams{req, other, req, req} {
		if _, err := live.CreateMessage(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	replayed, err := replay.Read(&file, "mem.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"answer 1", "answer 3", "answer 4"} {
		res, err := replayed.CreateMessage(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if got := textOf(t, res); got != want {
			t.Errorf("replayed %q, want %q", got, want)
		}
		res.Content[0].(*mcp.TextContent).Text = "changed by the caller" // a copy: the next replay is untouched
	}
	_, err = replayed.CreateMessage(ctx, req)
	var miss *replay.MissError
	if !errors.As(err, &miss) || !errors.Is(err, replay.ErrNotRecorded) {
		t.Fatalf("a 4th ask: %v, want a MissError", err)
	}
	if miss.Times != 4 || miss.Recorded != 3 || fmt.Sprint(miss.Lines) != "[1 3 4]" {
		t.Errorf("miss %+v", miss)
	}
	for _, part := range []string{"mem.jsonl records this sampling request 3 time(s) (line 1, 3, 4)", "asked a 4th time", "-record mem.jsonl"} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("error %q lacks %q", err, part)
		}
	}
	if replayed.Remaining() != 1 {
		t.Errorf("Remaining() = %d, want 1 (the other request)", replayed.Remaining())
	}
}

// A request asked many times more than recorded fails each time with a
// MissError that counts the asks, and never panics: the replayer's lock is
// still free for the other requests afterwards.
func TestAskedPastTheEndKeepsMissing(t *testing.T) {
	var file bytes.Buffer
	rec := replay.NewRecorder(&file, "mem.jsonl")
	live := rec.Wrap(&model{})
	ctx := context.Background()
	req, other := requests()["base"], requests()["max tokens"]
	const recorded = 2
	for _, r := range []*mcp.CreateMessageWithToolsParams{req, req, other} {
		if _, err := live.CreateMessage(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	replayed, err := replay.Read(&file, "mem.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= recorded+2; i++ {
		res, err := replayed.CreateMessage(ctx, req)
		if i <= recorded {
			if err != nil {
				t.Fatalf("ask %d: %v", i, err)
			}
			continue
		}
		var miss *replay.MissError
		if !errors.As(err, &miss) || res != nil {
			t.Fatalf("ask %d: %v, %v; want a MissError", i, res, err)
		}
		if miss.Times != i || miss.Recorded != recorded {
			t.Errorf("ask %d: miss %+v, want Times %d, Recorded %d", i, miss, i, recorded)
		}
	}
	if res, err := replayed.CreateMessage(ctx, other); err != nil || textOf(t, res) != "answer 3" {
		t.Errorf("the other request after the misses: %v, %v", res, err)
	}
	if replayed.Remaining() != 0 {
		t.Errorf("Remaining() = %d, want 0", replayed.Remaining())
	}
}

// A request never recorded fails naming the file, how to record again, and
// the nearest recorded request with where it differs, bounded however long
// the prompts are.
func TestMissPointsAtTheNearestRequest(t *testing.T) {
	long := strings.Repeat("The update fixed every crash I had. ", 2000)
	var file bytes.Buffer
	rec := replay.NewRecorder(&file, "testdata/x.jsonl")
	live := rec.Wrap(&model{})
	ctx := context.Background()
	ask := func(text string, maxTokens int64) *mcp.CreateMessageWithToolsParams {
		return &mcp.CreateMessageWithToolsParams{
			SystemPrompt: "Classify.",
			Messages:     []*mcp.SamplingMessageV2{{Role: "user", Content: []mcp.Content{&mcp.TextContent{Text: text}}}},
			MaxTokens:    maxTokens,
		}
	}
	for _, r := range []*mcp.CreateMessageWithToolsParams{ask("short", 64), ask(long+"Great!", 64), ask(long+"Great!", 10)} {
		if _, err := live.CreateMessage(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	replayed, err := replay.Read(&file, "testdata/x.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	_, err = replayed.CreateMessage(ctx, ask(long+"Awful!", 64))
	var miss *replay.MissError
	if !errors.As(err, &miss) {
		t.Fatalf("got %v, want a MissError", err)
	}
	if miss.NearestLine != 2 || miss.Times != 1 || miss.Recorded != 0 || miss.Distinct != 3 {
		t.Errorf("miss %+v, want the nearest on line 2", miss)
	}
	msg := err.Error()
	for _, part := range []string{"testdata/x.jsonl has no answer", "nearest of its 3 recorded requests, line 2", `messages[0].content.text: asked "…`, `Awful!"`, `Great!"`, "samplegen call -record testdata/x.jsonl"} {
		if !strings.Contains(msg, part) {
			t.Errorf("error lacks %q:\n%s", part, msg)
		}
	}
	if len(msg) > 1024 {
		t.Errorf("error is %d bytes for prompts of %d; want it bounded", len(msg), len(long))
	}

	empty, err := replay.Read(strings.NewReader(""), "empty.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := empty.CreateMessage(ctx, ask("x", 1)); err == nil || !strings.Contains(err.Error(), "empty.jsonl records no exchanges") {
		t.Errorf("empty file: %v", err)
	}
}

// A miss shows a few differences of many, and says how many more.
func TestMissDiffIsBounded(t *testing.T) {
	var file bytes.Buffer
	rec := replay.NewRecorder(&file, "m.jsonl")
	msgs := func(n int, word string) *mcp.CreateMessageWithToolsParams {
		r := &mcp.CreateMessageWithToolsParams{MaxTokens: 5}
		for i := range n {
			r.Messages = append(r.Messages, &mcp.SamplingMessageV2{Role: "user", Content: []mcp.Content{&mcp.TextContent{Text: fmt.Sprint(word, i)}}})
		}
		return r
	}
	if _, err := rec.Wrap(&model{}).CreateMessage(context.Background(), msgs(50, "a")); err != nil {
		t.Fatal(err)
	}
	replayed, err := replay.Read(&file, "m.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	_, err = replayed.CreateMessage(context.Background(), msgs(60, "b"))
	var miss *replay.MissError
	if !errors.As(err, &miss) || len(miss.Diff) != 5 || miss.Diff[4] != "and 76 more" {
		t.Fatalf("diff %q", miss.Diff)
	}
}

// Concurrent samples through one recorder write whole lines, each once;
// concurrent replays of one request recorded n times hand out each answer
// once.
func TestConcurrentRecordAndReplay(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.jsonl")
	rec, err := replay.Record(path)
	if err != nil {
		t.Fatal(err)
	}
	const n = 64
	live := rec.Wrap(&model{})
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			if _, err := live.CreateMessage(context.Background(), requests()["base"]); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	replayed, err := replay.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	seen := map[string]int{}
	for range n {
		wg.Go(func() {
			res, err := replayed.CreateMessage(context.Background(), requests()["base"])
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			seen[res.Content[0].(*mcp.TextContent).Text]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if len(seen) != n {
		t.Errorf("%d distinct answers replayed, want %d: %v", len(seen), n, seen)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v (%v), want 0600: prompts may be private", info.Mode().Perm(), err)
	}
}

// Record appends to a file that ends cleanly, and refuses one whose last
// line was cut short.
func TestRecordAppends(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.jsonl")
	for range 2 {
		rec, err := replay.Record(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := rec.Wrap(&model{}).CreateMessage(context.Background(), requests()["base"]); err != nil {
			t.Fatal(err)
		}
		if err := rec.Close(); err != nil {
			t.Fatal(err)
		}
	}
	replayed, err := replay.Open(path)
	if err != nil || replayed.Remaining() != 2 {
		t.Fatalf("after two recordings: %v, %d exchanges", err, replayed.Remaining())
	}
	b, _ := os.ReadFile(path)
	if err := os.WriteFile(path, b[:len(b)-20], 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := replay.Record(path); !errors.Is(err, replay.ErrCutShort) || !strings.Contains(err.Error(), "delete its last line") {
		t.Errorf("Record on a cut-short file: %v", err)
	}
}

// A write that fails does not fail the sample, and is reported.
func TestRecordWriteFailure(t *testing.T) {
	rec := replay.NewRecorder(failingWriter{}, "full.jsonl")
	res, err := rec.Wrap(&model{}).CreateMessage(context.Background(), requests()["base"])
	if err != nil || textOf(t, res) != "answer 1" {
		t.Fatalf("the answer was not passed on: %v %v", res, err)
	}
	if err := rec.Close(); err == nil || !strings.Contains(err.Error(), "not recorded to full.jsonl: no space left") {
		t.Errorf("Close: %v", err)
	}
	rec = replay.NewRecorder(&bytes.Buffer{}, "closed.jsonl")
	_ = rec.Close()
	if _, err := rec.Wrap(&model{}).CreateMessage(context.Background(), requests()["base"]); err != nil {
		t.Fatal(err)
	}
	if err := rec.Err(); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("Err after a sample past Close: %v", err)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

func TestOpenMissingFile(t *testing.T) {
	_, err := replay.Open(filepath.Join(t.TempDir(), "none.jsonl"))
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "record it first") {
		t.Errorf("got %v", err)
	}
}
