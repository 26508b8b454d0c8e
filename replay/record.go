package replay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/sampling"
)

// A Recorder writes the exchanges of the samplers it wraps to a replay
// file, one line each. It is safe for concurrent use: each exchange is
// written whole, in one write, so lines never interleave.
type Recorder struct {
	name string

	mu       sync.Mutex
	w        io.Writer
	file     *os.File // the file Record opened; nil for NewRecorder
	closed   bool
	err      error // the first exchange that could not be written
	recorded int
}

// Record opens the replay file at path for appending, creating it (readable
// by its owner only: prompts may be private) if it does not exist. A file
// whose last line is cut short, as a recorder killed mid-write leaves it,
// is refused with [ErrCutShort]: what is appended would join that line.
func Record(path string) (*Recorder, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	if err := checkEnd(f, path); err != nil {
		f.Close()
		return nil, err
	}
	return &Recorder{name: path, w: f, file: f}, nil
}

// checkEnd refuses a file that does not end with a newline.
func checkEnd(f *os.File, path string) error {
	info, err := f.Stat()
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	if info.Size() == 0 {
		return nil
	}
	last := make([]byte, 1)
	if _, err := f.ReadAt(last, info.Size()-1); err != nil {
		return fmt.Errorf("replay: reading the end of %s: %w", path, err)
	}
	if last[0] != '\n' {
		return fmt.Errorf("%w (%w): %s ends without a newline, as a recorder stopped mid-write leaves it: delete its last line, then record again", ErrCutShort, ErrMalformed, path)
	}
	return nil
}

// NewRecorder returns a Recorder that writes to w; name is how errors name
// it. Each exchange is one Write call of one whole line.
func NewRecorder(w io.Writer, name string) *Recorder {
	return &Recorder{name: name, w: w}
}

// Wrap returns a Sampler that asks next and records each exchange: the
// request and the result, or the error. An exchange is not recorded when
// the caller's context ended before next answered, since the error is then
// the caller's and not the model's.
//
// Answers are passed on even when they cannot be written (the model was
// paid for); [Recorder.Err] and [Recorder.Close] report the first that
// could not.
func (r *Recorder) Wrap(next sampling.Sampler) sampling.Sampler {
	return sampling.SamplerFunc(func(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		// Encoded before next sees it: the request as it was sent.
		reqJSON, encErr := requestJSON(req)
		res, err := next.CreateMessage(ctx, req)
		if err != nil && ctx.Err() != nil {
			return res, err
		}
		if err == nil && res == nil {
			r.fail(errors.New("the sampler returned neither a result nor an error"))
			return res, err
		}
		if encErr != nil {
			r.fail(fmt.Errorf("encoding the request: %w", encErr))
			return res, err
		}
		x := exchange{Version: formatVersion, Request: reqJSON}
		if err != nil {
			x.Error = errorOf(err)
		} else if x.Result, encErr = resultJSON(res); encErr != nil {
			r.fail(fmt.Errorf("encoding the result: %w", encErr))
			return res, err
		}
		r.write(&x)
		return res, err
	})
}

func (r *Recorder) write(x *exchange) {
	line, err := json.Marshal(x)
	if err != nil {
		r.fail(fmt.Errorf("encoding the exchange: %w", err))
		return
	}
	line = append(line, '\n')
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		r.failLocked(errors.New("the recorder was closed"))
		return
	}
	n, err := r.w.Write(line)
	if err == nil && n < len(line) {
		err = io.ErrShortWrite
	}
	if err != nil {
		r.failLocked(err)
		return
	}
	r.recorded++
}

func (r *Recorder) fail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failLocked(err)
}

func (r *Recorder) failLocked(err error) {
	if r.err == nil {
		r.err = fmt.Errorf("replay: an exchange was not recorded to %s: %w", r.name, err)
	}
}

// Recorded is how many exchanges have been written.
func (r *Recorder) Recorded() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.recorded
}

// Err returns the first failure to record an exchange, or nil.
func (r *Recorder) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

// Close closes the file [Record] opened (a writer given to [NewRecorder]
// stays open) and returns the first failure to record an exchange, if any.
// Exchanges that end after Close are passed on but not recorded, and
// reported by Err.
func (r *Recorder) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return r.err
	}
	r.closed = true
	if r.file != nil {
		if err := r.file.Close(); err != nil && r.err == nil {
			r.err = fmt.Errorf("replay: closing %s: %w", r.name, err)
		}
	}
	return r.err
}
