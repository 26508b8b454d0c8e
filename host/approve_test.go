package host_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/host"
	"github.com/samplegen/samplegen/sampling"
)

var weather = host.Server{Name: "weather", Info: &mcp.Implementation{Name: "weather", Title: "Weather", Version: "2"}}

// The approver sees who asks and everything asked, includeContext and
// metadata among it; what it approves is sampled as asked.
func TestApproveShowsTheRequestAndItsServer(t *testing.T) {
	model := answering("sunny")
	var seen []*host.Request
	s := host.Chain(model, host.Approve(func(_ context.Context, req *host.Request) (bool, error) {
		seen = append(seen, req)
		return true, nil
	}))
	req := ask("weather in Oslo?", 50)
	req.IncludeContext = "thisServer"
	req.Metadata = map[string]any{"ticket": "T-1"}
	res, err := s.CreateMessage(host.WithServer(context.Background(), weather), req)
	if err != nil {
		t.Fatal(err)
	}
	if res.Content[0].(*mcp.TextContent).Text != "sunny" {
		t.Errorf("answer %v", res.Content)
	}
	if len(seen) != 1 {
		t.Fatalf("the approver was asked %d times", len(seen))
	}
	r := seen[0]
	if r.Server.Name != "weather" || r.Server.Info.Title != "Weather" || r.Params != req {
		t.Errorf("the approver saw server %+v and params %p, want weather and %p", r.Server, r.Params, req)
	}
	if r.IncludeContext() != "thisServer" || jsonOf(r.Metadata()) != `{"ticket":"T-1"}` {
		t.Errorf("the approver saw includeContext %q and metadata %s", r.IncludeContext(), jsonOf(r.Metadata()))
	}
	if got := model.requests(); len(got) != 1 || got[0] != req {
		t.Errorf("the model got %d requests, want the approved one as it was", len(got))
	}
	if (&host.Request{Params: ask("x", 1)}).IncludeContext() != "none" {
		t.Error("an absent includeContext is not reported as none")
	}
}

// Deny by default: only an explicit yes samples. Each other outcome is a
// refusal the server can name, and nothing reaches the model.
func TestApproveRefusesAllButAYes(t *testing.T) {
	uiGone := errors.New("no terminal to ask on")
	for _, tc := range []struct {
		name     string
		approver host.Approver
		reason   string
		cause    error // wrapped in this process too
	}{
		{"declined", func(context.Context, *host.Request) (bool, error) { return false, nil }, "the user declined", nil},
		{"DenyAll", host.DenyAll, "the user declined", nil},
		{"the hook failed", func(context.Context, *host.Request) (bool, error) { return true, uiGone }, "the host could not get approval", uiGone},
		{"the hook refused in its own words", func(context.Context, *host.Request) (bool, error) {
			return false, sampling.Refused("weather may not sample after 18:00")
		}, "weather may not sample after 18:00", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			model := answering("x")
			_, err := host.Chain(model, host.Approve(tc.approver)).CreateMessage(host.WithServer(context.Background(), weather), ask("hi", 5))
			r := refusal(t, err)
			if r.Reason != tc.reason || r.RetryAfter != 0 {
				t.Errorf("refusal %+v, want reason %q and no retry", r, tc.reason)
			}
			if len(model.requests()) != 0 {
				t.Error("the model was asked anyway")
			}
			if tc.cause == nil {
				return
			}
			if !errors.Is(err, tc.cause) || !strings.Contains(err.Error(), tc.cause.Error()) || !strings.Contains(err.Error(), `"weather"`) {
				t.Errorf("err = %q; in this process it must wrap and show the cause, and name the server", err)
			}
			// What the server is told carries the reason, not the cause: on
			// the push era's wire, and in the multi round-trip result.
			wire := sampling.RefusalWireError(err)
			if wire.Code != sampling.CodeRefused || wire.Message != tc.reason {
				t.Errorf("on the wire: %d %q, want %d %q", wire.Code, wire.Message, sampling.CodeRefused, tc.reason)
			}
			b, _ := json.Marshal(sampling.Refusal(err))
			if strings.Contains(string(b), tc.cause.Error()) || !strings.Contains(string(b), tc.reason) {
				t.Errorf("refusal result %s: want the reason, not the cause", b)
			}
		})
	}
}

// An approver waiting on a person whose request is cancelled (the server
// gave up, or the call ended) refuses, and says why in this process.
func TestApproveWhoseContextEndsWhileWaitingRefuses(t *testing.T) {
	ctx, cancel := context.WithCancel(host.WithServer(context.Background(), weather))
	waiting := make(chan struct{})
	go func() {
		<-waiting
		cancel()
	}()
	model := answering("x")
	s := host.Chain(model, host.Approve(func(ctx context.Context, _ *host.Request) (bool, error) {
		close(waiting) // the prompt is up
		<-ctx.Done()
		return false, ctx.Err()
	}))
	_, err := s.CreateMessage(ctx, ask("hi", 5))
	if r := refusal(t, err); r.Reason != "the host could not get approval" || !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want a refusal wrapping context.Canceled", err)
	}
	if len(model.requests()) != 0 {
		t.Error("the model was asked anyway")
	}
}

func TestIncludeContextAddsWhatTheHostKnowsWhenAsked(t *testing.T) {
	var calls []string
	add := host.IncludeContext(func(_ context.Context, req *host.Request) (string, error) {
		calls = append(calls, req.Server.Name+":"+req.IncludeContext())
		if req.IncludeContext() == "allServers" {
			return "Known from all servers: the user is in Oslo.", nil
		}
		return "Known from weather: the user prefers Celsius.", nil
	})
	model := answering("ok")
	s := host.Chain(model, add)
	ctx := host.WithServer(context.Background(), weather)
	for _, tc := range []struct{ include, system, want string }{
		{"", "Be brief.", "Be brief."},
		{"none", "Be brief.", "Be brief."},
		{"thisServer", "Be brief.", "Be brief.\n\nKnown from weather: the user prefers Celsius."},
		{"allServers", "", "Known from all servers: the user is in Oslo."},
		{"someday", "Be brief.", "Be brief."}, // not a value the spec defines: nothing to honour
	} {
		req := ask("hi", 5)
		req.IncludeContext, req.SystemPrompt = tc.include, tc.system
		req.Metadata = map[string]any{"k": tc.include}
		if _, err := s.CreateMessage(ctx, req); err != nil {
			t.Fatal(err)
		}
		got := model.requests()[len(model.requests())-1]
		if got.SystemPrompt != tc.want {
			t.Errorf("includeContext %q: system prompt %q, want %q", tc.include, got.SystemPrompt, tc.want)
		}
		if req.SystemPrompt != tc.system {
			t.Errorf("includeContext %q: the server's request was changed", tc.include)
		}
		if jsonOf(got.Metadata) != jsonOf(req.Metadata) {
			t.Errorf("includeContext %q: metadata %s reached the model, want %s", tc.include, jsonOf(got.Metadata), jsonOf(req.Metadata))
		}
	}
	if strings.Join(calls, " ") != "weather:thisServer weather:allServers" {
		t.Errorf("the hook was called for %v; want only the requests asking for context", calls)
	}
}

func TestIncludeContextWhoseHookFailsRefuses(t *testing.T) {
	broken := errors.New("the resource store is offline")
	model := answering("ok")
	s := host.Chain(model, host.IncludeContext(func(context.Context, *host.Request) (string, error) { return "", broken }))
	req := ask("hi", 5)
	req.IncludeContext = "allServers"
	_, err := s.CreateMessage(host.WithServer(context.Background(), weather), req)
	if r := refusal(t, err); r.Reason != "the host could not gather the context the request asked for" || !errors.Is(err, broken) {
		t.Errorf("got %v (reason %q), want a refusal wrapping the cause", err, r.Reason)
	}
	if len(model.requests()) != 0 {
		t.Error("the model was asked anyway")
	}
}
