package provider

// What the adapters' tests share. They run against aimock, one server per
// fixture set for the whole test binary (aimock.Shared): each test marks
// its requests with its own test ID (aimock.TestID), so that aimock counts
// fixtures' sequences for it alone and its journal holds its requests
// only, and most tests run in parallel. aimock journals each request as
// it understood it; a wireTap in the HTTP client keeps the exact headers
// and body each request carried, for what the journal leaves out.
//
// No test may leave a goroutine behind. The tests share servers and run in
// parallel, so that is checked once for all of them, in TestMain, while
// the servers still run (a request left in flight holds its goroutine only
// as long as the server holds the answer), and again once they are
// stopped.

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/internal/aimock"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	// The tests wait on aimock (Retry-After, backoff, timeouts) far more
	// than they compute: let them wait together, whatever the number of
	// CPUs, unless -parallel says otherwise.
	flag.Parse()
	parallelSet := false
	flag.Visit(func(f *flag.Flag) { parallelSet = parallelSet || f.Name == "test.parallel" })
	if !parallelSet {
		_ = flag.Set("test.parallel", "16")
	}
	code := m.Run()
	if code == 0 {
		if err := goleak.Find(goleak.IgnoreAnyFunction(aimock.ServerGoroutine)); err != nil {
			fmt.Fprintf(os.Stderr, "the tests left goroutines behind: %v\n", err)
			code = 1
		}
	}
	if err := aimock.CloseShared(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
	}
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintf(os.Stderr, "aimock's servers left goroutines behind: %v\n", err)
			code = 1
		}
	}
	os.Exit(code)
}

// The fixture sets, each served by one aimock for the whole binary.
var (
	openAIFixtures    = aimock.Options{Fixtures: "testdata/openai/fixtures"}
	anthropicFixtures = aimock.Options{Fixtures: "testdata/anthropic"}
	// openAIKeyCheck is the OpenAI fixtures behind aimock's key check.
	openAIKeyCheck = aimock.Options{Config: "testdata/openai/aimock-auth.json", APIKey: rightKey}
)

// rightKey is the one key openAIKeyCheck lets in.
const rightKey = "sk-aimock-the-right-key"

// clientFor returns an HTTP client whose requests to srv carry t's test ID.
func clientFor(t *testing.T, srv *aimock.Server) *http.Client {
	return srv.Client(t, aimock.TestID(t))
}

// journalOf returns what srv journaled of t's requests to path, oldest
// first.
func journalOf(t *testing.T, srv *aimock.Server, path string) []aimock.Entry {
	t.Helper()
	return srv.Journal(t, aimock.Filter{Path: path, TestID: aimock.TestID(t)})
}

func statuses(entries []aimock.Entry) []int {
	var s []int
	for _, e := range entries {
		s = append(s, e.Response.Status)
	}
	return s
}

// checkWaitedOut checks that entries are a rate limit and then the answer,
// wait or more after it: the proof that a Retry-After of wait was honoured,
// since the SDKs' own first backoff is half a second. (A lower bound only:
// a slow machine makes the gap longer, never shorter; aimock's timestamps
// are whole milliseconds, hence the 50ms.)
func checkWaitedOut(t *testing.T, entries []aimock.Entry, wait time.Duration) {
	t.Helper()
	if got := statuses(entries); !reflect.DeepEqual(got, []int{429, 200}) {
		t.Fatalf("aimock answered %v, want 429 then 200", got)
	}
	if gap := time.Duration(entries[1].Timestamp-entries[0].Timestamp) * time.Millisecond; gap < wait-50*time.Millisecond {
		t.Errorf("the retry came %v after the 429, before its Retry-After of %v", gap, wait)
	}
}

// A wireTap records the headers and body of each request it passes on.
type wireTap struct {
	next http.RoundTripper
	sent chan struct{} // a token for each request handed on, while there is room

	mu       sync.Mutex
	requests []tapped
}

type tapped struct {
	header http.Header
	body   map[string]any
}

func newWireTap(next http.RoundTripper) *wireTap {
	return &wireTap{next: next, sent: make(chan struct{}, 16)}
}

func (w *wireTap) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := tapped{header: req.Header.Clone()}
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(body)
		body.Close()
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(b, &rec.body); err != nil {
			return nil, err
		}
	}
	w.mu.Lock()
	w.requests = append(w.requests, rec)
	w.mu.Unlock()
	select {
	case w.sent <- struct{}{}:
	default:
	}
	return w.next.RoundTrip(req)
}

func (w *wireTap) all() []tapped {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.requests)
}

// last returns the body of the last request, failing t if there was none.
func (w *wireTap) last(t *testing.T) map[string]any {
	t.Helper()
	all := w.all()
	if len(all) == 0 {
		t.Fatal("no request went on the wire")
	}
	return all[len(all)-1].body
}

// authorizations returns each request's Authorization header: aimock's
// journal shows credentials as [REDACTED].
func (w *wireTap) authorizations() []string {
	var auth []string
	for _, r := range w.all() {
		auth = append(auth, r.header.Get("Authorization"))
	}
	return auth
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// failRoundTrip fails the test for any request that reaches it.
type failRoundTrip struct{ t *testing.T }

func (f failRoundTrip) RoundTrip(req *http.Request) (*http.Response, error) {
	f.t.Errorf("a request went on the wire: %s %s", req.Method, req.URL)
	return nil, errors.New("no request may be sent")
}

func userText(text string) *mcp.SamplingMessageV2 {
	return &mcp.SamplingMessageV2{Role: "user", Content: []mcp.Content{&mcp.TextContent{Text: text}}}
}

// ask is a request of one user message, with room for a short answer.
func ask(text string) *mcp.CreateMessageWithToolsParams {
	return &mcp.CreateMessageWithToolsParams{Messages: []*mcp.SamplingMessageV2{userText(text)}, MaxTokens: 64}
}

// answerText is the text of a result's text content.
func answerText(res *mcp.CreateMessageWithToolsResult) string {
	var b strings.Builder
	for _, c := range res.Content {
		if t, ok := c.(*mcp.TextContent); ok {
			b.WriteString(t.Text)
		}
	}
	return b.String()
}

// sameJSON compares two values as JSON.
func sameJSON(t *testing.T, what string, got, want any) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	var gv, wv any
	_ = json.Unmarshal(g, &gv)
	_ = json.Unmarshal(w, &wv)
	if !reflect.DeepEqual(gv, wv) {
		t.Errorf("%s =\n\t%s\nwant\n\t%s", what, g, w)
	}
}

func errText(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

var weatherTool = &mcp.Tool{
	Name:        "get_weather",
	Description: "The weather in a city.",
	InputSchema: map[string]any{
		"type":                 "object",
		"properties":           map[string]any{"city": map[string]any{"type": "string"}},
		"required":             []any{"city"},
		"additionalProperties": false,
	},
}
