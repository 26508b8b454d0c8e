// Package wirelog reads back what go-sdk's mcp.LoggingTransport writes, so
// that a test asserts on the messages a client's transport read and wrote
// as they were on the wire:
//
//	log := &wirelog.Log{}
//	transport := &mcp.LoggingTransport{Transport: ct, Writer: log}
//	... connect a client over transport, call a tool ...
//	for _, msg := range log.Read(t) { ... msg["method"] ... }
package wirelog

import (
	"bytes"
	"encoding/json"
	"strings"
	"sync"
	"testing"
)

// A Log is the Writer of an mcp.LoggingTransport. It is safe for
// concurrent use.
type Log struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write keeps p.
func (l *Log) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// Read returns the messages the transport read, decoded, oldest first.
func (l *Log) Read(t testing.TB) []map[string]any { return l.messages(t, "read: ") }

// Written returns the messages the transport wrote, decoded, oldest first.
func (l *Log) Written(t testing.TB) []map[string]any { return l.messages(t, "write: ") }

func (l *Log) messages(t testing.TB, prefix string) []map[string]any {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var msgs []map[string]any
	for line := range strings.Lines(l.buf.String()) {
		raw, ok := strings.CutPrefix(line, prefix)
		if !ok {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(raw), &m); err != nil {
			t.Fatalf("wirelog: decoding %q: %v", raw, err)
		}
		msgs = append(msgs, m)
	}
	return msgs
}
