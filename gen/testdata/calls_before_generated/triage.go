// Package app is a samplegen test case: its code calls what samplegen is
// about to generate, so it does not compile before go generate, and a stale
// generated file that no longer compiles is in the way.
package app

import (
	"context"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
)

// Classify classifies a message.
//
//samplegen:tool classify
//samplegen:prompt const=classifyPrompt
//samplegen:output Class
type Classify struct {
	Message string `json:"message"`
}

const classifyPrompt = `Classify: {{fence .Message}}`

// Class is the answer.
type Class struct {
	Spam bool `json:"spam"`
}

// NewServer serves the package's tools.
func NewServer() *mcp.Server {
	srv := mcp.NewServer(&mcp.Implementation{Name: "app", Version: "v0.0.1"}, nil)
	AddTools(srv)
	return srv
}

// IsSpam asks s whether msg is spam.
func IsSpam(ctx context.Context, s runtime.Sampler, msg string) (bool, error) {
	c, err := SampleClassify(ctx, s, Classify{Message: msg})
	if err != nil {
		return false, err
	}
	return c.Spam, nil
}
