package aimock_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/samplegen/samplegen/internal/aimock"
	"go.uber.org/goleak"
)

// The harness leaves no goroutine behind once its servers are closed.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// chat posts one OpenAI chat completion with the user's text and returns the
// status, the Retry-After header and the answer's text.
func chat(t *testing.T, c *http.Client, srv *aimock.Server, text string) (int, string, string) {
	t.Helper()
	body := `{"model":"gpt-test","temperature":0,"messages":[{"role":"user","content":` + quote(text) + `}]}`
	resp, err := c.Post(srv.URL+"/v1/chat/completions", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out struct {
		Choices []struct {
			Message struct {
				Content string `json:"content"`
			} `json:"message"`
		} `json:"choices"`
	}
	_ = json.Unmarshal(b, &out)
	answer := ""
	if len(out.Choices) > 0 {
		answer = out.Choices[0].Message.Content
	}
	return resp.StatusCode, resp.Header.Get("Retry-After"), answer
}

func quote(s string) string { b, _ := json.Marshal(s); return string(b) }

// A server serves its fixtures, counts sequences per test ID, and journals
// what arrived, body and all.
func TestServesFixturesAndJournals(t *testing.T) {
	srv := aimock.Start(t, aimock.Options{Fixtures: "testdata/fixtures.json"})
	if srv.Version != "1.43.0" {
		t.Errorf("Version = %q, want the pinned 1.43.0", srv.Version)
	}
	a, b := srv.Client(t, "a"), srv.Client(t, "b")

	for _, step := range []struct {
		c    *http.Client
		want string
	}{{a, "first"}, {a, "second"}, {b, "first"}} {
		if status, _, got := chat(t, step.c, srv, "please count me"); status != 200 || got != step.want {
			t.Errorf("answer = %d %q, want 200 %q", status, got, step.want)
		}
	}
	status, retryAfter, _ := chat(t, a, srv, "throttle me")
	if status != 429 || retryAfter != "7" {
		t.Errorf("throttle = %d with Retry-After %q, want 429 with 7", status, retryAfter)
	}

	entries := srv.Journal(t, aimock.Filter{Path: "/v1/chat/completions", TestID: "a"})
	if len(entries) != 3 {
		t.Fatalf("journal for a has %d entries, want 3", len(entries))
	}
	var body struct {
		Model       string   `json:"model"`
		Temperature *float64 `json:"temperature"`
	}
	if err := entries[0].Decode(&body); err != nil {
		t.Fatal(err)
	}
	if body.Model != "gpt-test" || body.Temperature == nil || *body.Temperature != 0 {
		t.Errorf("journaled body = %+v, want model gpt-test and temperature 0", body)
	}
	if entries[0].Headers["x-test-id"] != "a" || entries[2].Response.Status != 429 {
		t.Errorf("journal entries = %+v", entries)
	}
	if got := srv.Journal(t, aimock.Filter{TestID: "b", Status: 200}); len(got) != 1 {
		t.Errorf("journal for b has %d answered entries, want 1", len(got))
	}

	srv.ResetJournal(t)
	if got := srv.Journal(t, aimock.Filter{}); len(got) != 0 {
		t.Errorf("journal after ResetJournal has %d entries", len(got))
	}
	if _, _, got := chat(t, srv.Client(t, "c"), srv, "count me"); got != "first" {
		t.Errorf("a new test ID's sequence answers %q, want first", got)
	}
	if got := srv.Journal(t, aimock.Filter{}); len(got) != 1 {
		t.Errorf("journal after one more request has %d entries, want 1", len(got))
	}
	if err := srv.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := srv.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// A server that cannot start says why, with aimock's own words, and leaves
// no process behind.
func TestStartFailsClearly(t *testing.T) {
	_, err := aimock.StartServer(context.Background(), aimock.Options{Fixtures: "testdata/no-such-fixtures"})
	var missing *aimock.MissingError
	if errors.As(err, &missing) {
		if aimock.InCI() {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	if err == nil || !strings.Contains(err.Error(), "exited before listening") || !strings.Contains(err.Error(), "no-such-fixtures") {
		t.Errorf("StartServer with missing fixtures: %v", err)
	}
	for _, opts := range []aimock.Options{{}, {Fixtures: "x", Config: "y"}} {
		if _, err := aimock.StartServer(context.Background(), opts); err == nil || !strings.Contains(err.Error(), "exactly one") {
			t.Errorf("StartServer(%+v) = %v, want a complaint about Fixtures and Config", opts, err)
		}
	}
}

// A config file runs the full suite's command.
func TestStartsFromConfig(t *testing.T) {
	srv := aimock.Start(t, aimock.Options{Config: "testdata/aimock.json"})
	if status, _, got := chat(t, srv.Client(t, t.Name()), srv, "count me"); status != 200 || got != "first" {
		t.Errorf("answer = %d %q, want 200 first", status, got)
	}
}

// Where the config checks keys, the harness's own calls carry Options.APIKey
// and the server still starts; a request without a key is turned away.
func TestStartsWithKeyCheck(t *testing.T) {
	srv := aimock.Start(t, aimock.Options{Config: "testdata/aimock-auth.json", APIKey: "sk-aimock-harness"})
	if status, _, _ := chat(t, srv.Client(t, t.Name()), srv, "count me"); status != http.StatusUnauthorized {
		t.Errorf("a request without a key answered %d, want 401", status)
	}
	// aimock journals no request it turned away; reading the journal at all
	// shows the harness's key was let in.
	if got := srv.Journal(t, aimock.Filter{}); len(got) != 0 {
		t.Errorf("journal = %+v, want nothing", got)
	}
}

// Tests that ask for the same options share one server and keep apart by
// TestID, which is stable within a test and new for every test, even one
// of the same name (-count=N); the one goroutine a server keeps is the one
// ServerGoroutine names.
func TestShared(t *testing.T) {
	before := goleak.IgnoreCurrent()
	opts := aimock.Options{Fixtures: "testdata/fixtures.json"}
	srv := aimock.Shared(t, opts)
	t.Cleanup(func() {
		if err := aimock.CloseShared(); err != nil {
			t.Errorf("CloseShared: %v", err)
		}
	})
	if again := aimock.Shared(t, opts); again != srv {
		t.Errorf("Shared started a second server (%s) for the same options as %s", again.URL, srv.URL)
	}
	if err := goleak.Find(before, goleak.IgnoreAnyFunction(aimock.ServerGoroutine)); err != nil {
		t.Errorf("a running server keeps goroutines besides ServerGoroutine: %v", err)
	}
	if err := goleak.Find(before); err == nil {
		t.Errorf("no goroutine runs %s: ServerGoroutine names none", aimock.ServerGoroutine)
	}

	first, again := &renamed{TB: t, name: "TestAgain"}, &renamed{TB: t, name: "TestAgain"}
	id := aimock.TestID(first)
	if aimock.TestID(first) != id || !strings.HasPrefix(id, "TestAgain#") {
		t.Errorf("TestID = %q then %q, want one ID that names the test", id, aimock.TestID(first))
	}
	if other := aimock.TestID(again); other == id {
		t.Errorf("two runs of TestAgain share the test ID %q", id)
	}
	// Each run counts its own sequence on the shared server.
	for _, run := range []testing.TB{first, again} {
		if _, _, got := chat(t, srv.Client(t, aimock.TestID(run)), srv, "count me"); got != "first" {
			t.Errorf("run %s answered %q, want its own first", aimock.TestID(run), got)
		}
		if got := srv.Journal(t, aimock.Filter{TestID: aimock.TestID(run)}); len(got) != 1 {
			t.Errorf("journal for %s has %d entries, want 1", aimock.TestID(run), len(got))
		}
	}
}

// renamed is a test under another name, as a second run of a test is.
type renamed struct {
	testing.TB
	name string
}

func (r *renamed) Name() string { return r.name }
