package runtime_test

import (
	"context"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
)

// directory is a dependency a method tool gets from its receiver.
type directory struct{ owner string }

func (d *directory) lookup(ctx context.Context, s runtime.Sampler, in Ticket) (Verdict, error) {
	return Verdict{Label: d.owner + ":" + in.Text}, nil
}

// A tool whose body is a method runs on the value it was bound to, each
// server its own, on either era; unbound, it cannot be added.
func TestBoundFunctionTool(t *testing.T) {
	tool := runtime.NewFuncTool(runtime.FuncSpec[Ticket, Verdict]{Name: "classify", InputSchema: ticketSchema})
	for _, protocol := range []string{legacyProtocol, mrtrProtocol} {
		t.Run(protocol, func(t *testing.T) {
			for _, owner := range []string{"alice", "bob"} {
				srv := newServer(protocol)
				d := &directory{owner: owner}
				tool.Bind(d.lookup).Add(srv, quiet())
				cs := connect(t, srv, nil)
				res := callClassify(t, cs, "x")
				if got := decode[Verdict](t, res.StructuredContent); res.IsError || got.Label != owner+":x" {
					t.Errorf("result %s, want the bound receiver's", textOf(res))
				}
			}
		})
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "no function to run") {
			t.Errorf("Add of an unbound tool: %v, want a panic that says to bind one", r)
		}
	}()
	tool.Add(mcp.NewServer(&mcp.Implementation{Name: "s", Version: "1"}, nil))
}
