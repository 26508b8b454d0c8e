package runtime_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
	"github.com/samplegen/samplegen/runtime/answer"
)

func TestSampleReasksWithTheError(t *testing.T) {
	tool := runtime.NewTool(verdictSpec())
	model := say("Here:\n```json\n{\"label\": \"SPAM\", \"score\": 7}\n```", `{"label": "spam", "score": 0.7}`)
	var rep runtime.Report
	got, err := tool.Sample(context.Background(), model, Ticket{Text: "buy now"}, runtime.WithReport(&rep))
	if err != nil {
		t.Fatal(err)
	}
	if want := (Verdict{Label: "spam", Score: 0.7}); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if len(rep.Rounds) != 2 || rep.Rounds[0].Error == "" || rep.Rounds[1].Error != "" {
		t.Errorf("rounds = %+v, want a refused round then an accepted one", rep.Rounds)
	}
	if kinds := repairKinds(rep.Rounds[0].Repairs); kinds != "fence enum-case" {
		t.Errorf("round 1 repairs = %q, want fence and enum-case", kinds)
	}
	reqs := model.asked()
	if len(reqs) != 2 {
		t.Fatalf("the model was asked %d times, want 2", len(reqs))
	}
	re := reqs[1].Messages
	if len(re) != 3 || re[1].Role != "assistant" || !strings.Contains(text(re[1]), `"score": 7`) {
		t.Fatalf("the re-ask does not echo the bad answer: %+v", re)
	}
	if msg := text(re[2]); !strings.Contains(msg, "/score: 7 is above the maximum 1") {
		t.Errorf("the re-ask does not say what was wrong: %q", msg)
	}
}

func TestSampleRequestCarriesPromptSchemaAndParams(t *testing.T) {
	tool := runtime.NewTool(verdictSpec())
	model := say(`{"label": "ham", "score": 0.1}`)
	if _, err := tool.Sample(context.Background(), model, Ticket{Text: "lunch at noon?"}); err != nil {
		t.Fatal(err)
	}
	req := model.asked()[0]
	for _, want := range []string{"You sort tickets.", "label: Label,", "- spam: unsolicited bulk mail", "Answer in JSON only:"} {
		if !strings.Contains(req.SystemPrompt, want) {
			t.Errorf("system prompt lacks %q:\n%s", want, req.SystemPrompt)
		}
	}
	// Params.FullSchema shows the whole schema instead of the shape.
	full := say(`{"label": "ham", "score": 0.1}`)
	if _, err := tool.Sample(context.Background(), full, Ticket{Text: "x"}, runtime.WithParams(runtime.Params{FullSchema: true})); err != nil {
		t.Fatal(err)
	}
	if sys := full.asked()[0].SystemPrompt; !strings.Contains(sys, `"enum": [`) || !strings.Contains(sys, "single JSON value") {
		t.Errorf("full-schema system prompt:\n%s", sys)
	}
	if got := text(req.Messages[0]); got != "Classify: ```\nlunch at noon?\n```" {
		t.Errorf("user message = %q", got)
	}
	if req.MaxTokens != 50 || req.Temperature != 0.2 {
		t.Errorf("maxTokens, temperature = %d, %v; want 50, 0.2", req.MaxTokens, req.Temperature)
	}
}

func TestSampleRoundsAreBounded(t *testing.T) {
	spec := verdictSpec()
	spec.Params.Retries = runtime.Int(1)
	tool := runtime.NewTool(spec)
	model := say(`{"label": "eggs", "score": 0.5}`, `{"label": "eggs", "score": 0.5}`, `{"label": "spam", "score": 0.5}`)
	_, err := tool.Sample(context.Background(), model, Ticket{Text: "x"})
	var se *runtime.SampleError
	if !errors.As(err, &se) || se.Rounds != 2 {
		t.Fatalf("err = %v, want a SampleError after 2 rounds", err)
	}
	if !strings.Contains(err.Error(), `expected one of "spam", "ham", got "eggs"`) {
		t.Errorf("the error does not say what was wrong: %v", err)
	}
	if n := len(model.asked()); n != 2 {
		t.Errorf("asked %d times with retries=1, want 2", n)
	}
}

func TestSampleFallbackHook(t *testing.T) {
	spec := verdictSpec()
	spec.Params.Retries = runtime.Int(0)
	var cause error
	spec.Fallback = func(in Ticket, err error) (Verdict, error) {
		cause = err
		return Verdict{Label: "ham", Score: 0}, nil
	}
	tool := runtime.NewTool(spec)
	var rep runtime.Report
	got, err := tool.Sample(context.Background(), say("I cannot help with that."), Ticket{Text: "x"}, runtime.WithReport(&rep))
	if err != nil {
		t.Fatal(err)
	}
	if got.Label != "ham" || rep.Fallback != "hook" {
		t.Errorf("got %+v with fallback %q, want the hook's value", got, rep.Fallback)
	}
	if cause == nil || !strings.Contains(cause.Error(), "no JSON value") {
		t.Errorf("the hook was not told why: %v", cause)
	}
}

func TestSampleFallsBackToSchemaDefaults(t *testing.T) {
	spec := verdictSpec()
	spec.OutputSchema = `{"type":"object","properties":{"label":{"type":"string","enum":["spam","ham"],"default":"ham"},"score":{"type":"number","default":0}},"required":["label","score"]}`
	spec.Params.Retries = runtime.Int(0)
	tool := runtime.NewTool(spec)
	var rep runtime.Report
	got, err := tool.Sample(context.Background(), say("no idea"), Ticket{Text: "x"}, runtime.WithReport(&rep))
	if err != nil {
		t.Fatal(err)
	}
	if got != (Verdict{Label: "ham"}) || rep.Fallback != "defaults" {
		t.Errorf("got %+v with fallback %q, want the defaults", got, rep.Fallback)
	}
}

// A direct call's failure names the model, a served call's the client.
func TestSampleFailureWithoutFallbackIsAnError(t *testing.T) {
	tool := runtime.NewTool(verdictSpec())
	_, err := tool.Sample(context.Background(), say("!error"), Ticket{Text: "x"})
	var se *runtime.SampleError
	if !errors.As(err, &se) || se.Rounds != 0 || errors.Is(err, runtime.ErrRefused) ||
		!strings.Contains(err.Error(), "no answer from the model: the model's sampling failed: script: model backend unavailable") {
		t.Fatalf("err = %v, want a SampleError that says the model's sampling failed, and why", err)
	}
	srv := newServer(legacyProtocol)
	tool.Add(srv, quiet())
	res := callClassify(t, connect(t, srv, &mcp.ClientOptions{CreateMessageHandler: say("!error").handler}), "x")
	if !res.IsError || !strings.Contains(textOf(res), "the client's sampling failed") {
		t.Errorf("served: %s, want the client's sampling named", textOf(res))
	}
}

func TestSampleWithoutSamplerCannotSample(t *testing.T) {
	tool := runtime.NewTool(verdictSpec())
	_, err := tool.Sample(context.Background(), nil, Ticket{Text: "x"})
	if !errors.Is(err, runtime.ErrCannotSample) {
		t.Fatalf("err = %v, want ErrCannotSample", err)
	}
}

func TestSampleAskHasADeadline(t *testing.T) {
	spec := verdictSpec()
	spec.Params.Timeout = 20 * time.Millisecond
	tool := runtime.NewTool(spec)
	silent := runtime.SamplerFunc(func(ctx context.Context, _ *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		<-ctx.Done() // a client that never answers
		return nil, ctx.Err()
	})
	_, err := tool.Sample(context.Background(), silent, Ticket{Text: "x"})
	if err == nil || !strings.Contains(err.Error(), "did not answer the sampling request within 20ms") {
		t.Fatalf("err = %v, want the deadline named", err)
	}
}

func TestSampleCancelledCallStops(t *testing.T) {
	tool := runtime.NewTool(verdictSpec())
	ctx, cancel := context.WithCancel(context.Background())
	asked := 0
	blocked := runtime.SamplerFunc(func(ctx context.Context, _ *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		asked++
		cancel()
		<-ctx.Done()
		return nil, ctx.Err()
	})
	_, err := tool.Sample(ctx, blocked, Ticket{Text: "x"})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if asked != 1 {
		t.Errorf("asked %d times after cancellation, want 1", asked)
	}
}

func TestSampleTruncatedAnswerIsNotRepaired(t *testing.T) {
	tool := runtime.NewTool(verdictSpec())
	model := &script{answers: []reply{
		{text: `{"label": "spam", "score": 0.9, "notes": {"label": "ham", "score": 0.1}`, stop: answer.StopMaxTokens},
		{text: `{"label": "spam", "score": 0.9}`, stop: "endTurn"},
	}}
	var rep runtime.Report
	got, err := tool.Sample(context.Background(), model, Ticket{Text: "x"}, runtime.WithReport(&rep))
	if err != nil {
		t.Fatal(err)
	}
	if got.Label != "spam" || len(rep.Rounds) != 2 || !strings.Contains(rep.Rounds[0].Error, "cut off") {
		t.Errorf("got %+v after %+v; want the cut-off answer refused and re-asked", got, rep.Rounds)
	}
	if reqs := model.asked(); reqs[1].MaxTokens != reqs[0].MaxTokens {
		t.Errorf("without TruncatedMaxTokens the re-ask changed the limit to %d", reqs[1].MaxTokens)
	}
}

func TestSampleTruncatedAnswerIsReaskedWithTheLargerLimit(t *testing.T) {
	tool := runtime.NewTool(verdictSpec())
	model := &script{answers: []reply{
		{text: `{"label": "sp`, stop: answer.StopMaxTokens},
		{text: `{"label": "spam", "score": 0.9}`, stop: "endTurn"},
	}}
	if _, err := tool.Sample(context.Background(), model, Ticket{Text: "x"}, runtime.WithParams(runtime.Params{TruncatedMaxTokens: 400})); err != nil {
		t.Fatal(err)
	}
	if reqs := model.asked(); reqs[0].MaxTokens != 50 || reqs[1].MaxTokens != 400 {
		t.Errorf("limits = %d then %d, want 50 then 400", reqs[0].MaxTokens, reqs[1].MaxTokens)
	}
}

type strictVerdict struct {
	Label string  `json:"label"`
	Score float64 `json:"score"`
}

func (v strictVerdict) Validate() error {
	if v.Label == "spam" && v.Score < 0.5 {
		return errors.New("a spam verdict needs a score of at least 0.5")
	}
	return nil
}

func TestSampleValidateMethodIsAskedBack(t *testing.T) {
	s := verdictSpec()
	tool := runtime.NewTool(runtime.Spec[Ticket, strictVerdict]{
		Name: s.Name, InputSchema: s.InputSchema, OutputSchema: s.OutputSchema, Prompt: s.Prompt,
	})
	model := say(`{"label": "spam", "score": 0.2}`, `{"label": "spam", "score": 0.6}`)
	got, err := tool.Sample(context.Background(), model, Ticket{Text: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Score != 0.6 {
		t.Errorf("got %+v, want the second answer", got)
	}
	if msg := text(model.asked()[1].Messages[2]); !strings.Contains(msg, "needs a score of at least 0.5") {
		t.Errorf("the re-ask does not carry Validate's error: %q", msg)
	}
}

func TestCompileToolReportsBrokenSpecs(t *testing.T) {
	for name, mutate := range map[string]func(*runtime.Spec[Ticket, Verdict]){
		"bad schema JSON":  func(s *runtime.Spec[Ticket, Verdict]) { s.OutputSchema = "{" },
		"bad prompt":       func(s *runtime.Spec[Ticket, Verdict]) { s.Prompt = "{{.Text" },
		"unknown helper":   func(s *runtime.Spec[Ticket, Verdict]) { s.Prompt = "{{shout .Text}}" },
		"bad input schema": func(s *runtime.Spec[Ticket, Verdict]) { s.InputSchema = `{"type": 7}` },
		"invalid default": func(s *runtime.Spec[Ticket, Verdict]) {
			s.OutputSchema = `{"type":"object","properties":{"score":{"type":"number","default":"high"}}}`
		},
		"endless $ref": func(s *runtime.Spec[Ticket, Verdict]) { s.OutputSchema = `{"$ref":"#"}` },
	} {
		spec := verdictSpec()
		mutate(&spec)
		if _, err := runtime.CompileTool(spec); err == nil || !strings.Contains(err.Error(), "classify") {
			t.Errorf("%s: err = %v, want an error naming the tool", name, err)
		}
	}
}

func repairKinds(rs []answer.Repair) string {
	var kinds []string
	for _, r := range rs {
		kinds = append(kinds, r.Kind)
	}
	return strings.Join(kinds, " ")
}

func TestEnumHelperShowsMeaningsAtRunTime(t *testing.T) {
	spec := verdictSpec()
	spec.Prompt = `Labels: {{enum "label"}}. Classify: {{.Text}}`
	model := say(`{"label":"ham","score":0.1}`)
	if _, err := runtime.NewTool(spec).Sample(context.Background(), model, Ticket{Text: "x"}); err != nil {
		t.Fatal(err)
	}
	if got := text(model.asked()[0].Messages[0]); !strings.Contains(got, "unsolicited bulk mail") {
		t.Errorf("{{enum}} rendered without the meanings: %q", got)
	}
}

// When the call's own deadline ends an ask, the error does not blame the
// per-ask timeout.
func TestSampleCallDeadlineIsNotTheAskTimeout(t *testing.T) {
	spec := verdictSpec()
	spec.Params.Timeout = time.Hour
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	silent := runtime.SamplerFunc(func(ctx context.Context, _ *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	})
	_, err := runtime.NewTool(spec).Sample(ctx, silent, Ticket{Text: "x"})
	if !errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "within 1h") {
		t.Fatalf("err = %v, want the call's deadline, not the ask's", err)
	}
}

// Meanings an {{enum}} lists only under a branch that does not run are
// still told, by the instructions.
func TestMeaningsListedUnderABranchAreNotLost(t *testing.T) {
	spec := verdictSpec()
	spec.Prompt = `Classify.{{if eq .Text "verbose"}}{{enum "label"}}{{end}} {{fence .Text}}`
	model := say(`{"label": "spam", "score": 1}`)
	if _, err := runtime.NewTool(spec).Sample(context.Background(), model, Ticket{Text: "buy now"}); err != nil {
		t.Fatal(err)
	}
	req := model.asked()[0]
	if told := req.SystemPrompt + text(req.Messages[0]); !strings.Contains(told, "unsolicited bulk mail") {
		t.Errorf("the meaning of spam is told nowhere:\n%s", told)
	}
}
