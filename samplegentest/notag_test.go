//go:build !samplegen_record

package samplegentest_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/samplegen/samplegen/samplegentest"
)

// Without the build tag, the test binary has no real model: asked to
// record, Replay says to build with the tag, and leaves the file alone.
func TestRecordWithoutTheTagSaysSo(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sentiment.jsonl")
	record(t, file, "I love it", samplegentest.Answers(right))
	before, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(samplegentest.EnvRecord, "1")
	rec := &recorder{TB: t}
	rec.run(func() { samplegentest.Replay(rec, file) })
	if !rec.failed || !strings.Contains(rec.msg, "go test -tags "+samplegentest.RecordTag) {
		t.Errorf("failure %q, want the tag to build with", rec.msg)
	}
	if after, err := os.ReadFile(file); err != nil || string(after) != string(before) {
		t.Errorf("the recording changed: %v", err)
	}
}
