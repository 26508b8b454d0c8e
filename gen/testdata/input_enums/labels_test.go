package labels

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
)

func answering(answers ...string) (runtime.Sampler, *[]*mcp.CreateMessageWithToolsParams) {
	var reqs []*mcp.CreateMessageWithToolsParams
	return runtime.SamplerFunc(func(_ context.Context, r *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		reqs = append(reqs, r)
		if len(answers) == 0 {
			return nil, errors.New("no answer left")
		}
		a := answers[0]
		answers = answers[1:]
		return &mcp.CreateMessageWithToolsResult{Role: "assistant", Model: "fake", Content: []mcp.Content{&mcp.TextContent{Text: a}}}, nil
	}), &reqs
}

// The labels of each call are what the model is shown and what its answer
// is held to, in the call's spelling.
func TestLabelsComeFromTheCall(t *testing.T) {
	s, reqs := answering(
		`{"labels":["Fire","smoke"],"route":"ops","by_part":{"a":"fire"}}`,
		// The route is nullable (a oneOf), through which answer repairs no case.
		`{"labels":["FIRE"],"route":"ops","by_part":{"a":"Fire"}}`,
	)
	in := Tag{Text: "It burns", Labels: []Label{"fire", "water"}, Options: Options{Routes: map[string]string{"ops": "machines", "desk": "questions"}}}
	got, err := SampleTag(context.Background(), s, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Labels) != 1 || got.Labels[0] != "fire" || got.Route == nil || *got.Route != "ops" || got.ByPart["a"] != "fire" {
		t.Errorf("got %+v", got)
	}
	user := (*reqs)[0].Messages[0].Content[0].(*mcp.TextContent).Text
	for _, want := range []string{"Labels:\n- \"fire\"\n- \"water\"", "Routes:\n- \"desk\": questions\n- \"ops\": machines"} {
		if !strings.Contains(user, want) {
			t.Errorf("prompt lacks %q:\n%s", want, user)
		}
	}
	if sys := (*reqs)[0].SystemPrompt; !strings.Contains(sys, `"fire" | "water"`) {
		t.Errorf("instructions lack the call's labels:\n%s", sys)
	}
	again := (*reqs)[1].Messages[2].Content[0].(*mcp.TextContent).Text
	if !strings.Contains(again, `/labels/1: expected one of "fire", "water"`) {
		t.Errorf("re-ask:\n%s", again)
	}

	if _, err := SamplePick(context.Background(), s, Pick{Text: "x"}); err == nil || !strings.Contains(err.Error(), "the input's choices has no allowed values") {
		t.Errorf("no choices: %v", err)
	}
	s, _ = answering("Blue.")
	if got, err := SamplePick(context.Background(), s, Pick{Text: "sky", Choices: []string{"red", "blue"}}); err != nil || got != "blue" {
		t.Errorf("pick = %q, %v", got, err)
	}
}
