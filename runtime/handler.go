package runtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"time"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/internal/telemetry"
	"github.com/samplegen/samplegen/runtime/answer"
)

// Add adds the tool to srv. Its handler reaches a model by the call's
// [Plan]: by pushing sampling requests on sessions of protocol 2025-11-25
// and older, by returning input requests on 2026-07-28 sessions, or through
// the server's own model. opts apply to every call.
//
// Add panics on options that cannot work together (a state key shorter
// than MinStateKeyBytes), as go-sdk's
// AddTool panics on a tool without an input schema: a misconfiguration
// fails where the tool is added, not on its first call.
func (t *Tool[In, Out]) Add(srv *mcp.Server, opts ...ToolOption) {
	cfg := newToolConfig(opts)
	mustServe(t.spec.Name, &cfg)
	cfg.hooks = hooksFor(srv)
	cfg.hooks.added(t.spec.Name, &cfg)
	cfg.hooks.wrapOutput(t.spec.Name, t.out.wrapped)
	srv.AddTool(t.MCPTool(), handle(t.spec.Name, t.input, t.out, cfg, func(ctx context.Context, s Sampler, in In) (Out, error) {
		return t.sampleCall(ctx, s, in, true, nil)
	}))
}

// AddFunc adds a tool whose body is fn, a function that may call any number
// of SampleX functions with the Sampler it is given and run plain Go in
// between. tool must carry the input schema of In (and may carry the output
// schema of Out).
//
// On multi round-trip sessions fn is run again from the top on every round
// trip, with the answers so far, so it must ask the same things in the same
// way each time given the same input (it may ask concurrently). Return
// sampling errors rather than swallowing them.
func AddFunc[In, Out any](srv *mcp.Server, tool *mcp.Tool, fn func(context.Context, Sampler, In) (Out, error), opts ...ToolOption) error {
	if fn == nil {
		return fmt.Errorf("samplegen tool %s: no function", tool.Name)
	}
	spec := FuncSpec[In, Out]{Name: tool.Name, Title: tool.Title, Description: tool.Description, Func: fn}
	for _, s := range []struct {
		schema any
		into   *string
	}{{tool.InputSchema, &spec.InputSchema}, {tool.OutputSchema, &spec.OutputSchema}} {
		if s.schema == nil {
			continue
		}
		raw, err := json.Marshal(s.schema)
		if err != nil {
			return fmt.Errorf("samplegen tool %s: schema: %w", tool.Name, err)
		}
		*s.into = string(raw)
	}
	t, err := CompileFuncTool(spec)
	if err != nil {
		return err
	}
	t.Add(srv, opts...)
	return nil
}

// mustServe panics on tool options that cannot work together.
func mustServe(name string, cfg *toolConfig) {
	if err := checkStateKey(cfg.stateKey, "WithStateKey"); err != nil {
		panic(fmt.Sprintf("samplegen tool %s: %v", name, err))
	}
}

// handle is the one tools/call handler behind every samplegen tool: it
// decodes the arguments, plans the call, runs the body with the plan's
// driver, and reports.
func handle[In, Out any](name string, input *inputSchema, out *output, cfg toolConfig, body func(context.Context, Sampler, In) (Out, error)) mcp.ToolHandler {
	return func(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		start := time.Now()
		tel := cfg.telemetry()
		ctx, span := tel.StartTool(ctx, name, req.ProtocolVersion(), sessionID(req), req.Params.GetMeta(), start)
		// fail ends a call that could not start.
		fail := func(err error, errType string, level slog.Level) *mcp.CallToolResult {
			span.End(ctx, OutcomeError, errType, err)
			return failed(ctx, req, name, start, err, &cfg, tel, level)
		}
		in, err := decodeArgs[In](req.Params.Arguments, input)
		if err != nil {
			// The client's mistake, not the server's: a warning.
			return fail(fmt.Errorf("%s: invalid arguments: %w", name, err), errTypeTool, slog.LevelWarn), nil
		}
		c, d, err := planCall(req, name, &cfg, start)
		if errors.Is(err, errBadState) || errors.Is(err, errBadInputResponses) {
			// The client sent a round trip that cannot be: a protocol error
			// (SEP-2322), not a tool's.
			err = fmt.Errorf("%s: %w", name, err)
			fail(err, telemetry.JSONRPCErrorType(jsonrpc.CodeInvalidParams), slog.LevelWarn)
			return nil, &jsonrpc.Error{Code: jsonrpc.CodeInvalidParams, Message: err.Error()}
		}
		if err != nil {
			return fail(fmt.Errorf("%s: %w", name, err), errTypeTool, slog.LevelError), nil
		}
		c.tel, c.span = tel, span
		span.Plan(c.plan.Era, c.plan.Respond, c.plan.ServerFallback, c.roundTrip())
		rep := &c.report
		rep.Tool = name

		value, err := body(withCall(ctx, c), d, in)

		if res, serr := d.settle(name); res != nil {
			span.InputRequired(ctx, len(res.InputRequests))
			return res, nil // back to the client for answers
		} else if serr != nil {
			err = serr
		}
		rep.Plan, rep.Samples, rep.Latency = c.plan, c.reports, time.Since(c.started)
		if rep.Samples == nil {
			rep.Samples = []*Report{}
		}
		var res *mcp.CallToolResult
		if err == nil {
			if res, err = out.result(value, rep.Plan.Protocol); err != nil {
				err = fmt.Errorf("%s: %w", name, err)
			}
		}
		rep.end(err)
		rep.price(cfg.pricing())
		rep.log(ctx, cfg.logger)
		rep.record(ctx, tel)
		switch {
		case errors.Is(err, ErrCannotSample):
			span.End(ctx, rep.Outcome, telemetry.JSONRPCErrorType(mcp.CodeMissingRequiredClientCapabilities), err)
			return nil, &jsonrpc.Error{Code: mcp.CodeMissingRequiredClientCapabilities, Message: cannotSampleMessage(name, req), Data: missingSampling}
		case err != nil:
			span.End(ctx, rep.Outcome, errTypeTool, err)
			return toolError(err, cfg.meta(rep)), nil
		}
		span.End(ctx, rep.Outcome, "", nil)
		res.Meta = cfg.meta(rep)
		return res, nil
	}
}

// failed reports, logs and counts a call that could not start.
func failed(ctx context.Context, req *mcp.CallToolRequest, name string, start time.Time, err error, cfg *toolConfig, tel *telemetry.Set, level slog.Level) *mcp.CallToolResult {
	rep := &CallReport{Tool: name, Plan: Plan{Protocol: req.ProtocolVersion()}}
	rep.Latency = time.Since(start)
	rep.Samples = []*Report{}
	rep.end(err)
	rep.logAt(ctx, cfg.logger, level)
	rep.record(ctx, tel)
	return toolError(err, cfg.meta(rep))
}

// meta is the _meta of a result: the report, where the tool shows it.
func (c *toolConfig) meta(rep *CallReport) mcp.Meta {
	switch c.reportMeta {
	case ReportMetaOff:
		return nil
	case ReportMetaOn:
		return mcp.Meta{ReportMetaKey: rep.forClient()}
	}
	return mcp.Meta{ReportMetaKey: rep}
}

// missingSampling is the data of error -32021 (SEP-2575,
// mcp.MissingRequiredClientCapabilityData): the capability the client
// lacks. Written out, because mcp.ClientCapabilities always writes roots.
var missingSampling = json.RawMessage(`{"requiredCapabilities":{"sampling":{}}}`)

// cannotSampleMessage says why the client could not be asked, in the
// words of what is known about it.
func cannotSampleMessage(name string, req *mcp.CallToolRequest) string {
	version := req.ProtocolVersion()
	// A stateless HTTP server has no session: on protocols before 2026-07-28
	// it knows nothing of the client and cannot push a request to it.
	if req.Extra != nil && req.Extra.Header != nil && req.Session.ID() == "" && version < protocolMRTR {
		return fmt.Sprintf("%s needs the client's sampling capability, but on a stateless HTTP server with protocol %s the client's capabilities are unknown and no request can be pushed to it: use protocol %s (multi round-trip), a stateful session, or a server with a model of its own (WithServerSampler)", name, version, protocolMRTR)
	}
	return fmt.Sprintf("%s needs the client's sampling capability, which the client did not declare, and the server has no model of its own (WithServerSampler)", name)
}

// An inputSchema is a tool's resolved input schema and what the argument
// decoder needs to know of it.
type inputSchema struct {
	*jsonschema.Resolved
	defaults bool // some property has a default to apply
}

func newInputSchema(text string) (*inputSchema, error) {
	rs, err := resolveSchema(text)
	if err != nil {
		return nil, err
	}
	in := &inputSchema{Resolved: rs}
	for _, p := range rs.Schema().Properties {
		if p.Default != nil {
			in.defaults = true
		}
	}
	return in, nil
}

// decodeArgs validates the arguments against the input schema, with its
// defaults applied, and decodes them into In from their own bytes, so that
// numbers beyond float64's precision arrive intact. Arguments valid as they
// stand (the common case) are read once to check and once to decode, and
// no other value is built.
func decodeArgs[In any](raw json.RawMessage, schema *inputSchema) (In, error) {
	var in In
	if len(raw) == 0 || string(raw) == "null" {
		raw = json.RawMessage("{}")
	}
	if !schema.defaults && answer.Valid(raw, schema.Resolved) {
		return in, json.Unmarshal(raw, &in)
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return in, err
	}
	var defaults map[string]any // what the schema's defaults add
	if m, ok := v.(map[string]any); ok && schema.defaults {
		given := maps.Clone(m)
		if err := schema.ApplyDefaults(&m); err != nil {
			return in, err
		}
		for k, d := range m {
			if _, ok := given[k]; !ok {
				if defaults == nil {
					defaults = map[string]any{}
				}
				defaults[k] = d
			}
		}
	}
	if err := answer.Check(v, schema.Resolved); err != nil {
		return in, err
	}
	if err := json.Unmarshal(raw, &in); err != nil {
		return in, err
	}
	if len(defaults) == 0 {
		return in, nil
	}
	b, err := json.Marshal(defaults)
	if err != nil {
		return in, err
	}
	return in, json.Unmarshal(b, &in)
}

func toolError(err error, meta mcp.Meta) *mcp.CallToolResult {
	res := &mcp.CallToolResult{Meta: meta}
	res.SetError(err)
	return res
}
