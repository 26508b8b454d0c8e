package host_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/host"
	"github.com/samplegen/samplegen/sampling"
)

func TestRequestBudgetRefusesOnceSpent(t *testing.T) {
	b := host.NewBudget(host.Limits{Requests: 2})
	model := answering("x")
	s := host.Chain(model, b.Charge)
	for i := range 2 {
		if _, err := s.CreateMessage(context.Background(), ask("hi", 5)); err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
	}
	_, err := s.CreateMessage(context.Background(), ask("hi", 5))
	if r := refusal(t, err); r.RetryAfter != 0 || r.Reason != "the sampling budget of 2 requests is spent (2 answered, 0 in flight)" {
		t.Errorf("refusal %+v, want a plain refusal naming the budget", r)
	}
	if len(model.requests()) != 2 || b.Spent(nil).Requests != 2 {
		t.Errorf("model asked %d times, budget spent %+v; want 2 each", len(model.requests()), b.Spent(nil))
	}
}

// Tokens are charged from the result's usage; a request is admitted only
// if the budget can afford its input and its maxTokens on top of what is
// spent.
func TestTokenBudgetChargesUsageAndHoldsTheWorstCase(t *testing.T) {
	model := &fakeModel{text: "x", usage: &sampling.Usage{InputTokens: 30, OutputTokens: 20}}
	b := host.NewBudget(host.Limits{Tokens: 120})
	s := host.Chain(model, b.Charge)
	// "hi there" is 8 bytes: 2 tokens of input, and 10 of maxTokens: 12 held.
	for i := range 2 {
		if _, err := s.CreateMessage(context.Background(), ask("hi there", 10)); err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
	}
	if got := b.Spent(nil); got != (host.Spent{Requests: 2, Tokens: 100}) {
		t.Errorf("spent %+v, want 2 requests and 100 tokens, none estimated", got)
	}
	// 100 spent + 2 + 19 = 121 > 120.
	_, err := s.CreateMessage(context.Background(), ask("hi there", 19))
	r := refusal(t, err)
	if r.RetryAfter != 0 || !strings.Contains(r.Reason, "budget of 120 tokens cannot afford the request: 100 spent (0 of them estimated), 0 held by requests in flight, and this one may take 21") {
		t.Errorf("refusal %+v", r)
	}
	// 100 + 2 + 18 = 120: affordable.
	if _, err := s.CreateMessage(context.Background(), ask("hi there", 18)); err != nil {
		t.Errorf("a request the budget can just afford: %v", err)
	}
	// A request asking for more than the whole budget is refused at once.
	fresh := host.Chain(model, host.NewBudget(host.Limits{Tokens: 1000}).Charge)
	if _, err := fresh.CreateMessage(context.Background(), ask("hi", 4096)); !errors.Is(err, sampling.ErrRefused) {
		t.Errorf("maxTokens 4096 on a budget of 1000: %v, want a refusal", err)
	}
	// ClampMaxTokens before the budget makes it affordable.
	clamped := host.Chain(model, host.ClampMaxTokens(512), host.NewBudget(host.Limits{Tokens: 1000}).Charge)
	if _, err := clamped.CreateMessage(context.Background(), ask("hi", 4096)); err != nil {
		t.Errorf("clamped to 512 on a budget of 1000: %v", err)
	}
}

// A result that carries no usage is charged an estimate, and the budget
// says how much of what it counts is estimated.
func TestTokenBudgetEstimatesAndLabelsResultsWithoutUsage(t *testing.T) {
	counted := &fakeModel{text: "x", usage: &sampling.Usage{InputTokens: 7, OutputTokens: 3}}
	uncounted := answering(strings.Repeat("a", 40)) // 10 tokens out
	b := host.NewBudget(host.Limits{Tokens: 10_000})
	req := ask("12345678", 50) // 2 tokens in
	req.SystemPrompt = "1234"  // 1 more
	if _, err := b.Charge(counted).CreateMessage(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	res, err := b.Charge(uncounted).CreateMessage(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if got := sampling.EstimateUsage(req, res); got != (sampling.Usage{InputTokens: 3, OutputTokens: 10}) {
		t.Errorf("EstimateUsage = %+v, want 3 in and 10 out", got)
	}
	if got := b.Spent(nil); got != (host.Spent{Requests: 2, Tokens: 10 + 13, EstimatedTokens: 13}) {
		t.Errorf("spent %+v, want 23 tokens, 13 of them estimated", got)
	}
}

// What fails or is refused further down the chain costs nothing, and what
// is in flight holds its share.
func TestBudgetChargesOnlyAnswers(t *testing.T) {
	b := host.NewBudget(host.Limits{Requests: 1})
	broken := &fakeModel{fail: errors.New("provider down")}
	if _, err := b.Charge(broken).CreateMessage(context.Background(), ask("hi", 5)); err == nil {
		t.Fatal("no error from a broken model")
	}
	if _, err := host.Chain(answering("x"), b.Charge, host.Approve(host.DenyAll)).CreateMessage(context.Background(), ask("hi", 5)); !errors.Is(err, sampling.ErrRefused) {
		t.Fatal(err)
	}
	if got := b.Spent(nil); got != (host.Spent{}) {
		t.Errorf("spent %+v after a failure and a refusal, want nothing", got)
	}

	model := newBlockingModel()
	s := b.Charge(model)
	first := make(chan error, 1)
	go func() {
		_, err := s.CreateMessage(context.Background(), ask("hi", 5))
		first <- err
	}()
	<-model.entered
	if got := b.Spent(nil); got.InFlight != 1 || got.Reserved != 6 {
		t.Errorf("spent %+v while one request of 1+5 tokens is in flight", got)
	}
	_, err := s.CreateMessage(context.Background(), ask("hi", 5))
	if r := refusal(t, err); !strings.Contains(r.Reason, "(0 answered, 1 in flight)") {
		t.Errorf("refusal %q, want the request in flight counted", r.Reason)
	}
	close(model.release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if got := b.Spent(nil); got.Requests != 1 || got.InFlight != 0 || got.Reserved != 0 {
		t.Errorf("spent %+v after the answer", got)
	}
}

// A session budget keeps an account per client session; an overall one a
// single account, however many sessions or chains charge it.
func TestSessionBudgetKeepsEachSessionsAccount(t *testing.T) {
	perSession := host.NewSessionBudget(host.Limits{Requests: 1})
	overall := host.NewBudget(host.Limits{Requests: 3})
	s := host.Chain(answering("x"), overall.Charge, perSession.Charge)
	one, two, three := new(mcp.ClientSession), new(mcp.ClientSession), new(mcp.ClientSession)
	on := func(cs *mcp.ClientSession) context.Context {
		return host.WithServer(context.Background(), host.Server{Name: "s", Session: cs})
	}
	for _, cs := range []*mcp.ClientSession{one, two} {
		if _, err := s.CreateMessage(on(cs), ask("hi", 5)); err != nil {
			t.Fatal(err)
		}
	}
	_, err := s.CreateMessage(on(one), ask("hi", 5))
	if r := refusal(t, err); r.Reason != "this session's sampling budget of 1 requests is spent (1 answered, 0 in flight)" {
		t.Errorf("session one's second request: %q", r.Reason)
	}
	if got := perSession.Spent(one).Requests + perSession.Spent(two).Requests; got != 2 || perSession.Spent(three).Requests != 0 {
		t.Errorf("session accounts: %+v %+v %+v", perSession.Spent(one), perSession.Spent(two), perSession.Spent(three))
	}
	// The overall budget saw both answers, and a refused request is not
	// charged to it either.
	if got := overall.Spent(one); got.Requests != 2 {
		t.Errorf("overall spent %+v, want 2 requests", got)
	}
	// Another chain charging the same overall budget shares its account.
	other := host.Chain(answering("y"), overall.Charge)
	if _, err := other.CreateMessage(context.Background(), ask("hi", 5)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateMessage(on(three), ask("hi", 5)); !errors.Is(err, sampling.ErrRefused) {
		t.Errorf("the overall budget of 3 let a 4th request through: %v", err)
	}
}

// A peer's maxTokens may be any number: a budget neither overflows nor
// keeps a hold after the request.
func TestBudgetWithHugeMaxTokens(t *testing.T) {
	b := host.NewBudget(host.Limits{Requests: 10})
	if _, err := b.Charge(answering("x")).CreateMessage(context.Background(), ask("hi", math.MaxInt64)); err != nil {
		t.Fatal(err)
	}
	if got := b.Spent(nil); got.Reserved != 0 || got.Tokens <= 0 {
		t.Errorf("spent %+v", got)
	}
	limited := host.NewBudget(host.Limits{Tokens: math.MaxInt64})
	if _, err := limited.Charge(answering("x")).CreateMessage(context.Background(), ask("hi", math.MaxInt64)); err != nil {
		t.Errorf("a budget of MaxInt64 tokens: %v", err)
	}
}

// A token budget holds each request's estimated input and maxTokens, but
// charges what the provider reports: requests in flight at once that cost
// more than their holds (CJK text, which runs denser than 4 bytes a token)
// overdraw it by at most that excess. Each is charged in full, and every
// request after is refused.
func TestTokenBudgetIsOverdrawnOnlyByWhatTheHoldsMissed(t *testing.T) {
	const (
		limit    = 40
		inFlight = 3
	)
	prompt := "日本語の文章" // 18 bytes: 5 tokens estimated, where a tokenizer counts about 6
	model := newBlockingModel()
	reporting := sampling.SamplerFunc(func(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		res, err := model.CreateMessage(ctx, req)
		if res != nil {
			sampling.SetUsage(res, sampling.Usage{InputTokens: 25, OutputTokens: 10}) // more input than estimated, and all of maxTokens out and more
		}
		return res, err
	})
	b := host.NewBudget(host.Limits{Tokens: limit})
	s := b.Charge(reporting)
	held := sampling.EstimateUsage(ask(prompt, 0), nil).InputTokens + 7 // and maxTokens 7: 12
	if held*inFlight > limit || held*(inFlight+1) <= limit {
		t.Fatalf("the test's numbers: %d held each, want %d to fit in %d and not %d", held, inFlight, limit, inFlight+1)
	}
	errs := make(chan error, inFlight)
	for range inFlight {
		go func() {
			_, err := s.CreateMessage(context.Background(), ask(prompt, 7))
			errs <- err
		}()
		<-model.entered
	}
	if got := b.Spent(nil); got.InFlight != inFlight || got.Reserved != held*inFlight {
		t.Fatalf("spent %+v with %d requests in flight", got, inFlight)
	}
	close(model.release)
	for range inFlight {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	const cost = 25 + 10
	got := b.Spent(nil)
	if got != (host.Spent{Requests: inFlight, Tokens: inFlight * cost}) {
		t.Errorf("spent %+v, want each request charged its full %d tokens", got, cost)
	}
	if over, bound := got.Tokens-limit, inFlight*(cost-held); over <= 0 || over > bound {
		t.Errorf("overdrawn by %d, want more than 0 and at most the holds' shortfall %d", over, bound)
	}
	_, err := s.CreateMessage(context.Background(), ask("x", 0))
	if r := refusal(t, err); !strings.Contains(r.Reason, "budget of 40 tokens cannot afford the request: 105 spent") {
		t.Errorf("after the overdraft: %q", r.Reason)
	}
}

// A model's own refusal was paid for: the budget charges it as an answer,
// so a server that prompts for refusals cannot spend the model for free.
func TestBudgetChargesAModelsRefusal(t *testing.T) {
	budget := host.NewBudget(host.Limits{Requests: 2})
	refusing := sampling.SamplerFunc(func(context.Context, *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		return nil, sampling.ModelRefused("gpt-4o refused to answer", sampling.Usage{InputTokens: 30, OutputTokens: 9})
	})
	s := budget.Charge(refusing)
	req := &mcp.CreateMessageWithToolsParams{MaxTokens: 10, Messages: []*mcp.SamplingMessageV2{{Role: "user", Content: []mcp.Content{&mcp.TextContent{Text: "hi"}}}}}
	for range 2 {
		if _, err := s.CreateMessage(context.Background(), req); !errors.Is(err, sampling.ErrRefused) {
			t.Fatalf("err = %v, want the model's refusal", err)
		}
	}
	if spent := budget.Spent(nil); spent.Requests != 2 || spent.Tokens != 78 || spent.EstimatedTokens != 0 {
		t.Errorf("spent %+v, want 2 requests and 78 tokens, none estimated", spent)
	}
	_, err := s.CreateMessage(context.Background(), req)
	if err == nil || !strings.Contains(err.Error(), "budget of 2 requests is spent") {
		t.Errorf("third request: %v, want the budget's refusal", err)
	}
}
