package classify

// ClassifyIntent tells what the writer of a support or chat message wants,
// from a fixed set of common intents.
//
//samplegen:tool classify_intent
//samplegen:title Classify the intent of a message
//samplegen:prompt intent.tmpl
//samplegen:output IntentResult
//samplegen:params temperature=0 max_tokens=64 retries=2 timeout=30s
type ClassifyIntent struct {
	// The customer's or user's message.
	Message string `json:"message" jsonschema:"minLength=1,maxLength=20000"`
}

// IntentResult is what a message's writer wants.
type IntentResult struct {
	// The writer's main request; other when none fits.
	Intent Intent `json:"intent"`
	// How sure the verdict is, from 0 (a guess) to 1 (certain).
	Confidence float64 `json:"confidence" jsonschema:"minimum=0,maximum=1"`
}

// Intent is what the writer of a support or chat message wants. The set is
// fixed so that a server can route on it; classify_labels takes labels of
// the caller's own.
type Intent string

const (
	Greeting       Intent = "greeting"        // says hello and asks nothing yet
	Goodbye        Intent = "goodbye"         // ends the conversation
	Thanks         Intent = "thanks"          // thanks or praises, asking nothing
	HowTo          Intent = "how_to"          // asks how to use a feature or do a task
	AccountAccess  Intent = "account_access"  // cannot log in, lost a password, needs 2FA or account changes
	Billing        Intent = "billing"         // asks about a charge, invoice, price, plan or payment method
	Refund         Intent = "refund"          // wants money back
	Cancel         Intent = "cancel"          // wants to end a subscription or close an account
	OrderStatus    Intent = "order_status"    // asks where an order or delivery is
	BugReport      Intent = "bug_report"      // reports that something does not work as it should
	FeatureRequest Intent = "feature_request" // asks for something the product does not do
	Complaint      Intent = "complaint"       // voices dissatisfaction without a specific request
	HumanAgent     Intent = "human_agent"     // asks to talk to a person
	OtherIntent    Intent = "other"           // none of the above
)
