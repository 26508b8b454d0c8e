package runtime

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash"
	"maps"
	"math"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// mrtrDriver serves a multi round-trip call (protocol 2026-07-28): the
// handler runs from the top on every round trip; asks answered in earlier
// round trips are answered from the request state, and new asks are
// collected as input requests for the client.
//
// An ask is known by a hash of what it asks and how many identical asks came
// before it, not by its order, so samples taken concurrently get the same
// names on every run.
type mrtrDriver struct {
	state *callState
	cfg   *toolConfig
	key   []byte // signs the state

	mu      sync.Mutex
	answers map[string]*mcp.CreateMessageWithToolsResult
	used    map[string]bool
	seen    map[string]int
	pending mcp.InputRequestMap
}

// Prefixes of ask names: asks of the client's model, and answers of the
// server's model kept in the state so that a replay does not pay for them
// again.
const (
	clientAskPrefix = "sample-"
	serverAskPrefix = "server-"
)

func (m *mrtrDriver) CreateMessage(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
	id := m.name(clientAskPrefix, req)
	m.mu.Lock()
	defer m.mu.Unlock()
	if res, ok := m.answers[id]; ok {
		m.used[id] = true
		if reason, refused := refusal(res); refused {
			return nil, &jsonrpc.Error{Code: codeUserRejected, Message: reason}
		}
		return res, nil
	}
	m.pending[id] = req
	return nil, ErrInputRequired
}

// name returns the name of the next ask of req.
func (m *mrtrDriver) name(prefix string, req *mcp.CreateMessageWithToolsParams) string {
	h := askHash(req)
	m.mu.Lock()
	defer m.mu.Unlock()
	n := m.seen[prefix+h]
	m.seen[prefix+h]++
	return prefix + h + "-" + strconv.Itoa(n)
}

// recording wraps the server's model so that its answers are kept in the
// request state: on the next round trip the same asks get the same answers
// without asking again.
func (m *mrtrDriver) recording(server Sampler) Sampler {
	return SamplerFunc(func(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		id := m.name(serverAskPrefix, req)
		m.mu.Lock()
		res, ok := m.answers[id]
		if ok {
			m.used[id] = true
		}
		m.mu.Unlock()
		if ok {
			return res, nil
		}
		res, err := server.CreateMessage(ctx, req)
		if err != nil || res == nil {
			return res, err
		}
		raw, err := json.Marshal(res)
		if err != nil {
			return nil, fmt.Errorf("keeping the server model's answer in the request state: %w", err)
		}
		m.mu.Lock()
		defer m.mu.Unlock()
		m.answers[id], m.used[id] = res, true
		m.state.Answers[id] = raw
		return res, nil
	})
}

// settle checks the run against the state and, while asks are unanswered,
// ends the round trip with them.
func (m *mrtrDriver) settle(name string) (*mcp.CallToolResult, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	// Every answer from earlier round trips must be asked for again: one
	// that is not means the handler asked something else this time, and
	// replaying it can never converge.
	var unused []string
	for id := range m.answers {
		if !m.used[id] {
			unused = append(unused, id)
		}
	}
	if len(unused) > 0 {
		slices.Sort(unused)
		return toolError(fmt.Errorf("%s: the handler asked the model something different when run again (answers %v went unused): a multi round-trip tool must ask the same things given the same input", name, unused), nil), true
	}
	if len(m.pending) == 0 {
		return nil, false
	}
	st := m.state
	st.Pending = slices.Sorted(maps.Keys(m.pending))
	st.Expires = time.Now().Add(cmp.Or(m.cfg.stateTTL, DefaultStateTTL)).Unix()
	state, err := encodeState(st, m.key)
	if err != nil {
		return toolError(fmt.Errorf("%s: %w", name, err), nil), true
	}
	return &mcp.CallToolResult{InputRequests: m.pending, RequestState: state}, true
}

// resume reads the request state and the client's answers of a multi
// round-trip call; on the first round trip it starts a new state.
func resume(req *mcp.CallToolRequest, name string, cfg *toolConfig) (*mrtrDriver, error) {
	m := &mrtrDriver{
		cfg:     cfg,
		answers: map[string]*mcp.CreateMessageWithToolsResult{},
		used:    map[string]bool{},
		seen:    map[string]int{},
		pending: mcp.InputRequestMap{},
	}
	key, err := cfg.stateKeyFor(req)
	if err != nil {
		return nil, err
	}
	m.key = key
	raw := rawArgsHash(req.Params.Arguments)
	now := time.Now()
	if req.Params.RequestState == "" {
		m.state = &callState{Version: stateVersion, Tool: name, Args: argsHash(req.Params.Arguments), RawArgs: raw, Started: now.UnixMilli(), Answers: map[string]json.RawMessage{}}
		return m, nil
	}
	st, err := decodeState(req.Params.RequestState, key, now)
	if err != nil {
		return nil, err
	}
	if st.Tool != name || st.RawArgs != raw && st.Args != argsHash(req.Params.Arguments) {
		return nil, fmt.Errorf("%w: it belongs to another tool call", errBadState)
	}
	for id, raw := range st.Answers {
		var res mcp.CreateMessageWithToolsResult
		if err := json.Unmarshal(raw, &res); err != nil {
			return nil, fmt.Errorf("%w: answer %s: %v", errBadState, id, err)
		}
		m.answers[id] = &res
	}
	if st.Answers == nil {
		st.Answers = map[string]json.RawMessage{}
	}
	for id := range req.Params.InputResponses {
		if !slices.Contains(st.Pending, id) {
			return nil, fmt.Errorf("input response %q answers nothing the last round trip asked", id)
		}
	}
	for _, id := range st.Pending {
		resp, ok := req.Params.InputResponses[id]
		if !ok {
			continue // asked again on this run
		}
		res, err := samplingResult(resp)
		if err != nil {
			return nil, fmt.Errorf("input response %s: %w", id, err)
		}
		raw, err := json.Marshal(res)
		if err != nil {
			return nil, fmt.Errorf("input response %s: %w", id, err)
		}
		st.Answers[id] = raw
		m.answers[id] = res
	}
	m.state = st
	return m, nil
}

func samplingResult(resp mcp.InputResponse) (*mcp.CreateMessageWithToolsResult, error) {
	switch r := resp.(type) {
	case *mcp.CreateMessageWithToolsResult:
		return r, nil
	case *mcp.CreateMessageResult:
		res := &mcp.CreateMessageWithToolsResult{Meta: r.Meta, Model: r.Model, Role: r.Role, StopReason: r.StopReason}
		if r.Content != nil {
			res.Content = []mcp.Content{r.Content}
		}
		return res, nil
	default:
		return nil, fmt.Errorf("expected a sampling result, got %T", resp)
	}
}

// askHash names what req asks: every field that reaches the model, written
// into one hash without encoding the request as JSON (which costs more than
// the rest of a round trip's bookkeeping).
func askHash(req *mcp.CreateMessageWithToolsParams) string {
	h := sha256.New()
	w := hashWriter{h: h}
	w.str(req.SystemPrompt)
	w.str(req.IncludeContext)
	w.num(float64(req.MaxTokens))
	w.num(req.Temperature)
	w.strs(req.StopSequences)
	w.json(req.Meta)
	w.json(req.Metadata)
	if p := req.ModelPreferences; p != nil {
		w.str("prefs")
		for _, hint := range p.Hints {
			if hint != nil {
				w.str(hint.Name)
			}
		}
		w.num(p.CostPriority)
		w.num(p.SpeedPriority)
		w.num(p.IntelligencePriority)
	}
	for _, m := range req.Messages {
		w.str(string(m.Role))
		w.contents(m.Content)
	}
	for _, t := range req.Tools {
		w.str(t.Name)
		w.str(t.Description)
		w.json(t.InputSchema)
	}
	if c := req.ToolChoice; c != nil {
		w.str("choice:" + c.Mode)
	}
	var sum [sha256.Size]byte
	return base64.RawURLEncoding.EncodeToString(h.Sum(sum[:0])[:9])
}

// hashWriter writes values into a hash, each prefixed with its length, so
// that no two different sequences of values write the same bytes.
type hashWriter struct {
	h   hash.Hash
	buf [8]byte
}

func (w *hashWriter) str(s string) {
	binary.LittleEndian.PutUint64(w.buf[:], uint64(len(s)))
	w.h.Write(w.buf[:])
	w.h.Write([]byte(s))
}

func (w *hashWriter) strs(ss []string) {
	w.num(float64(len(ss)))
	for _, s := range ss {
		w.str(s)
	}
}

func (w *hashWriter) num(f float64) {
	binary.LittleEndian.PutUint64(w.buf[:], math.Float64bits(f))
	w.h.Write(w.buf[:])
}

// json writes v as JSON; raw JSON is written as it is.
func (w *hashWriter) json(v any) {
	switch v := v.(type) {
	case nil:
		w.str("")
		return
	case json.RawMessage:
		w.str(string(v))
		return
	case mcp.Meta:
		if len(v) == 0 {
			w.str("")
			return
		}
	}
	b, err := json.Marshal(v)
	if err != nil {
		b = []byte(fmt.Sprintf("%#v", v))
	}
	w.str(string(b))
}

func (w *hashWriter) contents(cs []mcp.Content) {
	w.num(float64(len(cs)))
	for _, c := range cs {
		switch c := c.(type) {
		case *mcp.TextContent:
			w.str("text")
			w.str(c.Text)
		case *mcp.ImageContent:
			w.str("image")
			w.str(c.MIMEType)
			w.str(string(c.Data))
		case *mcp.AudioContent:
			w.str("audio")
			w.str(c.MIMEType)
			w.str(string(c.Data))
		case *mcp.ToolUseContent:
			w.str("tool_use")
			w.str(c.ID)
			w.str(c.Name)
			w.json(c.Input)
		case *mcp.ToolResultContent:
			w.str("tool_result")
			w.str(c.ToolUseID)
			w.str(strconv.FormatBool(c.IsError))
			w.contents(c.Content)
		default:
			w.json(c)
		}
	}
}
