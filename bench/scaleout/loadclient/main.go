// Command loadclient is the load generator of bench/scaleout: it makes many
// concurrent multi round-trip calls of analyze_sentiment through a load
// balancer in front of stateless samplegen replicas, and checks that every
// call gets its own right answer.
//
// Each call is a go-sdk client of its own (protocol 2026-07-28) with a
// scripted sampling handler, and a distinct text, "scale-out call NNNN ...".
// The handler answers from what the request says, not from which client it
// is: to the first ask (one message) an answer whose confidence is out of
// range, so the server must re-ask and the call takes three round trips; to
// the re-ask the valid verdict of call NNNN, a sentiment and a confidence
// that only that call has. A request or an answer delivered to the wrong
// call therefore shows up as a wrong result, and a request that names another
// call is counted as misrouted.
//
// The balancer is expected to name the replica that served each request in
// an X-Upstream response header (nginx: add_header X-Upstream
// $upstream_addr); the client counts requests per replica, and the calls
// whose round trips were served by more than one replica, which only a
// server that needs no sticky sessions can get right.
//
// Usage:
//
//	loadclient -url http://127.0.0.1:PORT/mcp [-calls 200] [-timeout 2m]
//
// It prints the figures and exits 1 if any call failed or got a wrong
// answer, if a request was misrouted, or if the calls did not reach at least
// two replicas with some call spanning them.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
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
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

const (
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
	flag.Parse()
	if *url == "" || *calls < 1 || *calls > 999 {
		flag.Usage()
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	if ok := run(ctx, *url, *calls); !ok {
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
}

func (s *stats) fail(n int, format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, fmt.Sprintf("call %04d: ", n)+fmt.Sprintf(format, args...))
}

func run(ctx context.Context, url string, calls int) bool {
	st := &stats{perReplica: map[string]int{}}
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
			oneCall(ctx, url, n, base, st, start)
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
	fmt.Printf("round trips (tools/call requests): %d; sampling requests answered: %d; misrouted sampling requests: %d\n",
		st.roundTrips, st.sampleAsked, st.misrouted)
	replicas := make([]string, 0, len(st.perReplica))
	for r := range st.perReplica {
		replicas = append(replicas, r)
	}
	sort.Strings(replicas)
	for _, r := range replicas {
		fmt.Printf("replica %s: served %d tools/call requests\n", r, st.perReplica[r])
	}
	fmt.Printf("calls whose round trips spanned replicas: %d of %d\n", st.spanning, calls)
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
	if st.spanning == 0 {
		fmt.Println("FAIL no call had its round trips served by more than one replica")
		ok = false
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

// oneCall makes call n with a client of its own, once start is closed.
func oneCall(ctx context.Context, url string, n int, base http.RoundTripper, st *stats, start <-chan struct{}) {
	tap := &tap{next: base, replicas: map[string]int{}}
	var asked int
	var mu sync.Mutex
	handler := func(_ context.Context, req *mcp.CreateMessageRequest) (*mcp.CreateMessageResult, error) {
		mu.Lock()
		asked++
		mu.Unlock()
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
	st.sampleAsked += asked
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
	if calls != 3 || asked != 2 {
		st.fail(n, "%d round trips and %d sampling requests, want 3 and 2 (ask, re-ask, result)", calls, asked)
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
