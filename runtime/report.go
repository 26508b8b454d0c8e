package runtime

import (
	"encoding/json"
	"log/slog"
	"time"

	"github.com/samplegen/samplegen/runtime/answer"
)

// ReportMetaKey is the _meta key under which a tool result carries the
// [Report] of its call.
const ReportMetaKey = "io.samplegen/report"

// A Report says what one sampling call did to get its value.
type Report struct {
	Tool string `json:"tool"`
	// Era is how the client was asked: "push" (sampling/createMessage in the
	// middle of the call, protocol 2025-11-25 and older), "multi-round-trip"
	// (input requests, 2026-07-28), or "direct" (a Sampler called outside a
	// tool handler, such as a server-side fallback).
	Era    string  `json:"era,omitempty"`
	Rounds []Round `json:"rounds"`
	// Fallback names what produced the value when the model did not:
	// "sampler" (the server's fallback sampler answered), "hook" (the
	// Fallback method), "defaults" (the output schema's defaults).
	Fallback string        `json:"fallback,omitempty"`
	Latency  time.Duration `json:"-"`
}

// A Round is one question to the model and what came of its answer.
type Round struct {
	Model      string          `json:"model,omitempty"`
	StopReason string          `json:"stopReason,omitempty"`
	Repairs    []answer.Repair `json:"repairs,omitempty"`
	Error      string          `json:"error,omitempty"` // why the answer was not used; empty for the round that succeeded
}

// Repairs lists the repairs of every round, in order.
func (r *Report) Repairs() []answer.Repair {
	var all []answer.Repair
	for _, round := range r.Rounds {
		all = append(all, round.Repairs...)
	}
	return all
}

// MarshalJSON writes Latency in milliseconds, the unit people read in logs.
func (r Report) MarshalJSON() ([]byte, error) {
	type plain Report
	return json.Marshal(struct {
		plain
		LatencyMS float64 `json:"latencyMs"`
	}{plain(r), float64(r.Latency) / float64(time.Millisecond)})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (r *Report) UnmarshalJSON(b []byte) error {
	type plain Report
	var w struct {
		plain
		LatencyMS float64 `json:"latencyMs"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*r = Report(w.plain)
	r.Latency = time.Duration(w.LatencyMS * float64(time.Millisecond))
	return nil
}

// LogValue makes a Report print compactly with log/slog.
func (r *Report) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("tool", r.Tool),
		slog.String("era", r.Era),
		slog.Int("rounds", len(r.Rounds)),
		slog.Any("repairs", repairKinds(r.Repairs())),
		slog.String("fallback", r.Fallback),
		slog.Duration("latency", r.Latency),
	)
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
