// Package replay records a model's real answers to sampling requests and
// plays them back, so that tools are tested against real model output with
// no network, no key and no cost, and the tests fail loudly when a tool
// starts asking something new.
//
// A [Recorder] is Sampler middleware: [Recorder.Wrap] a real model (a
// [github.com/samplegen/samplegen/provider] adapter, a person at a
// terminal) and every exchange goes to a file. A [Replayer] is a Sampler
// that answers from that file:
//
//	rec, err := replay.Record("testdata/sentiment.jsonl") // once, with a key
//	model := rec.Wrap(openai)
//	... run the tool against model ...
//	err = rec.Close()
//
//	model, err := replay.Open("testdata/sentiment.jsonl") // in every test run
//	... run the tool against model ...
//
// From the command line, samplegen call -record FILE records a call's
// exchanges and samplegen call -replay FILE replays them.
//
// # Lookup
//
// A request is looked up by what it asks: its messages, system prompt,
// tools, tool choice, max tokens, temperature (0 told from none by
// [sampling.Temperature]), stop sequences and output schema
// ([sampling.OutputSchemaMetaKey]), in a canonical form (object keys
// sorted, one notation per number, empty values and every _meta dropped)
// hashed with SHA-256. Model preferences and includeContext do not change
// the lookup (they choose who answers and what a host adds, not what is
// asked), nor does _meta, whose progress tokens and trace ids change from
// run to run.
//
// A request asked several times is answered with its recorded answers in
// the order they were recorded: a model asked the same twice may answer
// differently (a tool that re-asks after a bad answer sends a longer
// request, not the same one, but a function tool that samples the same
// prompt twice does). Asked more times than recorded, or never recorded,
// the Replayer returns a [*MissError], matching [ErrNotRecorded], whose text
// names the file, says how to record again and, for a request never
// recorded, points at the nearest recorded one (the line with the fewest
// differing values) with its first few differences, each clipped:
//
//	replay: testdata/sentiment.jsonl has no answer for this sampling request;
//	the nearest of its 2 recorded requests, line 1, differs at
//	messages[0].content.text: asked "…this text:\n\n<text>\nI hate it", recorded "…this text:\n\n<text>\nI love it". Record it again ...
//
// # The file
//
// One exchange a line (JSON Lines), appended in the order the answers
// came, so a file diffs and merges like code:
//
//	{"version":1,"request":{...},"result":{...}}
//	{"version":1,"request":{...},"error":{"message":"...","refused":true,"retryAfterMs":2000}}
//
// request is the sampling request as the model was asked it
// (mcp.CreateMessageWithToolsParams); result is its answer
// (mcp.CreateMessageWithToolsResult: content, model, stop reason), or error
// the sampler's error: a refusal ([sampling.RefusalError]) keeps its reason
// and its wait and is replayed as a refusal; any other error keeps its
// message and is replayed as an error with that text.
//
// Secrets are never written. A Sampler never sees an API key or an HTTP
// header, so none can reach the file, and what could carry one is left
// out:
//
//   - the request's metadata (provider pass-through, which may name a user
//     or carry a host's identifiers);
//   - every _meta key but samplegen's own that change or describe the
//     answer: on requests [sampling.TemperatureMetaKey] and
//     [sampling.OutputSchemaMetaKey], on results [sampling.UsageMetaKey]
//     (so a replayed call reports the tokens the real one cost),
//     [sampling.RefusedMetaKey] and [sampling.RetryAfterMetaKey]. Deeper in
//     (a message's content, a tool), only keys under "io.samplegen/" stay;
//   - in an error's text, anything that looks like a credential: the
//     values of OPENAI_API_KEY and ANTHROPIC_API_KEY, "sk-…" keys (masked
//     ones too), bearer tokens and "api_key=…"/"Authorization: …" pairs
//     become [redacted], and the text is clipped to 2 KiB.
//
// The messages themselves are written as they are: a file holds the
// prompts and the answers, so [Record] creates it readable by its owner
// only; check what you commit.
//
// An exchange whose context ended before the model answered is not
// recorded: that error is the caller's, not the model's.
//
// # Failure
//
// A Recorder writes each exchange with one write of one whole line, under
// a lock, to a file opened for appending, so concurrent samples and
// concurrent recorders never interleave their lines. A recorder killed
// mid-write leaves a last line with no newline: [Open] reports it with
// [ErrCutShort] (the file and the line, and what to do) and [Record]
// refuses to append to it. A file that is not a replay file, or has a line
// that is not an exchange, fails [Open] with [ErrMalformed], naming the
// line; errors are bounded in length whatever the file holds, reading
// costs time and memory in proportion to the file's size, and a line
// longer than [MaxLineBytes] is refused without being held. A failure to
// write an exchange does not fail the sample (the answer was paid for):
// [Recorder.Close] and [Recorder.Err] report it.
package replay
