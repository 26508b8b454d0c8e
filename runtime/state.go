package runtime

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// The request state of a multi round-trip call carries the conversation
// between round trips, so any replica can take the next one. It is signed
// (HMAC-SHA256) so a client cannot forge answers, bound to the tool and its
// arguments, and it expires.
type callState struct {
	Version int                        `json:"v"`
	Tool    string                     `json:"tool"`
	Args    string                     `json:"args"`    // hash of the arguments, compacted
	Expires int64                      `json:"exp"`     // unix seconds
	Started int64                      `json:"started"` // unix milliseconds, for the report's latency
	Answers map[string]json.RawMessage `json:"answers,omitempty"`
	Pending []string                   `json:"pending"`        // the input requests of the last round trip
	Sent    int64                      `json:"sent,omitempty"` // unix milliseconds: when they went to the client, for their spans
	// Inputs are the estimated input tokens of each ask sent to the
	// client, for the report of an answer that counts none.
	Inputs map[string]int64 `json:"inputs,omitempty"`
	// Call names the call across its round trips, and Round counts them:
	// a process that has taken round n of a call refuses its state of
	// round n or before (see spentStates), and a call may take at most
	// MaxRoundTrips.
	Call  string     `json:"call"`
	Round int        `json:"round,omitempty"`
	Plan  *statePlan `json:"plan,omitempty"`
}

// statePlan is what the first round trip decided of the call's plan.
type statePlan struct {
	Respond        bool `json:"respond,omitempty"`
	ServerFallback bool `json:"serverFallback,omitempty"`
}

const (
	stateVersion = 3
	// DefaultStateTTL is how long a client has to answer a round trip.
	DefaultStateTTL = 10 * time.Minute
	// MaxStateBytes bounds the encoded request state; a conversation that
	// outgrows it fails with a clear error instead of burdening every request.
	MaxStateBytes = 256 << 10
	// MaxRoundTrips bounds the round trips of one multi round-trip call:
	// go-sdk's client gives up after 10 and the TypeScript SDK v2 after 8,
	// so a call that needs more is a tool asking without end.
	MaxRoundTrips = 64
	// StateKeyEnv names the environment variable that holds the state key.
	StateKeyEnv = "SAMPLEGEN_STATE_KEY"
)

var errBadState = errors.New("the request state is not valid")

// errBadInputResponses marks input responses that answer nothing the last
// round trip asked.
var errBadInputResponses = errors.New("the input responses do not answer the last round trip")

func encodeState(st *callState, s *signer) (string, error) {
	payload, err := json.Marshal(st)
	if err != nil {
		return "", err
	}
	// PAYLOAD.MAC, base64url, written in one buffer.
	b64 := base64.RawURLEncoding
	n := b64.EncodedLen(len(payload))
	out := make([]byte, n+1+b64.EncodedLen(sha256.Size))
	b64.Encode(out, payload)
	out[n] = '.'
	s.sign(payload, func(mac []byte) { b64.Encode(out[n+1:], mac) })
	if len(out) > MaxStateBytes {
		return "", fmt.Errorf("the conversation of this call outgrew the request state limit (%d bytes): lower retries or max_tokens", MaxStateBytes)
	}
	return unsafe.String(unsafe.SliceData(out), len(out)), nil // out is not written again
}

func decodeState(s string, sg *signer, now time.Time) (*callState, error) {
	if len(s) > MaxStateBytes {
		return nil, fmt.Errorf("%w: larger than %d bytes", errBadState, MaxStateBytes)
	}
	p, sig, ok := strings.Cut(s, ".")
	if !ok {
		return nil, fmt.Errorf("%w: malformed", errBadState)
	}
	payload, err1 := base64.RawURLEncoding.DecodeString(p)
	mac, err2 := base64.RawURLEncoding.DecodeString(sig)
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("%w: malformed", errBadState)
	}
	valid := false
	sg.sign(payload, func(want []byte) { valid = hmac.Equal(mac, want) })
	if !valid {
		return nil, fmt.Errorf("%w: its signature does not match (it was altered, or signed by a server with another key: replicas must share %s)", errBadState, StateKeyEnv)
	}
	var st callState
	if err := json.Unmarshal(payload, &st); err != nil || st.Version != stateVersion {
		return nil, fmt.Errorf("%w: unknown format", errBadState)
	}
	if now.Unix() > st.Expires {
		return nil, fmt.Errorf("%w: it expired at %s; call the tool again", errBadState, time.Unix(st.Expires, 0).UTC().Format(time.RFC3339))
	}
	return &st, nil
}

// A signer signs request state with one key. Setting up an HMAC costs more
// than signing a small state with it, so each signer keeps its HMACs for
// reuse.
type signer struct {
	key  []byte
	macs sync.Pool
}

func newSigner(key []byte) *signer {
	s := &signer{key: key}
	s.macs.New = func() any { return &pooledMAC{h: hmac.New(sha256.New, s.key)} }
	return s
}

type pooledMAC struct {
	h   hash.Hash
	sum [sha256.Size]byte
}

// sign computes the MAC of payload and hands it to use, which must not
// keep it.
func (s *signer) sign(payload []byte, use func(mac []byte)) {
	m := s.macs.Get().(*pooledMAC)
	defer s.macs.Put(m)
	m.h.Reset()
	m.h.Write(payload)
	use(m.h.Sum(m.sum[:0]))
}

// signers keeps a tool's signer for the key it last used (the key may
// come from the environment, read on each call).
type signers struct{ last atomic.Pointer[signer] }

func (c *signers) forKey(key []byte) *signer {
	if s := c.last.Load(); s != nil && bytes.Equal(s.key, key) {
		return s
	}
	s := newSigner(key)
	c.last.Store(s)
	return s
}

// argsHash binds a state to the arguments it was made for: their bytes
// as sent, with insignificant white space taken out. Clients send the same
// arguments on every round trip of a call; binding to the bytes costs no
// parse (the arguments are already read twice per round trip, to check and
// to decode) and tells apart numbers that float64 cannot (2^53 and 2^53+1).
// A client that re-encodes its arguments with keys in another order is told
// the state belongs to another call.
func argsHash(raw json.RawMessage) string {
	buf := compactBuffers.Get().(*bytes.Buffer)
	defer compactBuffers.Put(buf)
	buf.Reset()
	b := bytes.TrimSpace(raw)
	if json.Compact(buf, b) == nil {
		b = buf.Bytes()
	}
	sum := sha256.Sum256(b)
	return base64.RawURLEncoding.EncodeToString(sum[:16])
}

var compactBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

var (
	processKeyOnce sync.Once
	processKey     []byte
)

// MinStateKeyBytes is the shortest state key accepted: anyone holding a
// state token can try keys offline, so a short one would let a client
// forge the model's answers.
const MinStateKeyBytes = 32

// CheckStateKeyEnv reports a SAMPLEGEN_STATE_KEY too short to sign request
// state. [Serve] calls it before serving; a server run another way gets the
// same error as a tool error on its first multi round-trip call.
func CheckStateKeyEnv() error {
	return checkStateKey([]byte(os.Getenv(StateKeyEnv)), StateKeyEnv)
}

func checkStateKey(key []byte, from string) error {
	if len(key) > 0 && len(key) < MinStateKeyBytes {
		return fmt.Errorf("the state key from %s is %d bytes; it needs at least %d random bytes (for example: head -c 32 /dev/urandom | base64)", from, len(key), MinStateKeyBytes)
	}
	return nil
}

// stateKeyFor is the key that signs the state of req's call: the
// configured key, else the environment's, else a random key made once per
// process. Only a server reached over HTTP, which may have replicas, warns
// about the random key: a stdio server is one process.
func (c *toolConfig) stateKeyFor(req *mcp.CallToolRequest) ([]byte, error) {
	if len(c.stateKey) > 0 {
		return c.stateKey, nil
	}
	if env := os.Getenv(StateKeyEnv); env != "" {
		if err := checkStateKey([]byte(env), StateKeyEnv); err != nil {
			return nil, err
		}
		return []byte(env), nil
	}
	processKeyOnce.Do(func() {
		processKey = make([]byte, 32)
		_, _ = rand.Read(processKey) // never fails (crypto/rand documents it)
	})
	if req != nil && req.Extra != nil && req.Extra.Header != nil {
		randomKeyWarning.Do(func() {
			c.logger.Warn("samplegen: signing multi round-trip state with a random per-process key; replicas behind a load balancer need a shared key in " + StateKeyEnv)
		})
	}
	return processKey, nil
}

var randomKeyWarning sync.Once

// spentStates remembers, for the calls this process has taken a round trip
// of, the last round taken, so that a request state is good for one round
// trip: replayed (to repeat the work it causes, or after a later state) it
// is refused. Replicas remember apart, so behind a load balancer a state
// may still be taken once by each; its expiry bounds the rest. The memory
// is bounded: a call is forgotten once its last state has expired, and
// while maxSpent unexpired calls are remembered a new one is not (and the
// log says so: something is minting states faster than they expire).
var spentStates = &spent{rounds: map[string]spentCall{}}

// maxSpent bounds the calls spentStates remembers.
const maxSpent = 1 << 16

type spent struct {
	mu     sync.Mutex
	rounds map[string]spentCall
	order  []string // calls in the order first remembered, oldest first
	head   int      // where the oldest is, once order is full
	warned time.Time
}

type spentCall struct {
	round   int
	expires int64 // unix seconds: after this no state of the call is good
}

// take records round of call, whose states expire at expires, or reports
// that it was taken already.
func (s *spent) take(call string, round int, expires int64, now time.Time, log *slog.Logger) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.rounds[call]; ok {
		if round <= c.round {
			return false
		}
		s.rounds[call] = spentCall{round, max(expires, c.expires)}
		return true
	}
	if len(s.order) < maxSpent {
		s.order = append(s.order, call)
		s.rounds[call] = spentCall{round, expires}
		return true
	}
	oldest := s.order[s.head]
	if c, ok := s.rounds[oldest]; ok && c.expires >= now.Unix() {
		if now.Sub(s.warned) > time.Minute {
			s.warned = now
			log.Warn(fmt.Sprintf("samplegen: %d multi round-trip calls are under way at once, the most this process remembers; states of further calls may be replayed until they expire", maxSpent))
		}
		return true
	}
	delete(s.rounds, oldest)
	s.order[s.head] = call
	s.head = (s.head + 1) % maxSpent
	s.rounds[call] = spentCall{round, expires}
	return true
}

// newCallID names a new multi round-trip call.
func newCallID() string {
	var b [12]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand documents it)
	return base64.RawURLEncoding.EncodeToString(b[:])
}
