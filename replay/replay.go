package replay

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/sampling"
)

// ErrNotRecorded is what a [Replayer] returns, as a [*MissError], for a
// request its file holds no answer for.
var ErrNotRecorded = errors.New("replay: the sampling request was not recorded")

// ErrMalformed is what [Open] and [Read] return for a file that is not a
// replay file, or holds a line that is not an exchange. The error names the
// file and the line.
var ErrMalformed = errors.New("replay: malformed replay file")

// ErrCutShort is what [Open] and [Read] return for a file whose last line
// stops mid-exchange, as a recorder killed while writing leaves it, and
// what [Record] returns for such a file. It matches [ErrMalformed] too.
var ErrCutShort = errors.New("replay: the file's last line is cut short")

// MaxLineBytes bounds one line of a replay file: an exchange with a few
// images in it fits, and a file that is not a replay file is refused
// without being read whole into memory.
const MaxLineBytes = 32 << 20

// A Replayer answers sampling requests from a replay file: each request
// with the next answer recorded for the same request, in the order
// recorded. It is safe for concurrent use.
type Replayer struct {
	file string

	mu    sync.Mutex
	byKey map[key]*queue
	used  int

	// recorded lists each distinct request once, in the order of its first
	// line, for the search for the nearest one on a miss.
	recorded []recordedRequest
	total    int
}

// A queue is the exchanges recorded for one request, how many of them
// have been replayed (next, never past the end), and how many times the
// request has been asked (which goes on past the end, for a miss to count).
type queue struct {
	exchanges []recordedExchange
	next      int
	asked     int
}

type recordedExchange struct {
	line int
	x    *exchange
}

type recordedRequest struct {
	line int
	form []byte // the request's canonical form
}

// Open reads the replay file at path.
func Open(path string) (*Replayer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("replay: %w (record it first: see package replay)", err)
	}
	defer f.Close()
	return Read(f, path)
}

// Read reads a replay file from r; name is how errors name it. Reading
// costs time and memory in proportion to the file's size.
func Read(r io.Reader, name string) (*Replayer, error) {
	p := &Replayer{file: name, byKey: make(map[key]*queue)}
	br := bufio.NewReaderSize(r, 64<<10)
	for n := 1; ; n++ {
		line, complete, err := readLine(br)
		if err == errLineTooLong {
			return nil, fmt.Errorf("%w: %s:%d: the line is longer than %d MiB: not a replay file?", ErrMalformed, name, n, MaxLineBytes>>20)
		}
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("replay: reading %s: %w", name, err)
		}
		if len(bytes.TrimSpace(line)) > 0 {
			if perr := p.add(n, line); perr != nil {
				if !complete && !json.Valid(line) {
					return nil, fmt.Errorf("%w (%w): %s:%d stops after %d bytes with no newline, as a recorder stopped mid-write leaves it: delete that line and record its exchange again", ErrCutShort, ErrMalformed, name, n, len(line))
				}
				return nil, fmt.Errorf("%w: %s:%d: %s", ErrMalformed, name, n, sampling.Clip(perr.Error(), 300))
			}
		}
		if err == io.EOF {
			return p, nil
		}
	}
}

var errLineTooLong = errors.New("line too long")

// readLine reads one line without its newline; complete says whether the
// newline was there. At the end of the input it returns io.EOF with the
// last bytes, if any.
func readLine(br *bufio.Reader) (line []byte, complete bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if len(line)+len(chunk) > MaxLineBytes+1 {
			return nil, false, errLineTooLong
		}
		line = append(line, chunk...)
		switch err {
		case bufio.ErrBufferFull:
			continue
		case nil:
			line = bytes.TrimSuffix(line[:len(line)-1], []byte("\r"))
			return line, true, nil
		}
		return line, false, err
	}
}

// add takes the exchange on line n.
func (p *Replayer) add(n int, line []byte) error {
	x, req, err := decodeExchange(line)
	if err != nil {
		return err
	}
	form, k, err := canonical(req)
	if err != nil {
		return fmt.Errorf("its request cannot be read: %w", err)
	}
	q := p.byKey[k]
	if q == nil {
		q = &queue{}
		p.byKey[k] = q
		p.recorded = append(p.recorded, recordedRequest{line: n, form: form})
	}
	// The request's text is no longer needed: the key stands for it, and
	// the canonical form for the search on a miss.
	x.Request = nil
	q.exchanges = append(q.exchanges, recordedExchange{line: n, x: x})
	p.total++
	return nil
}

// CreateMessage answers req with the next answer recorded for it: a copy
// of the recorded result, or the recorded error (a refusal as a
// [sampling.RefusalError]). A request the file does not hold, or holds
// fewer times than it has been asked, fails with a [*MissError].
func (p *Replayer) CreateMessage(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	form, k, err := canonical(req)
	if err != nil {
		return nil, fmt.Errorf("replay: the sampling request cannot be read: %w", err)
	}
	p.mu.Lock()
	q := p.byKey[k]
	if q != nil {
		q.asked++
	}
	if q == nil || q.next >= len(q.exchanges) {
		miss := &MissError{File: p.file}
		if q != nil {
			miss.Times, miss.Recorded = q.asked, len(q.exchanges)
			for _, e := range q.exchanges {
				miss.Lines = append(miss.Lines, e.line)
			}
		}
		p.mu.Unlock()
		if q == nil {
			miss.Times = 1
			p.nearest(form, miss)
		}
		return nil, miss
	}
	e := q.exchanges[q.next]
	q.next++
	p.used++
	p.mu.Unlock()

	if e.x.Error != nil {
		return nil, e.x.Error.asError()
	}
	res, err := decodeResult(e.x.Result)
	if err != nil {
		return nil, fmt.Errorf("replay: %s:%d: %w", p.file, e.line, err)
	}
	return res, nil
}

// Remaining is how many recorded exchanges have not been replayed: after a
// test's run, anything but 0 means the tool asked less than when it was
// recorded.
func (p *Replayer) Remaining() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.total - p.used
}

// nearest fills in miss the recorded request closest to the form asked:
// the one with the fewest values that differ, a text that differs in a
// little of its length counting for little (see distance). It costs time in proportion
// to the size of the requests recorded.
func (p *Replayer) nearest(form []byte, miss *MissError) {
	miss.Distinct = len(p.recorded)
	if len(p.recorded) == 0 {
		return
	}
	askedLeaves := leaves(form)
	var (
		best     []difference
		bestDist float64
	)
	for _, r := range p.recorded {
		diffs := differences(askedLeaves, leaves(r.form))
		if d := distance(diffs); miss.NearestLine == 0 || d < bestDist {
			miss.NearestLine, best, bestDist = r.line, diffs, d
		}
	}
	miss.Diff = describe(best)
}

// A MissError is a request that the replay file cannot answer. Its text
// says what to do.
type MissError struct {
	// File names the replay file.
	File string
	// Times is how many times the request has been asked, this time
	// included.
	Times int
	// Recorded is how many answers to it the file holds (fewer than Times),
	// and Lines their lines.
	Recorded int
	Lines    []int
	// For a request never recorded: Distinct is how many different
	// requests the file holds, NearestLine the line of the one closest to
	// it, and Diff the first few places where that one differs, each side
	// clipped.
	Distinct    int
	NearestLine int
	Diff        []string
}

// Is makes a MissError match [ErrNotRecorded].
func (e *MissError) Is(target error) bool { return target == ErrNotRecorded }

func (e *MissError) Error() string {
	var b strings.Builder
	switch {
	case e.Recorded > 0:
		fmt.Fprintf(&b, "replay: %s records this sampling request %d time(s) (line %s) and it was asked a %s time: a model asked the same again may answer differently, so that answer must be recorded too",
			e.File, e.Recorded, lineList(e.Lines), ordinal(e.Times))
	case e.Distinct == 0:
		fmt.Fprintf(&b, "replay: %s records no exchanges, so it has no answer for this sampling request", e.File)
	default:
		fmt.Fprintf(&b, "replay: %s has no answer for this sampling request; the nearest of its %d recorded requests, line %d, differs at %s",
			e.File, e.Distinct, e.NearestLine, strings.Join(e.Diff, "; "))
	}
	fmt.Fprintf(&b, ". Record it again against a real model, with its answers written to %s (samplegen call -record %s ..., or replay.Record in a test), or delete the lines that no longer match", e.File, e.File)
	return b.String()
}
