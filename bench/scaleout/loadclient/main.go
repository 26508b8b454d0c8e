// Command loadclient is the load generator of bench/scaleout: it makes many
// concurrent calls of analyze_sentiment through a load balancer in front of
// samplegen replicas, and checks that every call gets its own right answer.
// It speaks either protocol era:
//
//   - -protocol 2026-07-28 (the default), multi round-trip, for stateless
//     replicas behind a balancer with no affinity: the server returns each
//     sampling request as an input request, and the client calls again with
//     the answer, so one call's round trips may reach different replicas.
//   - -protocol 2025-11-25, push, for stateful replicas behind a balancer
//     with affinity on Mcp-Session-Id: the server pushes
//     sampling/createMessage down the tools/call response stream and the
//     client POSTs its answer back, which only the replica that asked can
//     take, so every request of a session must reach the replica that made
//     the session.
//
// Each call is a go-sdk client of its own with a scripted sampling handler,
// and a distinct text, "scale-out call NNNN ...". The handler answers from
// what the request says, not from which client it is: to the first ask (one
// message) an answer whose confidence is out of range, so the server must
// re-ask; to the re-ask the valid verdict of call NNNN, a sentiment and a
// confidence that only that call has. A request or an answer delivered to the
// wrong call therefore shows up as a wrong result, and a sampling request
// that names another call is counted as misrouted. On 2026-07-28 a call
// takes three round trips (ask, re-ask, result); on 2025-11-25 one tools/call
// carrying two pushed sampling requests and their two answers.
//
// The balancer is expected to name the replica that served each request in
// an X-Upstream response header (nginx: add_header X-Upstream
// $upstream_addr always). On 2026-07-28 the client counts tools/call requests
// per replica, and the calls whose round trips were served by more than one
// replica, which only a server that needs no sticky sessions can get right.
// On 2025-11-25 it counts sessions and tools/call requests per replica, notes
// which replica's response stream carried each sampling request, and checks
// that the POST carrying its answer was served by that same replica (a
// misrouted answer), and that every request of a session (the
// notifications/initialized, the GET stream, tools/call, the answers, the
// closing DELETE) reached the replica that answered its initialize.
//
// Usage:
//
//	loadclient -url http://127.0.0.1:PORT/mcp [-calls 200] [-timeout 2m] [-protocol 2026-07-28|2025-11-25]
//
// It prints the figures and exits 1 if any call failed or got a wrong
// answer, if a request or an answer was misrouted, or if the calls did not
// reach at least two replicas (on 2026-07-28: with some call spanning them).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"math"
	"net/http"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

const (
	// The protocol eras -protocol selects.
	mrtrEra = "2026-07-28"
	pushEra = "2025-11-25"

	toolName = "analyze_sentiment"
	// upstreamHeader is the response header in which the balancer names the
	// replica that served a request.
	upstreamHeader = "X-Upstream"
)

var sentiments = []string{"positive", "negative", "neutral"}

// want is the verdict the scripted model gives call n, and so its result.
func want(n int) (sentiment string, confidence float64) {
	return sentiments[n%len(sentiments)], float64(n+1) / 1000
}

// text is call n's input.
func text(n int) string {
	return fmt.Sprintf("scale-out call %04d: this text belongs to call %d alone", n, n)
}

var callID = regexp.MustCompile(`scale-out call ([0-9]{4})`)

func main() {
	url := flag.String("url", "", "Streamable HTTP URL of the load balancer (required)")
	calls := flag.Int("calls", 200, "number of concurrent tool calls (at most 999)")
	timeout := flag.Duration("timeout", 2*time.Minute, "deadline for the whole run")
	protocol := flag.String("protocol", mrtrEra, "protocol version: "+mrtrEra+" (multi round-trip, stateless replicas) or "+pushEra+" (pushed sampling, stateful replicas with session affinity)")
	flag.Parse()
	if *url == "" || *calls < 1 || *calls > 999 || (*protocol != mrtrEra && *protocol != pushEra) {
		flag.Usage()
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	if ok := run(ctx, *url, *calls, *protocol == pushEra); !ok {
		os.Exit(1)
	}
}

// stats collects what the calls saw.
type stats struct {
	mu          sync.Mutex
	latencies   []time.Duration
	failures    []string
	misrouted   int
	perReplica  map[string]int // tools/call requests each replica served
	spanning    int            // calls whose tools/call requests reached more than one replica
	unlabelled  int            // responses without the balancer's header
	roundTrips  int            // tools/call requests, all calls
	sampleAsked int            // sampling requests answered, all calls

	// Push era only.
	sessions         map[string]int // sessions each replica made (served their initialize)
	answers          int            // POSTs carrying an answer to a sampling request
	answerMisrouted  int            // answers served by another replica than the one whose stream asked
	sessionMisrouted int            // requests of a session served by another replica than the one that made it
}

func (s *stats) fail(n int, format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, fmt.Sprintf("call %04d: ", n)+fmt.Sprintf(format, args...))
}

func run(ctx context.Context, url string, calls int, push bool) bool {
	st := &stats{perReplica: map[string]int{}, sessions: map[string]int{}}
	// One pool of connections to the balancer for all calls, as many as
	// there are calls, so that the run measures the servers, not dialing.
	base := http.DefaultTransport.(*http.Transport).Clone()
	base.MaxIdleConns = calls * 2
	base.MaxIdleConnsPerHost = calls * 2

	start := make(chan struct{})
	var wg sync.WaitGroup
	for n := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if push {
				oneCallPush(ctx, url, n, base, st, start)
			} else {
				oneCall(ctx, url, n, base, st, start)
			}
		}()
	}
	began := time.Now()
	close(start)
	wg.Wait()
	wall := time.Since(began)

	st.mu.Lock()
	defer st.mu.Unlock()
	ok := len(st.failures) == 0 && st.misrouted == 0
	slices.Sort(st.latencies)
	// Latencies are of the tool calls that succeeded, all round trips included.
	fmt.Printf("scale-out: %d calls, %d failures, p50 %s, p99 %s, max %s, wall %s\n",
		calls, len(st.failures), pct(st.latencies, 50), pct(st.latencies, 99), pct(st.latencies, 100), wall.Round(time.Millisecond))
	if push {
		fmt.Printf("protocol %s (pushed sampling, one session per call)\n", pushEra)
		fmt.Printf("tools/call requests: %d; sampling requests answered: %d; sampling requests naming another call: %d\n",
			st.roundTrips, st.sampleAsked, st.misrouted)
		fmt.Printf("answers POSTed: %d; misrouted answers (served by another replica than the one that asked): %d\n",
			st.answers, st.answerMisrouted)
		fmt.Printf("requests of a session served by another replica than the one that made it: %d\n", st.sessionMisrouted)
	} else {
		fmt.Printf("protocol %s (multi round-trip)\n", mrtrEra)
		fmt.Printf("round trips (tools/call requests): %d; sampling requests answered: %d; misrouted sampling requests: %d\n",
			st.roundTrips, st.sampleAsked, st.misrouted)
	}
	replicas := make([]string, 0, len(st.perReplica))
	for r := range st.perReplica {
		replicas = append(replicas, r)
	}
	sort.Strings(replicas)
	for _, r := range replicas {
		if push {
			fmt.Printf("replica %s: made %d sessions, served %d tools/call requests\n", r, st.sessions[r], st.perReplica[r])
		} else {
			fmt.Printf("replica %s: served %d tools/call requests\n", r, st.perReplica[r])
		}
	}
	if push {
		ok = ok && st.answerMisrouted == 0 && st.sessionMisrouted == 0
	} else {
		fmt.Printf("calls whose round trips spanned replicas: %d of %d\n", st.spanning, calls)
	}
	for i, f := range st.failures {
		if i == 20 {
			fmt.Printf("... and %d more failures\n", len(st.failures)-i)
			break
		}
		fmt.Println("FAIL", f)
	}
	if st.unlabelled > 0 {
		fmt.Printf("FAIL %d responses had no %s header: is the balancer configured to add it?\n", st.unlabelled, upstreamHeader)
		ok = false
	}
	if len(replicas) < 2 {
		fmt.Printf("FAIL the calls reached %d replica(s), want at least 2\n", len(replicas))
		ok = false
	}
	if !push && st.spanning == 0 {
		fmt.Println("FAIL no call had its round trips served by more than one replica")
		ok = false
	}
	if push && st.answerMisrouted+st.sessionMisrouted > 0 {
		fmt.Printf("FAIL %d answers and %d requests of a session reached a replica other than the one that asked or made the session: is the balancer's affinity on Mcp-Session-Id right?\n",
			st.answerMisrouted, st.sessionMisrouted)
	}
	return ok
}

// pct returns the p-th percentile (nearest rank) of sorted durations.
func pct(sorted []time.Duration, p float64) string {
	if len(sorted) == 0 {
		return "n/a"
	}
	i := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	i = max(0, min(i, len(sorted)-1))
	return sorted[i].Round(10 * time.Microsecond).String()
}

// scripted is call n's model: it answers every sampling request from the
// call number in its prompt, out of range to the first ask and with call
// NNNN's own verdict to the re-ask, and counts in asked the requests it
// answered, in st.misrouted those that name another call.
func scripted(n int, st *stats, asked *atomic.Int32) func(context.Context, *mcp.CreateMessageRequest) (*mcp.CreateMessageResult, error) {
	return func(_ context.Context, req *mcp.CreateMessageRequest) (*mcp.CreateMessageResult, error) {
		asked.Add(1)
		// Which call the request is about, from the prompt it carries.
		if len(req.Params.Messages) == 0 {
			return nil, errors.New("scripted model: a sampling request without messages")
		}
		tc, _ := req.Params.Messages[0].Content.(*mcp.TextContent)
		if tc == nil {
			return nil, errors.New("scripted model: the first message has no text")
		}
		m := callID.FindStringSubmatch(tc.Text)
		if m == nil {
			return nil, fmt.Errorf("scripted model: no call number in the prompt %q", tc.Text)
		}
		about, _ := strconv.Atoi(m[1])
		if about != n {
			st.mu.Lock()
			st.misrouted++
			st.mu.Unlock()
		}
		sentiment, confidence := want(about)
		answer := fmt.Sprintf(`{"sentiment": %q, "confidence": %g}`, sentiment, confidence)
		if len(req.Params.Messages) == 1 {
			// The first ask: out of range, so the server re-asks.
			answer = fmt.Sprintf(`{"sentiment": %q, "confidence": %g}`, sentiment, 1+confidence)
		}
		return &mcp.CreateMessageResult{
			Role:       "assistant",
			Content:    &mcp.TextContent{Text: answer},
			Model:      "scripted-scaleout",
			StopReason: "endTurn",
		}, nil
	}
}

// oneCall makes call n with a client of its own, once start is closed, on
// the multi round-trip era.
func oneCall(ctx context.Context, url string, n int, base http.RoundTripper, st *stats, start <-chan struct{}) {
	tap := &tap{next: base, replicas: map[string]int{}}
	var asked atomic.Int32
	handler := scripted(n, st, &asked)
	client := mcp.NewClient(
		&mcp.Implementation{Name: "samplegen-scaleout", Version: "0.0.0"},
		&mcp.ClientOptions{CreateMessageHandler: handler},
	)
	<-start
	cs, err := client.Connect(ctx, &mcp.StreamableClientTransport{
		Endpoint:   url,
		HTTPClient: &http.Client{Transport: tap},
		// A stateless server cannot push; there is no stream to open.
		DisableStandaloneSSE: true,
	}, nil)
	if err != nil {
		st.fail(n, "connect: %v", err)
		return
	}
	defer cs.Close()
	if v := cs.InitializeResult().ProtocolVersion; v < "2026-07-28" {
		st.fail(n, "negotiated protocol %s, want 2026-07-28 (multi round-trip)", v)
		return
	}

	tap.reset() // count the round trips of the call, not of the connection
	began := time.Now()
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: toolName, Arguments: map[string]any{"text": text(n)}})
	took := time.Since(began)

	calls, replicas, unlabelled := tap.summary()
	st.mu.Lock()
	st.roundTrips += calls
	st.sampleAsked += int(asked.Load())
	st.unlabelled += unlabelled
	for r, c := range replicas {
		st.perReplica[r] += c
	}
	if len(replicas) > 1 {
		st.spanning++
	}
	st.mu.Unlock()

	if err != nil {
		st.fail(n, "CallTool: %v", err)
		return
	}
	if err := check(n, res); err != nil {
		st.fail(n, "%v", err)
		return
	}
	if calls != 3 || asked.Load() != 2 {
		st.fail(n, "%d round trips and %d sampling requests, want 3 and 2 (ask, re-ask, result)", calls, asked.Load())
		return
	}
	st.mu.Lock()
	st.latencies = append(st.latencies, took)
	st.mu.Unlock()
}

// check compares call n's result with the verdict only call n was given.
func check(n int, res *mcp.CallToolResult) error {
	if res.IsError {
		var msg []string
		for _, c := range res.Content {
			if t, ok := c.(*mcp.TextContent); ok {
				msg = append(msg, t.Text)
			}
		}
		return fmt.Errorf("tool error: %s", strings.Join(msg, "; "))
	}
	b, err := json.Marshal(res.StructuredContent)
	if err != nil {
		return err
	}
	var got struct {
		Sentiment  string  `json:"sentiment"`
		Confidence float64 `json:"confidence"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		return fmt.Errorf("structuredContent %s: %v", b, err)
	}
	sentiment, confidence := want(n)
	if got.Sentiment != sentiment || got.Confidence != confidence {
		return fmt.Errorf("result %s, want {sentiment %s, confidence %g}: another call's answer", b, sentiment, confidence)
	}
	return nil
}

// tap counts one client's tools/call requests and the replicas that served
// its requests, by the balancer's response header.
type tap struct {
	next       http.RoundTripper
	mu         sync.Mutex
	calls      int
	replicas   map[string]int
	unlabelled int
}

func (t *tap) RoundTrip(req *http.Request) (*http.Response, error) {
	// go-sdk names the method of each POST in the Mcp-Method header
	// (2026-07-28); no need to read the body.
	isCall := req.Method == http.MethodPost && req.Header.Get("Mcp-Method") == "tools/call"
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if !isCall {
		return resp, err
	}
	t.calls++
	if r := resp.Header.Get(upstreamHeader); r != "" {
		t.replicas[r]++
	} else {
		t.unlabelled++
	}
	return resp, err
}

func (t *tap) reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.calls, t.unlabelled = 0, 0
	clear(t.replicas)
}

func (t *tap) summary() (calls int, replicas map[string]int, unlabelled int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.calls, maps.Clone(t.replicas), t.unlabelled
}

// oneCallPush makes call n on the push era: a session of its own, pinned to
// 2025-11-25, whose one tools/call carries the pushed sampling requests.
func oneCallPush(ctx context.Context, url string, n int, base http.RoundTripper, st *stats, start <-chan struct{}) {
	tap := &sessionTap{next: base, askedBy: map[string]string{}}
	var asked atomic.Int32
	client := mcp.NewClient(
		&mcp.Implementation{Name: "samplegen-scaleout", Version: "0.0.0"},
		&mcp.ClientOptions{CreateMessageHandler: scripted(n, st, &asked)},
	)
	<-start
	cs, err := client.Connect(ctx, &mcp.StreamableClientTransport{
		Endpoint:   url,
		HTTPClient: &http.Client{Transport: tap},
		// A request the balancer sends to a replica that does not hold the
		// session gets 404; fail on it rather than retry past it.
		MaxRetries: -1,
	}, &mcp.ClientSessionOptions{ProtocolVersion: pushEra})
	if err != nil {
		st.fail(n, "connect: %v", err)
		tap.record(st)
		return
	}
	if v := cs.InitializeResult().ProtocolVersion; v != pushEra {
		cs.Close()
		st.fail(n, "negotiated protocol %s, want %s (pushed sampling)", v, pushEra)
		tap.record(st)
		return
	}

	began := time.Now()
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: toolName, Arguments: map[string]any{"text": text(n)}})
	took := time.Since(began)
	// Close sends the session's DELETE, which must reach its replica too.
	closeErr := cs.Close()
	calls, answers := tap.record(st)
	st.mu.Lock()
	st.sampleAsked += int(asked.Load())
	st.mu.Unlock()

	if err != nil {
		st.fail(n, "CallTool: %v", err)
		return
	}
	if err := check(n, res); err != nil {
		st.fail(n, "%v", err)
		return
	}
	if calls != 1 || asked.Load() != 2 || answers != 2 {
		st.fail(n, "%d tools/call requests, %d sampling requests and %d answers POSTed, want 1, 2 and 2 (one call, ask and re-ask pushed)", calls, asked.Load(), answers)
		return
	}
	if closeErr != nil {
		st.fail(n, "closing the session: %v", closeErr)
		return
	}
	st.mu.Lock()
	st.latencies = append(st.latencies, took)
	st.mu.Unlock()
}

// sessionTap follows one push-era session through the balancer, by the
// replica each response names: the replica that served initialize made the
// session, and every later request must reach it; each sampling request the
// client reads from a response stream must be answered by a POST that the
// same replica serves.
type sessionTap struct {
	next http.RoundTripper

	mu         sync.Mutex
	owner      string            // replica that served initialize
	askedBy    map[string]string // JSON-RPC id of a sampling request → replica whose stream carried it
	calls      int               // tools/call requests
	callsAt    map[string]int    // tools/call requests by replica
	answers    int               // POSTs carrying an answer
	misrouted  int               // answers served by another replica than the asking one
	strays     int               // requests of the session served by another replica than its owner
	unlabelled int
}

// message is what the tap reads of a JSON-RPC message.
type message struct {
	Method string          `json:"method"`
	ID     json.RawMessage `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  json.RawMessage `json:"error"`
}

func (t *sessionTap) RoundTrip(req *http.Request) (*http.Response, error) {
	var msg message
	if req.Method == http.MethodPost && req.Body != nil {
		body, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		_ = json.Unmarshal(body, &msg) // go-sdk sends no batches
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	replica := resp.Header.Get(upstreamHeader)

	t.mu.Lock()
	defer t.mu.Unlock()
	if t.callsAt == nil {
		t.callsAt = map[string]int{}
	}
	if replica == "" {
		t.unlabelled++
		return resp, err
	}
	switch {
	case msg.Method == "initialize":
		t.owner = replica
	case req.Header.Get("Mcp-Session-Id") != "" && replica != t.owner:
		t.strays++
	}
	if msg.Method == "tools/call" {
		t.calls++
		t.callsAt[replica]++
	}
	if msg.Method == "" && len(msg.ID) > 0 && (msg.Result != nil || msg.Error != nil) {
		t.answers++
		if asker, ok := t.askedBy[string(msg.ID)]; !ok || asker != replica {
			t.misrouted++
		}
	}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		resp.Body = &streamTap{ReadCloser: resp.Body, tap: t, replica: replica}
	}
	return resp, err
}

// record adds what the tap saw to st and returns the session's tools/call
// requests and answers.
func (t *sessionTap) record(st *stats) (calls, answers int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	st.mu.Lock()
	defer st.mu.Unlock()
	if t.owner != "" {
		st.sessions[t.owner]++
	}
	for r, c := range t.callsAt {
		st.perReplica[r] += c
	}
	st.roundTrips += t.calls
	st.answers += t.answers
	st.answerMisrouted += t.misrouted
	st.sessionMisrouted += t.strays
	st.unlabelled += t.unlabelled
	return t.calls, t.answers
}

// streamTap reads the events of one response stream as the client does,
// and notes the replica that carried each sampling request.
type streamTap struct {
	io.ReadCloser
	tap     *sessionTap
	replica string
	line    []byte // the unfinished line
}

func (s *streamTap) Read(p []byte) (int, error) {
	n, err := s.ReadCloser.Read(p)
	s.line = append(s.line, p[:n]...)
	for {
		i := bytes.IndexByte(s.line, '\n')
		if i < 0 {
			break
		}
		line := bytes.TrimSpace(s.line[:i])
		s.line = s.line[i+1:]
		data, ok := bytes.CutPrefix(line, []byte("data:"))
		if !ok {
			continue
		}
		var msg message
		if json.Unmarshal(bytes.TrimSpace(data), &msg) == nil && msg.Method == "sampling/createMessage" && len(msg.ID) > 0 {
			s.tap.mu.Lock()
			s.tap.askedBy[string(msg.ID)] = s.replica
			s.tap.mu.Unlock()
		}
	}
	// Before the client sees the bytes: the sampling request is noted
	// before its answer can be sent.
	return n, err
}
