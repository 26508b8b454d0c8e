package runtime_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/examples/sentiment"
	"github.com/samplegen/samplegen/examples/triage"
	"github.com/samplegen/samplegen/runtime"
	"github.com/tiktoken-go/tokenizer"
)

// bamlSentimentTokens is what BAML 0.226.2 sends for the sentiment
// example's type, descriptions, enum meanings and prompt (o200k_base, its
// system message and user message as here), built with BAML's generated
// TypeScript client (b.request.AnalyzeSentiment) from the same class, enum
// with @alias and @description, and prompt with {{ ctx.output_format }}:
// bench/baml/run.sh measures it again (bench/baml/baml_src/examples.baml).
const bamlSentimentTokens = 118

// bamlTriageTokens is BAML's count for the triage example's Summary, from
// the same run, with the bounds samplegen tells (maxLength, maxItems)
// written into @description, since BAML's output format cannot show them;
// without them BAML sends 171 and tells the model less. It has no integer
// enum, so priority is a union of literals there.
const bamlTriageTokens = 185

// TestPromptTokens counts, with a real tokenizer, the tokens every example
// tool sends the model on its first ask (system prompt and user message),
// with the output's shape and with the full schema, holds the shape to at
// most 60% of the full schema's count, and the sentiment example to no more
// than BAML renders for it. Run with -v to see the table.
func TestPromptTokens(t *testing.T) {
	enc, err := tokenizer.Get(tokenizer.O200kBase)
	if err != nil {
		t.Fatal(err)
	}
	count := func(sample func(runtime.Sampler, ...runtime.CallOption) error, opts ...runtime.CallOption) int {
		var n int
		model := runtime.SamplerFunc(func(_ context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
			ids, _, err := enc.Encode(req.SystemPrompt + "\n" + text(req.Messages[0]))
			if err != nil {
				t.Fatal(err)
			}
			n = len(ids)
			return nil, context.Canceled // one ask is all this test needs
		})
		_ = sample(model, opts...)
		return n
	}
	full := runtime.WithParams(runtime.Params{FullSchema: true})
	for _, tc := range []struct {
		tool   string
		sample func(runtime.Sampler, ...runtime.CallOption) error
		baml   int // BAML's count for the same request, where measured
	}{
		{"analyze_sentiment", func(s runtime.Sampler, opts ...runtime.CallOption) error {
			_, err := sentiment.SampleAnalyzeSentiment(context.Background(), s, sentiment.AnalyzeSentiment{Text: "I love this"}, opts...)
			return err
		}, bamlSentimentTokens},
		{"summarize_ticket", func(s runtime.Sampler, opts ...runtime.CallOption) error {
			_, err := triage.SampleSummarize(context.Background(), s, triage.Summarize{Ticket: triage.Ticket{Subject: "Login fails", Body: "Since this morning I cannot log in."}}, opts...)
			return err
		}, bamlTriageTokens},
		{"classify (runtime tests)", func(s runtime.Sampler, opts ...runtime.CallOption) error {
			_, err := runtime.NewTool(verdictSpec()).Sample(context.Background(), s, Ticket{Text: "WIN A PRIZE"}, opts...)
			return err
		}, 0},
	} {
		shape, schema := count(tc.sample), count(tc.sample, full)
		line := fmt.Sprintf("%-26s shape %4d tokens, full schema %4d tokens", tc.tool, shape, schema)
		if tc.baml > 0 {
			line += fmt.Sprintf(", BAML %d", tc.baml)
		}
		t.Log(line)
		if shape == 0 || shape*10 > schema*6 {
			t.Errorf("%s: %d tokens with the shape, %d with the full schema: the shape must take at most 60%%", tc.tool, shape, schema)
		}
		if tc.baml > 0 && shape > tc.baml {
			t.Errorf("%s: %d tokens, more than the %d BAML renders for it", tc.tool, shape, tc.baml)
		}
	}
}

// TestListedMeaningsAreToldOnce checks that a meaning the prompt lists
// itself with {{enum}} is not repeated in the instructions, while the
// meanings it does not list still are.
func TestListedMeaningsAreToldOnce(t *testing.T) {
	var system, user string
	model := runtime.SamplerFunc(func(_ context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		system, user = req.SystemPrompt, text(req.Messages[0])
		return nil, context.Canceled
	})
	_, _ = triage.SampleSummarize(context.Background(), model, triage.Summarize{Ticket: triage.Ticket{Subject: "s", Body: "b"}})
	for _, tc := range []struct {
		meaning      string
		system, user int
	}{
		{"within two working days", 0, 1},     // priority: summarize.tmpl lists it
		{"invoices, payments, refunds", 1, 0}, // category: only the instructions tell it
	} {
		if got := strings.Count(system, tc.meaning); got != tc.system {
			t.Errorf("system prompt tells %q %d times, want %d:\n%s", tc.meaning, got, tc.system, system)
		}
		if got := strings.Count(user, tc.meaning); got != tc.user {
			t.Errorf("user message tells %q %d times, want %d:\n%s", tc.meaning, got, tc.user, user)
		}
	}
}
