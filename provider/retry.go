package provider

// Retries, for both adapters. Both SDKs retry 408, 409, 429 and 5xx
// answers (529, Anthropic's "overloaded", among them), connection errors
// and attempts that time out, Config.MaxRetries times, waiting what
// Retry-After-Ms or Retry-After asks for, else 0.5s doubling up to 8s with
// jitter. What they would not do on their own is done here, in the
// middleware they call around every attempt (option.WithMiddleware):
// each attempt gets its own timeout, the answer's size is bounded, the
// attempts are counted for the error to say how often it was asked, and a
// Retry-After is waited out only up to maxRetryWait and the caller's
// deadline.

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// maxRetryWait is the longest Retry-After an adapter waits out itself. An
// answer that asks for longer, or for a wait that ends past the caller's
// deadline, is not retried: a rate limit comes back at once as a throttle
// with its wait (see [Error]), for the caller to honour or not within its
// own deadline, instead of the adapter sleeping on it. With
// Config.MaxRetries retries, the waits total at most MaxRetries times this.
const maxRetryWait = 20 * time.Second

// defaultThrottleWait is the wait a rate limit names when the provider sent
// no Retry-After.
const defaultThrottleWait = time.Second

// maxRetryAfter bounds a Retry-After read from a response: a peer's number
// is untrusted.
const maxRetryAfter = 24 * time.Hour

// maxResponseBytes bounds a response body: a chat completion is a few
// kilobytes, and a hostile or broken server must not fill the memory.
const maxResponseBytes = 32 << 20

var errResponseTooLarge = fmt.Errorf("response body larger than %d MiB", maxResponseBytes>>20)

// guardAttempts returns the middleware that gives every attempt its own
// timeout (so that a timed-out attempt is retried like a network error: the
// SDKs' own per-attempt timeout ends the whole request instead), bounds the
// response body, counts attempts (see [withAttemptCount]), and stops the
// SDK from waiting out a Retry-After longer than maxRetryWait or ending
// past the caller's deadline (x-should-retry: false, which both SDKs obey).
func guardAttempts(attempt time.Duration) func(*http.Request, func(*http.Request) (*http.Response, error)) (*http.Response, error) {
	return func(req *http.Request, next func(*http.Request) (*http.Response, error)) (*http.Response, error) {
		if n, ok := req.Context().Value(attemptsKey{}).(*atomic.Int32); ok {
			n.Add(1)
		}
		ctx, cancel := context.WithTimeout(req.Context(), attempt)
		res, err := next(req.WithContext(ctx))
		if err != nil {
			cancel()
			return nil, err
		}
		if wait, ok := retryAfterHeader(res.Header); ok && !waitable(req.Context(), wait) {
			res.Header.Set("X-Should-Retry", "false")
		}
		res.Body = &boundedBody{body: res.Body, left: maxResponseBytes, cancel: cancel}
		return res, nil
	}
}

// waitable reports whether an adapter waits out a Retry-After of wait
// itself: within maxRetryWait, and ending before ctx's deadline.
func waitable(ctx context.Context, wait time.Duration) bool {
	if wait > maxRetryWait {
		return false
	}
	deadline, ok := ctx.Deadline()
	return !ok || time.Now().Add(wait).Before(deadline)
}

// retryAfterHeader reads the wait a response names, from Retry-After-Ms
// (which OpenAI sends) or Retry-After (seconds, or an HTTP date), held to
// maxRetryAfter.
func retryAfterHeader(h http.Header) (time.Duration, bool) {
	if h == nil {
		return 0, false
	}
	if v := h.Get("Retry-After-Ms"); v != "" {
		if ms, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && !math.IsNaN(ms) && ms > 0 {
			return min(time.Duration(min(ms, float64(maxRetryAfter/time.Millisecond)))*time.Millisecond, maxRetryAfter), true
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil {
		if math.IsNaN(s) || s <= 0 {
			return 0, false
		}
		return min(time.Duration(min(s, maxRetryAfter.Seconds())*float64(time.Second)), maxRetryAfter), true
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return min(d, maxRetryAfter), true
		}
	}
	return 0, false
}

type attemptsKey struct{}

// withAttemptCount returns a context whose requests [guardAttempts] counts.
func withAttemptCount(ctx context.Context) (context.Context, *atomic.Int32) {
	n := new(atomic.Int32)
	return context.WithValue(ctx, attemptsKey{}, n), n
}

// boundedBody is a response body that fails past its bound and ends its
// attempt's timeout when closed.
type boundedBody struct {
	body   io.ReadCloser
	left   int64
	cancel context.CancelFunc
}

func (b *boundedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, errResponseTooLarge
	}
	if int64(len(p)) > b.left {
		p = p[:b.left+1] // one byte more tells a body of exactly the bound from a longer one
	}
	n, err := b.body.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		return n - 1, errResponseTooLarge
	}
	return n, err
}

func (b *boundedBody) Close() error {
	err := b.body.Close()
	b.cancel()
	return err
}
