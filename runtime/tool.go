package runtime

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/template"
	"text/template/parse"
	"time"
	"unicode/utf8"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/prompt"
	"github.com/samplegen/samplegen/runtime/answer"
	"github.com/samplegen/samplegen/sampling"
)

// A Tool is a compiled [Spec]: its prompt parsed and its schemas resolved,
// ready to sample and to serve.
type Tool[In, Out any] struct {
	spec   Spec[In, Out]
	prompt *template.Template
	system *template.Template // the prompt's system block; nil when it has none
	input  *inputSchema
	out    *output
	// instructions is what follows the system block in the system prompt,
	// by answer mode: it depends on the tool alone, so it is rendered once.
	instructions map[string]string
	// fingerprint names what the tool asks (its prompt, schemas and
	// instructions), for the names of multi round-trip asks: state made by
	// a replica with another version of the tool is not replayed here.
	fingerprint string
	// systemPrompts is the whole system prompt by answer mode, when the
	// prompt's system block holds no action and so is the same for every
	// input.
	systemPrompts map[string]string
	// respond is the tool a model answers through where the client can
	// sample with tools; its input schema is the output schema (wrapped
	// under ResultProperty when the output is not an object).
	respond *mcp.Tool
	// calls holds the tools compiled for the values of the spec's
	// EnumsFromInput that recent calls gave; see forCall.
	calls *callTools[In, Out]
	// enumSites are the offsets in OutputSchema where the values of each
	// of the spec's EnumsFromInput go.
	enumSites [][]int
	// callEnums are the values (and the caller's meanings) of a tool
	// compiled for one call's input enums: {{enum}} in the user message
	// lists them, and nothing else shows their meanings; see forCall.
	callEnums []Enum
}

// answerJSONFull keys the instructions that show the whole output schema
// instead of its shape; see [Params].FullSchema.
const answerJSONFull = AnswerJSON + "+schema"

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
	if t.input, err = newInputSchema(spec.InputSchema); err != nil {
		return nil, fmt.Errorf("samplegen tool %s: input schema: %w", spec.Name, err)
	}
	if spec.OutputSchema == "" {
		return nil, fmt.Errorf("samplegen tool %s: no output schema", spec.Name)
	}
	if len(spec.EnumsFromInput) > 0 {
		if t.enumSites, err = inputEnumSites(spec.OutputSchema, spec.EnumsFromInput); err != nil {
			return nil, fmt.Errorf("samplegen tool %s: %w", spec.Name, err)
		}
		t.calls = newCallTools[In, Out]()
	}
	if err := t.compileOutput(); err != nil {
		return nil, err
	}
	return t, nil
}

// compileOutput compiles what the tool's output schema and enums shape:
// everything but the input schema.
func (t *Tool[In, Out]) compileOutput() error {
	spec := t.spec
	var err error
	if t.out, err = newOutput(spec.OutputSchema); err != nil {
		return fmt.Errorf("samplegen tool %s: output schema: %w", spec.Name, err)
	}
	if t.out.text && reflect.TypeFor[Out]().Kind() != reflect.String {
		return fmt.Errorf("samplegen tool %s: the output schema is a string, and %v is not", spec.Name, reflect.TypeFor[Out]())
	}
	var indented bytes.Buffer
	if err := json.Indent(&indented, []byte(spec.OutputSchema), "", "  "); err != nil {
		return fmt.Errorf("samplegen tool %s: output schema: %w", spec.Name, err)
	}
	schemaText := indented.String()
	t.respond = &mcp.Tool{
		Name:        RespondTool,
		Description: "Give your answer. Call this tool exactly once; its input is your whole answer.",
		InputSchema: t.out.objectSchema(),
	}
	name := spec.PromptName
	if name == "" {
		name = spec.Name
	}
	opts := prompt.Options{Schema: schemaText, Enums: append(slices.Clip(spec.Enums), t.callEnums...), InputSchema: spec.InputSchema, InputEnumMeanings: spec.InputEnumMeanings}
	if t.prompt, err = prompt.ParseWith(name, spec.Prompt, opts); err != nil {
		return fmt.Errorf("samplegen tool %s: %w", spec.Name, err)
	}
	t.system = t.prompt.Lookup(prompt.SystemTemplate)
	if t.system != nil && len(t.callEnums) > 0 {
		// The system block's {{enum}} shows a call's values without the
		// caller's meanings.
		opts.Enums = append(slices.Clip(spec.Enums), withoutMeanings(t.callEnums)...)
		clone, err := t.prompt.Clone()
		if err != nil {
			return fmt.Errorf("samplegen tool %s: %w", spec.Name, err)
		}
		t.system = clone.Funcs(prompt.FuncsFor(opts)).Lookup(prompt.SystemTemplate)
	}
	// Meanings the prompt lists itself are not repeated in the instructions.
	// A call's own values are not among spec.Enums: the instructions show
	// them in the schema, and their meanings, the caller's, not at all.
	enums := unlisted(spec.Enums, prompt.ListedEnums(t.prompt))
	shape, untold, err := prompt.Shape(spec.OutputSchema, enums)
	if err != nil {
		return fmt.Errorf("samplegen tool %s: output schema: %w", spec.Name, err)
	}
	t.instructions = map[string]string{
		AnswerJSON:     prompt.Instructions(prompt.InstructionsData{Shape: shape, Enums: untold}),
		answerJSONFull: prompt.Instructions(prompt.InstructionsData{Schema: schemaText, Enums: enums}),
		AnswerRespond:  prompt.Instructions(prompt.InstructionsData{Enums: t.out.respondEnums(enums), Tool: RespondTool}),
		AnswerText:     prompt.Instructions(prompt.InstructionsData{Enums: enums, Text: true, Length: t.out.length(), Rules: t.out.textRules()}),
	}
	if static, ok := staticText(t.system); ok {
		t.system, t.systemPrompts = nil, map[string]string{}
		for mode, text := range t.instructions {
			t.systemPrompts[mode] = prompt.JoinSystem(strings.TrimSpace(static), text)
		}
	}
	t.fingerprint = fingerprint(spec.Name, spec.Prompt, spec.InputSchema, spec.OutputSchema, t.instructions[AnswerJSON], t.instructions[answerJSONFull], t.instructions[AnswerRespond], t.instructions[AnswerText])
	return nil
}

// withoutMeanings returns enums with their values alone.
func withoutMeanings(enums []Enum) []Enum {
	out := make([]Enum, len(enums))
	for i, e := range enums {
		out[i] = Enum{Path: e.Path, Values: make([]EnumValue, len(e.Values))}
		for j, v := range e.Values {
			out[i].Values[j] = EnumValue{Value: v.Value}
		}
	}
	return out
}

// unlisted returns the enums whose paths are not in listed.
func unlisted(enums []Enum, listed map[string]bool) []Enum {
	if len(listed) == 0 {
		return enums
	}
	kept := make([]Enum, 0, len(enums))
	for _, e := range enums {
		if !listed[e.Path] {
			kept = append(kept, e)
		}
	}
	return kept
}

// Name is the MCP name of the tool.
func (t *Tool[In, Out]) Name() string { return t.spec.Name }

// MCPTool returns the tool's MCP description, with its input and output
// schemas as clients of protocol 2026-07-28 see them.
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
// method, re-asked with the errors when invalid, and handed to the
// fallbacks when the rounds run out.
//
// Inside a served tool (a function tool's body) Sample follows the call's
// [Plan], whatever Sampler it is given: pass it the Sampler the body
// received, wrapped in middleware as you like. Outside one, s is the model
// and the call is direct.
func (t *Tool[In, Out]) Sample(ctx context.Context, s Sampler, in In, opts ...CallOption) (Out, error) {
	return t.sampleCall(ctx, s, in, false, opts)
}

// sampleCall is Sample. ofArgs says that in is the served call's own
// arguments, decoded (the body of a sampling tool): then the call's
// arguments, already hashed, name its asks.
func (t *Tool[In, Out]) sampleCall(ctx context.Context, s Sampler, in In, ofArgs bool, opts []CallOption) (Out, error) {
	cc := newCallConfig(opts)
	c := callFrom(ctx)
	plan := Plan{Era: EraDirect}
	params := t.spec.Params
	start := time.Now()
	if c != nil {
		plan = c.plan
		params = params.merge(c.cfg.params)
		if plan.Era == EraMultiRoundTrip {
			start = c.started
		}
	}
	params = params.merge(cc.params)
	if s == nil {
		s = noDriver{}
	}
	rep := cc.report
	var rounds []Round
	switch {
	case rep != nil:
	case c != nil:
		rep = c.newReport()
		rounds = rep.Rounds
	default:
		rep = new(Report)
	}
	if rounds == nil {
		rounds = []Round{}
	}
	*rep = Report{Tool: t.spec.Name, Era: plan.Era, Rounds: rounds}
	var out Out
	tc, err := t.forCall(in)
	if err == nil {
		out, err = tc.sample(ctx, s, in, ofArgs, c, plan, params, rep)
	}
	if rep.Fallback == FallbackHook || rep.Fallback == FallbackDefaults {
		// The server's model's fallback has its event where it is asked.
		c.toolSpan().Fallback(rep.Fallback)
	}
	rep.Latency = time.Since(start)
	rep.end(err)
	if c != nil {
		c.addReport(rep)
	}
	return out, err
}

func (t *Tool[In, Out]) sample(ctx context.Context, s Sampler, in In, ofArgs bool, c *call, plan Plan, params Params, rep *Report) (Out, error) {
	var zero Out
	mode := t.answerMode(plan.Respond)
	rep.Answer = mode
	cv := &conversation[In, Out]{t: t, in: in, params: params, mode: mode, direct: plan.Era == EraDirect}
	// On a multi round-trip call each ask of this sample has a name made
	// from what the sample is (tool, input, parameters, round), so an ask
	// answered in an earlier round trip is answered again without rendering
	// the prompt: the request is built only when it must be sent.
	var replay *mrtrDriver
	var key string
	if c != nil && c.replay != nil {
		replay = c.replay
		key = replay.sampleKey(t.fingerprint, in, ofArgs, params, mode)
	}
	onServer := false
	var last error
	var idBuf [64]byte
	waits := 0 // throttles waited out in this round
	for round := 0; round <= params.retries(); round++ {
		var res *mcp.CreateMessageWithToolsResult
		var err error
		var id []byte
		if key != "" && !onServer {
			id = askID(idBuf[:0], key, round, waits)
		}
		// A replayed answer goes through s like any other, so that Sampler
		// middleware sees it; only where s is the call's own driver, with
		// nothing around it to see, is the prompt not rendered again.
		var prior *mcp.CreateMessageWithToolsResult
		replayed, fresh := false, false
		if d, bare := s.(*mrtrDriver); bare && d == replay {
			prior, fresh, replayed = replay.answered(id)
		}
		if replayed {
			if fresh {
				replay.traceAnswer(ctx, string(id), paramsRequest(params), cv.req, prior)
			}
			res, err = checkAnswer(prior, nil, plan.Era)
		} else {
			req, rerr := cv.request()
			if rerr != nil {
				return zero, rerr
			}
			res, err = ask(withAskID(ctx, string(id)), s, req, params.timeout(), plan.Era)
		}
		if wait, ok := throttle(ctx, err, waits, params.timeout()); ok && !onServer {
			// The client asked to be asked again later, in time: wait,
			// unless a later round trip of this call already did (the next
			// ask is answered), and ask the same again.
			waits++
			rep.Throttled++
			if key == "" || !replay.has(askID(nil, key, round, waits)) {
				if err := sleep(ctx, wait); err != nil {
					return zero, err
				}
			}
			round--
			continue
		}
		if err != nil && !onServer && plan.ServerFallback && !isFinal(ctx, err) {
			// The client failed or refused: the server's own model answers,
			// in a conversation of its own.
			s, onServer = c.server, true
			mode = t.answerMode(false)
			cv = &conversation[In, Out]{t: t, in: in, params: params, mode: mode, direct: true}
			rep.Era, rep.Answer, rep.Fallback = EraDirect, mode, FallbackServer
			if !replayed || fresh {
				// Once, in the round trip the client's failure came in.
				c.toolSpan().Fallback(FallbackServer)
			}
			req, rerr := cv.request()
			if rerr != nil {
				return zero, rerr
			}
			res, err = ask(ctx, s, req, params.timeout(), EraDirect)
		}
		if err != nil {
			if isFinal(ctx, err) {
				return zero, err
			}
			if spent, ok := refusalUsage(err); ok {
				// A model's own refusal that spent tokens (an adapter's
				// sampling.ModelRefused): a round, so that they are counted
				// and priced (its model unnamed: "*" in a price table).
				rep.Rounds = append(rep.Rounds, Round{Usage: &spent, Error: err.Error()})
				rep.Usage = rep.Usage.Add(spent)
			}
			last = err
			break
		}
		waits = 0
		got := t.reply(res, mode)
		r := Round{Model: res.Model, StopReason: res.StopReason}
		if u, ok := sampling.UsageOf(res); ok {
			r.Usage = &u
			rep.Usage = rep.Usage.Add(u)
		} else if e, ok := cv.estimate(res, replay, replayed && !onServer, id); ok {
			r.Estimate = &e
			rep.EstimatedUsage = rep.EstimatedUsage.Add(e)
		}
		out, repairs, err := t.decode(got.text, res.StopReason, mode, in)
		r.Repairs = shortPaths(repairs)
		if span := c.toolSpan(); span != nil && (!replayed || fresh) {
			// Events of this request's own answers: one replayed from an
			// earlier round trip had them there.
			for _, rp := range r.Repairs {
				span.Repair(round, rp.Kind, rp.Path)
			}
			if err != nil && round < params.retries() {
				span.Reask(round, err.Error())
			}
		}
		if err == nil {
			rep.Rounds = append(rep.Rounds, r)
			return out, nil
		}
		r.Error = err.Error()
		rep.Rounds = append(rep.Rounds, r)
		last = err
		cv.refused(got, err)
	}
	return t.fallback(in, last, rep)
}

// askID names the ask of a multi round-trip sample key in round, after
// waits throttles waited out in that round.
func askID(buf []byte, key string, round, waits int) []byte {
	id := strconv.AppendInt(append(append(buf, key...), '-'), int64(round), 10)
	if waits > 0 {
		id = strconv.AppendInt(append(id, "-w"...), int64(waits), 10)
	}
	return id
}

// maxThrottleWaits bounds how often one round waits out a client's
// throttle before the runtime takes the refusal as final.
const maxThrottleWaits = 3

// throttle reports whether err is a throttle the call can wait out: a
// refusal naming a wait, not yet waited out maxThrottleWaits times in this
// round, that ends before the call's deadline (or, for a call with none,
// within one ask's timeout).
func throttle(ctx context.Context, err error, waits int, timeout time.Duration) (time.Duration, bool) {
	var r *sampling.RefusalError
	if err == nil || !errors.As(err, &r) || r.RetryAfter <= 0 || waits >= maxThrottleWaits {
		return 0, false
	}
	left := timeout
	if d, ok := ctx.Deadline(); ok {
		left = time.Until(d)
	}
	return r.RetryAfter, r.RetryAfter < left
}

// sleep waits d, or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// A conversation is the requests of one sample. It builds them only when
// one must be sent, folding in the answers refused so far.
type conversation[In, Out any] struct {
	t      *Tool[In, Out]
	in     In
	params Params
	mode   string
	// direct says the asks go to a model in this process (the server's
	// own, or any Sampler outside a served tool), which may read the
	// output schema from _meta. A client is not sent it: samplegen's
	// clients sample with tools and answer through the respond tool, and
	// for others it would only be bytes to decode.
	direct bool
	req    *mcp.CreateMessageWithToolsParams
	// refusals are the answers refused and not yet folded into req.
	refusals []refusedAnswer
}

type refusedAnswer struct {
	got reply
	err error
}

func (cv *conversation[In, Out]) refused(got reply, err error) {
	cv.refusals = append(cv.refusals, refusedAnswer{got, err})
}

// request returns the request to send now.
func (cv *conversation[In, Out]) request() (*mcp.CreateMessageWithToolsParams, error) {
	if cv.req == nil {
		p, err := cv.t.render(cv.in)
		if err != nil {
			return nil, err
		}
		cv.req = cv.t.request(p, cv.params, cv.mode, cv.direct)
	}
	for _, r := range cv.refusals {
		cv.req = reask(cv.req, r.got, r.err, cv.mode)
		if errors.Is(r.err, answer.ErrTruncated) && cv.params.TruncatedMaxTokens > cv.req.MaxTokens {
			cv.req.MaxTokens = cv.params.TruncatedMaxTokens
		}
	}
	cv.refusals = cv.refusals[:0]
	return cv.req, nil
}

// estimate guesses the tokens of res, an answer that did not say, to the
// conversation's request now (the one res answers). An answer replayed
// from the request state takes its input's estimate from there, made when
// the ask was sent, so that the prompt is not rendered again for it.
func (cv *conversation[In, Out]) estimate(res *mcp.CreateMessageWithToolsResult, replay *mrtrDriver, replayed bool, id []byte) (sampling.Usage, bool) {
	if replayed {
		if in, ok := replay.inputEstimate(id); ok {
			return sampling.Usage{InputTokens: in, OutputTokens: sampling.EstimateUsage(nil, res).OutputTokens}, true
		}
	}
	req, err := cv.request()
	if err != nil {
		return sampling.Usage{}, false
	}
	return sampling.EstimateUsage(req, res), true
}

// answerMode is how the model is asked to answer: plain text for a string
// output, through the respond tool where the route can carry it, else JSON
// as the system prompt says.
func (t *Tool[In, Out]) answerMode(respond bool) string {
	switch {
	case t.out.text:
		return AnswerText
	case respond:
		return AnswerRespond
	}
	return AnswerJSON
}

// isFinal reports errors after which nothing else should be tried: the call
// was cancelled, or a multi round-trip call must first go back to the client.
func isFinal(ctx context.Context, err error) bool {
	return errors.Is(err, ErrInputRequired) || errors.Is(err, context.Canceled) || ctx.Err() != nil
}

// A renderedPrompt is a tool's prompt rendered for one input.
type renderedPrompt struct{ system, user string }

func (t *Tool[In, Out]) render(in In) (renderedPrompt, error) {
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer renderBuffers.Put(buf)
	buf.Reset()
	var p renderedPrompt
	if err := t.prompt.Execute(buf, in); err != nil {
		return renderedPrompt{}, fmt.Errorf("%s: rendering the prompt: %w", t.spec.Name, err)
	}
	p.user = string(bytes.TrimSpace(buf.Bytes()))
	if t.system != nil {
		buf.Reset()
		if err := t.system.Execute(buf, in); err != nil {
			return renderedPrompt{}, fmt.Errorf("%s: rendering the system prompt: %w", t.spec.Name, err)
		}
		p.system = string(bytes.TrimSpace(buf.Bytes()))
	}
	return p, nil
}

// renderBuffers hold prompts while they render: a prompt is written in
// many small pieces, and a buffer that has grown once serves the next.
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// request builds the first sampling request of a rendered prompt; direct
// as for a conversation.
func (t *Tool[In, Out]) request(p renderedPrompt, params Params, mode string, direct bool) *mcp.CreateMessageWithToolsParams {
	shown := mode
	if mode == AnswerJSON && params.FullSchema {
		shown = answerJSONFull
	}
	system, ok := t.systemPrompts[shown]
	if !ok {
		system = prompt.JoinSystem(p.system, t.instructions[shown])
	}
	req := &mcp.CreateMessageWithToolsParams{
		SystemPrompt:  system,
		Messages:      textMessages("user", p.user),
		MaxTokens:     params.maxTokens(),
		StopSequences: params.StopSequences,
	}
	if params.Temperature != nil {
		req.Temperature = *params.Temperature
		if *params.Temperature == 0 {
			// go-sdk drops a zero temperature; see wire.go.
			req.Meta = mcp.Meta{sampling.TemperatureMetaKey: 0}
		}
	}
	if prefs := params.modelPreferences(); prefs != nil {
		req.ModelPreferences = prefs
	}
	if params.Metadata != nil {
		req.Metadata = params.Metadata
	}
	if direct && mode == AnswerJSON && t.out.object {
		// For adapters with structured output; see sampling.OutputSchemaMetaKey.
		if req.Meta == nil {
			req.Meta = mcp.Meta{}
		}
		req.Meta[sampling.OutputSchemaMetaKey] = t.out.raw
	}
	if mode == AnswerRespond {
		req.Tools = []*mcp.Tool{t.respond}
		req.ToolChoice = &mcp.ToolChoice{Mode: "required"}
	}
	return req
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

// textMessages is a list of one text message, made in one allocation.
func textMessages(role mcp.Role, text string) []*mcp.SamplingMessageV2 {
	m := &struct {
		msgs    [1]*mcp.SamplingMessageV2
		msg     mcp.SamplingMessageV2
		content [1]mcp.Content
		text    mcp.TextContent
	}{msg: mcp.SamplingMessageV2{Role: role}, text: mcp.TextContent{Text: text}}
	m.content[0] = &m.text
	m.msg.Content = m.content[:]
	m.msgs[0] = &m.msg
	return m.msgs[:]
}

// A reply is a model's answer as the runtime reads it.
type reply struct {
	text    string              // what is parsed: the text, or the respond tool's input as JSON
	toolUse *mcp.ToolUseContent // the respond call, when the model answered through it
	content []mcp.Content       // the answer as received, echoed back in a re-ask
}

func (t *Tool[In, Out]) reply(res *mcp.CreateMessageWithToolsResult, mode string) reply {
	r := reply{content: res.Content}
	var text strings.Builder
	for _, c := range res.Content {
		switch c := c.(type) {
		case *mcp.TextContent:
			text.WriteString(c.Text)
		case *mcp.ToolUseContent:
			if mode != AnswerRespond || c.Name != RespondTool || r.toolUse != nil {
				continue
			}
			var input any = c.Input
			if v, ok := c.Input[ResultProperty]; ok && !t.out.object {
				input = v
			}
			if b, err := json.Marshal(input); err == nil {
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
func reask(req *mcp.CreateMessageWithToolsParams, got reply, err error, mode string) *mcp.CreateMessageWithToolsParams {
	next := *req
	said := got.content
	if len(said) == 0 {
		said = []mcp.Content{&mcp.TextContent{Text: ""}}
	}
	again := "Answer again with only the corrected JSON value."
	if mode == AnswerText {
		again = "Answer again with only the corrected text."
	}
	correction := textMessages("user", "That answer could not be used:\n"+err.Error()+"\n\n"+again)[0]
	if got.toolUse != nil {
		correction = &mcp.SamplingMessageV2{Role: "user", Content: []mcp.Content{&mcp.ToolResultContent{
			ToolUseID: got.toolUse.ID,
			IsError:   true,
			Content:   []mcp.Content{&mcp.TextContent{Text: "That answer could not be used:\n" + err.Error() + "\n\nCall " + RespondTool + " again with the corrected answer."}},
		}}}
	}
	next.Messages = append(append([]*mcp.SamplingMessageV2(nil), req.Messages...),
		&mcp.SamplingMessageV2{Role: "assistant", Content: said}, correction)
	return &next
}

// errAskTimeout is the cause of an ask's own deadline, told apart from the
// deadline of the call around it.
var errAskTimeout = errors.New("the ask's deadline passed")

// ask puts one request to s under the per-ask deadline. era names who is
// asked, for the errors.
func ask(ctx context.Context, s Sampler, req *mcp.CreateMessageWithToolsParams, timeout time.Duration, era string) (*mcp.CreateMessageWithToolsResult, error) {
	ctx, cancel := context.WithTimeoutCause(ctx, timeout, errAskTimeout)
	defer cancel()
	res, err := askTraced(ctx, s, req, era)
	if err != nil && context.Cause(ctx) == errAskTimeout && !errors.Is(err, ErrInputRequired) {
		return nil, fmt.Errorf("%s did not answer the sampling request within %v: %w", asked(era), timeout, err)
	}
	return checkAnswer(res, err, era)
}

// asked names who an ask of era goes to, for errors.
func asked(era string) string {
	if era == EraDirect {
		return "the model"
	}
	return "the client"
}

// checkAnswer names what came of an ask of era: an answer, a refusal (a
// [sampling.RefusalError], which the push driver makes of error -1, or a
// result that stands for one), or a failure.
func checkAnswer(res *mcp.CreateMessageWithToolsResult, err error, era string) (*mcp.CreateMessageWithToolsResult, error) {
	if err != nil {
		if errors.Is(err, ErrInputRequired) || errors.Is(err, ErrCannotSample) || errors.Is(err, ErrRefused) {
			return nil, err
		}
		if errors.Is(err, mcp.ErrConnectionClosed) {
			// The client went away: the call is over, as if cancelled,
			// whichever of the two go-sdk noticed first.
			return nil, fmt.Errorf("%w: the client went away (%w)", context.Canceled, err)
		}
		return nil, fmt.Errorf("%s's sampling failed: %w", asked(era), err)
	}
	if res == nil {
		return nil, errors.New("the sampler returned no result")
	}
	if r, ok := sampling.RefusalOf(res); ok {
		return nil, r
	}
	return res, nil
}

// decode turns an answer into an Out, or an error fit for a re-ask.
func (t *Tool[In, Out]) decode(text, stopReason, mode string, in In) (Out, []answer.Repair, error) {
	var out Out
	var repairs []answer.Repair
	var err error
	if mode == AnswerText {
		var s string
		s, repairs, err = answer.Text(text, stopReason, t.out.schema)
		if err == nil {
			reflect.ValueOf(&out).Elem().SetString(s)
		}
	} else {
		repairs, err = answer.Unmarshal(text, stopReason, t.out.schema, &out)
	}
	if err != nil {
		return out, repairs, err
	}
	if err := validateAll(&out, in); err != nil {
		return out, repairs, fmt.Errorf("the value is not acceptable: %w", err)
	}
	return out, repairs, nil
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
		if err := t.checkValue(&out, in); err != nil {
			return zero, fmt.Errorf("%s: the Fallback method returned a value that is not valid (%w) after %w", t.spec.Name, err, t.failure(cause, rep))
		}
		rep.Fallback = FallbackHook
		return out, nil
	}
	if out, ok := t.defaults(in); ok {
		rep.Fallback = FallbackDefaults
		return out, nil
	}
	return zero, t.failure(cause, rep)
}

// checkValue validates a value of the output type for the call of input
// in: its JSON against the output schema, then its Validate methods.
func (t *Tool[In, Out]) checkValue(out *Out, in In) error {
	if err := t.out.checkJSON(out); err != nil {
		return err
	}
	return validateAll(out, in)
}

// defaults builds an Out from the output schema's top-level defaults, when
// they make a valid value on their own.
func (t *Tool[In, Out]) defaults(in In) (Out, bool) {
	var out Out
	s := t.out.schema.Schema()
	if len(s.Properties) == 0 {
		if s.Default == nil || json.Unmarshal(s.Default, &out) != nil {
			return out, false
		}
		return out, t.checkValue(&out, in) == nil
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
	// The defaults must make a valid value on their own, before the Go type
	// fills the rest with zero values.
	if answer.Check(m, t.out.schema) != nil {
		return out, false
	}
	b, err := json.Marshal(m)
	if err != nil || json.Unmarshal(b, &out) != nil || t.checkValue(&out, in) != nil {
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

// fingerprint hashes the parts of a tool that shape what it asks.
func fingerprint(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%d:%s", len(p), p)
	}
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:12])
}

// staticText returns the text of a template made of text alone; a missing
// template is the empty text.
func staticText(t *template.Template) (string, bool) {
	if t == nil || t.Tree == nil || t.Tree.Root == nil {
		return "", true
	}
	var b strings.Builder
	for _, n := range t.Tree.Root.Nodes {
		text, ok := n.(*parse.TextNode)
		if !ok {
			return "", false
		}
		b.Write(text.Text)
	}
	return b.String(), true
}

// maxReportPath bounds the paths of the repairs a report keeps.
const maxReportPath = 256

// shortPaths bounds the JSON Pointers of repairs kept in a report: a key a
// megabyte long is the model's to send, not the report's (nor the log's) to
// carry. The repairs are few already (answer.MaxRepairsPerKind).
func shortPaths(rs []answer.Repair) []answer.Repair {
	var out []answer.Repair
	for i, r := range rs {
		if len(r.Path) <= maxReportPath {
			continue
		}
		if out == nil {
			out = slices.Clone(rs)
		}
		cut := maxReportPath
		for cut > 0 && !utf8.RuneStart(r.Path[cut]) {
			cut--
		}
		out[i].Path = r.Path[:cut] + "…"
	}
	if out == nil {
		return rs
	}
	return out
}
