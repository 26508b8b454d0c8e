package host_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/host"
	"github.com/samplegen/samplegen/sampling"
)

// threeModels is a catalog of a cheap fast model, a capable slow one and a
// middling one from another family, in that order (so haiku is the
// default).
func threeModels(t *testing.T) *host.Catalog {
	return mustCatalog(t,
		host.Model{Name: "claude-haiku-4-5", Aliases: []string{"claude", "haiku", "gemini-1.5-flash"}, Sampler: answering("h"), Cost: 0.9, Speed: 0.9, Intelligence: 0.4},
		host.Model{Name: "claude-sonnet-4-5", Aliases: []string{"claude", "sonnet"}, Sampler: answering("s"), Cost: 0.3, Speed: 0.5, Intelligence: 0.9},
		host.Model{Name: "gpt-5-mini", Sampler: answering("g"), Cost: 0.7, Speed: 0.7, Intelligence: 0.7},
	)
}

func hints(names ...string) []*mcp.ModelHint {
	var out []*mcp.ModelHint
	for _, n := range names {
		out = append(out, &mcp.ModelHint{Name: n})
	}
	return out
}

func TestCatalogChoosesByHintsInOrderThenByPriorities(t *testing.T) {
	c := threeModels(t)
	for _, tc := range []struct {
		name  string
		prefs *mcp.ModelPreferences
		want  host.Choice
	}{
		{"no preferences: the first model", nil, host.Choice{Model: "claude-haiku-4-5", By: "default"}},
		{"empty preferences: the first model", &mcp.ModelPreferences{}, host.Choice{Model: "claude-haiku-4-5", By: "default"}},
		{"the first hint that matches wins, not the best match",
			&mcp.ModelPreferences{Hints: hints("o3-pro", "sonnet", "haiku")},
			host.Choice{Model: "claude-sonnet-4-5", By: "hint", Hint: "sonnet"}},
		{"a hint is a substring of the name", &mcp.ModelPreferences{Hints: hints("gpt-5")}, host.Choice{Model: "gpt-5-mini", By: "hint", Hint: "gpt-5"}},
		{"case aside", &mcp.ModelPreferences{Hints: hints("GPT-5-Mini")}, host.Choice{Model: "gpt-5-mini", By: "hint", Hint: "GPT-5-Mini"}},
		{"an alias stands in for another provider's model",
			&mcp.ModelPreferences{Hints: hints("gemini-1.5-flash")},
			host.Choice{Model: "claude-haiku-4-5", By: "hint", Hint: "gemini-1.5-flash"}},
		{"a hint matching several: the priorities choose among them (intelligence)",
			&mcp.ModelPreferences{Hints: hints("claude"), IntelligencePriority: 0.8},
			host.Choice{Model: "claude-sonnet-4-5", By: "hint", Hint: "claude"}},
		{"a hint matching several: the priorities choose among them (cost)",
			&mcp.ModelPreferences{Hints: hints("claude"), CostPriority: 0.8},
			host.Choice{Model: "claude-haiku-4-5", By: "hint", Hint: "claude"}},
		{"a hint matching several, no priorities: the earliest",
			&mcp.ModelPreferences{Hints: hints("claude")},
			host.Choice{Model: "claude-haiku-4-5", By: "hint", Hint: "claude"}},
		{"no hint matches: intelligence first chooses the capable model",
			&mcp.ModelPreferences{Hints: hints("llama"), IntelligencePriority: 1, CostPriority: 0.2},
			host.Choice{Model: "claude-sonnet-4-5", By: "priorities"}},
		{"no hints: cost and speed choose the cheap fast model",
			&mcp.ModelPreferences{CostPriority: 0.5, SpeedPriority: 0.5},
			host.Choice{Model: "claude-haiku-4-5", By: "priorities"}},
		{"balanced priorities choose the balanced model",
			// haiku 0.9+0.9+0.4=2.2, sonnet 1.7, gpt 2.1 at all 1; weigh intelligence up
			&mcp.ModelPreferences{CostPriority: 0.5, SpeedPriority: 0.5, IntelligencePriority: 1},
			host.Choice{Model: "gpt-5-mini", By: "priorities"}},
		{"a priority above 1 counts as 1",
			// cost 1e9 held to 1: haiku 0.9+0.2=1.1, sonnet 0.3+0.45=0.75, gpt 0.7+0.35=1.05
			&mcp.ModelPreferences{CostPriority: 1e9, IntelligencePriority: 0.5},
			host.Choice{Model: "claude-haiku-4-5", By: "priorities"}},
		{"negative priorities count as none",
			&mcp.ModelPreferences{CostPriority: -5, IntelligencePriority: 0.1},
			host.Choice{Model: "claude-sonnet-4-5", By: "priorities"}},
		{"an empty hint matches nothing", &mcp.ModelPreferences{Hints: hints("", "sonnet")}, host.Choice{Model: "claude-sonnet-4-5", By: "hint", Hint: "sonnet"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.Choose(tc.prefs); got != tc.want {
				t.Errorf("Choose(%s) = %+v, want %+v", jsonOf(tc.prefs), got, tc.want)
			}
		})
	}
}

// A server's preferences are untrusted: a Catalog reads 16 hints at most,
// each of 256 bytes at most, so choosing stays cheap whatever is sent.
func TestCatalogReadsOnlySoManyHints(t *testing.T) {
	c := threeModels(t)
	many := make([]string, 1000)
	for i := range many {
		many[i] = fmt.Sprintf("nothing-%d", i)
	}
	many[16] = "sonnet" // the 17th hint: not read
	if got := c.Choose(&mcp.ModelPreferences{Hints: hints(many...)}); got.Model != "claude-haiku-4-5" || got.By != "default" {
		t.Errorf("the 17th hint chose %+v; want it unread, and the default", got)
	}
	many[15] = "sonnet" // the 16th: read
	if got := c.Choose(&mcp.ModelPreferences{Hints: hints(many...)}); got.Model != "claude-sonnet-4-5" {
		t.Errorf("the 16th hint chose %+v, want sonnet", got)
	}
	long := strings.Repeat("x", 300) + "sonnet"
	if got := c.Choose(&mcp.ModelPreferences{Hints: hints(long, "gpt")}); got.Model != "gpt-5-mini" {
		t.Errorf("a 306-byte hint was matched: %+v; want it skipped and the next one used", got)
	}
	if got := c.Choose(&mcp.ModelPreferences{Hints: []*mcp.ModelHint{nil, {Name: "sonnet"}}}); got.Model != "claude-sonnet-4-5" {
		t.Errorf("a null hint stopped the choice: %+v", got)
	}
}

// The chosen model answers, and the result says which it was: its Model
// is the catalog's name unless the model's Sampler named one, and its
// _meta holds the Choice, in this process and on the wire alike.
func TestCatalogAnswersWithTheChosenModelAndSaysSo(t *testing.T) {
	unnamed, named := answering("from sonnet"), answering("from gpt")
	named.name = "gpt-5-mini-2026-01-01"
	c := mustCatalog(t,
		host.Model{Name: "claude-haiku-4-5", Sampler: answering("from haiku"), Cost: 1},
		host.Model{Name: "claude-sonnet-4-5", Sampler: unnamed, Intelligence: 1},
		host.Model{Name: "gpt-5-mini", Sampler: named, Speed: 1},
	)
	req := ask("hi", 10)
	req.ModelPreferences = &mcp.ModelPreferences{Hints: hints("sonnet")}
	res, err := c.CreateMessage(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if res.Model != "claude-sonnet-4-5" || res.Content[0].(*mcp.TextContent).Text != "from sonnet" || len(unnamed.requests()) != 1 {
		t.Errorf("got model %q text %q, want claude-sonnet-4-5's answer", res.Model, res.Content[0].(*mcp.TextContent).Text)
	}
	if ch, ok := host.ChoiceOf(res); !ok || ch != (host.Choice{Model: "claude-sonnet-4-5", By: "hint", Hint: "sonnet"}) {
		t.Errorf("ChoiceOf = %+v, %v", ch, ok)
	}

	req.ModelPreferences = &mcp.ModelPreferences{SpeedPriority: 1}
	res, err = c.CreateMessage(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if res.Model != "gpt-5-mini-2026-01-01" {
		t.Errorf("model = %q, want the Sampler's own name kept", res.Model)
	}
	// On the wire, as a samplegen server reads the result.
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var wire mcp.CreateMessageWithToolsResult
	if err := json.Unmarshal(b, &wire); err != nil {
		t.Fatal(err)
	}
	if ch, ok := host.ChoiceOf(&wire); !ok || ch != (host.Choice{Model: "gpt-5-mini", By: "priorities"}) {
		t.Errorf("ChoiceOf(decoded %s) = %+v, %v", b, ch, ok)
	}
	if _, ok := host.ChoiceOf(&mcp.CreateMessageWithToolsResult{}); ok {
		t.Error("ChoiceOf found a choice in a result with none")
	}
}

// A model's failure says which model failed, and a model's refusal stays
// a refusal.
func TestCatalogModelErrorsNameTheModel(t *testing.T) {
	broken := errors.New("connection reset")
	c := mustCatalog(t,
		host.Model{Name: "a", Sampler: &fakeModel{fail: broken}},
		host.Model{Name: "b", Sampler: &fakeModel{fail: sampling.Throttled("provider 429", 1500*time.Millisecond)}},
		host.Model{Name: "c", Sampler: sampling.SamplerFunc(func(context.Context, *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
			return nil, nil
		})},
	)
	req := ask("hi", 10)
	_, err := c.CreateMessage(context.Background(), req)
	if !errors.Is(err, broken) || !strings.Contains(err.Error(), "model a") {
		t.Errorf("err = %v, want the cause wrapped, naming model a", err)
	}
	req.ModelPreferences = &mcp.ModelPreferences{Hints: hints("b")}
	_, err = c.CreateMessage(context.Background(), req)
	if r := refusal(t, err); r.Reason != "provider 429" || r.RetryAfter == 0 {
		t.Errorf("refusal = %+v, want the model's throttle kept", r)
	}
	req.ModelPreferences = &mcp.ModelPreferences{Hints: hints("c")}
	if _, err = c.CreateMessage(context.Background(), req); err == nil || !strings.Contains(err.Error(), "neither a result nor an error") {
		t.Errorf("a nil result gave %v", err)
	}
}

func TestNewCatalogSaysWhatIsWrong(t *testing.T) {
	m := answering("x")
	for _, tc := range []struct {
		models []host.Model
		want   string
	}{
		{nil, "at least one model"},
		{[]host.Model{{Sampler: m}}, "model 0 has no name"},
		{[]host.Model{{Name: "a", Sampler: m}, {Name: "A", Sampler: m}}, `"A" is listed twice`},
		{[]host.Model{{Name: "a"}}, `"a" has no Sampler`},
		{[]host.Model{{Name: "a", Sampler: m, Cost: 1.5}}, "Cost is 1.5; scores go from 0 to 1"},
		{[]host.Model{{Name: "a", Sampler: m, Speed: -0.1}}, "Speed is -0.1"},
		{[]host.Model{{Name: "a", Sampler: m, Intelligence: math.NaN()}}, "Intelligence is NaN"},
	} {
		if _, err := host.NewCatalog(tc.models...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("NewCatalog(%d models) = %v, want an error saying %q", len(tc.models), err, tc.want)
		}
	}
}
