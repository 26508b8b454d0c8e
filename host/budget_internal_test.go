package host

import (
	"context"
	goruntime "runtime"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/sampling"
)

// A session budget forgets the account of a session nothing references:
// a host that connects and disconnects all day does not grow.
func TestSessionBudgetForgetsSessionsThatAreGone(t *testing.T) {
	b := NewSessionBudget(Limits{Requests: 5})
	s := b.Charge(sampling.SamplerFunc(func(context.Context, *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		return &mcp.CreateMessageWithToolsResult{Content: []mcp.Content{&mcp.TextContent{Text: "x"}}}, nil
	}))
	keep := new(mcp.ClientSession)
	func() {
		for range 10 {
			cs := new(mcp.ClientSession)
			if _, err := s.CreateMessage(WithServer(context.Background(), Server{Session: cs}), &mcp.CreateMessageWithToolsParams{MaxTokens: 1}); err != nil {
				t.Fatal(err)
			}
		}
	}()
	if _, err := s.CreateMessage(WithServer(context.Background(), Server{Session: keep}), &mcp.CreateMessageWithToolsParams{MaxTokens: 1}); err != nil {
		t.Fatal(err)
	}
	// Cleanups run after a collection finds the sessions unreachable, on a
	// goroutine of their own: collect until they have, within a bound.
	accounts := func() int {
		b.mu.Lock()
		defer b.mu.Unlock()
		return len(b.sessions)
	}
	for i := 0; i < 100 && accounts() > 1; i++ {
		goruntime.GC()
		goruntime.Gosched()
	}
	if n := accounts(); n != 1 {
		t.Errorf("%d session accounts left, want only the session still referenced", n)
	}
	if got := b.Spent(keep).Requests; got != 1 {
		t.Errorf("the live session's account has %d requests, want 1", got)
	}
	goruntime.KeepAlive(keep)
}
