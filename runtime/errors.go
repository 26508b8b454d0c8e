package runtime

import (
	"errors"
	"fmt"

	"github.com/samplegen/samplegen/sampling"
)

// ErrCannotSample means the calling client cannot be asked to sample (it
// did not declare the capability, or on a stateless older-protocol session
// nothing is known of it) and the server has no model of its own
// ([WithServerSampler]).
var ErrCannotSample = errors.New("the client cannot sample and the server has no model of its own")

// ErrRefused means the client declined to sample, as the spec lets a user
// do (JSON-RPC error code -1). The runtime does not re-ask a refusal; it
// goes to the fallbacks, but for a throttle ([sampling.Throttled]), which
// it asks again once the wait is over, where the call's deadline allows.
// It is [sampling.ErrRefused].
var ErrRefused = sampling.ErrRefused

// ErrInputRequired is returned by a session's Sampler on a multi round-trip
// call when the answer must first come from the client. Return it (wrapped
// or not) from a function tool; the runtime turns it into input requests
// and calls the function again, from the top, when the answers arrive.
var ErrInputRequired = errors.New("samplegen: the answer must come from the client in another round trip")

// A SampleError is a call that got no valid value from the model, nor from
// the fallbacks.
type SampleError struct {
	Tool   string
	Rounds int   // answers received; 0 when the model could not be asked
	Err    error // the last problem
}

func (e *SampleError) Error() string {
	switch {
	case errors.Is(e.Err, ErrCannotSample):
		return fmt.Sprintf("%s: %v", e.Tool, e.Err)
	case e.Rounds == 0:
		return fmt.Sprintf("%s: no answer from the model: %v (give the server a model of its own with WithServerSampler, a Fallback method or output defaults to answer anyway)", e.Tool, e.Err)
	default:
		return fmt.Sprintf("%s: no valid answer after %d round(s): %v (raise retries, clarify the prompt, or add a Fallback method or output defaults)", e.Tool, e.Rounds, e.Err)
	}
}

func (e *SampleError) Unwrap() error { return e.Err }
