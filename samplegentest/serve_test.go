package samplegentest_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/examples/sentiment"
	"github.com/samplegen/samplegen/runtime"
	"github.com/samplegen/samplegen/samplegentest"
	"github.com/samplegen/samplegen/sampling"
)

// A messy answer (fenced, the label's case wrong) that is also wrong (a
// confidence above 1), then a right one.
const (
	messyWrong = "```json\n{\"sentiment\": \"Positive\", \"confidence\": 1.5}\n```"
	right      = `{"sentiment": "positive", "confidence": 0.9}`
)

var wantEra = map[samplegentest.Era]string{samplegentest.Push: runtime.EraPush, samplegentest.MultiRoundTrip: runtime.EraMultiRoundTrip}

func TestBothErasGiveTheSameTypedResultAfterARepairAndAReask(t *testing.T) {
	var got []sentiment.SentimentResult
	for _, era := range samplegentest.Eras {
		t.Run(string(era), func(t *testing.T) {
			model := samplegentest.Answers(messyWrong, right).ExpectAllUsed(t)
			sess := samplegentest.Serve(t, sentiment.AddTools, model, era)
			if sess.Era != era {
				t.Fatalf("the session speaks %s, want %s", sess.Era, era)
			}
			out, rep := samplegentest.Call[sentiment.SentimentResult](t, sess, "analyze_sentiment", sentiment.AnalyzeSentiment{Text: "I love it"})
			got = append(got, out)
			if rep.Outcome != runtime.OutcomeOK || len(rep.Samples) != 1 {
				t.Fatalf("report %+v, want one sample, ok", rep)
			}
			s := rep.Samples[0]
			if s.Era != wantEra[era] || len(s.Rounds) != 2 || s.Rounds[0].Model != samplegentest.ScriptModel {
				t.Fatalf("sample %+v, want 2 rounds over %s from the script", s, wantEra[era])
			}
			if len(s.Rounds[0].Repairs) == 0 {
				t.Errorf("round 1 shows no repair of the fenced, mis-cased answer: %+v", s.Rounds[0])
			}
			if !strings.Contains(s.Rounds[0].Error, "1.5") || s.Rounds[1].Error != "" {
				t.Errorf("rounds %+v, want the first refused for its confidence and the second used", s.Rounds)
			}
			reqs := model.Requests()
			if len(reqs) != 2 || len(reqs[1].Messages) != 3 || !strings.Contains(textIn(reqs[0].Messages[0]), "I love it") {
				t.Fatalf("%d requests, want the text asked, then a re-ask carrying the refused answer", len(reqs))
			}
		})
	}
	if len(got) != 2 || got[0] != got[1] || got[0] != (sentiment.SentimentResult{Sentiment: sentiment.Positive, Confidence: 0.9}) {
		t.Errorf("results %+v, want the same positive 0.9 on both eras", got)
	}
}

func textIn(m *mcp.SamplingMessageV2) string {
	var b strings.Builder
	for _, c := range m.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	return b.String()
}

// A scripted refusal reaches the runtime as a refusal, on either era: it is
// not asked again, and the call goes to its fallback, the output's
// defaults, which sentiment does not fully have.
func TestRefusalReachesTheRuntimeAsARefusal(t *testing.T) {
	for _, era := range samplegentest.Eras {
		t.Run(string(era), func(t *testing.T) {
			model := samplegentest.Answers().Refuse("the user declined").ExpectAllUsed(t)
			sess := samplegentest.Serve(t, sentiment.AddTools, model, era)
			_, rep, err := samplegentest.TryCall[sentiment.SentimentResult](t.Context(), sess, "analyze_sentiment", map[string]any{"text": "meh"})
			var toolErr *samplegentest.ToolError
			if !errors.As(err, &toolErr) || rep == nil || toolErr.Report != rep {
				t.Fatalf("err %v with report %v, want a tool error with its report", err, rep)
			}
			if len(rep.Samples) != 1 || len(model.Requests()) != 1 {
				t.Fatalf("report %+v after %d asks, want one sample asked once", rep, len(model.Requests()))
			}
			if e := rep.Samples[0].Error; !strings.Contains(e, "refused") || !strings.Contains(e, "the user declined") || rep.Outcome != runtime.OutcomeError {
				t.Errorf("sample error %q (outcome %s), want the refusal with its reason", e, rep.Outcome)
			}
		})
	}
}

// A failed model reaches the runtime as a failed model, not a refusal, and
// its error stays on the client's side, as a real client keeps it.
func TestFailureReachesTheRuntimeAsAFailedModel(t *testing.T) {
	model := samplegentest.Answers().Fail(errors.New("provider down: key sk-secret")).ExpectAllUsed(t)
	sess := samplegentest.Serve(t, sentiment.AddTools, model)
	_, rep, err := samplegentest.TryCall[sentiment.SentimentResult](t.Context(), sess, "analyze_sentiment", map[string]any{"text": "meh"})
	if err == nil || rep == nil || len(rep.Samples) != 1 {
		t.Fatalf("err %v, report %+v, want a tool error with one sample", err, rep)
	}
	if e := rep.Samples[0].Error; !strings.Contains(e, sampling.ModelFailed) || strings.Contains(e, "sk-secret") || strings.Contains(e, "the user declined") {
		t.Errorf("sample error %q, want %q and nothing of the model's error", e, sampling.ModelFailed)
	}
}

// A tool error fails Call with the tool's text; TryCall returns it.
func TestCallFailsTheTestOnAToolError(t *testing.T) {
	rec := &recorder{TB: t}
	rec.run(func() {
		sess := samplegentest.Serve(rec, sentiment.AddTools, samplegentest.Answers(`{}`, `{}`, `{}`))
		samplegentest.Call[sentiment.SentimentResult](rec, sess, "analyze_sentiment", map[string]any{"text": "x"})
	})
	if !rec.failed || !strings.Contains(rec.msg, "tool analyze_sentiment failed") || !strings.Contains(rec.msg, "report:") {
		t.Errorf("failed %v with %q, want the tool's error and the report", rec.failed, rec.msg)
	}
}

// A script that runs out fails the served test, which would otherwise see
// only that the client's model failed.
func TestRunOutFailsAServedTest(t *testing.T) {
	rec := &recorder{TB: t}
	rec.run(func() {
		sess := samplegentest.Serve(rec, sentiment.AddTools, samplegentest.Answers(`{"sentiment":"positive"}`))
		_, _, _ = samplegentest.TryCall[sentiment.SentimentResult](context.Background(), sess, "analyze_sentiment", map[string]any{"text": "x"})
	})
	if !rec.failed || !strings.Contains(rec.msg, "ask 2 and the script holds 1 answer") {
		t.Errorf("failed %v with %q, want the run-out error", rec.failed, rec.msg)
	}
}

// Direct mode: a client that does not sample, the server's model answers.
func TestDirectMode(t *testing.T) {
	server := samplegentest.Answers(right).ExpectAllUsed(t)
	sess := samplegentest.Serve(t, sentiment.AddTools, nil, samplegentest.ServerModel(server), samplegentest.MultiRoundTrip)
	out, rep := samplegentest.Call[sentiment.SentimentResult](t, sess, "analyze_sentiment", map[string]any{"text": "great"})
	if out.Sentiment != sentiment.Positive || rep.Samples[0].Era != runtime.EraDirect {
		t.Errorf("%+v over %s, want positive over %s", out, rep.Samples[0].Era, runtime.EraDirect)
	}
}

// A non-object output comes from under the result property.
func TestCallDecodesANonObjectResult(t *testing.T) {
	add := func(srv *mcp.Server, opts ...runtime.ToolOption) {
		tool := &mcp.Tool{Name: "shout", InputSchema: map[string]any{"type": "object", "properties": map[string]any{"text": map[string]any{"type": "string"}}}}
		if err := runtime.AddFunc(srv, tool, func(_ context.Context, _ runtime.Sampler, in struct {
			Text string `json:"text"`
		}) (string, error) {
			return strings.ToUpper(in.Text), nil
		}, opts...); err != nil {
			t.Fatal(err)
		}
	}
	sess := samplegentest.Serve(t, add, nil)
	if out, _ := samplegentest.Call[string](t, sess, "shout", map[string]any{"text": "hi"}); out != "HI" {
		t.Errorf("got %q, want HI", out)
	}
}

// A truncated answer shows in the report with its stop reason, and the
// tool asks again.
func TestTruncatedAnswerIsReportedAndReasked(t *testing.T) {
	model := samplegentest.Answers().Truncated(`{"sentiment": "posi`).Answer(right).ExpectAllUsed(t)
	sess := samplegentest.Serve(t, sentiment.AddTools, model, samplegentest.MultiRoundTrip)
	out, rep := samplegentest.Call[sentiment.SentimentResult](t, sess, "analyze_sentiment", map[string]any{"text": "great"})
	rounds := rep.Samples[0].Rounds
	if out.Sentiment != sentiment.Positive || len(rounds) != 2 || rounds[0].StopReason != "maxTokens" || rounds[0].Error == "" {
		t.Errorf("%+v with rounds %+v, want the cut answer refused with stop reason maxTokens, then positive", out, rounds)
	}
}

// An era the kit does not know fails the test at Serve.
func TestServeRefusesAnUnknownEra(t *testing.T) {
	rec := &recorder{TB: t}
	rec.run(func() { samplegentest.Serve(rec, sentiment.AddTools, nil, samplegentest.Era("1999-01-01")) })
	if !rec.failed || !strings.Contains(rec.msg, "neither samplegentest.Push") {
		t.Errorf("Serve of era 1999-01-01: failed %v with %q", rec.failed, rec.msg)
	}
}

// A result without a report fails Call, which promised one; TryCall
// returns the value and a nil report.
func TestCallWithoutAReport(t *testing.T) {
	rec := &recorder{TB: t}
	rec.run(func() {
		sess := samplegentest.Serve(rec, sentiment.AddTools, samplegentest.Answers(right, right),
			samplegentest.ToolOptions(runtime.WithReportMeta(runtime.ReportMetaOff)))
		out, rep, err := samplegentest.TryCall[sentiment.SentimentResult](t.Context(), sess, "analyze_sentiment", map[string]any{"text": "x"})
		if err != nil || rep != nil || out.Sentiment != sentiment.Positive {
			t.Errorf("TryCall: %+v %v %v, want the value and no report", out, rep, err)
		}
		samplegentest.Call[sentiment.SentimentResult](rec, sess, "analyze_sentiment", map[string]any{"text": "x"})
	})
	if !rec.failed || !strings.Contains(rec.msg, "no report") {
		t.Errorf("failed %v with %q, want no report named", rec.failed, rec.msg)
	}
}

// An answer through the respond tool is read as one on either era, and a
// wrong one is re-asked with the tool's error result.
func TestRespondToolAnswer(t *testing.T) {
	for _, era := range samplegentest.Eras {
		t.Run(string(era), func(t *testing.T) {
			model := samplegentest.Answers().
				Respond(map[string]any{"sentiment": "positive", "confidence": 2}).
				Respond(map[string]any{"sentiment": "positive", "confidence": 0.7}).ExpectAllUsed(t)
			sess := samplegentest.Serve(t, sentiment.AddTools, model, era)
			out, rep := samplegentest.Call[sentiment.SentimentResult](t, sess, "analyze_sentiment", map[string]any{"text": "great"})
			s := rep.Samples[0]
			if out.Confidence != 0.7 || s.Answer != runtime.AnswerRespond || len(s.Rounds) != 2 {
				t.Fatalf("%+v, answered %q in %d rounds, want 0.7 through the respond tool in 2", out, s.Answer, len(s.Rounds))
			}
			last := model.Requests()[1].Messages
			result, ok := last[len(last)-1].Content[0].(*mcp.ToolResultContent)
			if !ok || !result.IsError || result.ToolUseID != "script-1" {
				t.Errorf("re-ask ends with %#v, want the respond call's error result", last[len(last)-1].Content[0])
			}
		})
	}
}

// Where the request does not offer the respond tool (the server's own
// model, asked for JSON), a Respond step answers in text.
func TestRespondWithoutTheToolAnswersInText(t *testing.T) {
	server := samplegentest.Answers().Respond(map[string]any{"sentiment": "negative", "confidence": 0.6}).ExpectAllUsed(t)
	sess := samplegentest.Serve(t, sentiment.AddTools, nil, samplegentest.ServerModel(server))
	out, rep := samplegentest.Call[sentiment.SentimentResult](t, sess, "analyze_sentiment", map[string]any{"text": "bad"})
	if out.Sentiment != sentiment.Negative || rep.Samples[0].Answer != runtime.AnswerJSON || len(server.Requests()[0].Tools) != 0 {
		t.Errorf("%+v answered %q, want negative as JSON text", out, rep.Samples[0].Answer)
	}
}
