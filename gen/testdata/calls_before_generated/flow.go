package app

import (
	"context"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
)

// Escalate decides whether a message goes to a person: a function tool
// that calls SampleClassify, which does not exist before go generate.
//
//samplegen:tool escalate
func Escalate(ctx context.Context, s runtime.Sampler, in Classify) (Decision, error) {
	c, err := SampleClassify(ctx, s, in)
	if err != nil {
		return Decision{}, err
	}
	return Decision{Person: !c.Spam}, nil
}

// Decision is the function tool's output.
type Decision struct {
	Person bool `json:"person"`
}

// Describe lists the function tool, generated too.
func Describe() *mcp.Tool { return EscalateTool() }
