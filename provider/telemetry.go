package provider

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/internal/telemetry"
	"github.com/samplegen/samplegen/sampling"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
)

// telemetryConfig is where an adapter's spans and metrics go
// (Config.TracerProvider, Config.MeterProvider).
type telemetryConfig struct {
	tracerProvider trace.TracerProvider
	meterProvider  metric.MeterProvider
}

// traced puts one request to the provider in a chat span ("chat {model}",
// gen_ai.provider.name, server.address, the request's parameters, the
// answer's model, finish reason and tokens) and the gen_ai.client metrics;
// a child of ctx's span, so that a client handler's request span, carried
// from the server's trace, goes on into the provider's. Called inside the
// chat span samplegen's server runtime opens for the same question, it
// says who answered there instead of opening a second span.
func (e endpoint) traced(ctx context.Context, req *mcp.CreateMessageWithToolsParams, ask func(context.Context) (*mcp.CreateMessageWithToolsResult, error)) (*mcp.CreateMessageWithToolsResult, error) {
	host, port := e.address()
	if outer := telemetry.ChatFrom(ctx); outer != nil {
		outer.Provider(e.providerName(), e.model, host, port)
		return ask(ctx)
	}
	r := telemetry.RequestOf(req)
	r.Model = e.model
	if req != nil {
		r.Temperature, r.HasTemperature = sampling.Temperature(req)
		if r.MaxTokens <= 0 {
			r.MaxTokens = DefaultMaxTokens
		}
	}
	ctx, chat := telemetry.For(e.tel.tracerProvider, e.tel.meterProvider).StartChat(ctx, r, e.providerName(), time.Time{})
	if chat == nil {
		return ask(ctx)
	}
	chat.Provider(e.providerName(), e.model, host, port)
	res, err := ask(ctx)
	var a telemetry.Answer
	var refused *sampling.RefusalError
	switch {
	case err == nil && res != nil:
		a = telemetry.Answer{Model: res.Model, StopReason: res.StopReason}
		u, ok := sampling.UsageOf(res)
		a.InputTokens, a.OutputTokens, a.HasUsage = u.InputTokens, u.OutputTokens, ok
	case errors.As(err, &refused) && refused.Usage != nil:
		a = telemetry.Answer{InputTokens: refused.Usage.InputTokens, OutputTokens: refused.Usage.OutputTokens, HasUsage: true}
	}
	chat.End(ctx, a, errorType(err), err, time.Time{})
	return res, err
}

// providerName is gen_ai.provider.name: the semantic conventions' names
// for OpenAI and Anthropic; a compatible server at another address is
// still reached with OpenAI's API.
func (e endpoint) providerName() string {
	return strings.ToLower(e.name)
}

// address is server.address and server.port of the requests.
func (e endpoint) address() (string, int) {
	raw := e.baseURL
	if raw == "" {
		raw = e.defaultBaseURL
	}
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" {
		return "", 0
	}
	port, _ := strconv.Atoi(u.Port())
	if port == 0 {
		switch u.Scheme {
		case "https":
			port = 443
		case "http":
			port = 80
		}
	}
	return u.Hostname(), port
}

// errorType is error.type of a failed request: the HTTP status where the
// provider answered with one, else what kind of failure it was.
func errorType(err error) string {
	if err == nil {
		return ""
	}
	var pe *Error
	switch {
	case errors.Is(err, sampling.ErrRefused):
		return "refused"
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.As(err, &pe) && pe.StatusCode > 0:
		return strconv.Itoa(pe.StatusCode)
	}
	return "_OTHER"
}
