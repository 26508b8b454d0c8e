package runtime

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime/answer"
	"github.com/samplegen/samplegen/sampling"
)

// ReportMetaKey is the _meta key under which a tool result of a served
// samplegen tool, sampling tool or function tool alike, carries the
// [CallReport] of its call, where the tool was added [WithReportMeta].
const ReportMetaKey = "io.samplegen/report"

// Outcomes of a sample and of a call.
const (
	// OutcomeOK: the model's answer was used.
	OutcomeOK = "ok"
	// OutcomeFallback: a fallback gave the value (the server's model in the
	// client's place, the Fallback hook, or the output's defaults).
	OutcomeFallback = "fallback"
	// OutcomeError: no value; the error says why.
	OutcomeError = "error"
)

// What produced a value when the client's model did not; see
// [Report].Fallback.
const (
	FallbackServer   = "sampler"  // the server's model answered in the client's place
	FallbackHook     = "hook"     // the input type's Fallback method
	FallbackDefaults = "defaults" // the output schema's defaults
)

// How a model gave its answer; see [Report].Answer.
const (
	AnswerRespond = "respond" // through the respond tool
	AnswerJSON    = "json"    // as JSON in its text, as the system prompt asks
	AnswerText    = "text"    // as plain text: a string output
)

// A CallReport says what one tools/call did: how it reached a model, how
// it ended, and a [Report] for each sample it took (one for a sampling tool,
// any number for a function tool). The runtime logs it, and with
// [WithReportMeta] it travels in the result's _meta under [ReportMetaKey]:
// one value, so the two never disagree.
type CallReport struct {
	Tool    string    `json:"tool"`
	Plan    Plan      `json:"plan"`
	Outcome string    `json:"outcome"`
	Error   string    `json:"error,omitempty"`
	Samples []*Report `json:"samples"`
	// Usage is the tokens of every sample's answers, where the models'
	// side counted them (see [sampling.UsageMetaKey]).
	Usage sampling.Usage `json:"usage,omitzero"`
	// EstimatedUsage is the tokens of the answers that said nothing of
	// theirs, as [sampling.EstimateUsage] guesses them: an estimate, kept
	// apart from Usage.
	EstimatedUsage sampling.Usage `json:"estimatedUsage,omitzero"`
	// Cost is what Usage and EstimatedUsage cost at the tool's price table
	// ([WithPrices]); nil without one.
	Cost *Cost `json:"cost,omitempty"`
	// Latency is the wall time from the call's first request to its
	// result: on a multi round-trip call, across every round trip (from
	// the start recorded in the request state), so it includes the time
	// the client took to answer.
	Latency time.Duration `json:"-"`
}

// A Report says what one sample (one SampleX call) did to get its value.
type Report struct {
	Tool string `json:"tool"`
	// Era is the route of the last ask: [EraPush], [EraMultiRoundTrip],
	// [EraDirect] (the server's model, or a Sampler called outside a served
	// tool) or [EraNone] (no model could be asked).
	Era string `json:"era"`
	// Answer is how the model was asked to answer: [AnswerRespond],
	// [AnswerJSON] or [AnswerText].
	Answer string  `json:"answer,omitempty"`
	Rounds []Round `json:"rounds"`
	// Fallback names what produced the value when the client's model did
	// not: [FallbackServer], [FallbackHook] or [FallbackDefaults].
	Fallback string `json:"fallback,omitempty"`
	Outcome  string `json:"outcome"`
	Error    string `json:"error,omitempty"`
	// Throttled is how often the client asked, with a throttle, to be asked
	// again later, and the runtime waited as asked.
	Throttled int `json:"throttled,omitempty"`
	// Usage is the tokens of the sample's answers, where the models' side
	// counted them.
	Usage sampling.Usage `json:"usage,omitzero"`
	// EstimatedUsage is the estimated tokens of the answers that did not
	// say (see [CallReport].EstimatedUsage).
	EstimatedUsage sampling.Usage `json:"estimatedUsage,omitzero"`
	// Latency is the wall time from the sample's start to its value. A
	// sample of a multi round-trip call spans round trips that no one
	// process sees whole, so there it counts from the call's start.
	Latency time.Duration `json:"-"`
}

// A Round is one question to the model and what came of its answer.
type Round struct {
	Model      string          `json:"model,omitempty"`
	StopReason string          `json:"stopReason,omitempty"`
	Usage      *sampling.Usage `json:"usage,omitempty"` // nil where the answer did not say
	// Estimate is the tokens [sampling.EstimateUsage] guesses for an
	// answer that did not say; nil where it did.
	Estimate *sampling.Usage `json:"estimate,omitempty"`
	Repairs  []answer.Repair `json:"repairs,omitempty"`
	Error    string          `json:"error,omitempty"` // why the answer was not used; empty for the round that succeeded
}

// Repairs lists the repairs of every round, in order.
func (r *Report) Repairs() []answer.Repair {
	var all []answer.Repair
	for _, round := range r.Rounds {
		all = append(all, round.Repairs...)
	}
	return all
}

// end sets the outcome of a sample from its error.
func (r *Report) end(err error) {
	switch {
	case err != nil:
		r.Outcome, r.Error = OutcomeError, err.Error()
	case r.Fallback != "":
		r.Outcome = OutcomeFallback
	default:
		r.Outcome = OutcomeOK
	}
}

// end sets the outcome of a call from its error and its samples.
func (r *CallReport) end(err error) {
	r.Outcome = OutcomeOK
	r.Usage, r.EstimatedUsage = sampling.Usage{}, sampling.Usage{}
	for _, s := range r.Samples {
		r.Usage = r.Usage.Add(s.Usage)
		r.EstimatedUsage = r.EstimatedUsage.Add(s.EstimatedUsage)
		if s.Outcome == OutcomeFallback {
			r.Outcome = OutcomeFallback
		}
	}
	if err != nil {
		r.Outcome, r.Error = OutcomeError, err.Error()
	}
}

// A Cost is what a call's tokens cost at a price table, in its currency:
// the tokens the models' side counted, and apart from them the estimated
// ones, so that a sum of Counted is a sum of what was billed.
type Cost struct {
	Counted   float64 `json:"counted"`
	Estimated float64 `json:"estimated,omitempty"`
	// Unpriced names the models that answered with no price in the table
	// ("(unnamed)" for an answer that named none); their tokens are in
	// neither amount.
	Unpriced []string `json:"unpriced,omitempty"`
}

// maxUnpriced bounds Cost.Unpriced: the names come from models' answers.
const maxUnpriced = 8

// price sets the call's cost at prices, round by round (each round's
// model has its own price); nothing without a table.
func (r *CallReport) price(prices sampling.Prices) {
	if prices == nil {
		return
	}
	c := &Cost{}
	for _, s := range r.Samples {
		for _, round := range s.Rounds {
			u, estimated := round.Usage, false
			if u == nil {
				u, estimated = round.Estimate, true
			}
			if u == nil {
				continue
			}
			amount, ok := prices.Cost(round.Model, *u)
			switch {
			case !ok:
				name := cmp.Or(sampling.Clip(round.Model, 128), "(unnamed)")
				if !slices.Contains(c.Unpriced, name) && len(c.Unpriced) < maxUnpriced {
					c.Unpriced = append(c.Unpriced, name)
				}
			case estimated:
				c.Estimated += amount
			default:
				c.Counted += amount
			}
		}
	}
	r.Cost = c
}

// forClient is the report without what the server's own model said: the
// samples it answered keep their outcomes, stop reasons and the kinds of
// their repairs, but not its model's name, its repairs' paths and details
// or its refused answers.
func (r *CallReport) forClient() *CallReport {
	redact := false
	for _, s := range r.Samples {
		if s.Era == EraDirect {
			redact = true
		}
	}
	if !redact {
		return r
	}
	out := *r
	out.Cost = nil // the server's prices and its model's names are its own
	out.Samples = make([]*Report, len(r.Samples))
	for i, s := range r.Samples {
		out.Samples[i] = s
		if s.Era != EraDirect {
			continue
		}
		cp := *s
		cp.Rounds = make([]Round, len(s.Rounds))
		for j, round := range s.Rounds {
			cp.Rounds[j] = Round{Model: serverModel, StopReason: round.StopReason}
			for _, rep := range round.Repairs {
				// The kind alone: a path names the keys the model wrote.
				cp.Rounds[j].Repairs = append(cp.Rounds[j].Repairs, answer.Repair{Kind: rep.Kind, More: rep.More})
			}
			if round.Error != "" {
				cp.Rounds[j].Error = "the server's model's answer was not used (the server's log says why)"
			}
		}
		if cp.Error != "" {
			cp.Error = "the server's model gave no valid answer (the server's log says why)"
		}
		out.Samples[i] = &cp
	}
	if out.Error != "" && out.Outcome == OutcomeError {
		for _, s := range out.Samples {
			if s.Era == EraDirect && s.Outcome == OutcomeError {
				out.Error = "the call failed on the server's model (the server's log says why)"
			}
		}
	}
	return &out
}

// serverModel stands for the server's model's name in a report sent to a
// client.
const serverModel = "(the server's model)"

// CallReportOf reads the report a tool result carries in its _meta (from a
// tool added [WithReportMeta]), as an MCP client receives it. ok is false
// when the result carries none.
func CallReportOf(res *mcp.CallToolResult) (rep *CallReport, ok bool, err error) {
	raw, ok := res.Meta[ReportMetaKey]
	if !ok {
		return nil, false, nil
	}
	if r, isReport := raw.(*CallReport); isReport { // in process
		return r, true, nil
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return nil, true, fmt.Errorf("reading the call's report: %w", err)
	}
	rep = new(CallReport)
	if err := json.Unmarshal(b, rep); err != nil {
		return nil, true, fmt.Errorf("reading the call's report: %w", err)
	}
	return rep, true, nil
}

// latencyMS is how reports write a duration: milliseconds, the unit people
// read in logs.
func latencyMS(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// MarshalJSON writes Latency as latencyMs.
func (r Report) MarshalJSON() ([]byte, error) {
	type plain Report
	b, err := json.Marshal(plain(r))
	return withLatency(b, r.Latency), err
}

// UnmarshalJSON reads what MarshalJSON writes.
func (r *Report) UnmarshalJSON(b []byte) error {
	type plain Report
	if err := json.Unmarshal(b, (*plain)(r)); err != nil {
		return err
	}
	return readLatency(b, &r.Latency)
}

// MarshalJSON writes Latency as latencyMs.
func (r CallReport) MarshalJSON() ([]byte, error) {
	type plain CallReport
	b, err := json.Marshal(plain(r))
	return withLatency(b, r.Latency), err
}

// UnmarshalJSON reads what MarshalJSON writes.
func (r *CallReport) UnmarshalJSON(b []byte) error {
	type plain CallReport
	if err := json.Unmarshal(b, (*plain)(r)); err != nil {
		return err
	}
	return readLatency(b, &r.Latency)
}

// withLatency adds "latencyMs" to the encoded object b.
func withLatency(b []byte, d time.Duration) []byte {
	if len(b) < 2 || b[len(b)-1] != '}' {
		return b
	}
	sep := ","
	if len(b) == 2 {
		sep = ""
	}
	b = append(b[:len(b)-1], sep+`"latencyMs":`...)
	b = strconv.AppendFloat(b, latencyMS(d), 'f', -1, 64)
	return append(b, '}')
}

// readLatency reads "latencyMs" from the encoded object b into d.
func readLatency(b []byte, d *time.Duration) error {
	var w struct {
		LatencyMS float64 `json:"latencyMs"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*d = time.Duration(w.LatencyMS * float64(time.Millisecond))
	return nil
}

// LogValue makes a CallReport print compactly with log/slog, with the same
// latency as its JSON.
func (r *CallReport) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("tool", r.Tool),
		slog.String("era", r.Plan.Era),
		slog.String("outcome", r.Outcome),
		slog.Float64("latencyMs", latencyMS(r.Latency)),
	}
	if r.Error != "" {
		attrs = append(attrs, slog.String("error", r.Error))
	}
	if u := r.Usage; u != (sampling.Usage{}) {
		attrs = append(attrs, slog.Int64("inputTokens", u.InputTokens), slog.Int64("outputTokens", u.OutputTokens))
	}
	if u := r.EstimatedUsage; u != (sampling.Usage{}) {
		attrs = append(attrs, slog.Int64("estimatedInputTokens", u.InputTokens), slog.Int64("estimatedOutputTokens", u.OutputTokens))
	}
	if c := r.Cost; c != nil {
		attrs = append(attrs, slog.Float64("cost", c.Counted))
		if c.Estimated != 0 {
			attrs = append(attrs, slog.Float64("costEstimated", c.Estimated))
		}
		if len(c.Unpriced) > 0 {
			attrs = append(attrs, slog.Any("unpriced", c.Unpriced))
		}
	}
	for _, s := range r.Samples {
		attrs = append(attrs, slog.Any("sample", s))
	}
	return slog.GroupValue(attrs...)
}

// LogValue makes a Report print compactly with log/slog.
func (r *Report) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("tool", r.Tool),
		slog.String("era", r.Era),
		slog.String("outcome", r.Outcome),
		slog.Int("rounds", len(r.Rounds)),
	}
	if rs := r.Repairs(); len(rs) > 0 {
		attrs = append(attrs, slog.Any("repairs", repairKinds(rs)))
	}
	if r.Fallback != "" {
		attrs = append(attrs, slog.String("fallback", r.Fallback))
	}
	if r.Error != "" {
		attrs = append(attrs, slog.String("error", r.Error))
	}
	attrs = append(attrs, slog.Float64("latencyMs", latencyMS(r.Latency)))
	return slog.GroupValue(attrs...)
}

// log writes the report at the level its outcome deserves: a success is
// quiet (DEBUG), a fallback a warning, an error an error.
func (r *CallReport) log(ctx context.Context, l *slog.Logger) {
	level := slog.LevelDebug
	switch r.Outcome {
	case OutcomeFallback:
		level = slog.LevelWarn
	case OutcomeError:
		level = slog.LevelError
	}
	r.logAt(ctx, l, level)
}

func (r *CallReport) logAt(ctx context.Context, l *slog.Logger, level slog.Level) {
	if !l.Enabled(ctx, level) {
		return
	}
	l.LogAttrs(ctx, level, "samplegen call", slog.Any("report", r))
}

// repairKinds lists repairs compactly for a log line, as "path:kind" (or
// just the kind for the answer as a whole); the full details are in the
// report itself.
func repairKinds(rs []answer.Repair) []string {
	kinds := make([]string, len(rs))
	for i, r := range rs {
		kinds[i] = r.Kind
		if r.Path != "" {
			kinds[i] = r.Path + ":" + r.Kind
		}
	}
	return kinds
}
