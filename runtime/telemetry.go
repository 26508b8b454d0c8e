package runtime

import (
	"context"
	"errors"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/internal/telemetry"
	"github.com/samplegen/samplegen/sampling"
	"go.opentelemetry.io/otel/trace"
)

// errTypeTool is error.type of a call whose result has isError.
const errTypeTool = "tool_error"

// telemetryOf is the instruments of the call ctx serves, or the global
// ones for a Sample outside a served tool.
func telemetryOf(ctx context.Context) *telemetry.Set {
	if c := callFrom(ctx); c != nil && c.tel != nil {
		return c.tel
	}
	return telemetry.For(nil, nil)
}

// sessionID is the request's session, where it has one (a stateless HTTP
// server's requests do not).
func sessionID(req *mcp.CallToolRequest) string {
	if req.Session == nil {
		return ""
	}
	return req.Session.ID()
}

// roundTrip is which round trip of a multi round-trip call this request
// is, 0 for the first (and for other eras).
func (c *call) roundTrip() int {
	if c.replay == nil || c.replay.state == nil {
		return 0
	}
	return c.replay.state.Round
}

// providerOf names, for a chat span, who answers an ask of era: a
// provider adapter inside the server's own model renames it.
func providerOf(era string) string {
	if era == EraDirect {
		return "samplegen.sampler"
	}
	return telemetry.ProviderMCPClient
}

// chatErrorType is error.type of a failed ask.
func chatErrorType(err error) string {
	var r *sampling.RefusalError
	switch {
	case err == nil, errors.Is(err, ErrInputRequired):
		return ""
	case errors.As(err, &r) && r.RetryAfter > 0:
		return "throttled"
	case errors.Is(err, ErrRefused):
		return "refused"
	case errors.Is(err, ErrCannotSample):
		return "cannot_sample"
	case errors.Is(err, errAskTimeout), errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	}
	return "_OTHER"
}

// answerOf is what a chat span and the token metric say of an answer: its
// own usage, or an estimate from the request and answer, labelled so.
func answerOf(req *mcp.CreateMessageWithToolsParams, res *mcp.CreateMessageWithToolsResult) telemetry.Answer {
	if res == nil {
		return telemetry.Answer{}
	}
	a := telemetry.Answer{Model: res.Model, StopReason: res.StopReason}
	u, ok := sampling.UsageOf(res)
	if !ok && req != nil {
		u, ok, a.Estimated = sampling.EstimateUsage(req, res), true, true
	}
	a.InputTokens, a.OutputTokens, a.HasUsage = u.InputTokens, u.OutputTokens, ok
	return a
}

// chatRequest is what a chat span says of req.
func chatRequest(req *mcp.CreateMessageWithToolsParams) telemetry.Request {
	r := telemetry.RequestOf(req)
	if req != nil {
		r.Temperature, r.HasTemperature = sampling.Temperature(req)
	}
	return r
}

// askTraced puts one ask of a push or direct call to s inside a chat span;
// a multi round-trip ask only collects an input request here, and its span
// is made when its answer comes (traceAnswer).
func askTraced(ctx context.Context, s Sampler, req *mcp.CreateMessageWithToolsParams, era string) (*mcp.CreateMessageWithToolsResult, error) {
	if era == EraMultiRoundTrip {
		return s.CreateMessage(ctx, req)
	}
	ctx, chat := telemetryOf(ctx).StartChat(ctx, chatRequest(req), providerOf(era), time.Time{}, telemetry.KeyEra.String(era))
	if chat == nil {
		return s.CreateMessage(ctx, req)
	}
	res, err := s.CreateMessage(ctx, req)
	checked, cerr := checkAnswer(res, err, era)
	a := answerOf(req, checked)
	if spent, ok := refusalUsage(cerr); ok {
		a.InputTokens, a.OutputTokens, a.HasUsage = spent.InputTokens, spent.OutputTokens, true
	}
	chat.End(ctx, a, chatErrorType(cerr), cerr, time.Time{})
	return res, err
}

// refusalUsage is the tokens a model's own refusal says it spent.
func refusalUsage(err error) (sampling.Usage, bool) {
	var r *sampling.RefusalError
	if err == nil || !errors.As(err, &r) || r.Usage == nil {
		return sampling.Usage{}, false
	}
	return *r.Usage, true
}

// paramsRequest is what a chat span says of an ask whose request was not
// rendered again (a multi round-trip answer replayed): what params ask.
func paramsRequest(p Params) telemetry.Request {
	r := telemetry.Request{MaxTokens: p.maxTokens(), StopSequences: p.StopSequences}
	if p.Temperature != nil {
		r.Temperature, r.HasTemperature = *p.Temperature, true
	}
	if len(p.ModelHints) > 0 {
		r.Model = p.ModelHints[0]
	}
	return r
}

// traceAnswer makes the chat span of a multi round-trip ask whose answer
// this round trip brought: from when the earlier round trip went back to
// the client to when this one arrived, under this request's span.
func (m *mrtrDriver) traceAnswer(ctx context.Context, id string, req telemetry.Request, full *mcp.CreateMessageWithToolsParams, res *mcp.CreateMessageWithToolsResult) {
	c := callFrom(ctx)
	if c == nil || c.tel == nil {
		return
	}
	sent := time.UnixMilli(m.state.Sent)
	if m.state.Sent == 0 || sent.After(c.arrived) {
		// An older state, or replicas whose clocks differ: never a span
		// that ends before it starts.
		sent = c.arrived
	}
	ctx, chat := c.tel.StartChat(ctx, req, telemetry.ProviderMCPClient, sent, telemetry.KeyEra.String(EraMultiRoundTrip), telemetry.KeyAsk.String(sampling.Clip(id, 128)))
	if chat == nil {
		return
	}
	checked, err := checkAnswer(res, nil, EraMultiRoundTrip)
	a := answerOf(full, checked)
	if checked != nil && !a.HasUsage {
		// The request was not rendered again: its input's estimate is the
		// state's, made when it was sent.
		if in, ok := m.inputEstimate([]byte(id)); ok {
			a.InputTokens, a.OutputTokens = in, sampling.EstimateUsage(nil, checked).OutputTokens
			a.HasUsage, a.Estimated = true, true
		}
	}
	chat.End(ctx, a, chatErrorType(err), err, c.arrived)
}

// record counts a finished call in samplegen's metrics.
func (r *CallReport) record(ctx context.Context, tel *telemetry.Set) {
	if !tel.MetricsOn(ctx) {
		return
	}
	stats := make([]telemetry.SampleStats, len(r.Samples))
	for i, s := range r.Samples {
		stats[i] = telemetry.SampleStats{Era: s.Era, Rounds: len(s.Rounds), Fallback: s.Fallback, Throttled: s.Throttled}
		for _, round := range s.Rounds {
			for _, rep := range round.Repairs {
				tel.RecordRepair(ctx, r.Tool, rep.Kind)
			}
		}
	}
	tel.RecordCall(ctx, r.Tool, r.Plan.Era, r.Outcome, stats)
	if r.Cost != nil {
		tel.RecordCost(ctx, r.Tool, r.Cost.Counted, false)
		tel.RecordCost(ctx, r.Tool, r.Cost.Estimated, true)
	}
}

// withTraceContext returns req with ctx's trace context in its _meta, for
// the client to continue; a copy, since req is the conversation's and may
// be sent again.
func withTraceContext(ctx context.Context, req *mcp.CreateMessageWithToolsParams) *mcp.CreateMessageWithToolsParams {
	if req == nil || !trace.SpanContextFromContext(ctx).IsValid() {
		return req
	}
	r := *req
	r.Meta = telemetry.Inject(ctx, req.Meta)
	return &r
}

// toolSpan is the call's request span; nil for no call, or when off.
func (c *call) toolSpan() *telemetry.ToolCall {
	if c == nil {
		return nil
	}
	return c.span
}
