package templates_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/examples/sentiment"
	"github.com/samplegen/samplegen/examples/triage"
	"github.com/samplegen/samplegen/runtime"
	"github.com/samplegen/samplegen/templates/analytics"
	"github.com/samplegen/samplegen/templates/classify"
	"github.com/samplegen/samplegen/templates/code"
	"github.com/samplegen/samplegen/templates/communication"
	"github.com/samplegen/samplegen/templates/language"
	"github.com/samplegen/samplegen/templates/summarize"
	"github.com/samplegen/samplegen/templates/teaching"
	"github.com/tiktoken-go/tokenizer"
)

// bamlRequests, when set, is where TestLibraryTokens writes each tool's
// first ask as JSON lines, for bench/baml/run.sh to build BAML's request
// from the same prompt text.
var bamlRequests = flag.String("baml-requests", "", "write each library tool's first ask, as JSON lines, to this file")

// bamlTokens is what BAML 0.226.2 sends for each library tool, o200k_base,
// counted as here (system message, "\n", first user message): the tool's
// output type mirrored in bench/baml/baml_src (classes; enums with @alias
// and, unless the prompt lists them itself, @description from the Go
// constants' comments; @description from the Go field descriptions), the
// same system text and task text as samplegen's, and {{ ctx.output_format }}
// where samplegen puts its instructions, built with BAML's generated
// TypeScript client (b.request.X). Measured with bench/baml/run.sh, which
// prints them again.
//
// plain is BAML's count for those sources. BAML cannot show the model a
// length, a count of items, a minimum, a pattern or "no repeats" (its
// @assert and @check are verified after parsing, never rendered), so where
// samplegen tells such a bound, BAML's plain request tells the model less
// and costs less. told is BAML's count when each bound is written into the
// field's @description in samplegen's words (bench/baml/bounds.json), the
// only way a BAML user can tell it: the same information. samplegen is
// held to told (plain is told where the type has no bounds), and, with the
// bounds taken out of its shape, to plain: the tools over plain are over
// by their bounds alone.
var bamlTokens = map[string]struct{ plain, told int }{
	"classify_sentiment": {171, 171},
	"classify_intent":    {309, 309},
	"classify_labels":    {179, 185},
	"moderate_content":   {444, 453},
	"detect_language":    {209, 209},
	"correct_grammar":    {252, 277},
	"rewrite_tone":       {278, 281},
	"translate":          {179, 182},
	"summarize":          {214, 223},
	"explain_code":       {447, 481},
	"review_code":        {599, 636},
	"narrate_series":     {777, 832},
	"report_series":      {777, 832}, // its one ask is narrate_series's
	"draft_reply":        {466, 489},
	"explain_concept":    {463, 521},
	"analyze_sentiment":  {118, 118}, // examples/sentiment
	"summarize_ticket":   {171, 185}, // examples/triage
}

// sampleFunc asks s once, as a library tool does for one realistic input.
type sampleFunc func(s runtime.Sampler, opts ...runtime.CallOption) error

// libraryCases is every library tool, and the examples' tools, with a
// realistic small input, as a caller would send it.
func libraryCases() []struct {
	tool string
	ask  sampleFunc
	full sampleFunc // with the full schema; ask itself when nil
} {
	ctx := context.Background()
	series := analytics.Series{Metric: "p95 API latency", Unit: "ms"}
	start := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	for i, v := range []float64{182, 179, 940, 181, 180} {
		series.Points = append(series.Points, analytics.Point{Time: start.Add(time.Duration(i) * time.Hour), Value: v})
	}
	narrate := func(s runtime.Sampler, opts ...runtime.CallOption) error {
		_, err := analytics.SampleNarrateSeries(ctx, s, analytics.NarrateSeries{Series: series}, opts...)
		return err
	}
	source := code.Source{Language: "Go", Code: "func save(f *os.File, b []byte) error {\n\t_, err := f.Write(b)\n\tdefer f.Close()\n\tf.Close()\n\treturn err\n}\n"}
	return []struct {
		tool string
		ask  sampleFunc
		full sampleFunc
	}{
		{"classify_sentiment", func(s runtime.Sampler, opts ...runtime.CallOption) error {
			_, err := classify.SampleClassifySentiment(ctx, s, classify.ClassifySentiment{Text: "Stopped working after two weeks and support never answered."}, opts...)
			return err
		}, nil},
		{"classify_intent", func(s runtime.Sampler, opts ...runtime.CallOption) error {
			_, err := classify.SampleClassifyIntent(ctx, s, classify.ClassifyIntent{Message: "I was charged twice for my plan this month, can you fix it?"}, opts...)
			return err
		}, nil},
		{"classify_labels", func(s runtime.Sampler, opts ...runtime.CallOption) error {
			_, err := classify.SampleClassifyLabels(ctx, s, classify.ClassifyLabels{
				Text:   "The app crashes every time I open the camera, and the new price is too high.",
				Labels: []string{"bug", "pricing", "feature request", "praise"},
			}, opts...)
			return err
		}, nil},
		{"moderate_content", func(s runtime.Sampler, opts ...runtime.CallOption) error {
			_, err := classify.SampleModerateContent(ctx, s, classify.ModerateContent{Text: "Buy cheap followers now!!! Click http://spam.example before it's gone"}, opts...)
			return err
		}, nil},
		{"detect_language", func(s runtime.Sampler, opts ...runtime.CallOption) error {
			_, err := language.SampleDetectLanguage(ctx, s, language.DetectLanguage{Text: "Könnten Sie mir bitte sagen, wann der nächste Bus fährt?"}, opts...)
			return err
		}, nil},
		{"correct_grammar", func(s runtime.Sampler, opts ...runtime.CallOption) error {
			_, err := language.SampleCorrectGrammar(ctx, s, language.CorrectGrammar{Text: "Their going to the meeting tomorow, but they has not read the report."}, opts...)
			return err
		}, nil},
		{"rewrite_tone", func(s runtime.Sampler, opts ...runtime.CallOption) error {
			_, err := language.SampleRewriteTone(ctx, s, language.RewriteTone{Text: "Send me the report by Friday or we miss the deadline.", Tone: language.Polite}, opts...)
			return err
		}, nil},
		{"translate", func(s runtime.Sampler, opts ...runtime.CallOption) error {
			_, err := language.SampleTranslate(ctx, s, language.Translate{Text: "Your order has shipped.\nTrack it at https://example.com/t/{id}.", Target: "fr"}, opts...)
			return err
		}, nil},
		{"summarize", func(s runtime.Sampler, opts ...runtime.CallOption) error {
			_, err := summarize.SampleSummarize(ctx, s, summarize.Summarize{
				Text:  "Ana presented the revenue figures: 2.4M, up 12% on Q2. We agreed to postpone the pricing change to Q4.",
				Style: summarize.Bullets,
			}, opts...)
			return err
		}, nil},
		{"explain_code", func(s runtime.Sampler, opts ...runtime.CallOption) error {
			_, err := code.SampleExplainCode(ctx, s, code.ExplainCode{Source: source}, opts...)
			return err
		}, nil},
		{"review_code", func(s runtime.Sampler, opts ...runtime.CallOption) error {
			_, err := code.SampleReviewCode(ctx, s, code.ReviewCode{Source: source}, opts...)
			return err
		}, nil},
		{"narrate_series", narrate, nil},
		{"report_series", func(s runtime.Sampler, _ ...runtime.CallOption) error {
			_, err := analytics.ReportSeries(ctx, s, analytics.NarrateSeries{Series: series})
			return err
		}, narrate}, // a function tool: its ask is narrate_series's
		{"draft_reply", func(s runtime.Sampler, opts ...runtime.CallOption) error {
			_, err := communication.SampleDraftReply(ctx, s, communication.DraftReply{
				Conversation: []communication.Message{
					{Role: communication.Other, Name: "Dana", Text: "My mug from order 1182 arrived broken. Can I get my money back?"},
					{Role: communication.Note, Text: "Refund approved: 18 EUR, no return needed."},
				},
				Goal:   "Confirm the refund",
				Tone:   communication.Apologetic,
				SignAs: "Sam",
			}, opts...)
			return err
		}, nil},
		{"explain_concept", func(s runtime.Sampler, opts ...runtime.CallOption) error {
			_, err := teaching.SampleExplainConcept(ctx, s, teaching.ExplainConcept{Concept: "recursion", Level: teaching.Beginner}, opts...)
			return err
		}, nil},
		{"analyze_sentiment", func(s runtime.Sampler, opts ...runtime.CallOption) error {
			_, err := sentiment.SampleAnalyzeSentiment(ctx, s, sentiment.AnalyzeSentiment{Text: "I love this"}, opts...)
			return err
		}, nil},
		{"summarize_ticket", func(s runtime.Sampler, opts ...runtime.CallOption) error {
			_, err := triage.SampleSummarize(ctx, s, triage.Summarize{Ticket: triage.Ticket{Subject: "Login fails", Body: "Since this morning I cannot log in."}}, opts...)
			return err
		}, nil},
	}
}

// firstAsk is the system prompt and first user message of one ask.
type firstAsk struct{ system, user string }

// capture asks once and returns what the model was sent.
func capture(t *testing.T, ask sampleFunc, opts ...runtime.CallOption) firstAsk {
	t.Helper()
	var got *firstAsk
	model := runtime.SamplerFunc(func(_ context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		if got == nil {
			got = &firstAsk{system: req.SystemPrompt}
			if len(req.Messages) > 0 && len(req.Messages[0].Content) == 1 {
				if c, ok := req.Messages[0].Content[0].(*mcp.TextContent); ok {
					got.user = c.Text
				}
			}
		}
		return nil, context.Canceled // one ask is all this test needs
	})
	_ = ask(model, opts...)
	if got == nil || got.user == "" {
		t.Fatal("the tool asked nothing, or sent no text")
	}
	return *got
}

// TestLibraryTokens counts, with a real tokenizer, the tokens every library
// tool (and example tool) sends the model on its first ask (system prompt,
// "\n", first user message) with the output's shape and with the full
// schema. It holds the runtime's instructions with the shape to at most 60%
// of those with the full schema (the rest of the request, the tool's own
// text, is the same in both), and the request to no more than BAML sends
// for the same type and prompt (see bamlTokens). Run with -v for the table.
func TestLibraryTokens(t *testing.T) {
	enc, err := tokenizer.Get(tokenizer.O200kBase)
	if err != nil {
		t.Fatal(err)
	}
	count := func(text string) int {
		ids, _, err := enc.Encode(text)
		if err != nil {
			t.Fatal(err)
		}
		return len(ids)
	}
	var dump *json.Encoder
	if *bamlRequests != "" {
		f, err := os.Create(*bamlRequests)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		dump = json.NewEncoder(f)
	}
	cases := libraryCases()
	if len(cases) != len(bamlTokens) {
		t.Errorf("%d tools measured, %d BAML counts: measure every tool with bench/baml/run.sh", len(cases), len(bamlTokens))
	}
	var table strings.Builder
	fmt.Fprintf(&table, "%-20s %9s %5s %5s %11s %12s\n", "tool", "samplegen", "full", "BAML", "BAML+bounds", "instructions")
	for _, tc := range cases {
		full := tc.full
		if full == nil {
			full = tc.ask
		}
		ask, schema := capture(t, tc.ask), capture(t, full, runtime.WithParams(runtime.Params{FullSchema: true}))
		n, nFull := count(ask.system+"\n"+ask.user), count(schema.system+"\n"+schema.user)
		own, instructions := splitInstructions(ask.system)
		_, instructionsFull := splitInstructions(schema.system)
		shape, schemaOnly := count(instructions), count(instructionsFull)
		baml, measured := bamlTokens[tc.tool]
		fmt.Fprintf(&table, "%-20s %9d %5d %5d %11d %5d of %4d\n", tc.tool, n, nFull, baml.plain, baml.told, shape, schemaOnly)
		if shape == 0 || shape*10 > schemaOnly*6 {
			t.Errorf("%s: its instructions take %d tokens with the shape, %d with the full schema: the shape must take at most 60%%", tc.tool, shape, schemaOnly)
		}
		if !measured {
			t.Errorf("%s: no BAML count: measure it with bench/baml/run.sh", tc.tool)
		} else {
			if n > baml.told {
				t.Errorf("%s: %d tokens, more than the %d BAML sends for the same type and bounds (%d without the bounds)", tc.tool, n, baml.told, baml.plain)
			}
			// Over BAML's plain count by the bounds alone: without them,
			// samplegen sends no more than BAML.
			unbounded := withoutBounds(instructions)
			if m := count(own + "\n\n" + unbounded + "\n" + ask.user); m > baml.plain {
				t.Errorf("%s: %d tokens without the bounds BAML cannot show, more than BAML's %d:\n%s", tc.tool, m, baml.plain, unbounded)
			}
		}
		if dump != nil {
			if err := dump.Encode(map[string]any{
				"tool": tc.tool, "system": own, "instructions": instructions, "user": ask.user,
				"system_prompt": ask.system, "tokens": n, "full": nFull,
			}); err != nil {
				t.Fatal(err)
			}
		}
	}
	t.Log("\n" + table.String())
}

// boundWords matches a bound as the shape words it in a field's comment.
var boundWords = regexp.MustCompile(`^(\d+ to \d+ (characters|items|keys)|not empty|at (least|most) \S+( characters| items| keys)?|from \S+ to \S+|no repeats|matching .*)$`)

// withoutBounds is a shape with the bounds left out of its comments: what
// it would say if, like BAML's output format, it could not say them.
func withoutBounds(shape string) string {
	lines := strings.Split(shape, "\n")
	for i, line := range lines {
		code, note, ok := strings.Cut(line, " // ")
		if !ok {
			continue
		}
		var kept []string
		for _, part := range strings.Split(note, "; ") {
			if !boundWords.MatchString(part) {
				kept = append(kept, part)
			}
		}
		lines[i] = code
		if len(kept) > 0 {
			lines[i] += " // " + strings.Join(kept, "; ")
		}
	}
	return strings.Join(lines, "\n")
}

// splitInstructions splits a system prompt into the tool's own system text
// and the instructions the runtime adds after it, which begin with the
// line the shape, or the full schema, opens with.
func splitInstructions(system string) (own, instructions string) {
	for _, opening := range []string{"Answer in JSON only:", "Answer with a single JSON value"} {
		if i := strings.LastIndex(system, opening); i >= 0 {
			return strings.TrimRight(system[:i], "\n"), system[i:]
		}
	}
	return system, ""
}
