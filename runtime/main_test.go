package runtime_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
	"go.uber.org/goleak"
)

// Every test here must leave no goroutine behind: a sampling call that
// ends, however it ends, takes its goroutines with it.
//
// The tests read each call's report from its result's _meta, so every
// tool they add shows it (TestReportMetaIsOptIn holds the default).
func TestMain(m *testing.M) {
	os.Setenv(runtime.EnvReportMeta, "full")
	goleak.VerifyTestMain(m)
}

// A served tool keeps its report to the log unless told to show it; the
// option wins over the environment. (TestMain sets "full" for the rest.)
func TestReportMetaIsOptIn(t *testing.T) {
	for _, tc := range []struct {
		env  string
		opts []runtime.ToolOption
		want bool
	}{
		{"", nil, false},
		{"", []runtime.ToolOption{runtime.WithReportMeta(runtime.ReportMetaOn)}, true},
		{"true", nil, true},
		{"true", []runtime.ToolOption{runtime.WithReportMeta(runtime.ReportMetaOff)}, false},
	} {
		t.Setenv(runtime.EnvReportMeta, tc.env)
		srv := newServer(legacyProtocol)
		runtime.NewTool(verdictSpec()).Add(srv, append([]runtime.ToolOption{quiet()}, tc.opts...)...)
		res := callClassify(t, connect(t, srv, &mcp.ClientOptions{CreateMessageHandler: say(`{"label":"ham","score":0.2}`).handler}), "x")
		if _, shown := res.Meta[runtime.ReportMetaKey]; shown != tc.want {
			t.Errorf("%s=%q with %d options: report shown %v, want %v", runtime.EnvReportMeta, tc.env, len(tc.opts), shown, tc.want)
		}
	}
}

// What the server's own model said stays in the server's log unless the
// operator asks for the whole report: the client sees that it answered, not
// its name nor the answers it refused.
func TestReportMetaKeepsTheServersModelToItself(t *testing.T) {
	for _, tc := range []struct {
		level   runtime.ReportMeta
		secrets bool
	}{{runtime.ReportMetaOn, false}, {runtime.ReportMetaFull, true}} {
		srv := newServer(legacyProtocol)
		server := say(`{"label":"INTERNAL-SECRET-123 operator note","score":0.5}`, `{"label":"ham","score":0.5,"internal_key_42":1}`)
		server.model = "internal-model-7"
		runtime.NewTool(verdictSpec()).Add(srv, quiet(), runtime.WithServerSampler(server), runtime.WithReportMeta(tc.level))
		res := callClassify(t, connect(t, srv, nil), "x")
		raw, err := json.Marshal(res.Meta[runtime.ReportMetaKey])
		if err != nil || res.IsError {
			t.Fatalf("%v %s", err, textOf(res))
		}
		for _, secret := range []string{"INTERNAL-SECRET-123", "internal-model-7", "internal_key_42"} {
			if strings.Contains(string(raw), secret) != tc.secrets {
				t.Errorf("level %v: report %s; holds %q: %v, want %v", tc.level, raw, secret, !tc.secrets, tc.secrets)
			}
		}
		if rep, _, _ := runtime.CallReportOf(&mcp.CallToolResult{Meta: mcp.Meta{runtime.ReportMetaKey: json.RawMessage(raw)}}); len(rep.Samples) != 1 || len(rep.Samples[0].Rounds) != 2 {
			t.Errorf("level %v: report %s, want both rounds still counted", tc.level, raw)
		}
	}
}
