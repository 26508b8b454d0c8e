// Package sentiment is a samplegen test case: enums, nested structs, slices
// and pointers.
package sentiment

// AnalyzeSentiment classifies the sentiment of a short text.
//
// It answers with a label and a confidence.
//
//samplegen:tool analyze_sentiment
//samplegen:prompt sentiment.tmpl
//samplegen:output SentimentResult
//samplegen:params temperature=0 max_tokens=64 retries=2 timeout=30s
type AnalyzeSentiment struct {
	Text     string   `json:"text" jsonschema:"description=The text to classify,minLength=1"`
	Language *string  `json:"language" jsonschema:"description=ISO 639-1 code\\, if known"`
	Tags     []string `json:"tags,omitempty" jsonschema:"maxItems=5"`
	Author   Author   `json:"author"`
	internal int
}

// Author is who wrote the text.
type Author struct {
	Name  string `json:"name"`
	Age   int    `json:"age,omitempty" jsonschema:"minimum=0,maximum=150"`
	Admin bool   `json:"admin" jsonschema:"default=false"`
}

// SentimentResult is the answer.
type SentimentResult struct {
	Sentiment  Sentiment `json:"sentiment" jsonschema:"default=neutral"`
	Confidence float64   `json:"confidence" jsonschema:"minimum=0,maximum=1"`
	Aspects    []Aspect  `json:"aspects"`
	Notes      *string   `json:"notes,omitempty"`
	Skip       string    `json:"-"`
}

// An Aspect is one thing the text talks about.
type Aspect struct {
	Topic     string    `json:"topic"`
	Sentiment Sentiment `json:"sentiment"`
	Score     int32     `json:"score" jsonschema:"minimum=-5,maximum=5"`
}

// Sentiment is the polarity of a text.
type Sentiment string

const (
	Positive Sentiment = "positive" // approval, praise or joy
	Negative Sentiment = "negative" // complaint, anger or sadness
	// neither
	Neutral Sentiment = "neutral"
)
