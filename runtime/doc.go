// Package runtime runs samplegen's typed sampling tools: it renders a
// tool's prompt, asks a model through MCP sampling, turns the answer into
// the tool's Go output type, and serves the tools over stdio, Streamable
// HTTP and SSE.
//
// Generated code builds a [Tool] from a [Spec] and wraps it in a typed
// SampleX function and an AddX function; hand-written code can do the same:
//
//	tool := runtime.NewTool(runtime.Spec[Ticket, Verdict]{
//		Name:         "classify",
//		InputSchema:  `{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}`,
//		OutputSchema: `{"type":"object","properties":{"label":{"type":"string","enum":["spam","ham"]}},"required":["label"]}`,
//		Prompt:       "Is this spam? {{fence .Text}}",
//	})
//	verdict, err := tool.Sample(ctx, sampler, Ticket{Text: "WIN A PRIZE"}) // a typed Verdict
//	tool.Add(server)                                                        // or serve it as an MCP tool
//
// # The pipeline
//
// Every call goes: render the prompt → ask → find the JSON in the answer
// (fences, prose, think blocks; package answer) → repair and coerce it to the
// output schema → validate (schema, then the Validate methods of the value and
// of every value nested in it: Validate() error, or Validate(in In) error to
// judge the answer against the call's input) → done, or re-ask with an error that says
// where, what was expected and what came (bounded by Params.Retries) → the
// fallbacks: the server's own model when the client's sampling fails, then
// the input type's Fallback method or the output schema's defaults, else an
// error. Every ask has a deadline; a cancelled call cancels its sampling
// request, and the client is told. Each sample's [Report] (rounds, repairs,
// model, stop reason, outcome, latency) is part of its call's [CallReport].
//
// # Three ways to reach a model, one tool
//
// A tool is written once and reaches a model one of three ways, decided
// once per call, when the call arrives, as its [Plan]:
//
//   - push: on sessions of protocol 2025-11-25 and older the handler sends
//     sampling/createMessage to the client and waits.
//   - multi round-trip: on 2026-07-28 sessions (go-sdk's default over
//     stdio, in-memory and stateless HTTP) servers may not push, so the
//     handler returns the sampling request as an input request with a
//     signed, expiring request state, and runs again from the top when the
//     client calls back with the answer. Asks answered in earlier round
//     trips are answered from the state without rendering their prompts,
//     so any replica can take the next round trip if replicas share the
//     state key (WithStateKey or SAMPLEGEN_STATE_KEY). A function tool
//     ([FuncSpec], [AddFunc]) may call several SampleX functions; on replay
//     it must ask the same things again, and one that does not fails at
//     once with an error saying so.
//   - direct: the server's own model, for clients that cannot sample
//     (sampling is deprecated as of 2026-07-28, and many hosts never
//     shipped it) or for every call under [SamplingServer]. A tool gets it
//     from [WithServerSampler], or every tool from [Serve]: ServeFlags
//     reads -provider and -model (SAMPLEGEN_PROVIDER, SAMPLEGEN_MODEL) and
//     -sampling (SAMPLEGEN_SAMPLING: auto, client or server), and Serve
//     builds the model with ServeConfig.NewModel, which a server sets to
//     provider.Open (package provider holds the OpenAI-compatible and
//     Anthropic adapters; it is not a dependency of this package, so a
//     server without direct mode does not link their SDKs). A tool's own
//     options win over Serve's. A Sampler called outside a served tool is
//     direct too.
//
// The plan also says whether the model answers through a required tool
// named [RespondTool] whose input schema is the output schema (the client
// declared sampling.tools) or as JSON the system prompt describes, and
// whether the server's model steps in when the client's sampling fails.
// Every later step reads the plan and never the concrete type of a
// Sampler, so Sampler middleware (a func(Sampler) Sampler that logs,
// traces, budgets or records) composes without changing what a tool does:
//
//	func Triage(ctx context.Context, s runtime.Sampler, in Ticket) (Decision, error) {
//		s = logged(s) // the plan still holds: respond tool, replay, fallbacks
//		sum, err := SampleSummarize(ctx, s, Summarize{in})
//		...
//	}
//
// A client that cannot sample, on a server with no model of its own, gets
// JSON-RPC error -32021, unless the Fallback hook or the output's defaults
// answer. A refusal ends the same way on both eras; see [sampling.RefusedMetaKey]
// and [SamplingHandler]. A throttle, a refusal that names a wait
// ([sampling.Throttled], as a client's rate limit sends), is waited out and
// the same asked again, at most three times a round and only where the
// wait ends before the call's deadline (or, with no deadline, within one
// ask's timeout); [Report].Throttled counts the waits. A longer wait is a
// refusal.
//
// A request to the server's own model that asks for JSON in its text
// carries the output schema in _meta ([sampling.OutputSchemaMetaKey]), so
// that a model adapter can use its provider's structured output. A client
// is not sent it: samplegen's clients answer through the respond tool. The tokens each answer's _meta reports
// ([sampling.UsageMetaKey]) add up in each round, [Report] and
// [CallReport].
//
// # Outputs
//
// An output may be an object, a string, a number, a bool, a list or an
// enum. A string without enum or const is plain text: the model's text is
// its value, verbatim, with reasoning blocks set aside. Clients before
// 2026-07-28 accept only object output schemas and structured content, so
// they are shown such a value wrapped under [ResultProperty]. Every result
// is checked against the schema its client was shown before it is sent
// (Go's nil slices and maps become [] and {}), and a Fallback value is
// validated like the model's.
//
// # Allowed values given at call time
//
// An output value may have to be one of labels the tool's caller gives
// (Spec.EnumsFromInput, from //samplegen:enum): a label list ([EnumList]) or a
// map of label to meaning ([EnumMap], by key order). For each call the tool
// is compiled with that call's labels as the enum of that value: the shape
// or schema in the system prompt, the respond tool's input schema,
// {{schema}} and {{enum "path"}}, the repair of an answer's case ("Urgent"
// becomes "urgent") and the validation all read them, and a multi
// round-trip call gets them from its input again on every round trip. The
// tools compiled for the last 32 label sets are kept, so a call costs what
// its labels weigh and little more when its labels were seen before
// (BenchmarkEnumsFromInput).
//
// The labels and their meanings are the caller's text, so they are kept
// apart from instructions: the system prompt holds the labels only as JSON
// strings, in the shape or schema (and {{enum}} in a system block prints
// them without meanings); their meanings reach the model only where the
// user message lists them with {{enum "path"}}, each line "- " and the JSON
// label, then its meaning on that one line, cut to [MaxCallMeaningRunes],
// so that it cannot close a fence or start a line of its own. A call fails
// before the model is asked when its input gives no label
// ([ErrNoEnumValues]), more than [MaxCallEnumValues] labels or
// [MaxCallEnumBytes] of labels and meanings ([ErrTooManyEnumValues]: the
// input schema's maxItems and maxLength would tell callers, but Go callers
// skip it), or two labels that differ only in case
// ([ErrEnumValuesDifferInCase]: an answer "BUG" could be "Bug" or "bug");
// repeated labels count once. The tool's listed output schema (tools/list)
// has no enum there, since its values change from call to call.
//
// # Options and reports
//
// A [ToolOption] configures a served tool (Add, AddTools), a [CallOption]
// one SampleX call; the compiler keeps them apart, and [WithParams] is
// both. Each served call's [CallReport] is logged (DEBUG on success, WARN
// when a fallback answered, ERROR on failure) and, with [WithReportMeta],
// sent in the result's _meta.
//
// # Tokens and cost
//
// Each round of a report carries the tokens its answer cost: counted,
// where the answer says ([sampling.UsageOf]: the provider adapters and
// samplegen's clients do), else estimated ([sampling.EstimateUsage]) and
// kept apart as Estimate, EstimatedUsage. With a price table
// ([WithPrices], or Serve's -prices FILE, SAMPLEGEN_PRICES) the call's
// report gets a [Cost], priced round by round at each answering model's
// price, the counted tokens' and the estimated ones' apart, naming the
// models the table has no price for; samplegen holds no price of its own.
// The log line carries the tokens and the cost.
//
// # Telemetry
//
// A served tool emits OpenTelemetry spans and metrics, under the GenAI and
// MCP semantic conventions (semconv v1.41.0), to the providers given with
// [WithTracerProvider] and [WithMeterProvider], else to OpenTelemetry's
// global ones (set by otel.SetTracerProvider in main), which record
// nothing until a program installs its own: then no span is started and
// nothing is allocated. For a look without a collector, [Serve]'s
// -trace-file FILE (SAMPLEGEN_TRACE_FILE) appends every span to FILE, a
// JSON object a line. What it emits:
//
//   - a span "tools/call {tool}" (server kind) for each tools/call
//     request, a child of the trace context the client sent in the
//     request's _meta (traceparent), with gen_ai.operation.name
//     execute_tool, gen_ai.tool.name, mcp.method.name,
//     mcp.protocol.version, mcp.session.id, the plan (samplegen.era,
//     samplegen.plan.*), samplegen.outcome, and error.type: tool_error for
//     a result with isError, the JSON-RPC code for a protocol error; its
//     events are samplegen.reask, samplegen.repair and samplegen.fallback;
//   - under it, a span "chat {model}" (client kind) for each question put
//     to a model: gen_ai.provider.name (mcp.client for a client's model),
//     the request's model hint, max tokens, temperature and stop
//     sequences, the answer's model, finish reason and tokens
//     (gen_ai.usage.*, or samplegen.usage.estimated_* for an estimate), and
//     error.type for a refusal, a throttle or a failure;
//   - the trace context of that span in the sampling request's _meta
//     (traceparent), pushed or in an input request alike, which
//     [sampling.Handler] continues with a "sampling/createMessage" span,
//     under which the provider adapters' own "chat {model}" spans go. A
//     multi round-trip ask is answered in a later request: its chat span is
//     made there, from when the earlier round trip went back to the client
//     (the state records it) to when the answer arrived, and the input
//     request carries the asking request's span;
//   - metrics: gen_ai.client.operation.duration and
//     gen_ai.client.token.usage (counted tokens; estimates go to
//     samplegen.usage.estimated_tokens) per question,
//     mcp.server.operation.duration per request, and per finished call
//     samplegen.tool.calls, samplegen.sample.rounds,
//     samplegen.sample.reasks, samplegen.answer.repairs (by kind),
//     samplegen.sample.fallbacks (by kind), samplegen.sample.throttles and,
//     with prices, samplegen.usage.cost (samplegen.usage.estimated tells
//     the cost of estimated tokens from that of counted ones). A model an
//     MCP client names is kept off the metrics (it is any string the
//     client sends), and the client's counted tokens, which its own
//     adapter records too, are a second view of the same tokens there.
//
// A Sample outside a served tool uses the global providers. Texts that
// come from a model or a client (reasons, names) are clipped in spans.
//
// go-sdk v1.8.0 drops temperature 0 from sampling requests (go-sdk issue
// #1133); the middleware a tool installs on its server puts it back,
// however the server is run (srv.Run, mcp.NewStreamableHTTPHandler,
// [Serve]), beside a mark in _meta ([sampling.TemperatureMetaKey]) that a
// samplegen client reads, since go-sdk's client decodes an explicit 0 as
// no temperature.
package runtime
