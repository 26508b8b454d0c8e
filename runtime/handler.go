package runtime

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Add adds the tool to srv. Its handler samples through the calling client:
// by pushing sampling requests on sessions of protocol 2025-11-25 and older,
// by returning input requests on 2026-07-28 sessions. opts apply to every
// call (a fallback sampler, a state key, a logger, parameter overrides).
func (t *Tool[In, Out]) Add(srv *mcp.Server, opts ...Option) {
	// The options reach Sample through the call (see handle).
	srv.AddTool(t.MCPTool(), handle(t.spec.Name, t.input, newConfig(opts), func(ctx context.Context, s Sampler, in In) (Out, error) {
		return t.Sample(ctx, s, in)
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
func AddFunc[In, Out any](srv *mcp.Server, tool *mcp.Tool, fn func(context.Context, Sampler, In) (Out, error), opts ...Option) error {
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

// handle is the one tools/call handler behind every samplegen tool.
func handle[In, Out any](name string, input *jsonschema.Resolved, cfg config, body func(context.Context, Sampler, In) (Out, error)) mcp.ToolHandler {
	if cfg.policy == AlwaysFallback && cfg.fallback == nil {
		// A misconfiguration, like go-sdk's AddTool without a schema: fail
		// where the tool is added, not on its first call.
		panic(fmt.Sprintf("samplegen tool %s: WithSamplingPolicy(AlwaysFallback) needs WithFallbackSampler", name))
	}
	if err := cfg.checkStateKey(); err != nil {
		panic(fmt.Sprintf("samplegen tool %s: %v", name, err))
	}
	return func(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		start := time.Now()
		in, err := decodeArgs[In](req.Params.Arguments, input)
		if err != nil {
			return toolError(fmt.Errorf("%s: invalid arguments: %w", name, err), nil), nil
		}
		// Every SampleX call in the body sees the tool's options; each call
		// of the tool fills a report of its own, whatever the options say.
		c := &call{era: EraPush, cfg: cfg}
		c.cfg.report = nil
		var sampler Sampler
		var replay *replaySampler
		var st *callState
		caps := req.ClientCapabilities()
		switch {
		case cfg.policy == AlwaysFallback:
			sampler = fallbackSampler{cfg.fallback}
		case caps == nil || caps.Sampling == nil:
			sampler = noSampler{}
			if cfg.fallback != nil {
				sampler = fallbackSampler{cfg.fallback}
			}
		case req.ProtocolVersion() >= protocolMRTR:
			c.era = EraMultiRoundTrip
			st, replay, err = resume(req, name, cfg)
			if err != nil {
				return toolError(fmt.Errorf("%s: %w", name, err), nil), nil
			}
			sampler = replay
			start = time.UnixMilli(st.Started)
		default:
			sampler = pushSampler{session: req.Session}
		}
		c.tools = isClient(sampler) && caps.Sampling.Tools != nil

		out, err := body(withCall(ctx, c), sampler, in)

		if replay != nil {
			// Every answer from earlier round trips must be asked for again:
			// one that is not means the handler asked something else this
			// time, and replaying it can never converge.
			if unused := replay.unused(); len(unused) > 0 {
				return toolError(fmt.Errorf("%s: the handler asked the model something different when run again (answers %v went unused): a multi round-trip tool must ask the same things given the same input", name, unused), nil), nil
			}
			if pending := replay.pendingIDs(); len(pending) > 0 {
				return suspend(name, st, replay, pending, cfg)
			}
		}
		meta := reportMeta(c, time.Since(start))
		for _, r := range c.reports {
			cfg.logger.Info("samplegen call", "report", r)
		}
		if errors.Is(err, ErrCannotSample) {
			return nil, &jsonrpc.Error{Code: mcp.CodeMissingRequiredClientCapabilities, Message: cannotSampleMessage(name, req)}
		}
		if err != nil {
			return toolError(err, meta), nil
		}
		return result(name, out, meta), nil
	}
}

// cannotSampleMessage says why the client could not be asked, in the
// words of what is known about it.
func cannotSampleMessage(name string, req *mcp.CallToolRequest) string {
	version := req.ProtocolVersion()
	// A stateless HTTP server has no session: on protocols before 2026-07-28
	// it knows nothing of the client and cannot push a request to it.
	if req.Extra != nil && req.Extra.Header != nil && req.Session.ID() == "" && version < protocolMRTR {
		return fmt.Sprintf("%s needs the client's sampling capability, but on a stateless HTTP server with protocol %s the client's capabilities are unknown and no request can be pushed to it: use protocol %s (multi round-trip), a stateful session, or a server with a fallback sampler", name, version, protocolMRTR)
	}
	return fmt.Sprintf("%s needs the client's sampling capability, which the client did not declare, and the server has no fallback sampler", name)
}

// decodeArgs validates the arguments against the input schema, with its
// defaults applied, and decodes them into In from their own bytes, so that
// numbers beyond float64's precision arrive intact.
func decodeArgs[In any](raw json.RawMessage, schema *jsonschema.Resolved) (In, error) {
	var in In
	if len(raw) == 0 || string(raw) == "null" {
		raw = json.RawMessage("{}")
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return in, err
	}
	defaults := map[string]any{} // what the schema's defaults add
	if m, ok := v.(map[string]any); ok {
		given := maps.Clone(m)
		if err := schema.ApplyDefaults(&m); err != nil {
			return in, err
		}
		for k, d := range m {
			if _, ok := given[k]; !ok {
				defaults[k] = d
			}
		}
	}
	if err := schema.Validate(v); err != nil {
		return in, err
	}
	if err := json.Unmarshal(raw, &in); err != nil {
		return in, err
	}
	if len(defaults) == 0 {
		return in, nil
	}
	return in, remarshal(defaults, &in)
}

// resume reads the request state and the client's answers of a multi
// round-trip call; on the first round trip it starts a new state.
func resume(req *mcp.CallToolRequest, name string, cfg config) (*callState, *replaySampler, error) {
	args := argsHash(req.Params.Arguments)
	now := time.Now()
	if req.Params.RequestState == "" {
		st := &callState{Version: stateVersion, Tool: name, Args: args, Started: now.UnixMilli()}
		return st, newReplaySampler(nil), nil
	}
	st, err := decodeState(req.Params.RequestState, cfg.stateKeyOrDefault(), now)
	if err != nil {
		return nil, nil, err
	}
	if st.Tool != name || st.Args != args {
		return nil, nil, fmt.Errorf("%w: it belongs to another tool call", errBadState)
	}
	answers := map[string]*mcp.CreateMessageWithToolsResult{}
	for id, raw := range st.Answers {
		var res mcp.CreateMessageWithToolsResult
		if err := json.Unmarshal(raw, &res); err != nil {
			return nil, nil, fmt.Errorf("%w: answer %s: %v", errBadState, id, err)
		}
		answers[id] = &res
	}
	if st.Answers == nil {
		st.Answers = map[string]json.RawMessage{}
	}
	for _, id := range st.Pending {
		resp, ok := req.Params.InputResponses[id]
		if !ok {
			continue // asked again on this run
		}
		res, err := samplingResult(resp)
		if err != nil {
			return nil, nil, fmt.Errorf("input response %s: %w", id, err)
		}
		raw, err := json.Marshal(res)
		if err != nil {
			return nil, nil, fmt.Errorf("input response %s: %w", id, err)
		}
		st.Answers[id] = raw
		answers[id] = res
	}
	for id := range req.Params.InputResponses {
		if !slices.Contains(st.Pending, id) {
			return nil, nil, fmt.Errorf("input response %q answers nothing the last round trip asked", id)
		}
	}
	return st, newReplaySampler(answers), nil
}

func samplingResult(resp mcp.InputResponse) (*mcp.CreateMessageWithToolsResult, error) {
	switch r := resp.(type) {
	case *mcp.CreateMessageWithToolsResult:
		return r, nil
	case *mcp.CreateMessageResult:
		return &mcp.CreateMessageWithToolsResult{Meta: r.Meta, Content: []mcp.Content{r.Content}, Model: r.Model, Role: r.Role, StopReason: r.StopReason}, nil
	default:
		return nil, fmt.Errorf("expected a sampling result, got %T", resp)
	}
}

// suspend ends this round trip: the client gets the new input requests and
// the signed state to send back with its answers.
func suspend(name string, st *callState, replay *replaySampler, pending []string, cfg config) (*mcp.CallToolResult, error) {
	st.Pending = pending
	st.Expires = time.Now().Add(cmp.Or(cfg.stateTTL, DefaultStateTTL)).Unix()
	state, err := encodeState(st, cfg.stateKeyOrDefault())
	if err != nil {
		return toolError(fmt.Errorf("%s: %w", name, err), nil), nil
	}
	requests := mcp.InputRequestMap{}
	for _, id := range pending {
		requests[id] = replay.pending[id]
	}
	return &mcp.CallToolResult{InputRequests: requests, RequestState: state}, nil
}

// result is a successful tool result: out as JSON text, and as structured
// content when it is an object (the only kind clients before protocol
// 2026-07-28 accept). A string result is its own text.
func result(name string, out any, meta mcp.Meta) *mcp.CallToolResult {
	b, err := json.Marshal(out)
	if err != nil {
		return toolError(fmt.Errorf("%s: encoding the result: %w", name, err), meta)
	}
	res := &mcp.CallToolResult{Meta: meta, Content: []mcp.Content{&mcp.TextContent{Text: string(b)}}}
	switch b[0] {
	case '{':
		res.StructuredContent = json.RawMessage(b)
	case '"':
		var text string
		if json.Unmarshal(b, &text) == nil {
			res.Content[0] = &mcp.TextContent{Text: text}
		}
	}
	return res
}

func reportMeta(c *call, latency time.Duration) mcp.Meta {
	switch len(c.reports) {
	case 0:
		return nil
	case 1:
		r := *c.reports[0]
		r.Latency = latency
		return mcp.Meta{ReportMetaKey: &r}
	default:
		return mcp.Meta{ReportMetaKey: c.reports}
	}
}

func toolError(err error, meta mcp.Meta) *mcp.CallToolResult {
	res := &mcp.CallToolResult{Meta: meta}
	res.SetError(err)
	return res
}
