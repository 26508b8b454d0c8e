package runtime

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"iter"
	"maps"
	"math"
	"slices"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/internal/telemetry"
	"github.com/samplegen/samplegen/sampling"
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
	answers smallMap[answerSlot] // the answers so far, by ask name
	seen    smallMap[int]        // how many times each name was asked this run
	repeats smallMap[int]        // further uses of one ask's context; see useOf
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
	base, named := ctx.Value(askIDKey{}).(string)
	var id string
	if !named {
		// Not a SampleX call (a function tool asking its Sampler itself, or
		// middleware that dropped the context): the request names the ask.
		id = m.name(clientAskPrefix, req)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if named {
		id = m.useOf(base)
	}
	if res, fresh, ok := m.use(id); ok {
		if fresh {
			m.traceAnswer(ctx, id, chatRequest(req), req, res)
		}
		if r, refused := sampling.RefusalOf(res); refused {
			return nil, r
		}
		return res, nil
	}
	if m.pending == nil {
		m.pending = mcp.InputRequestMap{}
	}
	m.pending[id] = withTraceContext(ctx, req)
	return nil, ErrInputRequired
}

// An answerSlot is an answer from an earlier round trip and whether this
// run asked for it again; fresh says this round trip brought it.
type answerSlot struct {
	res   *mcp.CreateMessageWithToolsResult
	used  bool
	fresh bool
}

// keep holds an answer for the asks of this run; fresh says this round
// trip brought it.
func (m *mrtrDriver) keep(id string, res *mcp.CreateMessageWithToolsResult, used, fresh bool) {
	m.answers.set(id, answerSlot{res: res, used: used, fresh: fresh})
}

// use returns the answer to ask id, unless this run has had it already, and
// marks it had; fresh says this round trip brought it. m.mu is held.
func (m *mrtrDriver) use(id string) (res *mcp.CreateMessageWithToolsResult, fresh, ok bool) {
	i := m.answers.find(id)
	if i < 0 || m.answers.vals[i].used {
		return nil, false, false
	}
	m.answers.vals[i].used = true
	return m.answers.vals[i].res, m.answers.vals[i].fresh, true
}

// useOf names one use of the ask base in this run: the first is base
// itself; Sampler middleware that asks more than once with the context of
// one ask (a moderation check before the real request, say) gets base.1,
// base.2, ... for the others, each answered in its own right. m.mu is held.
func (m *mrtrDriver) useOf(base string) string {
	a, answered := m.answers.get(base)
	_, asked := m.pending[base]
	if !(answered && a.used) && !asked {
		return base
	}
	n, _ := m.repeats.get(base)
	m.repeats.set(base, n+1)
	return base + "." + strconv.Itoa(n+1)
}

// askIDKey carries, from a SampleX call to the driver, the name of its ask.
type askIDKey struct{}

func withAskID(ctx context.Context, id string) context.Context {
	if id == "" {
		return ctx
	}
	return context.WithValue(ctx, askIDKey{}, id)
}

// answered returns the answer an earlier round trip gave to the first use
// of ask id, if this run has not had it yet; a nil driver has none. fresh
// says this round trip brought it.
func (m *mrtrDriver) answered(id []byte) (res *mcp.CreateMessageWithToolsResult, fresh, ok bool) {
	if m == nil || len(id) == 0 {
		return nil, false, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.use(string(id))
}

// inputEstimate is the estimated input tokens of ask id, made when it was
// sent to the client.
func (m *mrtrDriver) inputEstimate(id []byte) (int64, bool) {
	if m == nil || m.state == nil {
		return 0, false
	}
	in, ok := m.state.Inputs[string(id)]
	return in, ok
}

// has reports whether an earlier round trip answered the ask id: whether
// the client came back after the wait a throttle asked for.
func (m *mrtrDriver) has(id []byte) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.answers.get(string(id))
	return ok
}

// sampleKey names one SampleX call of a multi round-trip call: what it is
// (the tool, its input, its parameters, how it is answered) and how many
// identical ones came before it in this run. Its asks are this name and
// their round.
//
// ofArgs says that in is the call's own arguments, which the state's hash
// of them already names.
func (m *mrtrDriver) sampleKey(tool string, in any, ofArgs bool, params Params, mode string) string {
	w := hashBuffers.Get().(*hashWriter)
	defer hashBuffers.Put(w)
	w.b = w.b[:0]
	w.str(tool)
	w.str(mode)
	if ofArgs {
		w.str(m.state.Args)
	} else {
		b, err := json.Marshal(in)
		if err != nil {
			return "" // the asks will be named by their requests
		}
		w.b = binary.LittleEndian.AppendUint64(w.b, uint64(len(b)))
		w.b = append(w.b, b...)
	}
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
	var buf [96]byte
	b := append(append(buf[:0], prefix...), h...)
	m.mu.Lock()
	defer m.mu.Unlock()
	n, _ := m.seen.get(string(b))
	id := string(strconv.AppendInt(append(b, '-'), int64(n), 10))
	m.seen.set(id[:len(prefix)+len(h)], n+1)
	return id
}

// recording wraps the server's model so that its answers are kept in the
// request state: on the next round trip the same asks get the same answers
// without asking again.
func (m *mrtrDriver) recording(server Sampler) Sampler {
	return SamplerFunc(func(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		id := m.name(serverAskPrefix, req)
		m.mu.Lock()
		res, _, ok := m.use(id)
		m.mu.Unlock()
		if ok {
			// Asked in an earlier round trip; its span and metrics were
			// that round trip's.
			telemetry.ChatFrom(ctx).Replayed()
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
		m.keep(id, res, true, false)
		if m.state.Answers == nil {
			m.state.Answers = map[string]json.RawMessage{}
		}
		m.state.Answers[id] = raw
		return res, nil
	})
}

// settle checks the run against the state and, while asks are unanswered,
// ends the round trip with them.
func (m *mrtrDriver) settle(name string) (*mcp.CallToolResult, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	// Every answer from earlier round trips must be asked for again: one
	// that is not means the handler asked something else this time, and
	// replaying it can never converge.
	var unused []string
	for id, a := range m.answers.all() {
		if !a.used {
			unused = append(unused, id)
		}
	}
	if len(unused) > 0 {
		slices.Sort(unused)
		shown := unused[:min(len(unused), 5)]
		more := ""
		if len(unused) > len(shown) {
			more = fmt.Sprintf(" and %d more", len(unused)-len(shown))
		}
		return nil, fmt.Errorf("%s: the handler asked the model something different when run again (answers %v%s went unused): a multi round-trip tool must ask the same things given the same input", name, shown, more)
	}
	if len(m.pending) == 0 {
		return nil, nil
	}
	st := m.state
	for _, id := range m.fresh {
		a, _ := m.answers.get(id)
		raw, err := json.Marshal(a.res)
		if err != nil {
			return nil, fmt.Errorf("%s: keeping answer %s in the request state: %w", name, id, err)
		}
		if st.Answers == nil {
			st.Answers = map[string]json.RawMessage{}
		}
		st.Answers[id] = raw
	}
	if st.Round++; st.Round > MaxRoundTrips {
		return nil, fmt.Errorf("%s: the call went back to the client %d times without an end; a tool may take at most %d round trips", name, MaxRoundTrips, MaxRoundTrips)
	}
	st.Pending = slices.Sorted(maps.Keys(m.pending))
	st.Sent = time.Now().UnixMilli()
	if st.Inputs == nil {
		st.Inputs = make(map[string]int64, len(m.pending))
	}
	for id, req := range m.pending {
		if r, ok := req.(*mcp.CreateMessageWithToolsParams); ok {
			st.Inputs[id] = sampling.EstimateUsage(r, nil).InputTokens
		}
	}
	st.Expires = time.Now().Add(cmp.Or(m.cfg.stateTTL, DefaultStateTTL)).Unix()
	state, err := encodeState(st, m.signer)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &mcp.CallToolResult{InputRequests: m.pending, RequestState: state}, nil
}

// resume reads the request state and the client's answers of a multi
// round-trip call; on the first round trip it starts a new state.
func resume(req *mcp.CallToolRequest, name string, cfg *toolConfig, m *mrtrDriver) error {
	m.cfg = cfg
	key, err := cfg.stateKeyFor(req)
	if err != nil {
		return err
	}
	m.signer = cfg.signers.forKey(key)
	args := argsHash(req.Params.Arguments)
	now := time.Now()
	if req.Params.RequestState == "" {
		m.state = &callState{Version: stateVersion, Tool: name, Args: args, Started: now.UnixMilli(), Call: newCallID()}
		return nil
	}
	st, err := decodeState(req.Params.RequestState, m.signer, now)
	if err != nil {
		return err
	}
	if st.Tool != name || st.Args != args {
		return fmt.Errorf("%w: it belongs to another tool call", errBadState)
	}
	for id, raw := range st.Answers {
		var res mcp.CreateMessageWithToolsResult
		if err := json.Unmarshal(raw, &res); err != nil {
			return fmt.Errorf("%w: answer %s: %v", errBadState, id, err)
		}
		m.keep(id, &res, false, false)
	}
	var unknown []string
	for id := range req.Params.InputResponses {
		if !slices.Contains(st.Pending, id) {
			unknown = append(unknown, id)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return fmt.Errorf("%w: input response %s answers nothing it asked (%d in all)", errBadInputResponses, clip(unknown[0], 64), len(unknown))
	}
	for _, id := range st.Pending {
		resp, ok := req.Params.InputResponses[id]
		if !ok {
			continue // asked again on this run
		}
		res, err := samplingResult(resp)
		if err != nil {
			return fmt.Errorf("input response %s: %w", id, err)
		}
		m.keep(id, res, false, true)
		m.fresh = append(m.fresh, id)
	}
	// Only a round trip that passed every check spends its state.
	if !spentStates.take(st.Call, st.Round, st.Expires, now, cfg.logger) {
		return fmt.Errorf("%w: it was used already (round trip %d of this call); a request state is good for one round trip: call the tool again", errBadState, st.Round)
	}
	m.state = st
	return nil
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

// askHash names what req asks, for asks that no SampleX call names: every
// field that reaches the model, laid out for one hash without encoding the
// request as JSON. Lists are written with their lengths and strings with
// theirs, so different requests lay out differently.
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
		w.num(float64(len(p.Hints)))
		for _, hint := range p.Hints {
			if hint != nil {
				w.str(hint.Name)
			} else {
				w.str("\x00nil")
			}
		}
		w.num(p.CostPriority)
		w.num(p.SpeedPriority)
		w.num(p.IntelligencePriority)
	}
	w.num(float64(len(req.Messages)))
	for _, m := range req.Messages {
		w.str(string(m.Role))
		w.contents(m.Content)
	}
	w.num(float64(len(req.Tools)))
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
	w.str(strconv.FormatBool(p.FullSchema))
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
					w.str("\x00meta1")
					w.str(k)
					w.num(float64(x))
					return
				case float64:
					w.str("\x00meta1")
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

// A smallMap maps strings to values for the few names one call holds,
// without a map until it holds many: a call's asks are usually one to
// three.
type smallMap[V any] struct {
	keys  []string
	vals  []V
	index map[string]int // once there are more than smallMapMax
	arrK  [4]string
	arrV  [4]V
}

const smallMapMax = 16

func (m *smallMap[V]) find(k string) int {
	if m.index != nil {
		if i, ok := m.index[k]; ok {
			return i
		}
		return -1
	}
	for i, key := range m.keys {
		if key == k {
			return i
		}
	}
	return -1
}

func (m *smallMap[V]) get(k string) (V, bool) {
	if i := m.find(k); i >= 0 {
		return m.vals[i], true
	}
	var zero V
	return zero, false
}

func (m *smallMap[V]) set(k string, v V) {
	if i := m.find(k); i >= 0 {
		m.vals[i] = v
		return
	}
	if m.keys == nil {
		m.keys, m.vals = m.arrK[:0], m.arrV[:0]
	}
	m.keys, m.vals = append(m.keys, k), append(m.vals, v)
	if m.index != nil {
		m.index[k] = len(m.keys) - 1
	} else if len(m.keys) > smallMapMax {
		m.index = make(map[string]int, len(m.keys))
		for i, key := range m.keys {
			m.index[key] = i
		}
	}
}

func (m *smallMap[V]) all() iter.Seq2[string, V] {
	return func(yield func(string, V) bool) {
		for i, k := range m.keys {
			if !yield(k, m.vals[i]) {
				return
			}
		}
	}
}

// clip quotes s, cut to at most n bytes: a name a client chose goes into
// errors and logs only this long.
func clip(s string, n int) string {
	if len(s) <= n {
		return strconv.Quote(s)
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return strconv.Quote(s[:n]) + fmt.Sprintf("… (%d bytes)", len(s))
}
