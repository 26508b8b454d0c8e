package samplegentest_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/samplegentest"
	"github.com/samplegen/samplegen/sampling"
)

func ask(t *testing.T, s sampling.Sampler, prompt string) (*mcp.CreateMessageWithToolsResult, error) {
	t.Helper()
	return s.CreateMessage(context.Background(), &mcp.CreateMessageWithToolsParams{
		MaxTokens: 10,
		Messages:  []*mcp.SamplingMessageV2{{Role: "user", Content: []mcp.Content{&mcp.TextContent{Text: prompt}}}},
	})
}

func textOf(res *mcp.CreateMessageWithToolsResult) string {
	if res == nil || len(res.Content) != 1 {
		return ""
	}
	if c, ok := res.Content[0].(*mcp.TextContent); ok {
		return c.Text
	}
	return ""
}

func TestScriptAnswersInOrderAndRecords(t *testing.T) {
	s := samplegentest.Answers("one", "two").Truncated("thr").Refuse("no thanks").Throttle("busy", 2*time.Second).Fail(errors.New("backend down"))
	for i, want := range []string{"one", "two", "thr"} {
		res, err := ask(t, s, "q"+want)
		if err != nil || textOf(res) != want || res.Model != samplegentest.ScriptModel {
			t.Fatalf("ask %d: %v %+v, want %q", i+1, err, res, want)
		}
		if wantStop := map[bool]string{true: "maxTokens", false: "endTurn"}[want == "thr"]; res.StopReason != wantStop {
			t.Errorf("ask %d: stop reason %q, want %q", i+1, res.StopReason, wantStop)
		}
	}
	_, err := ask(t, s, "q4")
	var refusal *sampling.RefusalError
	if !errors.As(err, &refusal) || refusal.Reason != "no thanks" || refusal.RetryAfter != 0 {
		t.Errorf("ask 4: %v, want the refusal", err)
	}
	_, err = ask(t, s, "q5")
	if !errors.As(err, &refusal) || refusal.RetryAfter != 2*time.Second {
		t.Errorf("ask 5: %v, want a throttle of 2s", err)
	}
	_, err = ask(t, s, "q6")
	if err == nil || err.Error() != "backend down" || errors.Is(err, sampling.ErrRefused) {
		t.Errorf("ask 6: %v, want the failure", err)
	}
	reqs := s.Requests()
	if len(reqs) != 6 {
		t.Fatalf("%d requests recorded, want 6", len(reqs))
	}
	for i, want := range []string{"qone", "qtwo", "qthr", "q4", "q5", "q6"} {
		if got := reqs[i].Messages[0].Content[0].(*mcp.TextContent).Text; got != want {
			t.Errorf("request %d = %q, want %q", i+1, got, want)
		}
	}
	if s.Left() != 0 {
		t.Errorf("Left = %d, want 0", s.Left())
	}
}

func TestScriptRunOutSaysHowManyAsks(t *testing.T) {
	s := samplegentest.Answers("a", "b")
	for range 2 {
		if _, err := ask(t, s, "x"); err != nil {
			t.Fatal(err)
		}
	}
	_, err := ask(t, s, "x")
	if !errors.Is(err, samplegentest.ErrScriptRanOut) || !strings.Contains(err.Error(), "ask 3") || !strings.Contains(err.Error(), "holds 2 answers") {
		t.Errorf("run-out error = %v", err)
	}
	_, err = ask(t, samplegentest.Answers(), "x")
	if !strings.Contains(fmtErr(err), "ask 1 and the script holds 0 answers") {
		t.Errorf("empty script error = %v", err)
	}
}

func fmtErr(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// Concurrent asks each get one step, none twice.
func TestScriptIsSafeForConcurrentAsks(t *testing.T) {
	texts := make([]string, 50)
	for i := range texts {
		texts[i] = string(rune('A' + i))
	}
	s := samplegentest.Answers(texts...)
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for range len(texts) {
		wg.Go(func() {
			res, err := ask(t, s, "x")
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			seen[textOf(res)]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if len(seen) != len(texts) || len(s.Requests()) != len(texts) {
		t.Errorf("%d distinct answers over %d requests, want %d", len(seen), len(s.Requests()), len(texts))
	}
}

// ExpectAllUsed fails a test that asked less, or more, than scripted.
func TestScriptExpectAllUsed(t *testing.T) {
	for _, tc := range []struct {
		asks int
		fail bool
	}{{1, true}, {2, false}, {3, true}} {
		rec := &recorder{TB: t}
		func() {
			defer rec.cleanup()
			s := samplegentest.Answers("a", "b").ExpectAllUsed(rec)
			for range tc.asks {
				_, _ = ask(t, s, "x")
			}
		}()
		if rec.failed != tc.fail {
			t.Errorf("%d asks of 2 steps: failed %v, want %v (%q)", tc.asks, rec.failed, tc.fail, rec.msg)
		}
	}
}

// recorder is a testing.TB whose failures and cleanups the test reads.
type recorder struct {
	testing.TB
	failed   bool
	msg      string
	cleanups []func()
}

func (r *recorder) Helper()          {}
func (r *recorder) Cleanup(f func()) { r.cleanups = append(r.cleanups, f) }
func (r *recorder) Errorf(f string, a ...any) {
	r.failed = true
	r.msg += fmt.Sprintf(f, a...) + "\n"
}
func (r *recorder) Fatalf(f string, a ...any) {
	r.Errorf(f, a...)
	panic(r)
}

func (r *recorder) cleanup() {
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		r.cleanups[i]()
	}
}

// run runs f as a test body on r, as testing does: a Fatalf ends it, and
// the cleanups run after.
func (r *recorder) run(f func()) {
	defer r.cleanup()
	defer func() {
		if v := recover(); v != nil && v != r {
			panic(v)
		}
	}()
	f()
}
