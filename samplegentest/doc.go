// Package samplegentest is the test kit for samplegen tools: a scripted
// model ([Answers]), a model that replays a real one's recorded answers
// ([Replay]), and an MCP server and client in memory on either protocol
// era ([Serve], [Call]), so that a tool is tested with go test, offline, in
// a few lines, asserting on its typed result and on the call's report.
//
// A test of the sentiment example's tool, on both eras (the package's
// Example runs it):
//
//	func TestSentiment(t *testing.T) {
//		for _, era := range samplegentest.Eras {
//			t.Run(string(era), func(t *testing.T) {
//				model := samplegentest.Answers(
//					"```json\n{\"sentiment\": \"Positive\", \"confidence\": 1.5}\n```",
//					`{"sentiment": "positive", "confidence": 0.9}`,
//				).ExpectAllUsed(t)
//				sess := samplegentest.Serve(t, sentiment.AddTools, model, era)
//				out, rep := samplegentest.Call[sentiment.SentimentResult](t, sess, "analyze_sentiment",
//					sentiment.AnalyzeSentiment{Text: "I love it"})
//				if out.Sentiment != sentiment.Positive || len(rep.Samples[0].Rounds) != 2 {
//					t.Errorf("%+v after %d rounds", out, len(rep.Samples[0].Rounds))
//				}
//			})
//		}
//	}
//
// # Models
//
// [Answers] scripts a model: each ask takes the next step, an answer in
// text ([Script.Answer]) or through the respond tool ([Script.Respond]), an
// answer cut short for want of tokens
// ([Script.Truncated]), a refusal ([Script.Refuse], [Script.Throttle]) or a
// failure ([Script.Fail]). It records the requests it gets
// ([Script.Requests]; [Script.Asked] is the text of one, a re-ask's
// included), so a test can check what the model was asked ([Excerpt] is
// what a prompt's {{excerpt n .}} shows of a text), and
// an ask after the last step fails with [ErrScriptRanOut], saying how many
// asks there were and how many steps the script holds.
// [Script.ExpectAllUsed] fails the test when it asked less, or more, than
// scripted. A runtime reads JSON in a text answer whether or not it
// offered its respond tool, so texts suit messy answers; Respond tests the
// path a model that calls tools takes.
//
// [Replay] answers from a replay file of a real model's answers (package
// [github.com/samplegen/samplegen/replay]), and fails the test on a request
// the file does not hold, naming the nearest recorded one and where it
// differs. To record the file again, against the model the provider
// settings name:
//
//	SAMPLEGEN_RECORD=1 SAMPLEGEN_PROVIDER=openai SAMPLEGEN_MODEL=gpt-4o-mini \
//		go test -tags samplegen_record -run TestSentiment ./sentiment
//
// Recording needs the build tag [RecordTag] because only under it does
// this package import package provider, which links the OpenAI and
// Anthropic SDKs: every other run of a user's tests builds a test binary
// without them, as small and as offline as a test of plain Go.
//
// # Serving
//
// [Serve] builds a go-sdk server, adds a package's tools to it with the
// generated AddTools (or AddX, or any function of that shape; a package
// whose function tools are methods takes their receiver in a closure:
// func(srv *mcp.Server, opts ...runtime.ToolOption) { lookup.AddTools(srv, db, opts...) }),
// and connects
// a go-sdk client over in-memory transports, on the [Era] asked ([Push],
// protocol 2025-11-25, by default; [MultiRoundTrip], 2026-07-28). The
// client answers sampling with the model through runtime.SamplingHandler,
// as a real client does, so a refusal reaches the tool as a refusal and a
// failure as "the client's model failed". A nil model is a client that
// cannot sample; with [ServerModel] it is direct mode, the server's own
// model answering. The server's reports of failed calls go to the test's
// log; everything closes when the test ends.
//
// [Call] calls a tool and returns its structured result decoded as the
// output type, with the [runtime.CallReport] of the call: its samples, each
// with its era, rounds (model, stop reason, repairs, why an answer was
// refused), fallback and outcome. A tool error fails the test with its
// text and the report; [TryCall] returns it as a [*ToolError] instead, for
// a test that expects the call to fail.
//
// # Datasets
//
// [Cases] reads a tool's labelled dataset, testdata/<tool>.jsonl, one
// case a line ({"id", "args", "want"}), into the tool's types, and fails
// the test on a line an evaluation could not trust: an unknown field, a
// repeated id, args the tool's input schema refuses, a value in want that
// is none of the output schema's enum values. A package's own test then
// checks what only it knows (a finding's lines are in the code):
//
//	for _, c := range samplegentest.Cases[code.ReviewCode, code.Review](t, "testdata/review_code.jsonl", code.ReviewCodeTool()) {
//		...
//	}
package samplegentest
