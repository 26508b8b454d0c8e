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
// of every value nested in it) → done, or re-ask with an error that says
// where, what was expected and what came (bounded by Params.Retries) → the
// fallbacks: the server's fallback sampler when the client cannot sample or
// its sampling fails, then the input type's Fallback method or the output
// schema's defaults, else an error. Every ask has a deadline; a cancelled
// call cancels its sampling request, and the client is told. Each call's
// [Report] (rounds, repairs, model, stop reason, latency) goes to the log and
// into the tool result's _meta under [ReportMetaKey].
//
// # Two protocol eras, one tool
//
// On sessions of protocol 2025-11-25 and older, a tool handler pushes
// sampling/createMessage to the client and waits. On 2026-07-28 sessions
// (go-sdk's default over stdio, in-memory and stateless HTTP) servers may not
// push: the handler returns the sampling request as an input request with a
// signed, expiring request state, and runs again from the top when the client
// calls back with the answer, replaying the answers so far. Any replica can
// take the next round trip if replicas share the state key (WithStateKey or
// SAMPLEGEN_STATE_KEY). A function tool ([FuncSpec], [AddFunc]) may call
// several SampleX functions; on replay it must ask the same things again, and
// one that does not fails at once with an error saying so.
//
// Where the client declares sampling.tools, the model answers through a
// required tool named [RespondTool] whose input schema is the output schema;
// otherwise the schema travels in the system prompt. A client that cannot
// sample gets JSON-RPC error -32021, or the fallback sampler, by
// [SamplingPolicy].
package runtime
