package interop_test

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// The MCP Inspector's CLI mode as a client that cannot sample: it declares
// no sampling capability, so a samplegen tool must fail at once with JSON-RPC
// -32021 (missing required client capability) naming sampling, not hang
// waiting for an answer that will never come.
//
// The package pinned is @modelcontextprotocol/inspector-cli 1.0.3: the code
// that `npx @modelcontextprotocol/inspector --cli` runs (the inspector
// package ships the same build under cli/build and spawns it), without the
// web UI, its proxy server and ts-node, and without the inspector package's
// Node 22 engine requirement, which is for the UI. Its launcher, build/cli.js
// with --cli, is what the test runs. Inspector 2.x is a rewrite on the
// TypeScript SDK v2 and needs Node 22.19.

// inspector runs the Inspector CLI with args and returns its combined
// output and its exit error. A hang fails the test at the subprocess
// deadline; how fast a refusal comes is not asserted, because on a loaded
// machine the CLI's own start-up alone can take many seconds.
func inspector(t *testing.T, args ...string) (string, error) {
	t.Helper()
	launcher := filepath.Join(interopDir, "node_modules", "@modelcontextprotocol", "inspector-cli", "build", "cli.js")
	cmd, ctx := command(t, "node", append([]string{launcher, "--cli"}, args...)...)
	// The CLI imports its own package.json as "../package.json" if that path
	// exists relative to the working directory, else "../../package.json"
	// relative to itself; a directory one level below interop/ satisfies it.
	cmd.Dir = filepath.Join(interopDir, "ts")
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("the Inspector CLI did not finish within %v (a hang)\noutput:\n%s", subprocessTimeout, &out)
	}
	return out.String(), err
}

// TestInspectorCLICannotSample calls analyze_sentiment from the Inspector
// CLI over each transport and wants the -32021 refusal.
func TestInspectorCLICannotSample(t *testing.T) {
	needNode(t)
	call := []string{"--method", "tools/call", "--tool-name", toolName, "--tool-arg", "text=" + inputText}
	for _, tc := range []struct {
		name   string
		target func(t *testing.T) []string
	}{
		{"stdio", func(*testing.T) []string { return []string{serverBin} }},
		{"streamable-http", func(t *testing.T) []string {
			return []string{startServer(t, serverBin, "-http", "127.0.0.1:0"), "--transport", "http"}
		}},
		// A stateless server cannot know an older client's capabilities, and
		// cannot push to it anyway: the same refusal.
		{"streamable-http-stateless", func(t *testing.T) []string {
			return []string{startServer(t, serverBin, "-http", "127.0.0.1:0", "-stateless"), "--transport", "http"}
		}},
		{"sse", func(t *testing.T) []string {
			return []string{startServer(t, serverBin, "-sse", "127.0.0.1:0"), "--transport", "sse"}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := inspector(t, append(tc.target(t), call...)...)
			if err == nil {
				t.Fatalf("the call succeeded for a client that cannot sample; output:\n%s", out)
			}
			if !strings.Contains(out, "-32021") {
				t.Errorf("output does not carry the JSON-RPC code -32021 (missing required client capability):\n%s", out)
			}
			if !strings.Contains(strings.ToLower(out), "sampling") {
				t.Errorf("the error does not name the missing sampling capability:\n%s", out)
			}
		})
	}
}

// TestInspectorCLIListsTools is the control: the same client, connected the
// same way, lists the tool, so the refusal above is about sampling and not
// a connection that never worked.
func TestInspectorCLIListsTools(t *testing.T) {
	needNode(t)
	out, err := inspector(t, serverBin, "--method", "tools/list")
	if err != nil {
		t.Fatalf("tools/list: %v\noutput:\n%s", err, out)
	}
	// The JSON result is printed on stdout; a deprecation notice may precede
	// it on stderr.
	i := strings.Index(out, "{")
	if i < 0 {
		t.Fatalf("no JSON in the output:\n%s", out)
	}
	var list struct {
		Tools []struct {
			Name string `json:"name"`
		} `json:"tools"`
	}
	if err := json.NewDecoder(strings.NewReader(out[i:])).Decode(&list); err != nil {
		t.Fatalf("decoding tools/list: %v\noutput:\n%s", err, out)
	}
	for _, tool := range list.Tools {
		if tool.Name == toolName {
			return
		}
	}
	t.Errorf("tools/list has no %s: %+v", toolName, list.Tools)
}

// TestInspectorCLICannotSampleFunctionTool: test_sampling is a function tool
// that asks its Sampler directly. For a client that cannot sample, on a
// stateless server, it must be refused with -32021 like a sampling tool, and
// the server must live on (it once crashed on a nil Sampler).
func TestInspectorCLICannotSampleFunctionTool(t *testing.T) {
	needNode(t)
	url := startServer(t, conformanceSB, "-http", "127.0.0.1:0", "-stateless")
	out, err := inspector(t, url, "--transport", "http", "--method", "tools/call", "--tool-name", "test_sampling", "--tool-arg", "prompt=hello")
	if err == nil || !strings.Contains(out, "-32021") {
		t.Fatalf("err %v, output:\n%s\nwant the -32021 refusal", err, out)
	}
	if out, err := inspector(t, url, "--transport", "http", "--method", "tools/list"); err != nil || !strings.Contains(out, "test_sampling") {
		t.Fatalf("the server did not survive the refused call: %v\n%s", err, out)
	}
}
