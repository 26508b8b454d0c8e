//go:build samplegen_record

package samplegentest

import (
	"strings"
	"testing"
)

// Under the tag the real model comes from the provider settings, and
// without them recording says which to set.
func TestRecordTagReadsTheProviderSettings(t *testing.T) {
	t.Setenv("SAMPLEGEN_PROVIDER", "")
	t.Setenv("SAMPLEGEN_MODEL", "")
	if _, err := liveModel(); err == nil || !strings.Contains(err.Error(), "SAMPLEGEN_PROVIDER") {
		t.Errorf("no provider set: %v, want SAMPLEGEN_PROVIDER named", err)
	}
	t.Setenv("SAMPLEGEN_PROVIDER", "ollama")
	t.Setenv("SAMPLEGEN_MODEL", "llama3.2")
	if m, err := liveModel(); err != nil || m == nil {
		t.Errorf("ollama llama3.2: %v, want a model", err)
	}
}
