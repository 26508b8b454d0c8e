package samplegentest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
	"github.com/samplegen/samplegen/sampling"
)

// ScriptModel is the model name a [Script]'s answers carry, as a report's
// rounds show it.
const ScriptModel = "script"

// ErrScriptRanOut is the error of an ask that came after a [Script]'s last
// step: the tool asked more often than the test planned.
var ErrScriptRanOut = errors.New("samplegentest: the script ran out of answers")

// A Script is a [sampling.Sampler] (and so a runtime.Sampler) that answers
// each ask with its next step, in order: an answer in text or through the
// respond tool, a truncated answer, a refusal, a throttle or a failure. It
// records every request it gets. It is safe for concurrent use; concurrent
// asks take the steps in the order they arrive.
//
// Build one with [Answers] and add steps with its methods, which return the
// script so they chain:
//
//	model := samplegentest.Answers(`{"sentiment":"positive","confidence":0.9}`).
//		Refuse("the user declined").
//		Fail(errors.New("provider down"))
type Script struct {
	mu       sync.Mutex
	steps    []step
	next     int
	requests []*mcp.CreateMessageWithToolsParams
}

// A step is one scripted ask: the result to give, or the error.
type step struct {
	text, stop string
	respond    map[string]any // an answer through the respond tool, where offered
	err        error
}

// Answers returns a script that answers its asks with texts, in order, each
// as a whole answer (stop reason "endTurn") from the model [ScriptModel].
func Answers(texts ...string) *Script {
	s := &Script{}
	for _, text := range texts {
		s.Answer(text)
	}
	return s
}

// Answer adds an answer of text to the script.
func (s *Script) Answer(text string) *Script { return s.add(step{text: text, stop: "endTurn"}) }

// Truncated adds an answer of text that the model cut short for want of
// tokens (stop reason "maxTokens"), as a runtime asked with too small a
// max_tokens sees one.
func (s *Script) Truncated(text string) *Script { return s.add(step{text: text, stop: "maxTokens"}) }

// Respond adds an answer through the respond tool, as a model that calls
// tools gives it where the request offers the tool (a client that can
// sample with tools): a call of [runtime.RespondTool] with input, the
// output object (an output that is not an object goes under
// [runtime.ResultProperty]). To a request that does not offer the tool
// the step answers input as JSON text.
func (s *Script) Respond(input map[string]any) *Script {
	if input == nil {
		input = map[string]any{}
	}
	return s.add(step{respond: input, stop: "toolUse"})
}

// Refuse adds a refusal for reason ([sampling.Refused]): the user, or a
// client's policy, declined the ask. A runtime goes to its fallbacks and
// does not ask again.
func (s *Script) Refuse(reason string) *Script { return s.add(step{err: sampling.Refused(reason)}) }

// Throttle adds a refusal that asks to be asked again after wait
// ([sampling.Throttled]).
func (s *Script) Throttle(reason string, wait time.Duration) *Script {
	return s.add(step{err: sampling.Throttled(reason, wait)})
}

// Fail adds a failure of the model with err, as a provider's outage or a
// bad key would fail it. Through a client's sampling handler the server
// hears only that the client's model failed ([sampling.ModelFailed]).
func (s *Script) Fail(err error) *Script {
	if err == nil {
		err = errors.New("samplegentest: scripted failure")
	}
	return s.add(step{err: err})
}

func (s *Script) add(st step) *Script {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.steps = append(s.steps, st)
	return s
}

// CreateMessage records req and gives the script's next step. After the
// last step it fails with [ErrScriptRanOut], saying how many asks there
// were.
func (s *Script) CreateMessage(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, req)
	if s.next >= len(s.steps) {
		return nil, fmt.Errorf("%w: this is ask %d and the script holds %d %s; add a step for each ask the tool makes",
			ErrScriptRanOut, len(s.requests), len(s.steps), plural(len(s.steps), "answer", "answers"))
	}
	st := s.steps[s.next]
	s.next++
	if st.err != nil {
		return nil, st.err
	}
	if st.respond != nil {
		return respond(req, st.respond, s.next)
	}
	return &mcp.CreateMessageWithToolsResult{
		Role:       "assistant",
		Model:      ScriptModel,
		StopReason: st.stop,
		Content:    []mcp.Content{&mcp.TextContent{Text: st.text}},
	}, nil
}

// respond answers req with input through the respond tool, or as text
// where req does not offer it.
func respond(req *mcp.CreateMessageWithToolsParams, input map[string]any, n int) (*mcp.CreateMessageWithToolsResult, error) {
	res := &mcp.CreateMessageWithToolsResult{Role: "assistant", Model: ScriptModel, StopReason: "toolUse"}
	for _, tool := range req.Tools {
		if tool.Name == runtime.RespondTool {
			res.Content = []mcp.Content{&mcp.ToolUseContent{ID: fmt.Sprintf("script-%d", n), Name: runtime.RespondTool, Input: input}}
			return res, nil
		}
	}
	text, err := json.Marshal(input)
	if err != nil {
		return nil, fmt.Errorf("samplegentest: step %d: the respond input does not encode as JSON: %w", n, err)
	}
	res.StopReason = "endTurn"
	res.Content = []mcp.Content{&mcp.TextContent{Text: string(text)}}
	return res, nil
}

// Requests returns the requests the script got, in order, the ones after
// its last step included.
func (s *Script) Requests() []*mcp.CreateMessageWithToolsParams {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*mcp.CreateMessageWithToolsParams(nil), s.requests...)
}

// Left returns how many of the script's steps no ask has taken yet.
func (s *Script) Left() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.steps) - s.next
}

// ExpectAllUsed makes t fail, when it ends, if any step of the script was
// not taken or an ask came after the last: the tool asked less, or more,
// than the test planned. It returns s.
func (s *Script) ExpectAllUsed(t testing.TB) *Script {
	t.Helper()
	t.Cleanup(func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if asks, steps := len(s.requests), len(s.steps); asks != steps {
			t.Errorf("samplegentest: the tool asked %d %s and the script holds %d %s",
				asks, plural(asks, "time", "times"), steps, plural(steps, "step", "steps"))
		}
	})
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
