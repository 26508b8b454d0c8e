// Package classify is a library of ready classification tools for
// samplegen servers: each asks the MCP client's model to put a text in
// fixed categories and returns the verdict as a typed Go value.
//
// The tools, with what each returns:
//
//   - classify_sentiment ([ClassifySentiment]): a [SentimentResult], the
//     text's [Sentiment] (positive, negative, neutral or mixed) and a
//     confidence from 0 to 1.
//   - classify_intent ([ClassifyIntent]): an [IntentResult], what the writer
//     of a support or chat message wants, one of a fixed set
//     (the constants of [Intent] list them with their meanings), and a
//     confidence.
//   - moderate_content ([ModerateContent]): a [Moderation], whether the
//     text breaks a content policy (flagged), the policy
//     categories ([Category]) it breaks, a
//     [Severity] and a short reason. A flagged verdict names at least one
//     category and an unflagged one none, which the runtime holds the
//     model to.
//   - classify_labels ([ClassifyLabels]): a [LabelResult], those of the
//     labels given in the call that apply to the text (any number of them,
//     none included), as the caller spelled them: an answer's "Billing" is
//     the caller's "billing", and a label the call did not give is sent back
//     to the model.
//
// Add them all to a server with AddTools:
//
//	srv := mcp.NewServer(&mcp.Implementation{Name: "classifier"}, nil)
//	classify.AddTools(srv)
//
// or only those the server wants, each with options of its own:
//
//	classify.AddModerateContent(srv, runtime.WithReportMeta(runtime.ReportMetaOn))
//	classify.AddClassifyLabels(srv)
//
// From Go, call a tool with any runtime.Sampler, as the package example
// does: SampleClassifySentiment, SampleClassifyIntent, SampleModerateContent
// and SampleClassifyLabels.
//
// Every text is data to the model: each prompt fences it and shows at most
// its first 8000 characters (saying so when it cuts), and the system prompt
// holds only the task and the answer's format. That format lists
// classify_labels' labels, as JSON strings (a served tool's input schema
// holds each to 100 characters without line breaks, and at most 100 of
// them): they are the caller's choice of answers, so a server that takes
// labels from someone it does not trust should check them first. The labelled cases in testdata (one JSONL file per
// tool, lines of {"id", "args", "want"}) are the datasets an evaluation
// runs the tools against.
package classify

//go:generate go tool samplegen
