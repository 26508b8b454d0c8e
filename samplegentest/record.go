//go:build samplegen_record

package samplegentest

import (
	"fmt"

	"github.com/samplegen/samplegen/provider"
	"github.com/samplegen/samplegen/sampling"
)

// Built only with the tag RecordTag: the real model to record against,
// from the same settings as a server's own model.
func init() {
	liveModel = func() (sampling.Sampler, error) {
		c, ok, err := provider.FromEnv()
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("no model to record against: set %s and %s (and the provider's key)", provider.EnvProvider, provider.EnvModel)
		}
		return provider.New(c)
	}
}
