package runtime

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// The spent set forgets a call only once its states have expired; full of
// calls still under way, it remembers no more and says so.
func TestSpentStatesForgetOnlyExpiredCalls(t *testing.T) {
	now := time.Unix(1_000_000, 0)
	var log strings.Builder
	logger := slog.New(slog.NewTextHandler(&log, nil))
	s := &spent{rounds: map[string]spentCall{}}
	for i := range maxSpent {
		if !s.take(fmt.Sprint("call-", i), 1, now.Unix()+60, now, logger) {
			t.Fatal("a new call was refused")
		}
	}
	if s.take("call-0", 1, now.Unix()+60, now, logger) {
		t.Error("a remembered state was taken twice")
	}
	// Full of calls under way: a new one is served but not remembered.
	for range 2 {
		if !s.take("new", 1, now.Unix()+60, now, logger) {
			t.Error("a new call was refused while the set is full")
		}
	}
	if !strings.Contains(log.String(), "the most this process remembers") {
		t.Errorf("no warning when full: %q", log.String())
	}
	// Once the oldest calls have expired, they make room.
	later := now.Add(2 * time.Minute)
	if !s.take("newer", 1, later.Unix()+60, later, logger) || s.take("newer", 1, later.Unix()+60, later, logger) {
		t.Error("a call after the oldest expired is not remembered")
	}
	if _, ok := s.rounds["call-0"]; ok {
		t.Error("the expired oldest call is still remembered")
	}
	if len(s.rounds) > maxSpent {
		t.Errorf("%d calls remembered, more than %d", len(s.rounds), maxSpent)
	}
}
