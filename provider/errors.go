package provider

import (
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
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
	// back (a network error, a timeout, an answer that could not be read).
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
	// defaultBaseURL is the provider's own API, for server.address.
	defaultBaseURL string
}

// An endpoint is what an adapter asks and where, as its errors name it.
// Both adapters embed one.
type endpoint struct {
	vendor
	model   string
	baseURL string // "" for the provider's own API
	// keyFrom is where the key sent came from: "Config.APIKey", an
	// environment variable, or "" where none was sent.
	keyFrom string
	attempt time.Duration // each attempt's timeout, Config.RequestTimeout
	tel     telemetryConfig
}

// An httpFailure is what an SDK's error says of an answer with an error
// status.
type httpFailure struct {
	status  int
	header  http.Header // the response's headers, for Retry-After
	code    string      // the provider's error code or type, such as "insufficient_quota"
	message string      // the provider's message: untrusted, clipped here
}

// failed maps err, what the SDK returned for a request of attempts
// attempts, to an error that says what to do; status is what err says of
// an answer with an error status, nil where none came. A request whose
// context ended returns the context's error, wrapped, so errors.Is finds
// context.Canceled or DeadlineExceeded.
func (e endpoint) failed(ctx context.Context, attempts int, err error, status *httpFailure) error {
	retries := max(attempts-1, 0)
	if ctx.Err() != nil {
		return fmt.Errorf("provider: %s request ended: %w", e.name, context.Cause(ctx))
	}
	if status != nil {
		return e.statusError(*status, retries, err)
	}
	return e.transportError(retries, err)
}

// where names the API and, for another server than the provider's own,
// its address.
func (e endpoint) where() string {
	if e.baseURL == "" {
		return e.name
	}
	return fmt.Sprintf("%s at %s", e.name, e.shownURL())
}

// shownURL is the base URL as errors show it: without a password it may
// carry (https://user:pass@host), bounded.
func (e endpoint) shownURL() string {
	if u, err := url.Parse(e.baseURL); err == nil {
		return clip(u.Redacted(), 200)
	}
	return "(a base URL that does not parse)"
}

// statusError maps an answer with an error status.
func (e endpoint) statusError(f httpFailure, retries int, cause error) error {
	out := &Error{Provider: e.name, StatusCode: f.status, cause: cause}
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
	where := e.name
	if e.baseURL != "" {
		where = fmt.Sprintf("%s at %s (from %s or Config.BaseURL)", e.name, e.shownURL(), e.baseURLEnv)
	}
	switch {
	case f.status == http.StatusUnauthorized:
		out.msg = fmt.Sprintf("provider: %s %s (%s): %s", where, e.rejectedKey(), said, e.setKey("a valid key"))
		if e.baseURL != "" {
			out.msg += fmt.Sprintf(", or %s to the server the key is for", e.baseURLEnv)
		}
	case f.status == http.StatusForbidden:
		out.msg = fmt.Sprintf("provider: %s refused the request (%s): the key %s may not use model %q here; check its project and permissions, or %s",
			where, said, e.keyPlace(), clip(e.model, 200), e.setKey("a key that may"))
	case f.status == http.StatusNotFound:
		out.msg = fmt.Sprintf("provider: %s has no model %q or no such endpoint (%s): check %s and %s", where, clip(e.model, 200), said, EnvModel, e.baseURLEnv)
	case f.status == http.StatusTooManyRequests && strings.Contains(f.code, "quota"):
		// Out of quota: asking again will not help until someone pays.
		out.msg = fmt.Sprintf("provider: %s says the account is out of quota (%s): check the plan and billing of the key %s", where, said, e.keyPlace())
	case f.status == http.StatusTooManyRequests:
		wait, ok := retryAfterHeader(f.header)
		if !ok {
			wait = defaultThrottleWait
		}
		// The reason goes to the server that asked: the provider's own
		// words (which name the account) stay in out.msg, for this side.
		out.throttle = sampling.Throttled("the client's model is rate limited", wait).(*sampling.RefusalError)
		out.msg = fmt.Sprintf("provider: %s is rate limiting (%s)%s; ask again after %v", where, said, retried(retries), wait)
	case f.status >= 500 || f.status == http.StatusRequestTimeout || f.status == http.StatusConflict:
		out.msg = fmt.Sprintf("provider: %s failed (%s)%s; try again later", where, said, retried(retries))
	case f.status >= 400 && f.status < 500:
		out.msg = fmt.Sprintf("provider: %s rejected the request (%s)", where, said)
	default:
		out.msg = fmt.Sprintf("provider: %s answered %s", where, said)
	}
	return out
}

// rejectedKey says which key was turned away, or that none was sent.
func (e endpoint) rejectedKey() string {
	if e.keyFrom == "" {
		return "wants an API key and none was sent"
	}
	return "did not accept the API key in " + e.keyFrom
}

// keyPlace says where the key sent came from: "in OPENAI_API_KEY".
func (e endpoint) keyPlace() string {
	return "in " + cmp.Or(e.keyFrom, e.keyEnv)
}

// setKey says what to set to give the adapter another key: the variable
// the key came from, or Config.APIKey, which comes before the variable.
func (e endpoint) setKey(what string) string {
	if e.keyFrom == configAPIKey {
		return fmt.Sprintf("set %s to %s (or leave it empty and set %s)", configAPIKey, what, e.keyEnv)
	}
	return fmt.Sprintf("set %s to %s", cmp.Or(e.keyFrom, e.keyEnv), what)
}

// configAPIKey names Config.APIKey where errors say where a key came from.
const configAPIKey = "Config.APIKey"

func retried(n int) string {
	switch n {
	case 0:
		return ""
	case 1:
		return ", also on the one retry"
	}
	return fmt.Sprintf(", also on all %d retries", n)
}

// transportError maps a failure that came with no error status, each for
// what it is: every attempt timing out, no connection made (the server
// down, a wrong address), https to a server that speaks plain HTTP, a TLS
// handshake that failed otherwise (a certificate not trusted), a
// connection that brought no HTTP answer (closed early, or another
// protocol answering), and an HTTP answer too large or not the JSON the
// API sends.
func (e endpoint) transportError(retries int, err error) error {
	out := &Error{Provider: e.name, cause: err}
	said := clip(err.Error(), maxProviderMessage)
	where := e.where()
	// The fix where the address is the user's: the variable that sets it.
	fixAddress := func(own, other string) string {
		if e.baseURL == "" {
			return own
		}
		return other
	}
	var dnsErr *net.DNSError
	var opErr *net.OpError
	var certErr *tls.CertificateVerificationError
	var recordErr tls.RecordHeaderError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		out.msg = fmt.Sprintf("provider: %s did not answer within %v (Config.RequestTimeout)%s: raise Config.RequestTimeout if answers take longer", where, e.attempt, retried(retries))
	case errors.Is(err, errResponseTooLarge):
		out.msg = fmt.Sprintf("provider: %s sent an answer larger than %d MiB; it is not read", where, maxResponseBytes>>20)
	case errors.As(err, &dnsErr) || (errors.As(err, &opErr) && opErr.Op == "dial"):
		out.msg = fmt.Sprintf("provider: cannot reach %s (%s)%s: %s", where, said, retried(retries),
			fixAddress("check the network", fmt.Sprintf("check that it runs and that %s points at it", e.baseURLEnv)))
	case errors.Is(err, http.ErrSchemeMismatch):
		out.msg = fmt.Sprintf("provider: %s answers plain HTTP to an https request (%s): %s", where, said,
			fixAddress("check the network", fmt.Sprintf("set %s to its http:// address", e.baseURLEnv)))
	case errors.As(err, &recordErr) || errors.As(err, &certErr):
		out.msg = fmt.Sprintf("provider: the TLS handshake with %s failed (%s): %s", where, said,
			fixAddress("check the network and this machine's certificates", fmt.Sprintf("check that %s says http or https as the server speaks, and, for https, that this machine trusts its certificate", e.baseURLEnv)))
	case errors.As(err, new(*url.Error)): // net/http's error for a request that got no response
		out.msg = fmt.Sprintf("provider: %s took the connection but sent no HTTP answer (%s)%s: %s", where, said, retried(retries),
			fixAddress("try again later", fmt.Sprintf("check that %s points at %s's API and not at another service", e.baseURLEnv, e.name)))
	default:
		out.msg = fmt.Sprintf("provider: %s answered with a body that is not %s's JSON (%s): %s", where, e.name, said,
			fixAddress("try again later", fmt.Sprintf("check that %s points at a server that speaks %s's API", e.baseURLEnv, e.name)))
	}
	return out
}

// maxProviderMessage bounds what of a provider's error message goes into
// an error: enough for any real message, not a megabyte of hostile text.
const maxProviderMessage = 512

// clip bounds s to n bytes on a UTF-8 boundary, and flattens it to one line.
func clip(s string, n int) string {
	return strings.Join(strings.Fields(sampling.Clip(s, n)), " ")
}
