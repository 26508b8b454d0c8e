package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"
)

// replayer answers each request with the next canned response, naming the
// replica that "served" it in X-Upstream.
type replayer struct {
	t     *testing.T
	resps []canned
}

type canned struct {
	replica, contentType, body string
}

func (r *replayer) RoundTrip(req *http.Request) (*http.Response, error) {
	if len(r.resps) == 0 {
		r.t.Fatalf("unexpected request %s", req.Method)
	}
	c := r.resps[0]
	r.resps = r.resps[1:]
	h := http.Header{}
	h.Set(upstreamHeader, c.replica)
	h.Set("Content-Type", c.contentType)
	// One byte at a time: the stream's lines arrive split across reads.
	return &http.Response{StatusCode: 200, Header: h, Body: io.NopCloser(iotest.OneByteReader(strings.NewReader(c.body)))}, nil
}

func post(t *testing.T, tap http.RoundTripper, session, body string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, "http://balancer/mcp", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if session != "" {
		req.Header.Set("Mcp-Session-Id", session)
	}
	resp, err := tap.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(resp.Body); err != nil {
		t.Fatal(err)
	}
}

// TestSessionTapCountsMisroutedAnswers: the push-era checks must bite. The
// session is made on replica A, whose tools/call stream asks twice; one
// answer reaches A, the other reaches B.
func TestSessionTapCountsMisroutedAnswers(t *testing.T) {
	const sse = "text/event-stream"
	tap := &sessionTap{next: &replayer{t: t, resps: []canned{
		{"A", "application/json", `{"jsonrpc":"2.0","id":1,"result":{}}`},
		{"A", sse, "event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"sampling/createMessage\",\"params\":{}}\n\n" +
			"event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"sampling/createMessage\",\"params\":{}}\n\n" +
			"event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{}}\n\n"},
		{"A", "", ""},
		{"B", "", ""},
	}}, askedBy: map[string]string{}}

	post(t, tap, "", `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}`)
	post(t, tap, "s1", `{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{}}`)
	post(t, tap, "s1", `{"jsonrpc":"2.0","id":7,"result":{}}`)
	post(t, tap, "s1", `{"jsonrpc":"2.0","id":8,"result":{}}`)

	st := &stats{perReplica: map[string]int{}, sessions: map[string]int{}}
	calls, answers := tap.record(st)
	if calls != 1 || answers != 2 {
		t.Errorf("calls, answers = %d, %d, want 1, 2", calls, answers)
	}
	if st.answerMisrouted != 1 || st.sessionMisrouted != 1 {
		t.Errorf("misrouted answers %d, session requests %d, want 1 and 1 (the answer to 8, on B)", st.answerMisrouted, st.sessionMisrouted)
	}
	if st.sessions["A"] != 1 || st.perReplica["A"] != 1 {
		t.Errorf("sessions %v, tools/call per replica %v, want one each on A", st.sessions, st.perReplica)
	}
}
