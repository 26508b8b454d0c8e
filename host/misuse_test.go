package host_test

import (
	"context"
	"strings"
	"testing"

	"github.com/samplegen/samplegen/host"
)

// A host that wires a piece without what it needs learns at once, from a
// panic that says what to give, not from a nil dereference mid-request.
func TestMisuseSaysWhatToGive(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    func()
		want string
	}{
		{"Approve(nil)", func() { host.Approve(nil) }, "host.DenyAll"},
		{"RateLimit(nil)", func() { host.RateLimit(nil, 0) }, "rate.NewLimiter"},
		{"IncludeContext(nil)", func() { host.IncludeContext(nil) }, "ContextFunc"},
		{"Log(nil)", func() { host.Log(nil) }, "slog.Logger"},
		{"Handle(name, nil)", func() { host.NewRouter(nil).Handle("x", nil) }, "host.Deny"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if msg, _ := recover().(string); !strings.Contains(msg, tc.want) {
					t.Errorf("panic %q, want one saying %q", msg, tc.want)
				}
			}()
			tc.f()
		})
	}
	// Limits of 0 limit nothing.
	model := answering("x")
	s := host.Chain(model, host.Concurrency(0), host.ClampMaxTokens(0))
	if _, err := s.CreateMessage(context.Background(), ask("hi", 5)); err != nil || model.requests()[0].MaxTokens != 5 {
		t.Errorf("zero limits changed the request or refused it: %v", err)
	}
}
