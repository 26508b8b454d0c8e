package interop_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The official MCP conformance suite (@modelcontextprotocol/conformance,
// pinned in package-lock.json) against the conformance example server
// (./examples/conformance/server) over Streamable HTTP.
//
// Version 0.1.13 is the newest that runs on Node 20. Its client is the
// TypeScript SDK's, on protocol 2025-11-25, so the server pushes its sampling
// request. (The 2026-07-28 scenarios, multi round-trip sampling among them,
// come with 0.2.0-alpha.12 on Node 22: conformance_next_test.go.) What the
// scenarios hold the server to (read from the suite's source):
//
//   - server-initialize: the initialize handshake completes.
//   - tools-list: every tool has a name, a description and an inputSchema.
//   - tools-call-sampling: calling test_sampling {prompt} makes the server
//     send sampling/createMessage (the suite answers with the prose "This is
//     a test response from the client") and the result has content. The
//     suite does not look further, so a tool error would pass it: this test
//     also requires a result that is not an error and carries the answer.
//   - dns-rebinding-protection: a POST with Host and Origin of
//     evil.example.com gets a 4xx; one with the server's own loopback
//     Host and Origin gets a 2xx.

// conformanceScenarios are the scenarios issue 5 names, in the order run.
var conformanceScenarios = []string{
	"server-initialize",
	"tools-list",
	"tools-call-sampling",
	"dns-rebinding-protection",
}

// samplingAnswer is what the suite's client answers every sampling request
// with, and so what test_sampling must give back.
const samplingAnswer = "This is a test response from the client"

// TestConformanceSuite runs the four scenarios against a stateful Streamable
// HTTP server, and requires every check of each to succeed.
func TestConformanceSuite(t *testing.T) {
	needNode(t)
	url := startServer(t, conformanceSB, "-http", "127.0.0.1:0")
	for _, scenario := range conformanceScenarios {
		t.Run(scenario, func(t *testing.T) {
			checks := runConformance(t, url, scenario)
			requireAllPass(t, checks)
			if scenario == "tools-call-sampling" {
				checkConformanceSampling(t, checks)
			}
		})
	}
}

// TestConformanceSuiteStateless runs the scenarios that need no sampling
// against the server in stateless mode. tools-call-sampling is left out on
// purpose: the suite's client speaks 2025-11-25, where sampling is pushed
// over a session, and a stateless server has no session to push on (nor
// knows the client's capabilities), so the runtime answers -32021 there; see
// TestInspectorCLICannotSample for that outcome, and the go-sdk stateless
// test for sampling on stateless HTTP (2026-07-28).
func TestConformanceSuiteStateless(t *testing.T) {
	needNode(t)
	url := startServer(t, conformanceSB, "-http", "127.0.0.1:0", "-stateless")
	for _, scenario := range []string{"server-initialize", "tools-list", "dns-rebinding-protection"} {
		t.Run(scenario, func(t *testing.T) {
			requireAllPass(t, runConformance(t, url, scenario))
		})
	}
}

// TestConformanceDNSRebindingBites checks that the dns-rebinding-protection
// scenario can fail: with the protection turned off (-allow-remote-hosts)
// the suite must see the foreign Host accepted. Without this, a suite that
// passed everything would prove nothing.
func TestConformanceDNSRebindingBites(t *testing.T) {
	needNode(t)
	url := startServer(t, conformanceSB, "-http", "127.0.0.1:0", "-allow-remote-hosts")
	checks := runConformance(t, url, "dns-rebinding-protection")
	for _, c := range checks {
		if c.ID == "localhost-host-rebinding-rejected" {
			if c.Status != "FAILURE" {
				t.Errorf("with -allow-remote-hosts, check %s = %s, want FAILURE (the server accepted a foreign Host)", c.ID, c.Status)
			}
			return
		}
	}
	t.Fatalf("no localhost-host-rebinding-rejected check among %s", jsonString(checks))
}

// conformanceCheck is one entry of the suite's checks.json.
type conformanceCheck struct {
	ID           string          `json:"id"`
	Name         string          `json:"name"`
	Status       string          `json:"status"` // SUCCESS, FAILURE, WARNING, ...
	ErrorMessage string          `json:"errorMessage"`
	Details      json.RawMessage `json:"details"`
}

// runConformance runs one scenario of the suite against url and returns the
// checks it saved. The suite exits 1 when a check fails; that is left to the
// caller, which sees the checks.
func runConformance(t *testing.T, url, scenario string) []conformanceCheck {
	t.Helper()
	out := t.TempDir()
	bin := filepath.Join(interopDir, "node_modules", "@modelcontextprotocol", "conformance", "dist", "index.js")
	cmd, ctx := command(t, "node", bin, "server", "--url", url, "--scenario", scenario, "--output-dir", out)
	cmd.Dir = interopDir
	var output bytes.Buffer
	cmd.Stdout = &output
	cmd.Stderr = &output
	runErr := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("conformance %s did not finish within %v\noutput:\n%s", scenario, subprocessTimeout, &output)
	}
	// The suite writes OUT/server-SCENARIO-TIMESTAMP/checks.json.
	files, _ := filepath.Glob(filepath.Join(out, "*", "checks.json"))
	if len(files) != 1 {
		t.Fatalf("conformance %s (%v) left %d checks.json files, want 1\noutput:\n%s", scenario, runErr, len(files), &output)
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	var checks []conformanceCheck
	if err := json.Unmarshal(b, &checks); err != nil {
		t.Fatalf("%s: %v", files[0], err)
	}
	if len(checks) == 0 {
		t.Fatalf("conformance %s ran no checks\noutput:\n%s", scenario, &output)
	}
	t.Cleanup(func() {
		if t.Failed() || testing.Verbose() {
			t.Logf("conformance %s (exit: %v):\n%s", scenario, runErr, &output)
		}
	})
	return checks
}

func requireAllPass(t *testing.T, checks []conformanceCheck) {
	t.Helper()
	for _, c := range checks {
		if c.Status != "SUCCESS" {
			t.Errorf("check %s (%s) = %s: %s\ndetails: %s", c.ID, c.Name, c.Status, c.ErrorMessage, c.Details)
		}
	}
}

// checkConformanceSampling holds test_sampling's result to more than the
// suite does: not an error, and the client's answer in it, as it came.
func checkConformanceSampling(t *testing.T, checks []conformanceCheck) {
	t.Helper()
	var details struct {
		SamplingRequested bool `json:"samplingRequested"`
		Result            struct {
			IsError bool `json:"isError"`
			Content []struct {
				Type string `json:"type"`
				Text string `json:"text"`
			} `json:"content"`
			StructuredContent map[string]any `json:"structuredContent"`
		} `json:"result"`
	}
	if err := json.Unmarshal(checks[0].Details, &details); err != nil {
		t.Fatalf("tools-call-sampling details: %v: %s", err, checks[0].Details)
	}
	res := details.Result
	if !details.SamplingRequested {
		t.Error("the server did not ask the suite's client to sample")
	}
	if res.IsError {
		t.Fatalf("test_sampling returned a tool error: %+v", res.Content)
	}
	want := "LLM response: " + samplingAnswer
	if got := res.StructuredContent["text"]; got != want {
		t.Errorf("structuredContent.text = %v, want %q", got, want)
	}
	if len(res.Content) != 1 || res.Content[0].Type != "text" || !strings.Contains(res.Content[0].Text, want) {
		t.Errorf("content = %+v, want one text block carrying %q", res.Content, want)
	}
}
