// Package classify is samplegen's ready classification tools: each asks
// the MCP client's model to put a text in categories and returns the
// verdict as a typed, checked Go value.
//
// # Tools
//
//   - classify_sentiment (input [ClassifySentiment], output
//     [SentimentResult]): the text's [Sentiment] (positive, negative,
//     neutral or mixed) and a confidence from 0 to 1.
//   - classify_intent ([ClassifyIntent], [IntentResult]): what the writer
//     of a support or chat message wants, one of a fixed set (the
//     constants of [Intent] list them with their meanings), and a
//     confidence.
//   - moderate_content ([ModerateContent], [Moderation]): whether the text
//     breaks a content policy (flagged), the policy categories
//     ([Category]) it breaks, a [Severity] and a short reason. A flagged
//     verdict names at least one category and an unflagged one none, with
//     severity none exactly when unflagged: models often flag a text and
//     name nothing, and such an answer is sent back to the model with what
//     is wrong.
//   - classify_labels ([ClassifyLabels], [LabelResult]): those of the
//     labels given in the call that apply to the text (any number of them,
//     none included), as the caller spelled them: an answer's "Billing" is
//     the caller's "billing", and a label the call did not give, or one
//     listed twice, is sent back to the model.
//
// Every text is data to the model: each prompt fences it and shows at most
// its first 8000 characters (saying so when it cuts), and the system prompt
// holds only the task and the answer's format. That format lists
// classify_labels' labels, as JSON strings (a served tool's input schema
// holds each to 100 characters without line breaks, and at most 100 of
// them): they are the caller's choice of answers, so a server that takes
// labels from someone it does not trust should check them first.
//
// # Adding the tools
//
// A server adds them all with AddTools:
//
//	srv := mcp.NewServer(&mcp.Implementation{Name: "classifier"}, nil)
//	classify.AddTools(srv)
//
// or only those it wants, each with options of its own:
//
//	classify.AddModerateContent(srv, runtime.WithReportMeta(runtime.ReportMetaOn))
//	classify.AddClassifyLabels(srv)
//
// Go code calls them directly, with any runtime.Sampler, as the package
// example does: SampleClassifySentiment, SampleClassifyIntent,
// SampleModerateContent and SampleClassifyLabels. samplegen init -tool
// classify copies this package into a new server, where its prompts
// (sentiment.tmpl, intent.tmpl, moderation.tmpl, labels.tmpl) and types are
// yours to change: run go generate after a change.
//
// # Testing and datasets
//
// The tests answer with a scripted model (samplegentest.Answers) as models
// write: prose around the JSON, Markdown fences, values in the wrong case,
// trailing commas, Python literals, a reasoning block, and wrong answers
// that a re-ask must fix; they also serve the tools on both protocol eras
// (samplegentest.Serve). testdata holds a hand-labelled dataset for each
// tool, testdata/<tool>.jsonl, at least 30 cases each, one a line:
// {"id": ..., "args": the tool's input, "want": the fields of a right
// answer}. A test holds every line to the tool's types and enum values.
package classify

//go:generate go tool samplegen
