package runtime_test

import (
	"os"
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
	os.Setenv(runtime.EnvReportMeta, "true")
	goleak.VerifyTestMain(m)
}

// A served tool keeps its report to the log unless told to show it; the
// option wins over the environment.
func TestReportMetaIsOptIn(t *testing.T) {
	for _, tc := range []struct {
		env  string
		opts []runtime.ToolOption
		want bool
	}{
		{"", nil, false},
		{"", []runtime.ToolOption{runtime.WithReportMeta(true)}, true},
		{"true", nil, true},
		{"true", []runtime.ToolOption{runtime.WithReportMeta(false)}, false},
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
