package telemetry

import (
	"context"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.41.0"
	"go.opentelemetry.io/otel/semconv/v1.41.0/genaiconv"
	"go.opentelemetry.io/otel/trace"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// A Request is what a chat span says of the question asked.
type Request struct {
	Model          string // the model asked for, where known (a provider's, or the first model hint)
	MaxTokens      int64
	Temperature    float64
	HasTemperature bool
	StopSequences  []string
}

// RequestOf reads a sampling request's attributes but its temperature,
// which only package sampling reads right (0 told from none).
func RequestOf(req *mcp.CreateMessageWithToolsParams) Request {
	if req == nil {
		return Request{}
	}
	r := Request{MaxTokens: req.MaxTokens, StopSequences: req.StopSequences}
	if p := req.ModelPreferences; p != nil && len(p.Hints) > 0 && p.Hints[0] != nil {
		r.Model = p.Hints[0].Name
	}
	return r
}

// An Answer is what a chat span says of the model's answer.
type Answer struct {
	Model      string
	StopReason string
	ResponseID string
	// The answer's tokens, where HasUsage: counted by the model's side,
	// or, with Estimated, guessed from the request's and answer's sizes.
	InputTokens, OutputTokens int64
	HasUsage                  bool
	Estimated                 bool
}

// A Chat is one question to a model: a span "chat {model}" (client kind)
// and the gen_ai.client metrics of its answer. A nil *Chat, which Start
// returns when telemetry is off, does nothing.
type Chat struct {
	set      *Set
	span     trace.Span
	start    time.Time
	provider string
	model    string // requested
	replayed bool
}

type chatKey struct{}

// ChatFrom returns the chat ctx is inside, if a samplegen chat span is
// open there: a provider adapter called under the runtime adds to it
// rather than opening a second span for the same question.
func ChatFrom(ctx context.Context) *Chat {
	c, _ := ctx.Value(chatKey{}).(*Chat)
	return c
}

// StartChat opens a chat span under ctx, at start when it is not zero (a
// multi round-trip ask, answered in a later round trip, began when the
// earlier one went back to the client). provider is gen_ai.provider.name.
// It returns ctx unchanged and a nil *Chat when neither spans nor the
// chat metrics are recorded.
func (s *Set) StartChat(ctx context.Context, req Request, provider string, start time.Time, attrs ...attribute.KeyValue) (context.Context, *Chat) {
	if s == nil || (s.tracer == nil && !s.chatDuration.Enabled(ctx) && !s.tokenUsage.Enabled(ctx)) {
		return ctx, nil
	}
	if start.IsZero() {
		start = time.Now()
	}
	c := &Chat{set: s, start: start, provider: provider, model: req.Model}
	if s.tracer != nil {
		name := "chat"
		if req.Model != "" {
			name += " " + req.Model
		}
		all := make([]attribute.KeyValue, 0, len(attrs)+6)
		all = append(all, semconv.GenAIOperationNameChat, semconv.GenAIProviderNameKey.String(provider))
		all = append(all, requestAttrs(req)...)
		all = append(all, attrs...)
		ctx, c.span = s.tracer.Start(ctx, name, trace.WithSpanKind(trace.SpanKindClient),
			trace.WithTimestamp(start), trace.WithAttributes(all...))
	}
	return context.WithValue(ctx, chatKey{}, c), c
}

func requestAttrs(req Request) []attribute.KeyValue {
	var out []attribute.KeyValue
	if req.Model != "" {
		out = append(out, semconv.GenAIRequestModelKey.String(req.Model))
	}
	if req.MaxTokens > 0 {
		out = append(out, semconv.GenAIRequestMaxTokensKey.Int64(req.MaxTokens))
	}
	if req.HasTemperature {
		out = append(out, semconv.GenAIRequestTemperatureKey.Float64(req.Temperature))
	}
	if len(req.StopSequences) > 0 {
		out = append(out, semconv.GenAIRequestStopSequencesKey.StringSlice(clipAll(req.StopSequences)))
	}
	return out
}

// clipAll clips each of a peer's strings, and their number.
func clipAll(ss []string) []string {
	const most = 16
	out := make([]string, 0, min(len(ss), most))
	for _, s := range ss[:min(len(ss), most)] {
		out = append(out, clipText(s))
	}
	return out
}

// Provider names the provider and its request model and address: a
// provider adapter, called inside the runtime's chat span, says who
// answered.
func (c *Chat) Provider(name, model, address string, port int) {
	if c == nil {
		return
	}
	c.provider = name
	if model != "" {
		c.model = model // as the span's gen_ai.request.model, below
	}
	if c.span == nil {
		return
	}
	c.span.SetAttributes(semconv.GenAIProviderNameKey.String(name))
	if model != "" {
		c.span.SetAttributes(semconv.GenAIRequestModelKey.String(model))
		c.span.SetName("chat " + model)
	}
	if address != "" {
		c.span.SetAttributes(semconv.ServerAddress(address))
		if port > 0 {
			c.span.SetAttributes(semconv.ServerPort(port))
		}
	}
}

// Replayed marks the answer as kept from an earlier round trip, not asked
// now: the span says so and no metric counts it again.
func (c *Chat) Replayed() {
	if c == nil {
		return
	}
	c.replayed = true
	if c.span != nil {
		c.span.SetAttributes(KeyReplayed.Bool(true))
	}
}

// Span is the chat's span, nil when tracing is off.
func (c *Chat) Span() trace.Span {
	if c == nil {
		return nil
	}
	return c.span
}

// End closes the chat with its answer, or with err (errType its
// error.type), at end when it is not zero, and records its duration and
// tokens.
func (c *Chat) End(ctx context.Context, a Answer, errType string, err error, end time.Time) {
	if c == nil {
		return
	}
	if end.IsZero() {
		end = time.Now()
	}
	if c.span != nil {
		if a.Model != "" {
			c.span.SetAttributes(semconv.GenAIResponseModelKey.String(clipText(a.Model)))
		}
		if a.StopReason != "" {
			c.span.SetAttributes(semconv.GenAIResponseFinishReasonsKey.StringSlice([]string{clipText(a.StopReason)}))
		}
		if a.ResponseID != "" {
			c.span.SetAttributes(semconv.GenAIResponseIDKey.String(clipText(a.ResponseID)))
		}
		switch {
		case a.HasUsage && !a.Estimated:
			c.span.SetAttributes(semconv.GenAIUsageInputTokensKey.Int64(a.InputTokens), semconv.GenAIUsageOutputTokensKey.Int64(a.OutputTokens))
		case a.HasUsage:
			c.span.SetAttributes(KeyEstimatedIn.Int64(a.InputTokens), KeyEstimatedOut.Int64(a.OutputTokens))
		}
		endSpan(c.span, errType, err, end)
	}
	if c.replayed {
		return
	}
	s := c.set
	op, prov := genaiconv.OperationNameAttr("chat"), genaiconv.ProviderNameAttr(c.provider)
	if !s.chatDuration.Enabled(ctx) && !s.tokenUsage.Enabled(ctx) && !s.estimated.Enabled(ctx) {
		return
	}
	attrs := make([]attribute.KeyValue, 0, 4)
	if c.model != "" {
		attrs = append(attrs, semconv.GenAIRequestModelKey.String(c.model))
	}
	// A model an MCP client names is the client's word, any string: kept
	// off the metrics, whose series it would multiply without bound.
	if a.Model != "" && c.provider != ProviderMCPClient {
		attrs = append(attrs, semconv.GenAIResponseModelKey.String(clipText(a.Model)))
	}
	if errType != "" {
		s.chatDuration.Record(ctx, end.Sub(c.start).Seconds(), op, prov, with(attrs, semconv.ErrorTypeKey.String(errType))...)
	} else {
		s.chatDuration.Record(ctx, end.Sub(c.start).Seconds(), op, prov, attrs...)
	}
	switch {
	case a.HasUsage && !a.Estimated:
		s.tokenUsage.Record(ctx, a.InputTokens, op, prov, genaiconv.TokenTypeAttr("input"), attrs...)
		s.tokenUsage.Record(ctx, a.OutputTokens, op, prov, genaiconv.TokenTypeAttr("output"), attrs...)
	case a.HasUsage && s.estimated.Enabled(ctx):
		// Guesses stay out of gen_ai.client.token.usage, which dashboards
		// sum as counted tokens.
		attrs = append(attrs, semconv.GenAIProviderNameKey.String(c.provider))
		s.estimated.Record(ctx, a.InputTokens, metric.WithAttributes(with(attrs, semconv.GenAITokenTypeInput)...))
		s.estimated.Record(ctx, a.OutputTokens, metric.WithAttributes(with(attrs, semconv.GenAITokenTypeOutput)...))
	}
}

// with is attrs and kv in a slice of their own: a metric's attribute set
// may sort the slice it is given.
func with(attrs []attribute.KeyValue, kv attribute.KeyValue) []attribute.KeyValue {
	return append(attrs[:len(attrs):len(attrs)], kv)
}

// recordInt adds n to an instrument with attrs, where it is enabled.
func recordInt(ctx context.Context, c metric.Int64Counter, n int64, attrs ...attribute.KeyValue) {
	if n == 0 || !c.Enabled(ctx) {
		return
	}
	c.Add(ctx, n, metric.WithAttributes(attrs...))
}
