package runtime

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// A FuncSpec describes a tool with logic of its own: a function that may
// call any number of SampleX functions, and plain Go in between. Generated
// code fills one per function marked //samplegen:tool.
type FuncSpec[In, Out any] struct {
	Name         string
	Title        string
	Description  string
	InputSchema  string // JSON Schema of In
	OutputSchema string // JSON Schema of Out
	// Func is the tool's body. It may be nil for a body that is a method
	// of a value the server builds (a database or HTTP client): generated
	// code then gives it with [FuncTool.Bind] where the tool is added.
	Func func(context.Context, Sampler, In) (Out, error)
}

// A FuncTool is a compiled [FuncSpec].
type FuncTool[In, Out any] struct {
	spec  FuncSpec[In, Out]
	input *inputSchema
	out   *output
}

// NewFuncTool compiles spec; like [NewTool] it panics when the spec is
// broken. Use [CompileFuncTool] for hand-written specs.
func NewFuncTool[In, Out any](spec FuncSpec[In, Out]) *FuncTool[In, Out] {
	t, err := CompileFuncTool(spec)
	if err != nil {
		panic(err)
	}
	return t
}

// CompileFuncTool compiles spec, or says what is wrong with it.
func CompileFuncTool[In, Out any](spec FuncSpec[In, Out]) (*FuncTool[In, Out], error) {
	t := &FuncTool[In, Out]{spec: spec, out: &output{}}
	var err error
	if t.input, err = newInputSchema(spec.InputSchema); err != nil {
		return nil, fmt.Errorf("samplegen tool %s: input schema: %w", spec.Name, err)
	}
	if spec.OutputSchema != "" {
		if t.out, err = newOutput(spec.OutputSchema); err != nil {
			return nil, fmt.Errorf("samplegen tool %s: output schema: %w", spec.Name, err)
		}
	}
	return t, nil
}

// MCPTool returns the tool's MCP description.
func (t *FuncTool[In, Out]) MCPTool() *mcp.Tool {
	tool := &mcp.Tool{
		Name:        t.spec.Name,
		Title:       t.spec.Title,
		Description: t.spec.Description,
		InputSchema: json.RawMessage(t.spec.InputSchema),
	}
	if t.spec.OutputSchema != "" {
		tool.OutputSchema = json.RawMessage(t.spec.OutputSchema)
	}
	return tool
}

// Bind returns the tool with fn as its body, sharing the compiled schemas:
// for a tool whose body is a method, fn is the method of the value the
// server built (c.Lookup), so that the tool gets its dependencies without
// globals.
func (t *FuncTool[In, Out]) Bind(fn func(context.Context, Sampler, In) (Out, error)) *FuncTool[In, Out] {
	bound := *t
	bound.spec.Func = fn
	return &bound
}

// Add adds the tool to srv. On multi round-trip sessions the function runs
// again from the top on every round trip with the answers so far; see
// [AddFunc]. It panics when the tool has no body (see [FuncTool.Bind]).
func (t *FuncTool[In, Out]) Add(srv *mcp.Server, opts ...ToolOption) {
	if t.spec.Func == nil {
		panic(fmt.Sprintf("samplegen tool %s: no function to run: give one in FuncSpec.Func or with Bind", t.spec.Name))
	}
	cfg := newToolConfig(opts)
	mustServe(t.spec.Name, &cfg)
	cfg.hooks = hooksFor(srv)
	cfg.hooks.added(t.spec.Name, &cfg)
	cfg.hooks.wrapOutput(t.spec.Name, t.out.wrapped)
	srv.AddTool(t.MCPTool(), handle(t.spec.Name, t.input, t.out, cfg, t.spec.Func))
}
