package host

import (
	"context"
	"fmt"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/sampling"
	"golang.org/x/time/rate"
)

// ClampMaxTokens holds every request's maxTokens to at most n: a request
// asking for more, or for none (0 or less), is passed on asking for n. It
// changes a copy, never the server's request. n of 0 or less clamps
// nothing.
func ClampMaxTokens(n int64) Middleware {
	return func(next sampling.Sampler) sampling.Sampler {
		if n <= 0 {
			return next
		}
		return sampling.SamplerFunc(func(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
			if req.MaxTokens > 0 && req.MaxTokens <= n {
				return next.CreateMessage(ctx, req)
			}
			clamped := *req
			clamped.MaxTokens = n
			return next.CreateMessage(ctx, &clamped)
		})
	}
}

// Concurrency lets at most n requests through at once; the rest wait their
// turn, in no set order, for as long as their context lets them (a request
// whose context ends while it waits fails with the context's error, and
// was never sampled). The limit is shared by every chain the Middleware is
// in: make one per server for a per-server limit, or share one for a
// limit over the whole host. n of 0 or less limits nothing.
func Concurrency(n int) Middleware {
	if n <= 0 {
		return func(next sampling.Sampler) sampling.Sampler { return next }
	}
	slots := make(chan struct{}, n)
	return func(next sampling.Sampler) sampling.Sampler {
		return sampling.SamplerFunc(func(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return nil, fmt.Errorf("host: waiting for one of %d sampling slots (all busy): %w", n, context.Cause(ctx))
			}
			defer func() { <-slots }()
			return next.CreateMessage(ctx, req)
		})
	}
}

// RateLimit passes requests at the rate the limiter allows. A request the
// limiter can take within maxWait waits for it (unless its context ends
// first, or would end before: then it is throttled as below); one that
// would wait longer is refused at once with [sampling.Throttled] and the
// wait the limiter named, so a samplegen server asks again when that wait
// is over, if its deadline allows, instead of failing. A maxWait of 0
// never waits. A limiter that can never admit a request (a burst of 0)
// refuses every request, without a wait, since asking again will not
// help.
//
// Like [Concurrency], the limit is shared by every chain the Middleware is
// in, and a refused or abandoned request gives its token back.
func RateLimit(limiter *rate.Limiter, maxWait time.Duration) Middleware {
	if limiter == nil {
		panic("host: RateLimit(nil, ...): give a *rate.Limiter, such as rate.NewLimiter(rate.Every(time.Second), 5)")
	}
	return func(next sampling.Sampler) sampling.Sampler {
		return sampling.SamplerFunc(func(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
			r := limiter.Reserve()
			if !r.OK() {
				return nil, sampling.Refused(fmt.Sprintf("the host's rate limit (%.3g a second, bursts of %d) admits no request", limiter.Limit(), limiter.Burst()))
			}
			wait := r.Delay()
			if wait > 0 {
				deadline, hasDeadline := ctx.Deadline()
				if wait > maxWait || hasDeadline && time.Now().Add(wait).After(deadline) {
					r.Cancel()
					return nil, sampling.Throttled(fmt.Sprintf("the host's rate limit (%.3g a second, bursts of %d) is reached", limiter.Limit(), limiter.Burst()), roundUpToMillisecond(wait))
				}
				t := time.NewTimer(wait)
				select {
				case <-t.C:
				case <-ctx.Done():
					t.Stop()
					r.Cancel()
					return nil, fmt.Errorf("host: waiting %v for the host's rate limit: %w", wait.Round(time.Millisecond), context.Cause(ctx))
				}
			}
			return next.CreateMessage(ctx, req)
		})
	}
}

// roundUpToMillisecond rounds d up to a whole millisecond: the wait goes on
// the wire in milliseconds, and a server that asks again a fraction early
// would be throttled again.
func roundUpToMillisecond(d time.Duration) time.Duration {
	return (d + time.Millisecond - 1).Truncate(time.Millisecond)
}
