package host

import (
	"context"
	"errors"
	"fmt"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/sampling"
)

// An Approver decides whether the host samples a request, as the spec
// expects a person can: it may show the request (req.Server.Name says who
// asks) and wait for an answer, for as long as ctx lets it. It returns true
// to approve; false refuses the request as declined; an error refuses it as
// not approved, the cause kept for the host (see [Approve]).
type Approver func(ctx context.Context, req *Request) (bool, error)

// DenyAll is the Approver that approves nothing.
var DenyAll Approver = func(context.Context, *Request) (bool, error) { return false, nil }

// Approve asks approve about every request and samples only those it
// approves. It denies by default: anything but an explicit true refuses
// the request with [sampling.Refused], so the server hears a refusal (and
// goes to its fallbacks) rather than a failure. A false is "the user
// declined"; an error that is itself a refusal (sampling.Refused(reason))
// goes to the server as it is; any other error (the prompt could not be
// shown, the person's own time ran out) refuses with "the host could not
// get approval", while the error returned in this process wraps the cause
// too, for the host's logs ([Log]). Where the request's own context ends
// while a person is asked, the handler ends the request with the
// context's error instead: the server has cancelled it.
func Approve(approve Approver) Middleware {
	if approve == nil {
		panic("host: Approve(nil): give an Approver, or host.DenyAll")
	}
	return func(next sampling.Sampler) sampling.Sampler {
		return sampling.SamplerFunc(func(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
			r := newRequest(ctx, req)
			ok, err := approve(ctx, r)
			switch {
			case errors.Is(err, sampling.ErrRefused):
				return nil, err
			case err != nil:
				return nil, hookFailed("approval", r.Server.Name, err, "the host could not get approval")
			case !ok:
				return nil, sampling.Refused("the user declined")
			}
			return next.CreateMessage(ctx, req)
		})
	}
}

// hookFailed is the refusal for a hook that failed. The server reads only
// reason (what go on the wire is the [sampling.RefusalError] alone); in
// this process the error also says which hook failed for which server, and
// wraps the cause.
func hookFailed(hook, server string, cause error, reason string) error {
	return &hookError{hook: hook, server: clip(server), cause: cause, refusal: &sampling.RefusalError{Reason: reason}}
}

type hookError struct {
	hook, server string
	cause        error
	refusal      *sampling.RefusalError
}

func (e *hookError) Error() string {
	return fmt.Sprintf("host: the %s hook for server %q failed, so the request is refused (%s): %v", e.hook, e.server, e.refusal.Reason, e.cause)
}

func (e *hookError) Unwrap() []error { return []error{e.refusal, e.cause} }
