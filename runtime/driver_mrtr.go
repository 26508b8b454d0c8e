package runtime

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
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
	state  *callState
	cfg    *toolConfig
	signer *signer

	mu      sync.Mutex
	answers map[string]*mcp.CreateMessageWithToolsResult
	used    map[string]bool
	seen    map[string]int
	pending mcp.InputRequestMap
	// fresh lists the answers the client sent with this round trip: they
	// go into the state only if the call goes back to the client again.
	fresh []string
}

// Prefixes of ask names: asks of the client's model, and answers of the
// server's model kept in the state so that a replay does not pay for them
// again.
const (
	clientAskPrefix = "sample-"
	serverAskPrefix = "server-"
)

func (m *mrtrDriver) CreateMessage(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
	id, ok := ctx.Value(askIDKey{}).(string)
	if !ok {
		// Not a SampleX call (a function tool asking its Sampler itself, or
		// middleware that dropped the context): the request names the ask.
		id = m.name(clientAskPrefix, req)
	}
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

// askIDKey carries, from a SampleX call to the driver, the name of its ask.
type askIDKey struct{}

func withAskID(ctx context.Context, id string) context.Context {
	if id == "" {
		return ctx
	}
	return context.WithValue(ctx, askIDKey{}, id)
}

// answered returns the answer an earlier round trip gave to ask id, if any;
// a nil driver has none.
func (m *mrtrDriver) answered(id string) (*mcp.CreateMessageWithToolsResult, bool) {
	if m == nil || id == "" {
		return nil, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	res, ok := m.answers[id]
	if ok {
		m.used[id] = true
	}
	return res, ok
}

// sampleKey names one SampleX call of a multi round-trip call: what it is
// (the tool, its input, its parameters, how it is answered) and how many
// identical ones came before it in this run. Its asks are this name and
// their round.
func (m *mrtrDriver) sampleKey(tool string, in any, params Params, mode string) string {
	b, err := json.Marshal(in)
	if err != nil {
		return "" // the asks will be named by their requests
	}
	w := hashBuffers.Get().(*hashWriter)
	defer hashBuffers.Put(w)
	w.b = w.b[:0]
	w.str(tool)
	w.str(mode)
	w.str(string(b))
	w.params(params)
	sum := sha256.Sum256(w.b)
	return m.next(clientAskPrefix, base64.RawURLEncoding.EncodeToString(sum[:9]))
}

// name returns the name of the next ask of req.
func (m *mrtrDriver) name(prefix string, req *mcp.CreateMessageWithToolsParams) string {
	return m.next(prefix, askHash(req))
}

// next returns prefix and h, numbered by how many times they came before.
func (m *mrtrDriver) next(prefix, h string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := prefix + h
	n := m.seen[k]
	m.seen[k]++
	return k + "-" + strconv.Itoa(n)
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
	for _, id := range m.fresh {
		raw, err := json.Marshal(m.answers[id])
		if err != nil {
			return toolError(fmt.Errorf("%s: keeping answer %s in the request state: %w", name, id, err), nil), true
		}
		st.Answers[id] = raw
	}
	st.Pending = slices.Sorted(maps.Keys(m.pending))
	st.Expires = time.Now().Add(cmp.Or(m.cfg.stateTTL, DefaultStateTTL)).Unix()
	state, err := encodeState(st, m.signer)
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
	m.signer = cfg.signers.forKey(key)
	raw := rawArgsHash(req.Params.Arguments)
	now := time.Now()
	if req.Params.RequestState == "" {
		m.state = &callState{Version: stateVersion, Tool: name, Args: argsHash(req.Params.Arguments), RawArgs: raw, Started: now.UnixMilli(), Answers: map[string]json.RawMessage{}}
		return m, nil
	}
	st, err := decodeState(req.Params.RequestState, m.signer, now)
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
		m.answers[id] = res
		m.fresh = append(m.fresh, id)
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
	w := hashBuffers.Get().(*hashWriter)
	defer hashBuffers.Put(w)
	w.b = w.b[:0]
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
	sum := sha256.Sum256(w.b)
	return base64.RawURLEncoding.EncodeToString(sum[:9])
}

// hashWriter lays values out for a hash, each prefixed with its length, so
// that no two different sequences of values give the same bytes.
type hashWriter struct{ b []byte }

var hashBuffers = sync.Pool{New: func() any { return new(hashWriter) }}

func (w *hashWriter) str(s string) {
	w.b = binary.LittleEndian.AppendUint64(w.b, uint64(len(s)))
	w.b = append(w.b, s...)
}

func (w *hashWriter) strs(ss []string) {
	w.num(float64(len(ss)))
	for _, s := range ss {
		w.str(s)
	}
}

func (w *hashWriter) params(p Params) {
	w.num(float64(p.maxTokens()))
	w.num(float64(p.TruncatedMaxTokens))
	if p.Temperature != nil {
		w.str("t")
		w.num(*p.Temperature)
	}
	w.strs(p.StopSequences)
	w.strs(p.ModelHints)
	for _, f := range []*float64{p.CostPriority, p.SpeedPriority, p.IntelligencePriority} {
		if f != nil {
			w.num(*f)
		} else {
			w.str("-")
		}
	}
	w.json(p.Metadata)
}

func (w *hashWriter) num(f float64) {
	w.b = binary.LittleEndian.AppendUint64(w.b, math.Float64bits(f))
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
		if len(v) == 1 { // the usual case: the zero-temperature mark
			for k, x := range v {
				switch x := x.(type) {
				case int:
					w.str(k)
					w.num(float64(x))
					return
				case float64:
					w.str(k)
					w.num(x)
					return
				}
			}
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
