package samplegentest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/replay"
	"github.com/samplegen/samplegen/runtime"
	"github.com/samplegen/samplegen/sampling"
)

// EnvRecord names the environment variable that, set to 1, makes
// [Replay] record its file again against a real model instead of replaying
// it. It needs the build tag [RecordTag] too, which links the model
// adapters into the test binary.
const EnvRecord = "SAMPLEGEN_RECORD"

// RecordTag is the build tag under which [Replay] can record: only then is
// package provider, with the OpenAI and Anthropic SDKs, linked into the
// test binary. Every other test run stays as small and as offline as a
// test of plain Go.
const RecordTag = "samplegen_record"

// liveModel builds the real model to record against; it is set by the
// file built with RecordTag, and nil otherwise.
var liveModel func() (sampling.Sampler, error)

// Replay returns a model that answers from file, a replay file (JSON
// Lines, see package [replay]) of a real model's answers. A request the
// file does not answer fails the test with the replay package's
// explanation: the nearest recorded request and where it differs. (The
// ask fails too, so a [Serve]d call goes on to its fallbacks.)
//
// To record file again against a real model, run the test with
// SAMPLEGEN_RECORD=1, the build tag samplegen_record, and the server-model
// settings of package provider (SAMPLEGEN_PROVIDER, SAMPLEGEN_MODEL, the
// provider's key):
//
//	SAMPLEGEN_RECORD=1 SAMPLEGEN_PROVIDER=openai SAMPLEGEN_MODEL=gpt-4o-mini \
//		go test -tags samplegen_record -run TestSentiment ./sentiment
//
// Then file is rewritten from scratch with the exchanges of this test run,
// in the order the answers came: where several tests replay one file, run
// them all (the -run pattern must match each). Check what the file holds
// before you commit it. The tag keeps package provider and
// both model SDKs out of every other test binary.
func Replay(t testing.TB, file string) runtime.Sampler {
	t.Helper()
	if os.Getenv(EnvRecord) == "1" {
		return recording(t, file)
	}
	p, err := replay.Open(file)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			t.Fatalf("samplegentest: %v: record it against a real model with %s=1 and -tags %s (see Replay)", err, EnvRecord, RecordTag)
		}
		t.Fatalf("samplegentest: %v", err)
	}
	log := &testLog{t: t}
	t.Cleanup(log.close)
	return sampling.SamplerFunc(func(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		res, err := p.CreateMessage(ctx, req)
		if errors.Is(err, replay.ErrNotRecorded) {
			log.errorf("samplegentest: %v", err)
			return nil, reported{err}
		}
		return res, err
	})
}

// recorders holds the recorder of each file this test binary records, so
// that tests sharing a file all write to it, and it is emptied once.
var recorders = struct {
	sync.Mutex
	byPath map[string]*replay.Recorder
}{byPath: map[string]*replay.Recorder{}}

func recording(t testing.TB, file string) runtime.Sampler {
	t.Helper()
	if liveModel == nil {
		t.Fatalf("samplegentest: %s=1, but this test binary was built without -tags %s, which links the real models: run go test -tags %s", EnvRecord, RecordTag, RecordTag)
	}
	live, err := liveModel()
	if err != nil {
		t.Fatalf("samplegentest: recording %s: %v", file, err)
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		t.Fatalf("samplegentest: recording %s: %v", file, err)
	}
	recorders.Lock()
	rec := recorders.byPath[abs]
	if rec == nil {
		rec, err = newRecording(abs)
		if err != nil {
			recorders.Unlock()
			t.Fatalf("samplegentest: recording %s: %v", file, err)
		}
		recorders.byPath[abs] = rec
	}
	recorders.Unlock()
	t.Cleanup(func() {
		if err := rec.Err(); err != nil {
			t.Errorf("samplegentest: recording %s: %v", file, err)
		}
	})
	t.Logf("samplegentest: recording %s against the real model", file)
	return rec.Wrap(live)
}

// newRecording empties path and opens it for recording. The recorder is
// never closed: it writes each exchange whole as it comes, and the file
// closes with the test binary.
func newRecording(path string) (*replay.Recorder, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("emptying the old recording: %w", err)
	}
	return replay.Record(path)
}

// reported is an error the test has already failed with, so that a
// [Serve]d client does not fail it twice.
type reported struct{ error }

func (r reported) Unwrap() error { return r.error }
