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

// A served tool keeps its report to the log unless told to show it.
func TestReportMetaIsOptIn(t *testing.T) {
	t.Setenv(runtime.EnvReportMeta, "")
	for _, opts := range [][]runtime.ToolOption{{quiet()}, {quiet(), runtime.WithReportMeta()}} {
		srv := newServer(legacyProtocol)
		runtime.NewTool(verdictSpec()).Add(srv, opts...)
		res := callClassify(t, connect(t, srv, &mcp.ClientOptions{CreateMessageHandler: say(`{"label":"ham","score":0.2}`).handler}), "x")
		if _, shown := res.Meta[runtime.ReportMetaKey]; shown != (len(opts) == 2) {
			t.Errorf("with %d options the report is shown: %v", len(opts), shown)
		}
	}
}
