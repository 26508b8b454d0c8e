package provider

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/samplegen/samplegen/sampling"
)

// An Error is a request to a provider that failed, worded for whoever must
// fix it: a bad key names the variable to set, a missing model the model. It
// wraps the SDK's own error (errors.As reaches *openai.Error or
// *anthropic.Error, with the full response) and, for a rate limit, a
// [sampling.RefusalError] that says when to ask again, so errors.Is(err,
// sampling.ErrRefused) holds and a samplegen server waits or falls back
// instead of failing at once.
//
// Everything in its message that came from the provider is clipped: a
// provider's answer is not trusted to be short.
type Error struct {
	// Provider is "OpenAI" or "Anthropic" (the API spoken, whoever serves it).
	Provider string
	// StatusCode is the HTTP status of the last attempt; 0 where none came
	// back (a network error or a timeout).
	StatusCode int

	msg      string
	cause    error
	throttle *sampling.RefusalError
}

func (e *Error) Error() string { return e.msg }

// Unwrap returns the SDK's error and, for a rate limit, the throttle.
func (e *Error) Unwrap() []error {
	errs := make([]error, 0, 2)
	if e.throttle != nil {
		errs = append(errs, e.throttle)
	}
	if e.cause != nil {
		errs = append(errs, e.cause)
	}
	return errs
}

// A vendor is an API and the environment that configures its adapter, as
// errors name them.
type vendor struct {
	name       string // "OpenAI"
	keyEnv     string // "OPENAI_API_KEY"
	baseURLEnv string // "OPENAI_BASE_URL"
}

// openAIVendor is OpenAI's API; an Anthropic adapter would name
// vendor{"Anthropic", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL"}.
var openAIVendor = vendor{name: "OpenAI", keyEnv: EnvOpenAIKey, baseURLEnv: EnvOpenAIBaseURL}

// An httpFailure is what an adapter knows of a request the provider answered
// with an error status, read from the SDK's error.
type httpFailure struct {
	status  int
	header  http.Header // the response's headers, for Retry-After
	code    string      // the provider's error code or type, such as "insufficient_quota"
	message string      // the provider's message: untrusted, clipped here
	// Where the request went and for what, to say what to check.
	baseURL string // "" for the provider's own API
	model   string
	retries int // how often the SDK retried before giving up
}

// defaultThrottleWait is the wait a rate limit names when the provider sent
// no Retry-After.
const defaultThrottleWait = time.Second

// statusError maps a failed response to an [*Error] that says what to do.
func (v vendor) statusError(f httpFailure, cause error) error {
	e := &Error{Provider: v.name, StatusCode: f.status, cause: cause}
	said := strconv.Itoa(f.status)
	if text := http.StatusText(f.status); text != "" {
		said += " " + text
	}
	if f.code != "" {
		said += " " + clip(f.code, 64)
	}
	if f.message != "" {
		said += ": " + clip(f.message, maxProviderMessage)
	}
	where := v.name
	if f.baseURL != "" {
		where = fmt.Sprintf("%s at %s (from %s or Config.BaseURL)", v.name, clip(f.baseURL, 200), v.baseURLEnv)
	}
	switch {
	case f.status == http.StatusUnauthorized:
		e.msg = fmt.Sprintf("provider: %s did not accept the API key (%s): set %s to a valid key", where, said, v.keyEnv)
		if f.baseURL != "" {
			e.msg += fmt.Sprintf(", or %s to the server the key is for", v.baseURLEnv)
		}
	case f.status == http.StatusForbidden:
		e.msg = fmt.Sprintf("provider: %s refused the request (%s): the key in %s may not use model %q here; check its project and permissions, or set %s to a key that may", where, said, v.keyEnv, clip(f.model, 200), v.keyEnv)
	case f.status == http.StatusNotFound:
		e.msg = fmt.Sprintf("provider: %s has no model %q or no such endpoint (%s): check %s and %s", where, clip(f.model, 200), said, EnvModel, v.baseURLEnv)
	case f.status == http.StatusTooManyRequests && strings.Contains(f.code, "quota"):
		// Out of quota: asking again will not help until someone pays.
		e.msg = fmt.Sprintf("provider: %s says the account is out of quota (%s): check the plan and billing of the key in %s", where, said, v.keyEnv)
	case f.status == http.StatusTooManyRequests:
		wait, ok := retryAfterHeader(f.header)
		if !ok {
			wait = defaultThrottleWait
		}
		e.throttle = sampling.Throttled(fmt.Sprintf("%s rate limit (%s)", v.name, said), wait).(*sampling.RefusalError)
		e.msg = fmt.Sprintf("provider: %s is rate limiting (%s)%s; ask again after %v", where, said, retried(f.retries), wait)
	case f.status >= 500 || f.status == http.StatusRequestTimeout || f.status == http.StatusConflict:
		e.msg = fmt.Sprintf("provider: %s failed (%s)%s; try again later", where, said, retried(f.retries))
	case f.status >= 400 && f.status < 500:
		e.msg = fmt.Sprintf("provider: %s rejected the request (%s)", where, said)
	default:
		e.msg = fmt.Sprintf("provider: %s answered %s", where, said)
	}
	return e
}

func retried(n int) string {
	switch n {
	case 0:
		return ""
	case 1:
		return ", also on the one retry"
	}
	return fmt.Sprintf(", also on all %d retries", n)
}

// transportError maps an error that came with no error status: the
// caller's context ending (returned as it is, wrapped, so errors.Is finds
// context.Canceled or DeadlineExceeded), every attempt timing out, the
// server out of reach, or an answer that is too large or not the JSON the
// SDK expects.
func (v vendor) transportError(ctx context.Context, baseURL string, attempt time.Duration, retries int, err error) error {
	where := v.name
	if baseURL != "" {
		where = fmt.Sprintf("%s at %s", v.name, clip(baseURL, 200))
	}
	if ctx.Err() != nil {
		return fmt.Errorf("provider: %s request ended: %w", v.name, context.Cause(ctx))
	}
	e := &Error{Provider: v.name, cause: err}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		e.msg = fmt.Sprintf("provider: %s did not answer within %v (Config.RequestTimeout)%s", where, attempt, retried(retries))
	case errors.Is(err, errResponseTooLarge):
		e.msg = fmt.Sprintf("provider: %s sent an answer larger than %d MiB; it is not read", where, maxResponseBytes>>20)
	case errors.As(err, new(*url.Error)): // what net/http's client returns for a request that got no response
		fix := "check that it runs and that " + v.baseURLEnv + " points at it"
		if baseURL == "" {
			fix = "check the network"
		}
		e.msg = fmt.Sprintf("provider: cannot reach %s (%s)%s: %s", where, clip(err.Error(), maxProviderMessage), retried(retries), fix)
	default:
		e.msg = fmt.Sprintf("provider: %s sent an answer that could not be read (%s)", where, clip(err.Error(), maxProviderMessage))
	}
	return e
}

// maxProviderMessage bounds what of a provider's error message goes into
// an error: enough for any real message, not a megabyte of hostile text.
const maxProviderMessage = 512

// maxRetryAfter bounds a Retry-After read from a response: a peer's number
// is untrusted.
const maxRetryAfter = 24 * time.Hour

// retryAfterHeader reads the wait a response names, from retry-after-ms (which
// OpenAI sends) or Retry-After (seconds, or an HTTP date).
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

// clip bounds s to n bytes on a UTF-8 boundary, and flattens it to one line.
func clip(s string, n int) string {
	if len(s) > n {
		cut := n
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		s = s[:cut] + "…"
	}
	return strings.Join(strings.Fields(s), " ")
}

// What follows bounds each attempt, for both adapters: the SDKs call it as
// middleware (their option.WithMiddleware), around every attempt they make.

// maxResponseBytes bounds a response body: a chat completion is a few
// kilobytes, and a hostile or broken server must not fill the memory.
const maxResponseBytes = 32 << 20

var errResponseTooLarge = fmt.Errorf("response body larger than %d MiB", maxResponseBytes>>20)

// guardAttempts returns the middleware that gives every attempt its own
// timeout (so that a timed-out attempt is retried like a network error: the
// SDKs' own per-attempt timeout ends the whole request instead), bounds the
// response body, counts attempts (see [withAttemptCount]), and stops the
// SDK from waiting out a Retry-After that ends past the caller's deadline,
// so the rate limit comes back at once as a throttle with its wait.
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
		if res.StatusCode == http.StatusTooManyRequests {
			if wait, ok := retryAfterHeader(res.Header); ok {
				if deadline, ok := req.Context().Deadline(); ok && time.Now().Add(wait).After(deadline) {
					res.Header.Set("X-Should-Retry", "false") // both SDKs honour it
				}
			}
		}
		res.Body = &boundedBody{body: res.Body, left: maxResponseBytes, cancel: cancel}
		return res, nil
	}
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
