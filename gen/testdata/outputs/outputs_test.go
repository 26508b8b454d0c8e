package outputs

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
)

// answer is a sampler whose model answers text, and that keeps the last
// request.
func answer(text string, last **mcp.CreateMessageWithToolsParams) runtime.Sampler {
	return runtime.SamplerFunc(func(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		if last != nil {
			*last = req
		}
		return &mcp.CreateMessageWithToolsResult{
			Role:    "assistant",
			Model:   "fake",
			Content: []mcp.Content{&mcp.TextContent{Text: text}},
		}, nil
	})
}

// This test runs in a copy of the case next to the generated file: each
// sampling tool gets its value from the model's answer.
func TestSamplingOutputs(t *testing.T) {
	ctx := context.Background()
	var req *mcp.CreateMessageWithToolsParams

	sum, err := SampleSummarize(ctx, answer("The build is broken. Ann fixes it.", &req), Summarize{Text: "notes"})
	if err != nil || sum != "The build is broken. Ann fixes it." {
		t.Errorf("summarize = %q, %v", sum, err)
	}
	if req == nil || !strings.Contains(req.SystemPrompt, "400") {
		t.Errorf("summarize: the system prompt does not give the length: %+v", req)
	}
	if _, err := SampleSummarize(ctx, answer(strings.Repeat("long ", 100), nil), Summarize{Text: "notes"}); err == nil {
		t.Errorf("summarize: a summary longer than maxLength was accepted")
	}

	head, err := SampleHeadline(ctx, answer("Rain stops play", nil), Headline{Text: "It rained."})
	if err != nil || head != "Rain stops play" {
		t.Errorf("headline = %q, %v", head, err)
	}

	mood, err := SampleReadMood(ctx, answer(`"upset"`, &req), ReadMood{Text: "I want a refund!"})
	if err != nil || mood != Upset {
		t.Errorf("read_mood = %q, %v", mood, err)
	}
	// {{enum ""}} lists the values of the output itself, with their meanings.
	if user := req.Messages[0].Content[0].(*mcp.TextContent).Text; !strings.Contains(user, "Answer one of:\n- \"happy\": pleased, grateful or excited\n- \"upset\": angry, sad or disappointed\n") {
		t.Errorf("read_mood prompt: %s", user)
	}
	failing := runtime.SamplerFunc(func(context.Context, *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		return nil, errors.New("no model today")
	})
	if mood, err := SampleReadMood(ctx, failing, ReadMood{Text: "Hm."}); err != nil || mood != Neutral {
		t.Errorf("read_mood without a model = %q, %v; want the default, neutral", mood, err)
	}

	items, err := SampleExtract(ctx, answer(`[{"task":"Fix the build","owner":"Ann","kind":"fix"},{"task":"Pick a date","kind":"decide"}]`, nil), Extract{Notes: "notes"})
	if want := (Items{{Task: "Fix the build", Owner: "Ann", Kind: Fix}, {Task: "Pick a date", Kind: Decide}}); err != nil || !reflect.DeepEqual(items, want) {
		t.Errorf("extract = %+v, %v; want %+v", items, err, want)
	}

	rate, err := SampleRate(ctx, answer("0.25", nil), Rate{Claim: "It may rain."})
	if err != nil || rate != 0.25 {
		t.Errorf("rate = %v, %v", rate, err)
	}

	spam, err := SampleIsSpam(ctx, answer("true", nil), IsSpam{Message: "WIN NOW"})
	if err != nil || !bool(spam) {
		t.Errorf("is_spam = %v, %v", spam, err)
	}
}

// The function tools run end to end: a go-sdk client calls them over
// in-memory transports and answers the sampling requests of the sampling
// tools they call. The result's text is the value's JSON (a string its own
// text); its structured content is the value, wrapped under
// runtime.ResultProperty for clients before 2026-07-28.
func TestFunctionToolOutputs(t *testing.T) {
	ctx := context.Background()
	srv := mcp.NewServer(&mcp.Implementation{Name: "outputs", Version: "1"}, nil)
	AddTools(srv)
	st, ct := mcp.NewInMemoryTransports()
	ss, err := srv.Connect(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ss.Close()
	model := func(_ context.Context, req *mcp.CreateMessageRequest) (*mcp.CreateMessageResult, error) {
		data, _ := json.Marshal(req.Params)
		text := "A short summary."
		switch {
		case strings.Contains(string(data), "action items"):
			text = `[{"task":"Fix the build","owner":"Ann","kind":"fix"},{"task":"Fix the docs","kind":"fix"},{"task":"Pick a date","kind":"decide"}]`
		case strings.Contains(string(data), "How does the writer"):
			text = `"upset"`
		}
		return &mcp.CreateMessageResult{Role: "assistant", Model: "fake", Content: &mcp.TextContent{Text: text}}, nil
	}
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "c", Version: "1"}, &mcp.ClientOptions{CreateMessageHandler: model}).Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	wrapped := cs.InitializeResult().ProtocolVersion < "2026-07-28"

	if _, err := cs.ListTools(ctx, nil); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		tool string
		args map[string]any
		text string // the JSON of the value; a string's own text
	}{
		{"count_items", map[string]any{"notes": "n"}, `3`},
		{"tally", map[string]any{"notes": "n"}, `{"decide":1,"fix":2}`},
		{"prioritize", map[string]any{"text": "I want a refund!"}, `2`},
		{"brief", map[string]any{"text": "t"}, `A short summary.`},
		{"list_owners", map[string]any{"notes": "n"}, `["Ann"]`},
	} {
		res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: c.tool, Arguments: c.args})
		if err != nil {
			t.Fatalf("%s: %v", c.tool, err)
		}
		if res.IsError || len(res.Content) != 1 {
			t.Errorf("%s: %+v", c.tool, res)
			continue
		}
		if text, _ := res.Content[0].(*mcp.TextContent); text == nil || text.Text != c.text {
			t.Errorf("%s: content %+v, want the text %s", c.tool, res.Content[0], c.text)
		}
		value := c.text
		if c.tool == "brief" {
			value = `"` + c.text + `"`
		}
		if wrapped {
			value = `{"` + runtime.ResultProperty + `":` + value + `}`
		}
		if data, _ := json.Marshal(res.StructuredContent); string(data) != value {
			t.Errorf("%s: structured content %s, want %s", c.tool, data, value)
		}
	}
}
