package runtime_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
)

const (
	legacyProtocol = "2025-11-25" // sampling pushed to the client
	mrtrProtocol   = "2026-07-28" // sampling returned as input requests
)

// connect serves srv to a new go-sdk client over in-memory transports and
// returns the client's session.
func connect(t *testing.T, srv *mcp.Server, opts *mcp.ClientOptions) *mcp.ClientSession {
	t.Helper()
	return connectVia(t, srv, opts, func(ct mcp.Transport) mcp.Transport { return ct })
}

// connectVia is connect with the client's transport wrapped by wrap.
func connectVia(t *testing.T, srv *mcp.Server, opts *mcp.ClientOptions, wrap func(mcp.Transport) mcp.Transport) *mcp.ClientSession {
	t.Helper()
	ctx := context.Background()
	st, ct := mcp.NewInMemoryTransports()
	ss, err := srv.Connect(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ss.Close() })
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "test-client", Version: "1"}, opts).Connect(ctx, wrap(ct), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cs.Close() })
	return cs
}

func newServer(protocols ...string) *mcp.Server {
	return mcp.NewServer(&mcp.Implementation{Name: "test-server", Version: "1"}, &mcp.ServerOptions{SupportedProtocolVersions: protocols})
}

func quiet() runtime.ToolOption { return runtime.WithLogger(discard) }

func callClassify(t *testing.T, cs *mcp.ClientSession, text string) *mcp.CallToolResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "classify", Arguments: map[string]any{"text": text}})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// callReportOf is the report of a served call, from its result's _meta.
func callReportOf(t *testing.T, res *mcp.CallToolResult) runtime.CallReport {
	t.Helper()
	raw, ok := res.Meta[runtime.ReportMetaKey]
	if !ok {
		t.Fatalf("the result has no report: %+v", res.Meta)
	}
	return decode[runtime.CallReport](t, raw)
}

// reportOf is the report of the one sample a served call took.
func reportOf(t *testing.T, res *mcp.CallToolResult) runtime.Report {
	t.Helper()
	rep := callReportOf(t, res)
	if len(rep.Samples) != 1 {
		t.Fatalf("the call took %d samples, want 1: %+v", len(rep.Samples), rep)
	}
	return *rep.Samples[0]
}

func TestToolOnBothEras(t *testing.T) {
	for _, tc := range []struct {
		protocol, era string
	}{
		{legacyProtocol, runtime.EraPush},
		{mrtrProtocol, runtime.EraMultiRoundTrip},
	} {
		t.Run(tc.protocol, func(t *testing.T) {
			srv := newServer(tc.protocol)
			runtime.NewTool(verdictSpec()).Add(srv, quiet(), runtime.WithStateKey(testKey))
			model := say("```json\n{\"label\": \"Spam\", \"score\": 1.5}\n```", `{"label": "spam", "score": 0.95}`)
			cs := connect(t, srv, &mcp.ClientOptions{CreateMessageHandler: model.handler})
			if got := cs.InitializeResult().ProtocolVersion; got != tc.protocol {
				t.Fatalf("negotiated %s, want %s", got, tc.protocol)
			}
			res := callClassify(t, cs, "cheap pills")
			if res.IsError {
				t.Fatalf("tool error: %v", res.Content)
			}
			if got := decode[Verdict](t, res.StructuredContent); got != (Verdict{Label: "spam", Score: 0.95}) {
				t.Errorf("structured result = %+v", got)
			}
			rep := reportOf(t, res)
			if rep.Era != tc.era || len(rep.Rounds) != 2 || rep.Rounds[1].Model != "script-model" {
				t.Errorf("report = %+v, want 2 rounds over %s", rep, tc.era)
			}
			reqs := model.asked()
			if len(reqs) != 2 || len(reqs[1].Messages) != 3 || !strings.Contains(text(reqs[1].Messages[2]), "/score: 1.5 is above the maximum 1") {
				t.Errorf("the client was not re-asked with the error: %d requests", len(reqs))
			}
			if reqs[0].MaxTokens != 50 || reqs[0].Temperature != 0.2 || !strings.Contains(reqs[0].SystemPrompt, `score: number, // from 0 to 1`) {
				t.Errorf("request params did not arrive: %+v", reqs[0])
			}
		})
	}
}

func TestClientThatCannotSample(t *testing.T) {
	for _, protocol := range []string{legacyProtocol, mrtrProtocol} {
		t.Run(protocol, func(t *testing.T) {
			srv := newServer(protocol)
			runtime.NewTool(verdictSpec()).Add(srv, quiet())
			cs := connect(t, srv, nil) // no sampling handler: no sampling capability
			_, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "classify", Arguments: map[string]any{"text": "x"}})
			var wire *jsonrpc.Error
			if !errors.As(err, &wire) || wire.Code != mcp.CodeMissingRequiredClientCapabilities || !strings.Contains(wire.Message, "classify needs the client's sampling capability, which the client did not declare") {
				t.Fatalf("err = %v, want a -32021 error naming sampling", err)
			}
			// SEP-2575: the data names the capability.
			if string(wire.Data) != `{"requiredCapabilities":{"sampling":{}}}` {
				t.Errorf("error data = %s, want the sampling capability required", wire.Data)
			}
		})
	}
}

// A client that cannot sample is answered by the server's own model, and
// the report says so: era direct, on either protocol.
func TestClientThatCannotSampleGetsTheServersModel(t *testing.T) {
	for _, protocol := range []string{legacyProtocol, mrtrProtocol} {
		t.Run(protocol, func(t *testing.T) {
			srv := newServer(protocol)
			runtime.NewTool(verdictSpec()).Add(srv, quiet(), runtime.WithServerSampler(say(`{"label":"ham","score":0.3}`)))
			res := callClassify(t, connect(t, srv, nil), "hello")
			call := callReportOf(t, res)
			if res.IsError || decode[Verdict](t, res.StructuredContent).Label != "ham" || call.Plan.Era != runtime.EraDirect || reportOf(t, res).Era != runtime.EraDirect {
				t.Fatalf("result = %s, report %+v; want the server's model to answer, directly", textOf(res), call)
			}
		})
	}
}

func TestInvalidArgumentsAreAToolError(t *testing.T) {
	srv := newServer(legacyProtocol)
	runtime.NewTool(verdictSpec()).Add(srv, quiet())
	res := callClassify(t, connect(t, srv, &mcp.ClientOptions{CreateMessageHandler: say().handler}), "")
	if !res.IsError || !strings.Contains(textOf(res), "invalid arguments") {
		t.Fatalf("result = %+v, want a tool error about the arguments", res)
	}
}

// roundTrip is a multi round-trip client driven by hand: it makes the first
// call and returns the input requests and state, so tests can tamper.
func firstRound(t *testing.T, cs *mcp.ClientSession, args map[string]any) *mcp.CallToolResult {
	t.Helper()
	res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "classify", Arguments: args})
	if err != nil {
		t.Fatal(err)
	}
	if !res.NeedsInput() || len(res.InputRequests) != 1 || res.RequestState == "" {
		t.Fatalf("first round = %+v, want one input request and a state", res)
	}
	return res
}

func answerAll(res *mcp.CallToolResult, text string) mcp.InputResponseMap {
	out := mcp.InputResponseMap{}
	for id := range res.InputRequests {
		out[id] = &mcp.CreateMessageWithToolsResult{Role: "assistant", Model: "m", Content: []mcp.Content{&mcp.TextContent{Text: text}}}
	}
	return out
}

func TestRequestStateIsVerified(t *testing.T) {
	manual := &mcp.ClientOptions{
		CreateMessageHandler: say().handler, // declares sampling
		MultiRoundTrip:       &mcp.MultiRoundTripOptions{Disabled: true},
	}
	good := `{"label":"ham","score":0.1}`
	cases := []struct {
		name  string
		retry func(t *testing.T, cs *mcp.ClientSession, first *mcp.CallToolResult) *mcp.CallToolParams
		want  string
	}{
		{"untouched state works", func(t *testing.T, cs *mcp.ClientSession, first *mcp.CallToolResult) *mcp.CallToolParams {
			return &mcp.CallToolParams{Name: "classify", Arguments: map[string]any{"text": "x"}, InputResponses: answerAll(first, good), RequestState: first.RequestState}
		}, ""},
		{"tampered", func(t *testing.T, cs *mcp.ClientSession, first *mcp.CallToolResult) *mcp.CallToolParams {
			st := []byte(first.RequestState)
			st[5] ^= 1
			return &mcp.CallToolParams{Name: "classify", Arguments: map[string]any{"text": "x"}, InputResponses: answerAll(first, good), RequestState: string(st)}
		}, "signature does not match"},
		{"other arguments", func(t *testing.T, cs *mcp.ClientSession, first *mcp.CallToolResult) *mcp.CallToolParams {
			return &mcp.CallToolParams{Name: "classify", Arguments: map[string]any{"text": "y"}, InputResponses: answerAll(first, good), RequestState: first.RequestState}
		}, "belongs to another tool call"},
		{"answer to nothing asked", func(t *testing.T, cs *mcp.ClientSession, first *mcp.CallToolResult) *mcp.CallToolParams {
			resp := answerAll(first, good)
			resp["sample-forged-0"] = resp[firstKey(first)]
			return &mcp.CallToolParams{Name: "classify", Arguments: map[string]any{"text": "x"}, InputResponses: resp, RequestState: first.RequestState}
		}, "answers nothing it asked"},
		{"garbage", func(t *testing.T, cs *mcp.ClientSession, first *mcp.CallToolResult) *mcp.CallToolParams {
			return &mcp.CallToolParams{Name: "classify", Arguments: map[string]any{"text": "x"}, InputResponses: answerAll(first, good), RequestState: "not a state"}
		}, "malformed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(mrtrProtocol)
			runtime.NewTool(verdictSpec()).Add(srv, quiet(), runtime.WithStateKey(testKey))
			cs := connect(t, srv, manual)
			first := firstRound(t, cs, map[string]any{"text": "x"})
			res, err := cs.CallTool(context.Background(), tc.retry(t, cs, first))
			if tc.want == "" {
				if err != nil || res.IsError || decode[Verdict](t, res.StructuredContent).Label != "ham" {
					t.Fatalf("result = %v %+v, want the answer", err, res)
				}
				return
			}
			wantInvalidParams(t, err, tc.want)
		})
	}
}

func TestRequestStateFromAnotherKeyOrTooLateIsRefused(t *testing.T) {
	manual := &mcp.ClientOptions{CreateMessageHandler: say().handler, MultiRoundTrip: &mcp.MultiRoundTripOptions{Disabled: true}}
	a := newServer(mrtrProtocol)
	runtime.NewTool(verdictSpec()).Add(a, quiet(), runtime.WithStateKey([]byte("replica a: 32 bytes or more of key")), runtime.WithStateTTL(-time.Minute))
	b := newServer(mrtrProtocol)
	runtime.NewTool(verdictSpec()).Add(b, quiet(), runtime.WithStateKey([]byte("replica b: 32 bytes or more of key")))
	first := firstRound(t, connect(t, a, manual), map[string]any{"text": "x"})
	retry := &mcp.CallToolParams{Name: "classify", Arguments: map[string]any{"text": "x"}, InputResponses: answerAll(first, `{"label":"ham","score":0}`), RequestState: first.RequestState}

	_, err := connect(t, b, manual).CallTool(context.Background(), retry)
	wantInvalidParams(t, err, "replicas must share SAMPLEGEN_STATE_KEY")

	// Replica a's states expired a minute before they were made.
	_, err = connect(t, a, manual).CallTool(context.Background(), retry)
	wantInvalidParams(t, err, "expired")
}

// wantInvalidParams checks that a round trip was refused as a protocol
// error (-32602, SEP-2322), saying want.
func wantInvalidParams(t *testing.T, err error, want string) {
	t.Helper()
	var wire *jsonrpc.Error
	if !errors.As(err, &wire) || wire.Code != jsonrpc.CodeInvalidParams || !strings.Contains(wire.Message, want) {
		t.Fatalf("err = %v, want -32602 saying %q", err, want)
	}
}

func textOf(res *mcp.CallToolResult) string {
	var b strings.Builder
	for _, c := range res.Content {
		if t, ok := c.(*mcp.TextContent); ok {
			b.WriteString(t.Text)
		}
	}
	return b.String()
}

func firstKey(res *mcp.CallToolResult) string {
	for id := range res.InputRequests {
		return id
	}
	return ""
}

func TestFunctionToolSamplesSeveralTimesOnBothEras(t *testing.T) {
	verdict := runtime.NewTool(verdictSpec())
	type Pair struct {
		A Verdict `json:"a"`
		B Verdict `json:"b"`
	}
	tool := &mcp.Tool{
		Name:         "classify",
		InputSchema:  json.RawMessage(ticketSchema),
		OutputSchema: json.RawMessage(`{"type":"object"}`),
	}
	for _, protocol := range []string{legacyProtocol, mrtrProtocol} {
		t.Run(protocol, func(t *testing.T) {
			var runs atomic.Int32
			srv := newServer(protocol)
			err := runtime.AddFunc(srv, tool, func(ctx context.Context, s runtime.Sampler, in Ticket) (Pair, error) {
				runs.Add(1)
				a, err := verdict.Sample(ctx, s, in)
				if err != nil {
					return Pair{}, err
				}
				b, err := verdict.Sample(ctx, s, Ticket{Text: in.Text + " (second opinion)"})
				return Pair{a, b}, err
			}, quiet())
			if err != nil {
				t.Fatal(err)
			}
			model := say(`{"label":"spam","score":0.9}`, `{"label":"ham","score":0.2}`)
			res := callClassify(t, connect(t, srv, &mcp.ClientOptions{CreateMessageHandler: model.handler}), "x")
			if res.IsError {
				t.Fatalf("tool error: %v", res.Content)
			}
			got := decode[Pair](t, res.StructuredContent)
			if got.A.Label != "spam" || got.B.Label != "ham" {
				t.Errorf("got %+v", got)
			}
			wantRuns := int32(1)
			if protocol == mrtrProtocol {
				wantRuns = 3 // from the top on each round trip
			}
			if runs.Load() != wantRuns {
				t.Errorf("the function ran %d times, want %d", runs.Load(), wantRuns)
			}
			reports := callReportOf(t, res).Samples
			if len(reports) != 2 {
				t.Errorf("want a report per sample, got %+v", reports)
			}
		})
	}
}

func TestNonDeterministicFunctionToolFailsLoudly(t *testing.T) {
	verdict := runtime.NewTool(verdictSpec())
	log := &records{}
	var runs atomic.Int32
	srv := newServer(mrtrProtocol)
	tool := &mcp.Tool{Name: "classify", InputSchema: json.RawMessage(ticketSchema)}
	if err := runtime.AddFunc(srv, tool, func(ctx context.Context, s runtime.Sampler, in Ticket) (Verdict, error) {
		// Asks about the clock: a different question on every run.
		return verdict.Sample(ctx, s, Ticket{Text: fmt.Sprintf("%s at run %d", in.Text, runs.Add(1))})
	}, runtime.WithLogger(slog.New(log))); err != nil {
		t.Fatal(err)
	}
	model := say(`{"label":"spam","score":0.9}`, `{"label":"spam","score":0.9}`, `{"label":"spam","score":0.9}`)
	cs := connect(t, srv, &mcp.ClientOptions{CreateMessageHandler: model.handler})
	res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "classify", Arguments: map[string]any{"text": "x"}})
	if err != nil || !res.IsError {
		t.Fatalf("a handler that asks something new on every run: %v, %+v; want a tool error", err, res)
	}
	if msg := textOf(res); !strings.Contains(msg, "asked the model something different") {
		t.Errorf("error = %s, want non-determinism named", msg)
	}
	// It is a failure like any other: reported, and logged at ERROR.
	if rep := callReportOf(t, res); rep.Outcome != runtime.OutcomeError || !strings.Contains(rep.Error, "something different") {
		t.Errorf("report = %+v", rep)
	}
	if recs := log.all(); len(recs) != 1 || recs[0].Level != slog.LevelError {
		t.Errorf("log = %v, want one ERROR", recs)
	}
}

// Arguments decode from their own bytes: an integer beyond float64's
// precision arrives intact, and schema defaults fill only what is missing.
func TestArgumentsArriveExactly(t *testing.T) {
	type Args struct {
		ID    int64  `json:"id"`
		Shard string `json:"shard"`
	}
	srv := newServer(legacyProtocol)
	tool := &mcp.Tool{Name: "echo", InputSchema: json.RawMessage(`{"type":"object","properties":{"id":{"type":"integer"},"shard":{"type":"string","default":"eu"}},"required":["id"]}`)}
	if err := runtime.AddFunc(srv, tool, func(_ context.Context, _ runtime.Sampler, in Args) (Args, error) { return in, nil }, quiet()); err != nil {
		t.Fatal(err)
	}
	res, err := connect(t, srv, nil).CallTool(context.Background(), &mcp.CallToolParams{Name: "echo", Arguments: json.RawMessage(`{"id": 9007199254740993}`)})
	if err != nil || res.IsError {
		t.Fatalf("%v %s", err, textOf(res))
	}
	// The text content: the client decodes structuredContent into float64s.
	var got Args
	if err := json.Unmarshal([]byte(textOf(res)), &got); err != nil || got != (Args{ID: 9007199254740993, Shard: "eu"}) {
		t.Errorf("arguments arrived as %+v (%v)", got, err)
	}
}

// Structured content is only ever an object; a string result is its own
// text content.
func TestResultsClientsBeforeSEP2106Accept(t *testing.T) {
	srv := newServer(legacyProtocol)
	for name, out := range map[string]any{"text": "hello there", "list": []string{"a", "b"}} {
		tool := &mcp.Tool{Name: name, InputSchema: json.RawMessage(`{"type":"object"}`)}
		if err := runtime.AddFunc(srv, tool, func(context.Context, runtime.Sampler, map[string]any) (any, error) { return out, nil }, quiet()); err != nil {
			t.Fatal(err)
		}
	}
	cs := connect(t, srv, nil)
	for name, want := range map[string]string{"text": "hello there", "list": `["a","b"]`} {
		res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: name})
		if err != nil || res.IsError || textOf(res) != want || res.StructuredContent != nil {
			t.Errorf("%s: %v, text %q, structured %v; want text %q and no structured content", name, err, textOf(res), res.StructuredContent, want)
		}
	}
}

func TestShortStateKeysAreRefused(t *testing.T) {
	refused := func(what string, opts ...runtime.ToolOption) {
		t.Helper()
		defer func() {
			if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "needs at least 32 random bytes") {
				t.Errorf("%s: recover() = %v, want the short key refused", what, r)
			}
		}()
		runtime.NewTool(verdictSpec()).Add(newServer(), opts...)
	}
	refused("option", runtime.WithStateKey([]byte("hunter2")))

	// A short key in the environment is no panic: Serve refuses it (see
	// TestServeRefusesAShortStateKey), and a server run another way gets a
	// tool error naming the variable on its first multi round-trip call.
	t.Setenv(runtime.StateKeyEnv, "hunter2")
	srv := newServer(mrtrProtocol)
	runtime.NewTool(verdictSpec()).Add(srv, quiet())
	res := callClassify(t, connect(t, srv, &mcp.ClientOptions{CreateMessageHandler: say(`{"label":"ham","score":0.3}`).handler}), "x")
	if !res.IsError || !strings.Contains(textOf(res), "the state key from SAMPLEGEN_STATE_KEY is 7 bytes; it needs at least 32 random bytes") {
		t.Errorf("result = %s, want a tool error naming SAMPLEGEN_STATE_KEY", textOf(res))
	}
}

// An input response must answer one of the requests of the last round
// trip: not an earlier one, already in the state, sent again.
func TestInputResponsesAnswerOnlyTheLastRoundTrip(t *testing.T) {
	srv := newServer(mrtrProtocol)
	addTwoSamples(t, srv)
	cs := connect(t, srv, &mcp.ClientOptions{CreateMessageHandler: say().handler, MultiRoundTrip: &mcp.MultiRoundTripOptions{Disabled: true}})
	args := map[string]any{"text": "x"}
	first := firstRound(t, cs, args)
	good := `{"label":"ham","score":0.1}`
	second, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "classify", Arguments: args, InputResponses: answerAll(first, good), RequestState: first.RequestState})
	if err != nil || !second.NeedsInput() {
		t.Fatalf("second round: %v %+v, want another input request", err, second)
	}
	stale := answerAll(second, good)
	stale[firstKey(first)] = answerAll(first, good)[firstKey(first)]
	_, err = cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "classify", Arguments: args, InputResponses: stale, RequestState: second.RequestState})
	wantInvalidParams(t, err, "answers nothing it asked")
}
