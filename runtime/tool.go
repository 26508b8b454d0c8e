package runtime

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"text/template"
	"time"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime/answer"
	"github.com/samplegen/samplegen/templates"
)

// A Tool is a compiled [Spec]: its prompt parsed and its schemas resolved,
// ready to sample and to serve.
type Tool[In, Out any] struct {
	spec   Spec[In, Out]
	prompt *template.Template
	input  *jsonschema.Resolved
	output *jsonschema.Resolved
	// schemaText is the output schema as shown to the model.
	schemaText string
	// respond is the tool a model answers through where the client can
	// sample with tools; its input schema is the output schema.
	respond *mcp.Tool
}

// RespondTool is the name of the tool through which a model answers when
// the client declares sampling.tools.
const RespondTool = "respond"

// NewTool compiles spec. It panics when the spec is broken, which for
// generated code means the generator and runtime disagree: generated specs
// are checked at go generate time. Use [CompileTool] for hand-written specs.
func NewTool[In, Out any](spec Spec[In, Out]) *Tool[In, Out] {
	t, err := CompileTool(spec)
	if err != nil {
		panic(err)
	}
	return t
}

// CompileTool compiles spec, or says what is wrong with it.
func CompileTool[In, Out any](spec Spec[In, Out]) (*Tool[In, Out], error) {
	t := &Tool[In, Out]{spec: spec}
	var err error
	if t.input, err = resolveSchema(spec.InputSchema); err != nil {
		return nil, fmt.Errorf("samplegen tool %s: input schema: %w", spec.Name, err)
	}
	if t.output, err = resolveSchema(spec.OutputSchema); err != nil {
		return nil, fmt.Errorf("samplegen tool %s: output schema: %w", spec.Name, err)
	}
	if err := answer.CheckSchema(t.output); err != nil {
		return nil, fmt.Errorf("samplegen tool %s: output schema: %w", spec.Name, err)
	}
	if err := objectSchema(t.output); err != nil {
		return nil, fmt.Errorf("samplegen tool %s: output schema: %w", spec.Name, err)
	}
	var indented bytes.Buffer
	if err := json.Indent(&indented, []byte(spec.OutputSchema), "", "  "); err != nil {
		return nil, fmt.Errorf("samplegen tool %s: output schema: %w", spec.Name, err)
	}
	t.schemaText = indented.String()
	t.respond = &mcp.Tool{
		Name:        RespondTool,
		Description: "Give your answer. Call this tool exactly once; its input is your whole answer.",
		InputSchema: json.RawMessage(spec.OutputSchema),
	}
	name := spec.PromptName
	if name == "" {
		name = spec.Name
	}
	if t.prompt, err = templates.ParseWith(name, spec.Prompt, templates.Options{Schema: t.schemaText, Enums: spec.Enums}); err != nil {
		return nil, fmt.Errorf("samplegen tool %s: %w", spec.Name, err)
	}
	return t, nil
}

// objectSchema refuses output schemas that are not objects: MCP clients
// before protocol 2026-07-28 (the TypeScript SDK 1.x among them) reject a
// tool whose output schema or structured content is anything else.
func objectSchema(rs *jsonschema.Resolved) error {
	if t := rs.Schema().Type; t != "object" {
		return fmt.Errorf(`its type is %q, and MCP clients before protocol 2026-07-28 need "object": wrap the value in a struct`, t)
	}
	return nil
}

func resolveSchema(text string) (*jsonschema.Resolved, error) {
	var s jsonschema.Schema
	if err := json.Unmarshal([]byte(text), &s); err != nil {
		return nil, err
	}
	return s.Resolve(&jsonschema.ResolveOptions{ValidateDefaults: true})
}

// Name is the MCP name of the tool.
func (t *Tool[In, Out]) Name() string { return t.spec.Name }

// MCPTool returns the tool's MCP description, with its input and output
// schemas.
func (t *Tool[In, Out]) MCPTool() *mcp.Tool {
	return &mcp.Tool{
		Name:         t.spec.Name,
		Title:        t.spec.Title,
		Description:  t.spec.Description,
		InputSchema:  json.RawMessage(t.spec.InputSchema),
		OutputSchema: json.RawMessage(t.spec.OutputSchema),
	}
}

// Sample renders the prompt for in, asks s, and returns the answer as an Out:
// parsed leniently, validated against the output schema and Out's Validate
// method, re-asked with the error when invalid, and handed to the fallbacks
// when the rounds run out.
func (t *Tool[In, Out]) Sample(ctx context.Context, s Sampler, in In, opts ...Option) (Out, error) {
	var base config
	if c := callFrom(ctx); c != nil {
		base = c.cfg
	}
	cfg := base.with(opts)
	rep := cfg.report
	if rep == nil {
		rep = new(Report)
	}
	*rep = Report{Tool: t.spec.Name, Era: eraOf(ctx)}
	start := time.Now()
	out, err := t.sample(ctx, s, in, cfg, rep)
	rep.Latency = time.Since(start)
	if call := callFrom(ctx); call != nil {
		call.addReport(rep)
	}
	return out, err
}

func (t *Tool[In, Out]) sample(ctx context.Context, s Sampler, in In, cfg config, rep *Report) (Out, error) {
	var zero Out
	params := t.spec.Params.merge(cfg.params)
	usingFallback := false
	switch s.(type) {
	case nil, noSampler:
		if cfg.fallback == nil {
			return t.fallback(in, ErrCannotSample, rep)
		}
		s, usingFallback = cfg.fallback, true
	case fallbackSampler:
		usingFallback = true
	}
	if usingFallback {
		rep.Fallback = "sampler"
	}
	viaTool := answersThroughTool(ctx, s)
	req, err := t.request(in, params, viaTool)
	if err != nil {
		return zero, err
	}
	var last error
	for round := 0; round <= params.retries(); round++ {
		res, err := ask(ctx, s, req, params.timeout())
		if err != nil && cfg.fallback != nil && !usingFallback && !isFinal(ctx, err) {
			// The client failed or refused: the operator's own model answers,
			// in a conversation of its own.
			s, usingFallback, viaTool = cfg.fallback, true, false
			rep.Fallback = "sampler"
			if req, err = t.request(in, params, false); err != nil {
				return zero, err
			}
			res, err = ask(ctx, s, req, params.timeout())
		}
		if err != nil {
			if isFinal(ctx, err) {
				return zero, err
			}
			last = err
			break
		}
		got := t.reply(res)
		r := Round{Model: res.Model, StopReason: res.StopReason}
		out, repairs, err := t.decode(got.text, res.StopReason)
		r.Repairs = repairs
		if err == nil {
			rep.Rounds = append(rep.Rounds, r)
			return out, nil
		}
		r.Error = err.Error()
		rep.Rounds = append(rep.Rounds, r)
		last = err
		req = reask(req, got, err)
		if errors.Is(err, answer.ErrTruncated) && params.TruncatedMaxTokens > req.MaxTokens {
			req.MaxTokens = params.TruncatedMaxTokens
		}
	}
	return t.fallback(in, last, rep)
}

// answersThroughTool reports whether s is the calling client and the client
// declared sampling.tools: then the strongest enforcement is a required tool
// whose input schema is the output schema.
func answersThroughTool(ctx context.Context, s Sampler) bool {
	c := callFrom(ctx)
	return c != nil && c.tools && isClient(s)
}

// isFinal reports errors after which nothing else should be tried: the call
// was cancelled, or a multi round-trip call must first go back to the client.
func isFinal(ctx context.Context, err error) bool {
	return errors.Is(err, ErrInputRequired) || ctx.Err() != nil
}

// request renders the prompt into the first sampling request.
func (t *Tool[In, Out]) request(in In, p Params, viaTool bool) (*mcp.CreateMessageWithToolsParams, error) {
	var user, system bytes.Buffer
	if err := t.prompt.Execute(&user, in); err != nil {
		return nil, fmt.Errorf("%s: rendering the prompt: %w", t.spec.Name, err)
	}
	if sys := t.prompt.Lookup(templates.SystemTemplate); sys != nil {
		if err := sys.Execute(&system, in); err != nil {
			return nil, fmt.Errorf("%s: rendering the system prompt: %w", t.spec.Name, err)
		}
	}
	req := &mcp.CreateMessageWithToolsParams{
		SystemPrompt: templates.Instructions(templates.InstructionsData{
			System: strings.TrimSpace(system.String()),
			Schema: t.schemaText,
			Enums:  t.spec.Enums,
			Tool:   map[bool]string{true: RespondTool}[viaTool],
		}),
		Messages:      []*mcp.SamplingMessageV2{textMessage("user", strings.TrimSpace(user.String()))},
		MaxTokens:     p.maxTokens(),
		StopSequences: p.StopSequences,
	}
	if p.Temperature != nil {
		req.Temperature = *p.Temperature
		if *p.Temperature == 0 {
			// go-sdk drops a zero temperature; see wire.go.
			req.Meta = mcp.Meta{zeroTemperatureMeta: 0}
		}
	}
	if prefs := p.modelPreferences(); prefs != nil {
		req.ModelPreferences = prefs
	}
	if p.Metadata != nil {
		req.Metadata = p.Metadata
	}
	if viaTool {
		req.Tools = []*mcp.Tool{t.respond}
		req.ToolChoice = &mcp.ToolChoice{Mode: "required"}
	}
	return req, nil
}

func (p Params) modelPreferences() *mcp.ModelPreferences {
	if p.ModelHints == nil && p.CostPriority == nil && p.SpeedPriority == nil && p.IntelligencePriority == nil {
		return nil
	}
	prefs := &mcp.ModelPreferences{}
	for _, h := range p.ModelHints {
		prefs.Hints = append(prefs.Hints, &mcp.ModelHint{Name: h})
	}
	if p.CostPriority != nil {
		prefs.CostPriority = *p.CostPriority
	}
	if p.SpeedPriority != nil {
		prefs.SpeedPriority = *p.SpeedPriority
	}
	if p.IntelligencePriority != nil {
		prefs.IntelligencePriority = *p.IntelligencePriority
	}
	return prefs
}

func textMessage(role mcp.Role, text string) *mcp.SamplingMessageV2 {
	return &mcp.SamplingMessageV2{Role: role, Content: []mcp.Content{&mcp.TextContent{Text: text}}}
}

// A reply is a model's answer as the runtime reads it.
type reply struct {
	text    string              // what is parsed: the text, or the respond tool's input as JSON
	toolUse *mcp.ToolUseContent // the respond call, when the model answered through it
	content []mcp.Content       // the answer as received, echoed back in a re-ask
}

func (t *Tool[In, Out]) reply(res *mcp.CreateMessageWithToolsResult) reply {
	r := reply{content: res.Content}
	var text strings.Builder
	for _, c := range res.Content {
		switch c := c.(type) {
		case *mcp.TextContent:
			text.WriteString(c.Text)
		case *mcp.ToolUseContent:
			if c.Name != RespondTool || r.toolUse != nil {
				continue
			}
			if b, err := json.Marshal(c.Input); err == nil {
				r.toolUse, r.text = c, string(b)
			}
		}
	}
	if r.toolUse == nil {
		r.text = text.String()
	}
	return r
}

// reask returns req with the refused answer and what was wrong with it
// appended, so the model can correct itself: as a tool result when it
// answered through the respond tool, as a user message otherwise.
func reask(req *mcp.CreateMessageWithToolsParams, got reply, err error) *mcp.CreateMessageWithToolsParams {
	next := *req
	said := got.content
	if len(said) == 0 {
		said = []mcp.Content{&mcp.TextContent{Text: ""}}
	}
	correction := textMessage("user", "That answer could not be used: "+err.Error()+"\n\nAnswer again with only the corrected JSON value.")
	if got.toolUse != nil {
		correction = &mcp.SamplingMessageV2{Role: "user", Content: []mcp.Content{&mcp.ToolResultContent{
			ToolUseID: got.toolUse.ID,
			IsError:   true,
			Content:   []mcp.Content{&mcp.TextContent{Text: "That answer could not be used: " + err.Error() + "\n\nCall " + RespondTool + " again with the corrected answer."}},
		}}}
	}
	next.Messages = append(append([]*mcp.SamplingMessageV2(nil), req.Messages...),
		&mcp.SamplingMessageV2{Role: "assistant", Content: said}, correction)
	return &next
}

// errAskTimeout is the cause of an ask's own deadline, told apart from the
// deadline of the call around it.
var errAskTimeout = errors.New("the ask's deadline passed")

// ask puts one request to s under the per-ask deadline.
func ask(ctx context.Context, s Sampler, req *mcp.CreateMessageWithToolsParams, timeout time.Duration) (*mcp.CreateMessageWithToolsResult, error) {
	ctx, cancel := context.WithTimeoutCause(ctx, timeout, errAskTimeout)
	defer cancel()
	res, err := s.CreateMessage(ctx, req)
	var wire *jsonrpc.Error
	switch {
	case err == nil && res == nil:
		return nil, errors.New("the sampler returned no result")
	case errors.Is(err, ErrInputRequired):
		return nil, err
	case err != nil && context.Cause(ctx) == errAskTimeout:
		return nil, fmt.Errorf("the client did not answer the sampling request within %v: %w", timeout, err)
	case errors.As(err, &wire) && wire.Code == codeUserRejected:
		return nil, fmt.Errorf("%w (%s)", ErrRefused, wire.Message)
	case err != nil:
		return nil, fmt.Errorf("the client's sampling failed: %w", err)
	}
	return res, nil
}

// decode turns an answer into an Out, or an error fit for a re-ask.
func (t *Tool[In, Out]) decode(text, stopReason string) (Out, []answer.Repair, error) {
	var out Out
	repairs, err := answer.Unmarshal(text, stopReason, t.output, &out)
	if err != nil {
		return out, repairs, err
	}
	if err := validateAll(&out); err != nil {
		return out, repairs, fmt.Errorf("the value is not acceptable: %w", err)
	}
	return out, repairs, nil
}

func remarshal(from, to any) error {
	b, err := json.Marshal(from)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, to)
}

// fallback runs when no answer gave a valid value: the Fallback hook, else
// the output schema's defaults, else an error that says what went wrong.
func (t *Tool[In, Out]) fallback(in In, cause error, rep *Report) (Out, error) {
	var zero Out
	if t.spec.Fallback != nil {
		out, err := t.spec.Fallback(in, cause)
		if err != nil {
			return zero, fmt.Errorf("%s: the Fallback method failed after %w: %w", t.spec.Name, t.failure(cause, rep), err)
		}
		rep.Fallback = "hook"
		return out, nil
	}
	if out, ok := t.defaults(); ok {
		rep.Fallback = "defaults"
		return out, nil
	}
	return zero, t.failure(cause, rep)
}

// defaults builds an Out from the output schema's top-level defaults, when
// they make a valid value on their own.
func (t *Tool[In, Out]) defaults() (Out, bool) {
	var out Out
	s := t.output.Schema()
	if len(s.Properties) == 0 {
		return out, false
	}
	m := map[string]any{}
	for k, p := range s.Properties {
		if p.Default != nil {
			var d any
			if json.Unmarshal(p.Default, &d) == nil {
				m[k] = d
			}
		}
	}
	if t.output.Validate(m) != nil || remarshal(m, &out) != nil || validateAll(&out) != nil {
		return out, false
	}
	return out, true
}

// failure is the error of a call that got no value.
func (t *Tool[In, Out]) failure(cause error, rep *Report) error {
	if errors.Is(cause, ErrCannotSample) {
		return &SampleError{Tool: t.spec.Name, Err: cause}
	}
	return &SampleError{Tool: t.spec.Name, Rounds: len(rep.Rounds), Err: cause}
}
