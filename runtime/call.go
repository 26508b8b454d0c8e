package runtime

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Eras of a call; see [Report].Era.
const (
	EraPush           = "push"
	EraMultiRoundTrip = "multi-round-trip"
	EraDirect         = "direct"
)

// protocolMRTR is the first protocol version where sampling travels as input
// requests in the tool result instead of a request pushed to the client.
const protocolMRTR = "2026-07-28"

// A call is one tools/call being served: how to reach the client's model,
// and the reports of the samples taken so far.
type call struct {
	era     string
	cfg     config // the options the tool was added with, under those of each SampleX call
	tools   bool   // the client declared sampling.tools
	mu      sync.Mutex
	reports []*Report
}

type callKey struct{}

func withCall(ctx context.Context, c *call) context.Context {
	return context.WithValue(ctx, callKey{}, c)
}

func callFrom(ctx context.Context) *call {
	c, _ := ctx.Value(callKey{}).(*call)
	return c
}

func eraOf(ctx context.Context) string {
	if c := callFrom(ctx); c != nil {
		return c.era
	}
	return EraDirect
}

func (c *call) addReport(r *Report) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reports = append(c.reports, r)
}

// noSampler stands for a client that cannot be asked to sample: asking it
// fails with ErrCannotSample, which the handler answers with -32021.
type noSampler struct{}

func (noSampler) CreateMessage(context.Context, *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
	return nil, ErrCannotSample
}

// fallbackSampler is the server's fallback sampler answering in the
// client's place, marked so that reports say so.
type fallbackSampler struct{ Sampler }

// isClient reports whether s asks the calling client. It looks at types,
// never compares Sampler values: a SamplerFunc is not comparable.
func isClient(s Sampler) bool {
	switch s.(type) {
	case pushSampler, *replaySampler:
		return true
	}
	return false
}

// pushSampler sends sampling/createMessage to the client and waits: the
// protocol of 2025-11-25 and older.
type pushSampler struct{ session *mcp.ServerSession }

func (p pushSampler) CreateMessage(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
	return p.session.CreateMessageWithTools(ctx, req)
}

// replaySampler serves a multi round-trip call (protocol 2026-07-28): the
// handler runs from the top on every round trip; asks answered in earlier
// round trips are answered from the request state, and new asks are
// collected as input requests for the client.
//
// An ask is known by a hash of what it asks and how many identical asks came
// before it, not by its order, so samples taken concurrently get the same
// names on every run.
type replaySampler struct {
	mu      sync.Mutex
	answers map[string]*mcp.CreateMessageWithToolsResult
	used    map[string]bool
	seen    map[string]int
	pending mcp.InputRequestMap
}

func newReplaySampler(answers map[string]*mcp.CreateMessageWithToolsResult) *replaySampler {
	return &replaySampler{answers: answers, used: map[string]bool{}, seen: map[string]int{}, pending: mcp.InputRequestMap{}}
}

func (r *replaySampler) CreateMessage(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
	b, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("encoding the sampling request: %w", err)
	}
	sum := sha256.Sum256(b)
	h := base64.RawURLEncoding.EncodeToString(sum[:9])
	r.mu.Lock()
	defer r.mu.Unlock()
	id := fmt.Sprintf("sample-%s-%d", h, r.seen[h])
	r.seen[h]++
	if res, ok := r.answers[id]; ok {
		r.used[id] = true
		return res, nil
	}
	r.pending[id] = req
	return nil, ErrInputRequired
}

// unused lists answers the handler did not ask for again: the handler asked
// something different on replay, which multi round-trip calls cannot serve.
func (r *replaySampler) unused() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var ids []string
	for id := range r.answers {
		if !r.used[id] {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

func (r *replaySampler) pendingIDs() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Sorted(maps.Keys(r.pending))
}
