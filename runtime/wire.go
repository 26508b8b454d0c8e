package runtime

import (
	"context"
	"encoding/json"
	goruntime "runtime"
	"sync"
	"weak"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/sampling"
	"go.opentelemetry.io/otel/trace"
)

// What samplegen changes in the messages go-sdk sends, installed once on
// each server a samplegen tool is added to (so it holds however the server
// is run: srv.Run, mcp.NewStreamableHTTPHandler, mcp.NewSSEHandler or
// [Serve]):
//
//   - go-sdk v1.8.0 marshals a sampling request's temperature with
//     omitempty, so a temperature of 0, the usual choice for extraction,
//     never reaches the client, which then samples at its own default
//     (go-sdk issue #1133). The runtime marks an explicit 0 in the
//     request's _meta under [sampling.TemperatureMetaKey]
//     ([sampling.Temperature] reads it); a sending middleware writes the
//     pushed request with "temperature": 0 beside the mark, and a receiving
//     middleware does the same for the input requests of a multi
//     round-trip result. The mark goes on the wire too: go-sdk's client
//     decodes "temperature": 0 as no temperature, so a samplegen client
//     (package host, package provider's adapters) reads the mark instead.
//     Delete the writing part when go-sdk sends the zero itself.
//   - Clients before protocol 2026-07-28 (the TypeScript SDK 1.x among
//     them) accept only object output schemas and structured content. A
//     tool whose output is a string, number, list or enum is listed to
//     them with its value wrapped under [ResultProperty], and its results
//     carry it so.
//
// The receiving middleware hands go-sdk a result of a type of its own only
// for a multi round-trip result that holds a zero temperature (see
// [ToolResult]); every other result passes through as it came.
const zeroTemperatureMeta = sampling.TemperatureMetaKey

const methodCreateMessage = "sampling/createMessage"

// serverHooks is what samplegen adds to one server.
type serverHooks struct {
	mu sync.RWMutex
	// wrapped holds, by tool name, the output schemas shown to clients
	// before 2026-07-28 in place of a non-object one.
	wrapped map[string]json.RawMessage
	// server and sampling are what Serve gives the tools added without
	// their own: the server's model (direct mode) and whose model answers.
	server   Sampler
	sampling Sampling
	// prices are what Serve gives the tools added without their own
	// (ServeConfig.Prices, -prices).
	prices sampling.Prices
	// tracerProvider is Serve's, from -trace-file: the tracer of the tools
	// added without their own.
	tracerProvider trace.TracerProvider
	// needModel names the tools that would have no model under
	// SamplingServer without Serve's: added with no server sampler of
	// their own, and not WithSampling of their own.
	needModel map[string]bool
}

// added notes a tool added to the server with cfg.
func (h *serverHooks) added(name string, cfg *toolConfig) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.needModel == nil {
		h.needModel = map[string]bool{}
	}
	if cfg.server == nil && !cfg.samplingSet {
		h.needModel[name] = true
	} else {
		delete(h.needModel, name)
	}
}

// withoutModel returns the name of a tool that needs the model Serve
// gives, if any.
func (h *serverHooks) withoutModel() (string, bool) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for name := range h.needModel {
		return name, true
	}
	return "", false
}

// serve gives the server's tools a model and a sampling choice, for those
// added without their own.
func (h *serverHooks) serve(model Sampler, sampling Sampling) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.server, h.sampling = model, sampling
}

// setPrices gives the server's tools a price table, for those added
// without their own.
func (h *serverHooks) setPrices(p sampling.Prices) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.prices = p
}

func (h *serverHooks) pricesOf() sampling.Prices {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.prices
}

func (h *serverHooks) model() (Sampler, Sampling) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.server, h.sampling
}

var hooks sync.Map // weak.Pointer[mcp.Server] → *serverHooks

// hooksFor returns srv's hooks, installing them on first use. They live as
// long as the server does, and no longer.
func hooksFor(srv *mcp.Server) *serverHooks {
	key := weak.Make(srv)
	if h, ok := hooks.Load(key); ok {
		return h.(*serverHooks)
	}
	h := &serverHooks{wrapped: map[string]json.RawMessage{}}
	if got, loaded := hooks.LoadOrStore(key, h); loaded {
		return got.(*serverHooks)
	}
	goruntime.AddCleanup(srv, func(k weak.Pointer[mcp.Server]) { hooks.Delete(k) }, key)
	srv.AddSendingMiddleware(h.sending)
	srv.AddReceivingMiddleware(h.receiving)
	return h
}

// wrapOutput lists tool name with schema as its output schema for clients
// before 2026-07-28; a nil schema lists it as it is.
func (h *serverHooks) wrapOutput(name string, schema json.RawMessage) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if schema == nil {
		delete(h.wrapped, name)
		return
	}
	h.wrapped[name] = schema
}

func (h *serverHooks) sending(next mcp.MethodHandler) mcp.MethodHandler {
	return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
		if method == methodCreateMessage {
			if r, ok := req.(*mcp.ServerRequest[mcp.Params]); ok {
				if p, ok := r.Params.(*mcp.CreateMessageWithToolsParams); ok && hasZeroMark(p) {
					cp := *r
					cp.Params = newWireParams(p)
					req = &cp
				}
			}
		}
		return next(ctx, method, req)
	}
}

func (h *serverHooks) receiving(next mcp.MethodHandler) mcp.MethodHandler {
	return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
		res, err := next(ctx, method, req)
		if err != nil {
			return res, err
		}
		switch r := res.(type) {
		case *mcp.CallToolResult:
			for _, ir := range r.InputRequests {
				if p, ok := ir.(*mcp.CreateMessageWithToolsParams); ok && hasZeroMark(p) {
					return zeroTemperatureResult{r}, nil
				}
			}
		case *mcp.ListToolsResult:
			if v, ok := req.(interface{ ProtocolVersion() string }); ok && v.ProtocolVersion() < protocolMRTR {
				return h.wrapTools(r), nil
			}
		}
		return res, nil
	}
}

// wrapTools returns r with the output schemas older clients can read.
func (h *serverHooks) wrapTools(r *mcp.ListToolsResult) *mcp.ListToolsResult {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if len(h.wrapped) == 0 {
		return r
	}
	var out *mcp.ListToolsResult
	for i, t := range r.Tools {
		schema, ok := h.wrapped[t.Name]
		if !ok {
			continue
		}
		if out == nil {
			cp := *r
			cp.Tools = append([]*mcp.Tool(nil), r.Tools...)
			out = &cp
		}
		wrapped := *t
		wrapped.OutputSchema = schema
		out.Tools[i] = &wrapped
	}
	if out == nil {
		return r
	}
	return out
}

func hasZeroMark(p *mcp.CreateMessageWithToolsParams) bool {
	_, ok := p.Meta[zeroTemperatureMeta]
	return ok && p.Temperature == 0
}

// wireParams is a sampling request that writes its zero temperature. Its
// fields are copied when it is made, but for _meta, which it reads when it
// is encoded: other sending middleware can reach a request only through
// GetMeta and SetMeta, and what they set goes out too. Encoding it costs
// what encoding go-sdk's own struct costs.
type wireParams struct {
	*mcp.CreateMessageWithToolsParams `json:"-"` // for the methods of mcp.Params
	wireFields
}

// wireFields are the fields of mcp.CreateMessageWithToolsParams, with a
// temperature that is written when it is 0. TestWireFieldsMirrorGoSDK holds
// the two structs in step, so a go-sdk upgrade that adds a field fails a
// test rather than drop the field.
type wireFields struct {
	Meta             metaRef                  `json:"_meta,omitzero"`
	IncludeContext   string                   `json:"includeContext,omitempty"`
	MaxTokens        int64                    `json:"maxTokens"`
	Messages         []*mcp.SamplingMessageV2 `json:"messages"`
	Metadata         any                      `json:"metadata,omitempty"`
	ModelPreferences *mcp.ModelPreferences    `json:"modelPreferences,omitempty"`
	StopSequences    []string                 `json:"stopSequences,omitempty"`
	SystemPrompt     string                   `json:"systemPrompt,omitempty"`
	Temperature      float64                  `json:"temperature"`
	Tools            []*mcp.Tool              `json:"tools,omitempty"`
	ToolChoice       *mcp.ToolChoice          `json:"toolChoice,omitempty"`
}

// metaRef writes the _meta of a request as it is when written.
type metaRef struct{ m *mcp.Meta }

func (r metaRef) IsZero() bool { return len(*r.m) == 0 }

func (r metaRef) MarshalJSON() ([]byte, error) {
	if _, marked := (*r.m)[zeroTemperatureMeta]; marked && len(*r.m) == 1 {
		return markOnly, nil // most requests' whole _meta, written without a map walk
	}
	return json.Marshal(*r.m)
}

// markOnly is a _meta that holds the zero-temperature mark alone.
var markOnly = []byte(`{"` + zeroTemperatureMeta + `":0}`)

func newWireParams(p *mcp.CreateMessageWithToolsParams) *wireParams {
	return &wireParams{p, wireFields{
		Meta:             metaRef{&p.Meta},
		IncludeContext:   p.IncludeContext,
		MaxTokens:        p.MaxTokens,
		Messages:         p.Messages,
		Metadata:         p.Metadata,
		ModelPreferences: p.ModelPreferences,
		StopSequences:    p.StopSequences,
		SystemPrompt:     p.SystemPrompt,
		Temperature:      p.Temperature,
		Tools:            p.Tools,
		ToolChoice:       p.ToolChoice,
	}}
}

// ToolResult returns the tool result that r is or holds. samplegen's
// receiving middleware hands go-sdk a type of its own for one kind of
// result, a multi round-trip result whose sampling requests ask for
// temperature 0 (so that the zero is written); receiving middleware added
// after a samplegen tool that reads tool results should read them with
// ToolResult rather than assert *mcp.CallToolResult.
func ToolResult(r mcp.Result) (*mcp.CallToolResult, bool) {
	switch r := r.(type) {
	case *mcp.CallToolResult:
		return r, true
	case zeroTemperatureResult:
		return r.CallToolResult, true
	}
	return nil, false
}

// zeroTemperatureResult writes a multi round-trip result whose input
// requests hold marked temperatures as it should have been.
type zeroTemperatureResult struct{ *mcp.CallToolResult }

func (z zeroTemperatureResult) MarshalJSON() ([]byte, error) {
	rest := *z.CallToolResult
	rest.InputRequests = nil
	b, err := rest.MarshalJSON()
	if err != nil {
		return nil, err
	}
	// {"inputRequests":{"ID":{"method":"sampling/createMessage","params":P},...},REST
	out := append(make([]byte, 0, len(b)+512*len(z.InputRequests)), `{"inputRequests":{`...)
	first := true
	for id, ir := range z.InputRequests {
		p, ok := ir.(*mcp.CreateMessageWithToolsParams)
		if !ok || !plainID(id) {
			// Not a result of samplegen's: write it as go-sdk does.
			return z.CallToolResult.MarshalJSON()
		}
		var params any = p
		if hasZeroMark(p) {
			params = newWireParams(p)
		}
		pj, err := json.Marshal(params)
		if err != nil {
			return nil, err
		}
		if !first {
			out = append(out, ',')
		}
		first = false
		out = append(out, '"')
		out = append(out, id...)
		out = append(out, `":{"method":"`+methodCreateMessage+`","params":`...)
		out = append(append(out, pj...), '}')
	}
	out = append(out, "},"...)
	// b is an object with at least "content".
	return append(out, b[1:]...), nil
}

// plainID reports whether id needs no escaping in JSON: the names the
// runtime gives asks are base64url and digits.
func plainID(id string) bool {
	for i := range len(id) {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
