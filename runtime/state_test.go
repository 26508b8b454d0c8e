package runtime_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
)

// A request state is good for one round trip: sent again (twice, or after
// a later state), it is refused.
func TestRequestStateIsGoodForOneRoundTrip(t *testing.T) {
	srv := newServer(mrtrProtocol)
	addTwoSamples(t, srv)
	cs := connect(t, srv, &mcp.ClientOptions{CreateMessageHandler: say().handler, MultiRoundTrip: &mcp.MultiRoundTripOptions{Disabled: true}})
	args := map[string]any{"text": "x"}
	send := func(res *mcp.CallToolResult) (*mcp.CallToolResult, error) {
		return cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "classify", Arguments: args,
			InputResponses: answerAll(res, `{"label":"ham","score":0.1}`), RequestState: res.RequestState})
	}
	call := func(res *mcp.CallToolResult) *mcp.CallToolResult {
		t.Helper()
		next, err := send(res)
		if err != nil {
			t.Fatal(err)
		}
		return next
	}
	first := firstRound(t, cs, args)
	second := call(first)
	if second.IsError || !second.NeedsInput() {
		t.Fatalf("round trip 2: %s", textOf(second))
	}
	_, err := send(first)
	wantInvalidParams(t, err, "used already")
	if done := call(second); done.IsError {
		t.Errorf("round trip 3: %s", textOf(done))
	}
	_, err = send(second)
	wantInvalidParams(t, err, "used already")
}

// A tool that asks without end is stopped after MaxRoundTrips round trips,
// with an error that says so.
func TestRoundTripsAreBounded(t *testing.T) {
	verdict := runtime.NewTool(verdictSpec())
	srv := newServer(mrtrProtocol)
	tool := &mcp.Tool{Name: "classify", InputSchema: json.RawMessage(ticketSchema)}
	if err := runtime.AddFunc(srv, tool, func(ctx context.Context, s runtime.Sampler, in Ticket) (Verdict, error) {
		for i := 0; ; i++ { // a new question after every answer
			if _, err := verdict.Sample(ctx, s, Ticket{Text: fmt.Sprint(in.Text, i)}); err != nil {
				return Verdict{}, err
			}
		}
	}, quiet(), runtime.WithStateKey(testKey)); err != nil {
		t.Fatal(err)
	}
	cs := connect(t, srv, &mcp.ClientOptions{CreateMessageHandler: say().handler, MultiRoundTrip: &mcp.MultiRoundTripOptions{Disabled: true}})
	args := map[string]any{"text": "x"}
	res := firstRound(t, cs, args)
	for round := 1; round <= runtime.MaxRoundTrips+1; round++ {
		next, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "classify", Arguments: args,
			InputResponses: answerAll(res, `{"label":"ham","score":0.1}`), RequestState: res.RequestState})
		if err != nil {
			t.Fatal(err)
		}
		if next.IsError {
			if round != runtime.MaxRoundTrips || !strings.Contains(textOf(next), "at most 64 round trips") {
				t.Fatalf("round trip %d: %s", round, textOf(next))
			}
			return
		}
		res = next
	}
	t.Fatalf("the tool went on past %d round trips", runtime.MaxRoundTrips)
}

// A round trip refused for what it carries does not spend its state: the
// client may send it again, corrected.
func TestARefusedRoundTripDoesNotSpendItsState(t *testing.T) {
	srv := newServer(mrtrProtocol)
	runtime.NewTool(verdictSpec()).Add(srv, quiet(), runtime.WithStateKey(testKey))
	cs := connect(t, srv, &mcp.ClientOptions{CreateMessageHandler: say().handler, MultiRoundTrip: &mcp.MultiRoundTripOptions{Disabled: true}})
	args := map[string]any{"text": "x"}
	first := firstRound(t, cs, args)
	bogus := answerAll(first, `{"label":"ham","score":0.1}`)
	bogus["sample-forged-0"] = bogus[firstKey(first)]
	_, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "classify", Arguments: args, InputResponses: bogus, RequestState: first.RequestState})
	wantInvalidParams(t, err, "answers nothing it asked")
	res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "classify", Arguments: args,
		InputResponses: answerAll(first, `{"label":"ham","score":0.1}`), RequestState: first.RequestState})
	if err != nil || res.IsError {
		t.Fatalf("the corrected round trip: %v %s", err, textOf(res))
	}
}
