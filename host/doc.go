// Package host is what an MCP host does with the sampling requests its
// servers send it: choose a model, ask a person, keep within limits and
// budgets, and answer each server under its own policy. It builds go-sdk
// client sampling handlers from any [sampling.Sampler] (a provider adapter
// of package provider, a recorded replay, a test's script) and a few
// composable policies.
//
// A host with one policy per server:
//
//	catalog, _ := host.NewCatalog(
//		host.Model{Name: "claude-haiku-4-5", Sampler: haiku, Cost: 0.9, Speed: 0.9, Intelligence: 0.4},
//		host.Model{Name: "claude-sonnet-4-5", Sampler: sonnet, Cost: 0.3, Speed: 0.5, Intelligence: 0.9},
//	)
//	router := host.NewRouter(nil) // a server with no policy is refused
//	router.Handle("github", host.Chain(catalog,
//		host.Log(logger),
//		host.ClampMaxTokens(2048),
//		host.NewSessionBudget(host.Limits{Requests: 50, Tokens: 200_000}).Charge,
//		host.RateLimit(rate.NewLimiter(rate.Every(time.Second), 5), 2*time.Second),
//		host.Approve(askTheUser),
//		host.Concurrency(4),
//	))
//	client := mcp.NewClient(impl, &mcp.ClientOptions{CreateMessageWithToolsHandler: router.Handler()})
//
// # Pieces
//
// A [Middleware] is a func(sampling.Sampler) sampling.Sampler; [Chain]
// wraps a model in middleware, the first outermost. Each piece stands
// alone and works over any Sampler:
//
//   - [Catalog]: the model. The request's modelPreferences choose among the
//     catalog's models: hints first, in order, as substrings of the models'
//     names or aliases; then costPriority, speedPriority and
//     intelligencePriority against each model's Cost, Speed and
//     Intelligence scores, which choose among the models a hint matched or,
//     when none matched, among them all (VS Code and FastMCP read only
//     hints). The result names the model, with the [Choice] and why in
//     its _meta ([ChoiceOf]).
//   - [Approve]: the spec expects a person can refuse. The [Approver] sees
//     a [Request]: the [Server] asking, by name, and the whole request,
//     includeContext and metadata among it. Only an explicit yes samples;
//     [DenyAll] approves nothing.
//   - [ClampMaxTokens]: no request asks for more than the host allows.
//   - [Budget]: requests and tokens, per client session
//     ([NewSessionBudget]) or over everything charged to it
//     ([NewBudget]); its Charge method is the Middleware. Tokens come from
//     the result's [sampling.UsageOf], or [sampling.EstimateUsage] where a
//     result carries none, and the budget counts the estimated part apart
//     ([Spent].EstimatedTokens).
//   - [RateLimit]: a golang.org/x/time/rate limiter; a request that would
//     wait longer than the host allows is throttled at once with the wait
//     the limiter names.
//   - [Concurrency]: how many requests are answered at once.
//   - [IncludeContext]: what the host adds to the prompt of a request that
//     asks for context of this server or all servers.
//   - [Log]: one log line per request, refusals with their causes.
//
// Order matters, and the example's is a good one: log first, to see what
// every later piece refused; then the cheap refusals (clamp, budget, rate
// limit), so that a person is never asked about a request the host would
// refuse anyway; then the person; then the concurrency limit, so that a
// request waiting for a person holds no slot of the model; the model last.
// A limiter or budget in one chain is that server's; one shared by several
// chains limits them together.
//
// A policy of the host's own is a Middleware too. It gets the [Server]
// from its context ([ServerOf]), and copies a request before changing it.
//
// # Servers
//
// A [Router] answers each server's requests with that server's Sampler, so
// that no request meets another server's approval, budget or model. Its
// [Router.Handler] serves one go-sdk client connected to any number of
// servers, naming each by what it called itself at initialize
// (InitializeResult.ServerInfo.Name). A server may call itself anything, so
// a host connecting to servers it does not trust names each connection
// itself with [Router.HandlerFor], a client per server. Either way the
// name is [Server].Name, which an approval prompt shows, beside what the
// server said of itself ([Server].Info). [Handler] answers every server
// with one Sampler.
//
// # Refusals and both eras
//
// Every policy refuses with [sampling.Refused], or [sampling.Throttled]
// with the wait for a rate limit, and the handler (built on
// [sampling.Handler]) puts the refusal on the wire in the form of the
// session's era: JSON-RPC error -1 on a pushed request (protocol
// 2025-11-25 and older), with {"retryAfterMs": N} for a throttle; a
// [sampling.Refusal] result for the input requests of a multi round-trip
// call (2026-07-28), which go-sdk's client answers with the same handler.
// A samplegen server names the refusal in its report, waits out a throttle
// within its deadline and asks again, and otherwise goes to its fallbacks;
// any server at least hears a refusal rather than a failure. A hook that
// fails (an [Approver] or [ContextFunc] returning an error) refuses too:
// the server reads only a reason, and the error in this process wraps the
// cause, for [Log]. So does a model that fails (a provider's error, a bad
// key): the server reads [sampling.ModelFailed] and nothing of the error,
// which would show it the host's set-up, and [Log] has the cause. A
// request whose context ends while it waits on a
// limit fails with the context's error: its server has gone, or its call
// has ended.
//
// A budget that is spent refuses plainly: waiting will not refill it.
package host
