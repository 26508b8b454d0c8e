package host_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/host"
	"github.com/samplegen/samplegen/sampling"
	"golang.org/x/time/rate"
)

func TestClampMaxTokens(t *testing.T) {
	model := answering("x")
	s := host.Chain(model, host.ClampMaxTokens(256))
	for _, tc := range []struct{ asked, want int64 }{{100, 100}, {256, 256}, {4096, 256}, {0, 256}, {-3, 256}} {
		req := ask("hi", tc.asked)
		if _, err := s.CreateMessage(context.Background(), req); err != nil {
			t.Fatal(err)
		}
		if got := model.requests()[len(model.requests())-1].MaxTokens; got != tc.want {
			t.Errorf("maxTokens %d reached the model as %d, want %d", tc.asked, got, tc.want)
		}
		if req.MaxTokens != tc.asked {
			t.Errorf("the server's request was changed to %d", req.MaxTokens)
		}
	}
	if host.ClampMaxTokens(0)(model) != sampling.Sampler(model) {
		t.Error("ClampMaxTokens(0) wraps the model; want it to clamp nothing")
	}
}

// waitingCtx tells, by closing waiting, when the code under test first
// waits on it (calls Done): a test can then cancel it while the code is
// waiting, without sleeping.
type waitingCtx struct {
	context.Context
	once    sync.Once
	waiting chan struct{}
}

func newWaitingCtx(parent context.Context) (*waitingCtx, context.CancelFunc) {
	ctx, cancel := context.WithCancel(parent)
	return &waitingCtx{Context: ctx, waiting: make(chan struct{})}, cancel
}

func (c *waitingCtx) Done() <-chan struct{} {
	c.once.Do(func() { close(c.waiting) })
	return c.Context.Done()
}

// blockingModel answers only when released, and says when it is asked.
type blockingModel struct {
	entered chan int // the number of requests inside, as each enters
	release chan struct{}

	mu       sync.Mutex
	inside   int
	maxSeen  int
	answered int
}

func newBlockingModel() *blockingModel {
	return &blockingModel{entered: make(chan int, 100), release: make(chan struct{})}
}

func (m *blockingModel) CreateMessage(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
	m.mu.Lock()
	m.inside++
	m.maxSeen = max(m.maxSeen, m.inside)
	n := m.inside
	m.mu.Unlock()
	m.entered <- n
	select {
	case <-m.release:
	case <-ctx.Done():
	}
	m.mu.Lock()
	m.inside--
	m.answered++
	m.mu.Unlock()
	return &mcp.CreateMessageWithToolsResult{Role: "assistant", Model: "m", Content: []mcp.Content{&mcp.TextContent{Text: "x"}}}, nil
}

func TestConcurrencyLetsNoMoreThanNThrough(t *testing.T) {
	model := newBlockingModel()
	s := host.Chain(model, host.Concurrency(3))
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			if _, err := s.CreateMessage(context.Background(), ask("hi", 5)); err != nil {
				t.Error(err)
			}
		})
	}
	for range 3 {
		<-model.entered
	}
	close(model.release) // the rest go through as slots free
	wg.Wait()
	if model.maxSeen > 3 || model.answered != 10 {
		t.Errorf("%d requests were inside at once (limit 3), %d of 10 answered", model.maxSeen, model.answered)
	}
}

// A request whose context ends while it waits for a slot fails with the
// context's error, never reaches the model, and takes no slot.
func TestConcurrencyWaiterWhoseContextEndsGivesUp(t *testing.T) {
	model := newBlockingModel()
	s := host.Chain(model, host.Concurrency(1))
	first := make(chan error, 1)
	go func() {
		_, err := s.CreateMessage(context.Background(), ask("first", 5))
		first <- err
	}()
	<-model.entered // the one slot is taken

	ctx, cancel := newWaitingCtx(context.Background())
	defer cancel()
	go func() {
		<-ctx.waiting
		cancel()
	}()
	_, err := s.CreateMessage(ctx, ask("second", 5))
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "sampling slots") {
		t.Errorf("the waiter got %v, want context.Canceled, saying it waited for a slot", err)
	}
	close(model.release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	// The slot is free again: the abandoned wait did not keep it.
	if _, err := s.CreateMessage(context.Background(), ask("third", 5)); err != nil {
		t.Fatal(err)
	}
	if model.answered != 2 {
		t.Errorf("the model answered %d requests, want 2 (first and third)", model.answered)
	}
}

// A request the rate limiter cannot take within maxWait is throttled at
// once: a refusal saying when to ask again, on the wire as the push era's
// error data and the multi round-trip era's result _meta.
func TestRateLimitThrottlesWithTheLimitersWait(t *testing.T) {
	limiter := rate.NewLimiter(rate.Every(time.Hour), 1)
	model := answering("x")
	s := host.Chain(model, host.RateLimit(limiter, time.Second))
	if _, err := s.CreateMessage(context.Background(), ask("first", 5)); err != nil {
		t.Fatal(err)
	}
	_, err := s.CreateMessage(context.Background(), ask("second", 5))
	r := refusal(t, err)
	if r.RetryAfter <= time.Second || r.RetryAfter > time.Hour || r.RetryAfter%time.Millisecond != 0 {
		t.Errorf("retry after %v, want the limiter's wait (up to an hour), in whole milliseconds", r.RetryAfter)
	}
	if !strings.Contains(r.Reason, "rate limit") {
		t.Errorf("reason %q does not name the rate limit", r.Reason)
	}
	if len(model.requests()) != 1 {
		t.Errorf("the model was asked %d times, want once", len(model.requests()))
	}
	wire := sampling.RefusalWireError(err)
	var data sampling.RetryAfterData
	if err := json.Unmarshal(wire.Data, &data); err != nil || data.RetryAfterMs != r.RetryAfter.Milliseconds() {
		t.Errorf("push-era wire error %d %q data %s, want retryAfterMs %d", wire.Code, wire.Message, wire.Data, r.RetryAfter.Milliseconds())
	}
	if ms := sampling.Refusal(err).Meta[sampling.RetryAfterMetaKey]; ms != r.RetryAfter.Milliseconds() {
		t.Errorf("multi round-trip refusal carries retryAfterMs %v, want %d", ms, r.RetryAfter.Milliseconds())
	}
	// The throttled request gave its token back: the limiter is where the
	// first request left it.
	if tokens := limiter.Tokens(); tokens < -0.01 {
		t.Errorf("limiter tokens %v after the throttle; the refused request kept its reservation", tokens)
	}
}

// Within maxWait, a request waits its turn and is answered.
func TestRateLimitWaitsWithinMaxWait(t *testing.T) {
	limiter := rate.NewLimiter(rate.Every(5*time.Millisecond), 1)
	model := answering("x")
	s := host.Chain(model, host.RateLimit(limiter, time.Minute))
	for range 3 {
		if _, err := s.CreateMessage(context.Background(), ask("hi", 5)); err != nil {
			t.Fatal(err)
		}
	}
	if len(model.requests()) != 3 {
		t.Errorf("answered %d of 3", len(model.requests()))
	}
}

func TestRateLimitWaiterWhoseContextEndsGivesUp(t *testing.T) {
	limiter := rate.NewLimiter(rate.Every(time.Hour), 1)
	model := answering("x")
	s := host.Chain(model, host.RateLimit(limiter, 2*time.Hour))
	if _, err := s.CreateMessage(context.Background(), ask("first", 5)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := newWaitingCtx(context.Background())
	defer cancel()
	go func() {
		<-ctx.waiting
		cancel()
	}()
	_, err := s.CreateMessage(ctx, ask("second", 5))
	if !errors.Is(err, context.Canceled) || errors.Is(err, sampling.ErrRefused) || !strings.Contains(err.Error(), "rate limit") {
		t.Errorf("got %v, want context.Canceled from the wait on the rate limit", err)
	}
	if len(model.requests()) != 1 {
		t.Errorf("the model was asked %d times, want once", len(model.requests()))
	}
	if tokens := limiter.Tokens(); tokens < -0.01 {
		t.Errorf("limiter tokens %v: the abandoned wait kept its reservation", tokens)
	}
}

// A wait that would outlast the request's deadline is not waited: the
// request is throttled at once, so the server can decide.
func TestRateLimitThrottlesAWaitPastTheDeadline(t *testing.T) {
	limiter := rate.NewLimiter(rate.Every(time.Hour), 1)
	limiter.Allow()
	s := host.Chain(answering("x"), host.RateLimit(limiter, 2*time.Hour))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := s.CreateMessage(ctx, ask("hi", 5))
	if r := refusal(t, err); r.RetryAfter <= time.Minute {
		t.Errorf("refusal %+v, want a throttle naming the limiter's wait (past the deadline)", r)
	}
}

// A limiter that admits nothing refuses plainly: no wait would help.
func TestRateLimitThatAdmitsNothingRefuses(t *testing.T) {
	s := host.Chain(answering("x"), host.RateLimit(rate.NewLimiter(1, 0), time.Minute))
	_, err := s.CreateMessage(context.Background(), ask("hi", 5))
	if r := refusal(t, err); r.RetryAfter != 0 || !strings.Contains(r.Reason, "admits no request") {
		t.Errorf("refusal %+v, want a plain refusal", r)
	}
}
