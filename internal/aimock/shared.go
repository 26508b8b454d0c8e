package aimock

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
)

// Sharing one server among a test binary's tests: starting aimock takes a
// node process and a few hundred milliseconds, which a test that sends two
// requests should not pay. Tests that share a server keep apart by test
// ID (see [TestIDHeader]): aimock counts sequences, applies chaos and
// filters its journal per ID. What it does not scope is its control API's
// queued errors (POST /__aimock/error) and its resets, which a test on a
// shared server must not use.

// ServerGoroutine is the function of the one goroutine a running [Server]
// keeps in this process (it reads the server's output), for a leak check
// that runs while shared servers are up:
//
//	goleak.Find(goleak.IgnoreAnyFunction(aimock.ServerGoroutine))
const ServerGoroutine = "github.com/samplegen/samplegen/internal/aimock.(*Server).readOutput"

var shared = struct {
	mu      sync.Mutex
	servers map[string]*sharedServer // by the Options' JSON
}{servers: map[string]*sharedServer{}}

type sharedServer struct {
	once sync.Once
	srv  *Server
	err  error
}

// Shared returns the server for opts that all the tests of this binary
// share, started by the first test that asks, and stopped by [CloseShared]
// (call it from TestMain, after m.Run). Like [Start] it skips t where node
// or the pinned aimock is missing, unless CI=true, where it fails t; a
// server that could not start fails every test that asks for it, without
// trying again. The server's output is logged for a test that failed.
//
// Mark the requests of each test with [TestID], not t.Name(): with
// -count=N the same test runs again on the same server.
func Shared(t testing.TB, opts Options) *Server {
	t.Helper()
	key, err := json.Marshal(opts)
	if err != nil {
		t.Fatalf("aimock: options %+v: %v", opts, err)
	}
	shared.mu.Lock()
	s, ok := shared.servers[string(key)]
	if !ok {
		s = &sharedServer{}
		shared.servers[string(key)] = s
	}
	shared.mu.Unlock()
	s.once.Do(func() { s.srv, s.err = StartServer(context.Background(), opts) })
	var missing *MissingError
	if errors.As(s.err, &missing) && !InCI() {
		t.Skip(missing.Error())
	}
	if s.err != nil {
		t.Fatal(s.err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("aimock output (a server this binary's tests share):\n%s", s.srv.Output())
		}
	})
	return s.srv
}

// CloseShared stops every server [Shared] started, and reports those that
// had exited on their own or would not stop.
func CloseShared() error {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	var errs []error
	for key, s := range shared.servers {
		if s.srv != nil {
			if err := s.srv.Close(); err != nil {
				errs = append(errs, fmt.Errorf("aimock serving %s: %w", key, err))
			}
		}
		delete(shared.servers, key)
	}
	return errors.Join(errs...)
}

var testIDs = struct {
	mu   sync.Mutex
	last int
	ids  map[testing.TB]string
}{ids: map[testing.TB]string{}}

// TestID returns the test ID of t's requests (see [TestIDHeader]): the
// same for every call during t, and used by no other test of this binary,
// nor by another run of t under -count=N. It is t.Name() and a number, so
// that aimock's output still says which test sent what.
func TestID(t testing.TB) string {
	testIDs.mu.Lock()
	defer testIDs.mu.Unlock()
	if id, ok := testIDs.ids[t]; ok {
		return id
	}
	testIDs.last++
	id := fmt.Sprintf("%s#%d", t.Name(), testIDs.last)
	testIDs.ids[t] = id
	t.Cleanup(func() {
		testIDs.mu.Lock()
		delete(testIDs.ids, t)
		testIDs.mu.Unlock()
	})
	return id
}
