// Package feedback is where a samplegen server starts: a sampling tool,
// classify_feedback, that asks the client's model what a user's message
// is about, and a function tool, route_feedback, that calls it and decides
// in plain Go which team reads the message and whether someone should
// answer. Rename the package, change the types and the prompt, and run go
// generate: the schemas, the prompt and the MCP tools follow.
//
// Call a tool from Go with any runtime.Sampler (feedback_test.go shows a
// scripted model, recorded answers and a served session), or serve them
// all with AddTools.
package feedback

import (
	"context"
	"errors"
	"strings"

	"github.com/samplegen/samplegen/runtime"
)

//go:generate go tool samplegen

// ClassifyFeedback reads a message from a user of the product: what kind
// of feedback it is, how the user feels, and what it says in one line.
//
//samplegen:tool classify_feedback
//samplegen:title Classify user feedback
//samplegen:prompt classify.tmpl
//samplegen:output Classification
//samplegen:params temperature=0 max_tokens=200 retries=2 timeout=30s
type ClassifyFeedback struct {
	Message string `json:"message" jsonschema:"description=The user's message as they wrote it,minLength=1,maxLength=20000"`
}

// Classification is what the model says about a message.
type Classification struct {
	Kind      Kind      `json:"kind"`
	Sentiment Sentiment `json:"sentiment" jsonschema:"default=neutral"`
	Summary   string    `json:"summary" jsonschema:"description=What the message says in one sentence,minLength=1,maxLength=200"`
}

// Validate rejects a summary that only names the kind: the re-ask tells
// the model to say what the message is about.
func (c Classification) Validate() error {
	s := strings.Trim(strings.TrimSpace(c.Summary), ".")
	if strings.EqualFold(s, string(c.Kind)) || strings.EqualFold(strings.ReplaceAll(s, " ", "_"), string(c.Kind)) {
		return errors.New("summary: say what the message is about, not only its kind")
	}
	return nil
}

// Kind is what a message is about.
type Kind string

const (
	Bug            Kind = "bug"             // the product does not work as it should
	FeatureRequest Kind = "feature_request" // something the product does not do yet
	Question       Kind = "question"        // how to use the product
	Complaint      Kind = "complaint"       // price, service or policy, not a defect
	Praise         Kind = "praise"          // thanks or approval, nothing to do
)

// Sentiment is how the user feels.
type Sentiment string

const (
	Positive Sentiment = "positive" // pleased, grateful
	Negative Sentiment = "negative" // annoyed, angry, disappointed
	Neutral  Sentiment = "neutral"  // matter of fact
)

// Feedback is a message as it reaches the server.
type Feedback struct {
	Message string `json:"message" jsonschema:"description=The user's message as they wrote it,minLength=1,maxLength=20000"`
	// Paying says the user pays for the product; their negative messages
	// are always answered.
	Paying bool `json:"paying,omitempty" jsonschema:"description=The user pays for the product"`
}

// Route is where a message goes.
type Route struct {
	Team           Team           `json:"team"`
	NeedsReply     bool           `json:"needs_reply"`
	Classification Classification `json:"classification"`
}

// Team is who reads a message.
type Team string

const (
	Engineering Team = "engineering" // fixes bugs
	Product     Team = "product"     // weighs feature requests
	Support     Team = "support"     // answers questions and complaints
	NoTeam      Team = "none"        // nobody: praise needs no action
)

// RouteFeedback classifies a user's message with the client's model and
// routes it: bugs to engineering, feature requests to product, questions
// and complaints to support, praise nowhere. Questions, and negative
// messages from paying users, need a reply.
//
//samplegen:tool route_feedback
//samplegen:title Route user feedback
func RouteFeedback(ctx context.Context, s runtime.Sampler, in Feedback) (Route, error) {
	c, err := SampleClassifyFeedback(ctx, s, ClassifyFeedback{Message: in.Message})
	if err != nil {
		return Route{}, err
	}
	r := Route{Team: Support, Classification: c}
	switch c.Kind {
	case Bug:
		r.Team = Engineering
	case FeatureRequest:
		r.Team = Product
	case Praise:
		r.Team = NoTeam
	}
	r.NeedsReply = c.Kind == Question || (in.Paying && c.Sentiment == Negative)
	return r, nil
}
