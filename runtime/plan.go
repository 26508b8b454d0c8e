package runtime

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/internal/telemetry"
)

// Eras, the routes by which a call reaches a model; see [Plan].
const (
	// EraPush: sampling/createMessage pushed to the client in the middle
	// of the call (protocol 2025-11-25 and older).
	EraPush = "push"
	// EraMultiRoundTrip: the sampling request returned to the client as an
	// input request with signed request state (protocol 2026-07-28).
	EraMultiRoundTrip = "multi-round-trip"
	// EraDirect: the server's own model, or a Sampler called outside a
	// served tool.
	EraDirect = "direct"
	// EraNone: no model can be asked (the client cannot sample and the
	// server has no model); the Fallback hook or the defaults answer, or
	// the call fails with -32021.
	EraNone = "none"
)

// protocolMRTR is the first protocol version where sampling travels as input
// requests in the tool result instead of a request pushed to the client.
const protocolMRTR = "2026-07-28"

// A Plan is how one tools/call reaches a model. The handler decides it once,
// when the call arrives, from the client's capabilities, the protocol and
// the tool's options; every step after reads the plan and never the
// concrete type of a Sampler, so samplers wrapped in middleware (logging,
// tracing, budgets, recording) behave as the bare ones do.
type Plan struct {
	// Era is the route to the model: [EraPush], [EraMultiRoundTrip],
	// [EraDirect] or [EraNone].
	Era string `json:"era"`
	// Protocol is the session's protocol version.
	Protocol string `json:"protocol,omitempty"`
	// Respond is set when the model answers through the [RespondTool],
	// whose input schema is the output schema: the client declared
	// sampling.tools. Otherwise the schema travels in the system prompt.
	// (A tool whose output is plain text never needs it.)
	Respond bool `json:"respond,omitempty"`
	// ServerFallback is set when the server's own model answers if the
	// client's sampling fails: a server sampler under [SamplingAuto].
	ServerFallback bool `json:"serverFallback,omitempty"`
}

// A call is one tools/call being served: its plan, the tool's options, and
// the reports of the samples taken so far.
type call struct {
	plan Plan
	cfg  toolConfig
	// server answers in the client's place when the plan allows it; on
	// multi round-trip calls it keeps its answers in the request state, so
	// that a replay does not ask the server's model again.
	server Sampler
	// replay answers asks from earlier round trips on multi round-trip
	// calls; nil on the other routes.
	replay  *mrtrDriver
	mrtr    mrtrDriver // replay's storage
	started time.Time  // when the call began: its first round trip's arrival
	arrived time.Time  // when this request arrived
	// The call's instruments and its request's span (nil when off); set
	// by the handler once the call is planned.
	tel     *telemetry.Set
	span    *telemetry.ToolCall
	mu      sync.Mutex
	reports []*Report
	// The storage of the call's report and its first sample's, which is
	// all most calls have.
	report      CallReport
	firstSample Report
	firstTaken  bool
	sampleArr   [1]*Report
	roundArr    [1]Round
}

type callKey struct{}

func withCall(ctx context.Context, c *call) context.Context {
	return context.WithValue(ctx, callKey{}, c)
}

func callFrom(ctx context.Context) *call {
	c, _ := ctx.Value(callKey{}).(*call)
	return c
}

func (c *call) addReport(r *Report) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.reports == nil {
		c.reports = c.sampleArr[:0]
	}
	c.reports = append(c.reports, r)
}

// newReport returns a report for a sample of this call.
func (c *call) newReport() *Report {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.firstTaken {
		c.firstTaken = true
		c.firstSample.Rounds = c.roundArr[:0]
		return &c.firstSample
	}
	return new(Report)
}

// A driver carries the asks of one call to a model by one route: push,
// multi round-trip, direct, or none. The handler gives it, as the Sampler,
// to the tool's body.
type driver interface {
	Sampler
	// settle runs once the body has returned. A driver that must first go
	// back to the client (multi round-trip, with asks still unanswered)
	// returns the result to send instead of the body's; one that finds the
	// run cannot go on returns why, and the call ends with that error.
	settle(name string) (*mcp.CallToolResult, error)
}

// planCall decides how the call req reaches a model, and returns the driver
// that takes it there.
func planCall(req *mcp.CallToolRequest, name string, cfg *toolConfig, start time.Time) (*call, driver, error) {
	server, mode := cfg.serving()
	if mode == SamplingServer && server == nil {
		return nil, nil, errNoServerModel
	}
	c := &call{cfg: *cfg, started: start, arrived: start, server: server}
	c.cfg.server, c.cfg.sampling = server, mode
	c.plan.Protocol = req.ProtocolVersion()
	clientSamples, clientTools := clientSampling(req)
	var d driver
	switch {
	case mode == SamplingServer && server != nil,
		!clientSamples && server != nil && mode != SamplingClient:
		c.plan.Era = EraDirect
		d = directDriver{server}
	case !clientSamples:
		c.plan.Era = EraNone
		d = noDriver{}
	case c.plan.Protocol >= protocolMRTR:
		c.plan.Era = EraMultiRoundTrip
		m := &c.mrtr
		if err := resume(req, name, cfg, m); err != nil {
			return nil, nil, err
		}
		c.started = time.UnixMilli(m.state.Started)
		c.replay = m
		d = m
	default:
		c.plan.Era = EraPush
		d = pushDriver{req.Session}
	}
	if c.plan.Era == EraPush || c.plan.Era == EraMultiRoundTrip {
		c.plan.Respond = clientTools
		c.plan.ServerFallback = server != nil && mode == SamplingAuto
	}
	if c.replay != nil {
		// A multi round-trip call keeps the plan of its first round trip:
		// a later one may come with other capabilities, or reach a replica
		// configured otherwise, and the asks must stay the same.
		st := c.replay.state
		if st.Plan == nil {
			st.Plan = &statePlan{Respond: c.plan.Respond, ServerFallback: c.plan.ServerFallback}
		}
		c.plan.Respond = st.Plan.Respond
		c.plan.ServerFallback = st.Plan.ServerFallback && c.server != nil
		if c.server != nil {
			c.server = c.replay.recording(c.server)
		}
	}
	return c, d, nil
}

// errNoServerModel is a call under SamplingServer on a server with no model
// of its own.
var errNoServerModel = errors.New("sampling server, but the server has no model of its own: add the tool WithServerSampler, or serve it with -provider and -model (SAMPLEGEN_PROVIDER, SAMPLEGEN_MODEL) and ServeConfig.NewModel")

// clientSampling reads whether the client declared sampling, and
// sampling.tools. On 2026-07-28 the capabilities come in each request's
// _meta, decoded from JSON, and go-sdk's ClientCapabilities encodes and
// decodes them whole on every call: two lookups say the same for a
// fraction of the cost.
func clientSampling(req *mcp.CallToolRequest) (sampling, tools bool) {
	if caps, ok := req.Params.GetMeta()[mcp.MetaKeyClientCapabilities].(map[string]any); ok {
		s, ok := caps["sampling"].(map[string]any)
		if !ok {
			return false, false
		}
		_, tools = s["tools"].(map[string]any)
		return true, tools
	}
	caps := req.ClientCapabilities()
	if caps == nil || caps.Sampling == nil {
		return false, false
	}
	return true, caps.Sampling.Tools != nil
}
