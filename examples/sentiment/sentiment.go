// Package sentiment is samplegen's smallest example: an MCP tool that asks
// the client's model whether a text is positive, negative or neutral, and
// returns the answer as a typed SentimentResult.
//
// Run the server with go run ./examples/sentiment/server (stdio) or add
// -http 127.0.0.1:8080 for Streamable HTTP; see it work end to end, offline,
// with go run ./examples/sentiment/demo "I love this".
package sentiment

//go:generate go tool samplegen

// AnalyzeSentiment classifies the sentiment of a short text.
//
//samplegen:tool analyze_sentiment
//samplegen:prompt sentiment.tmpl
//samplegen:output SentimentResult
//samplegen:params temperature=0 max_tokens=64 retries=2 timeout=30s
type AnalyzeSentiment struct {
	Text string `json:"text" jsonschema:"description=The text to classify,minLength=1"`
}

// SentimentResult is the model's verdict.
type SentimentResult struct {
	Sentiment  Sentiment `json:"sentiment" jsonschema:"description=The overall sentiment of the text,default=neutral"`
	Confidence float64   `json:"confidence" jsonschema:"description=How sure the verdict is from 0 (a guess) to 1 (certain),minimum=0,maximum=1"`
}

// Sentiment is the polarity of a text.
type Sentiment string

const (
	Positive Sentiment = "positive" // approval, praise or joy
	Negative Sentiment = "negative" // complaint, anger or sadness
	Neutral  Sentiment = "neutral"  // neither, or both in balance
)
