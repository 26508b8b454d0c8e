package interop_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestTypeScriptClientIsToldOfEveryCancelledAsk: six calls at once, each of
// whose sampling requests the TypeScript client never answers, so that the
// ask's deadline passes and the server gives up on it. The client must be
// told each time, with notifications/cancelled naming the request, on every
// transport. Over Streamable HTTP the notice travels on the POST stream of
// the tools/call, which closes with the call's response: go-sdk v1.8.0
// sends the notice from a goroutine that could lose that race, and the
// client was told of only 0 to 3 of the 6.
func TestTypeScriptClientIsToldOfEveryCancelledAsk(t *testing.T) {
	needNode(t)
	bin := filepath.Join(t.TempDir(), "askserver")
	if err := buildServer(bin, "./interop/internal/askserver"); err != nil {
		t.Fatal(err)
	}
	const calls = 6
	deadline := []string{"-ask-timeout", "300ms"}
	for _, tc := range []struct {
		name   string
		target func(t *testing.T) []string
	}{
		{"stdio", func(t *testing.T) []string { return append([]string{"--stdio", bin}, deadline...) }},
		{"streamable-http", func(t *testing.T) []string {
			return []string{"--http", startServer(t, bin, append([]string{"-http", "127.0.0.1:0"}, deadline...)...)}
		}},
		{"sse", func(t *testing.T) []string {
			return []string{"--sse", startServer(t, bin, append([]string{"-sse", "127.0.0.1:0"}, deadline...)...)}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// --hang: the client answers no sampling request and waits to be told.
			call := tsCall{tool: toolName, args: map[string]any{"text": inputText}}
			stdout, stderr, err := execTSClientCall(t, call, append(tc.target(t), "--calls", fmt.Sprint(calls), "--hang")...)
			if err != nil {
				t.Fatalf("node client: %v\nstderr:\n%s\nstdout:\n%s", err, stderr, stdout)
			}
			var out struct {
				Results    []map[string]any `json:"results"`
				RequestIDs []any            `json:"requestIds"`
				Cancelled  []struct {
					RequestID any    `json:"requestId"`
					Reason    string `json:"reason"`
				} `json:"cancelled"`
			}
			if err := json.Unmarshal([]byte(stdout), &out); err != nil {
				t.Fatalf("node client printed no JSON result: %v\nstdout:\n%s\nstderr:\n%s", err, stdout, stderr)
			}
			if len(out.Results) != calls {
				t.Fatalf("%d results, want %d:\n%s", len(out.Results), calls, stdout)
			}
			for i, r := range out.Results {
				if r["error"] != nil {
					t.Errorf("call %d failed: %v", i+1, r["error"])
				}
			}
			if len(out.RequestIDs) < calls {
				t.Fatalf("the client got %d sampling requests, want one per call (%d) at least", len(out.RequestIDs), calls)
			}
			told := map[string]bool{}
			for _, c := range out.Cancelled {
				told[fmt.Sprint(c.RequestID)] = true
			}
			var untold []string
			for _, id := range out.RequestIDs {
				if !told[fmt.Sprint(id)] {
					untold = append(untold, fmt.Sprint(id))
				}
			}
			t.Logf("told of %d of %d cancelled sampling requests", len(out.RequestIDs)-len(untold), len(out.RequestIDs))
			if len(untold) > 0 {
				t.Errorf("the client was never told that sampling requests %s were cancelled (notifications/cancelled received: %s)", strings.Join(untold, ", "), jsonString(out.Cancelled))
			}
		})
	}
}
