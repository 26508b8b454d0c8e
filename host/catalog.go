package host

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/sampling"
)

// A Model is one entry of a [Catalog]: a model the host can sample, and
// how well it serves each of the priorities a server may state.
type Model struct {
	// Name is the model's name: hints are matched against it, and it is
	// the result's model when the model's Sampler names none.
	Name string
	// Aliases are other names hints may match: a family ("claude",
	// "sonnet"), or another provider's model this one stands in for, as
	// the spec lets a host map "gemini-1.5-flash" to a similar model.
	Aliases []string
	// Sampler asks the model; a provider adapter, usually.
	Sampler sampling.Sampler
	// Cost, Speed and Intelligence score the model on the server's
	// costPriority, speedPriority and intelligencePriority, each from 0 to
	// 1, where 1 serves the priority best: the cheapest model has Cost 1,
	// the fastest Speed 1, the most capable Intelligence 1.
	Cost, Speed, Intelligence float64
}

// A Catalog is a Sampler that answers each request with the model of its
// catalog that the request's modelPreferences choose, as the spec says a
// client should:
//
//  1. hints, in order: the first hint that is a substring of some models'
//     names or aliases (case aside) chooses among those models;
//  2. no hint matches (or there are none): every model is a candidate;
//  3. among the candidates, the priorities choose: each model scores
//     costPriority×Cost + speedPriority×Speed +
//     intelligencePriority×Intelligence, and the highest wins; with no
//     priorities stated, or a tie, the earliest in the catalog wins, so
//     the first model is the catalog's default.
//
// The choice goes in the result: its Model is the chosen model's name
// unless the model's Sampler named one (a provider's exact model id, say),
// and its _meta holds the [Choice] under [ChoiceMetaKey].
//
// A Catalog is safe for concurrent use; it is not changed after
// [NewCatalog].
type Catalog struct {
	models []catalogModel
}

type catalogModel struct {
	Model
	names []string // Name and Aliases, lower case, for hint matching
}

// NewCatalog returns a Catalog of models, the first its default. Every
// model needs a name of its own and a Sampler, and scores from 0 to 1.
func NewCatalog(models ...Model) (*Catalog, error) {
	if len(models) == 0 {
		return nil, errors.New("host: a catalog needs at least one model")
	}
	c := &Catalog{}
	seen := map[string]bool{}
	for i, m := range models {
		switch {
		case m.Name == "":
			return nil, fmt.Errorf("host: catalog model %d has no name", i)
		case seen[strings.ToLower(m.Name)]:
			return nil, fmt.Errorf("host: catalog model %q is listed twice", m.Name)
		case m.Sampler == nil:
			return nil, fmt.Errorf("host: catalog model %q has no Sampler", m.Name)
		}
		for _, sc := range []struct {
			name string
			v    float64
		}{{"Cost", m.Cost}, {"Speed", m.Speed}, {"Intelligence", m.Intelligence}} {
			if !(sc.v >= 0 && sc.v <= 1) { // NaN too
				return nil, fmt.Errorf("host: catalog model %q: %s is %v; scores go from 0 to 1", m.Name, sc.name, sc.v)
			}
		}
		seen[strings.ToLower(m.Name)] = true
		cm := catalogModel{Model: m, names: []string{strings.ToLower(m.Name)}}
		for _, a := range m.Aliases {
			if a != "" {
				cm.names = append(cm.names, strings.ToLower(a))
			}
		}
		c.models = append(c.models, cm)
	}
	return c, nil
}

// ChoiceMetaKey holds, in a result's _meta, the [Choice] a [Catalog] made.
const ChoiceMetaKey = "io.samplegen/modelChoice"

// A Choice is the model a [Catalog] chose for a request, and why.
type Choice struct {
	Model string `json:"model"`
	// By is "hint" (Hint matched the model), "priorities" (no hint
	// matched, and the priorities chose) or "default" (neither said
	// anything: the catalog's first model).
	By   string `json:"by"`
	Hint string `json:"hint,omitempty"`
}

// Bounds on the hints one request can make a Catalog read: a server's
// preferences are untrusted, and choosing must stay cheap.
const (
	maxHints   = 16
	maxHintLen = 256
)

// Choose returns the model prefs choose; prefs may be nil. An approval
// hook can call it to show which model would answer.
func (c *Catalog) Choose(prefs *mcp.ModelPreferences) Choice {
	_, ch := c.choose(prefs)
	return ch
}

func (c *Catalog) choose(prefs *mcp.ModelPreferences) (*catalogModel, Choice) {
	if prefs == nil {
		prefs = &mcp.ModelPreferences{}
	}
	for i, h := range prefs.Hints {
		if i == maxHints {
			break
		}
		if h == nil || h.Name == "" || len(h.Name) > maxHintLen {
			continue
		}
		hint := strings.ToLower(h.Name)
		var matched []*catalogModel
		for j := range c.models {
			for _, n := range c.models[j].names {
				if strings.Contains(n, hint) {
					matched = append(matched, &c.models[j])
					break
				}
			}
		}
		if len(matched) > 0 {
			m := best(matched, prefs)
			return m, Choice{Model: m.Name, By: "hint", Hint: h.Name}
		}
	}
	all := make([]*catalogModel, len(c.models))
	for i := range c.models {
		all[i] = &c.models[i]
	}
	m := best(all, prefs)
	if priority(prefs.CostPriority)+priority(prefs.SpeedPriority)+priority(prefs.IntelligencePriority) == 0 {
		return m, Choice{Model: m.Name, By: "default"}
	}
	return m, Choice{Model: m.Name, By: "priorities"}
}

// best is the candidate the priorities score highest, the earliest of
// those that tie.
func best(candidates []*catalogModel, prefs *mcp.ModelPreferences) *catalogModel {
	cost, speed, intel := priority(prefs.CostPriority), priority(prefs.SpeedPriority), priority(prefs.IntelligencePriority)
	top, topScore := candidates[0], math.Inf(-1)
	for _, m := range candidates {
		if s := cost*m.Cost + speed*m.Speed + intel*m.Intelligence; s > topScore {
			top, topScore = m, s
		}
	}
	return top
}

// priority reads one of a server's priorities, which the spec puts from 0
// to 1; anything else is held to that range.
func priority(p float64) float64 {
	if !(p > 0) { // NaN too
		return 0
	}
	return min(p, 1)
}

// CreateMessage answers req with the model its preferences choose.
func (c *Catalog) CreateMessage(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
	m, choice := c.choose(req.ModelPreferences)
	res, err := m.Sampler.CreateMessage(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("model %s: %w", m.Name, err)
	}
	if res == nil {
		return nil, fmt.Errorf("host: catalog model %s returned neither a result nor an error", m.Name)
	}
	if res.Model == "" {
		res.Model = m.Name
	}
	if res.Meta == nil {
		res.Meta = mcp.Meta{}
	}
	res.Meta[ChoiceMetaKey] = choice
	return res, nil
}

// ChoiceOf returns the [Choice] res carries under [ChoiceMetaKey], whether
// set in this process or decoded from the wire.
func ChoiceOf(res *mcp.CreateMessageWithToolsResult) (Choice, bool) {
	if res == nil {
		return Choice{}, false
	}
	switch v := res.Meta[ChoiceMetaKey].(type) {
	case Choice:
		return v, true
	case map[string]any:
		ch := Choice{}
		ch.Model, _ = v["model"].(string)
		ch.By, _ = v["by"].(string)
		ch.Hint, _ = v["hint"].(string)
		return ch, ch.Model != ""
	}
	return Choice{}, false
}
