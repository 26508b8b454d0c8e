package classify

// ClassifySentiment tells whether a text is positive, negative, neutral or
// mixed, with a confidence.
//
//samplegen:tool classify_sentiment
//samplegen:title Classify the sentiment of a text
//samplegen:prompt sentiment.tmpl
//samplegen:output SentimentResult
//samplegen:params temperature=0 max_tokens=64 retries=2 timeout=30s
type ClassifySentiment struct {
	// What to classify: a review, a message, a post.
	Text string `json:"text" jsonschema:"minLength=1,maxLength=20000"`
}

// SentimentResult is the sentiment of a text.
type SentimentResult struct {
	// The text's overall polarity.
	Sentiment Sentiment `json:"sentiment"`
	// How sure the verdict is, from 0 (a guess) to 1 (certain).
	Confidence float64 `json:"confidence" jsonschema:"minimum=0,maximum=1"`
}

// Sentiment is the polarity of a text.
type Sentiment string

const (
	Positive Sentiment = "positive" // approval, praise, gratitude or joy
	Negative Sentiment = "negative" // complaint, anger, disappointment or sadness
	Neutral  Sentiment = "neutral"  // facts or questions with no feeling either way
	Mixed    Sentiment = "mixed"    // clearly positive and clearly negative parts, neither winning
)
