package runtime

import (
	"errors"
	"fmt"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// ErrCannotSample means the calling client cannot be asked to sample (it
// did not declare the capability, or on a stateless older-protocol session
// nothing is known of it) and the server has no model of its own
// ([WithServerSampler]).
var ErrCannotSample = errors.New("the client cannot sample and the server has no model of its own")

// ErrRefused means the client declined to sample, as the spec lets a user
// do (JSON-RPC error code -1). The runtime does not re-ask a refusal; it
// goes to the fallbacks.
var ErrRefused = errors.New("the client refused the sampling request")

// codeUserRejected is the JSON-RPC error code the MCP specification gives
// for a user who rejected a sampling request.
const codeUserRejected = -1

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

// RefusedMetaKey marks a sampling result that stands for a refusal. On
// multi round-trip calls (protocol 2026-07-28) a client answers an input
// request with a result, never an error, so a refusal travels as an empty
// result whose _meta holds this key, its value the reason. The runtime reads
// it as it reads error -1 on a pushed request: both eras end a refusal the
// same way (the server's model, the Fallback hook or the defaults). A
// client whose handler returns an error instead makes go-sdk's client abort
// the whole call, and the server never hears of it. [SamplingHandler]
// answers a refusal in the form each era needs.
const RefusedMetaKey = "io.samplegen/refused"

// RefusalResult is the sampling result that stands for a refusal on multi
// round-trip calls; see [RefusedMetaKey].
func RefusalResult(reason string) *mcp.CreateMessageWithToolsResult {
	return &mcp.CreateMessageWithToolsResult{
		Meta:       mcp.Meta{RefusedMetaKey: reason},
		Role:       "assistant",
		Content:    []mcp.Content{&mcp.TextContent{Text: ""}},
		StopReason: "refused",
	}
}

// refusal reports whether res stands for a refusal, and its reason.
func refusal(res *mcp.CreateMessageWithToolsResult) (string, bool) {
	v, ok := res.Meta[RefusedMetaKey]
	if !ok {
		return "", false
	}
	reason, _ := v.(string)
	if reason == "" {
		reason = "the user declined"
	}
	return reason, true
}
