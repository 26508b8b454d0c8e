package classify

import (
	"errors"
	"fmt"
)

// ModerateContent checks a text against a content policy: whether it is
// flagged, the policy categories it breaks, how severe it is, and why.
//
//samplegen:tool moderate_content
//samplegen:title Moderate a text
//samplegen:prompt moderation.tmpl
//samplegen:output Moderation
//samplegen:params temperature=0 max_tokens=200 retries=2 timeout=30s
type ModerateContent struct {
	// The user-generated content to check.
	Text string `json:"text" jsonschema:"minLength=1,maxLength=20000"`
}

// Moderation is a text's verdict under the content policy.
type Moderation struct {
	// True when the text breaks the policy in any category.
	Flagged bool `json:"flagged"`
	// The policy categories the text breaks, empty when it is
	// not flagged.
	Categories []Category `json:"categories" jsonschema:"uniqueItems=true"`
	// How serious the worst breach is; none when not flagged.
	Severity Severity `json:"severity"`
	// What in the text led to the verdict, in one sentence.
	Reason string `json:"reason,omitempty" jsonschema:"maxLength=300"`
}

// Validate holds the verdict together: flagged exactly when some category
// is named, and a severity of none exactly when not flagged. Models often
// flag a text and list nothing, or list a category and say false.
func (m Moderation) Validate() error {
	switch {
	case m.Flagged && len(m.Categories) == 0:
		return errors.New("flagged is true but categories is empty: name the categories the text breaks, or set flagged to false")
	case !m.Flagged && len(m.Categories) > 0:
		return fmt.Errorf("flagged is false but categories names %d: set flagged to true, or empty categories", len(m.Categories))
	case m.Flagged && m.Severity == SeverityNone:
		return errors.New(`severity is "none" for a flagged text: choose low, medium or high`)
	case !m.Flagged && m.Severity != SeverityNone:
		return fmt.Errorf(`severity is %q for a text that is not flagged: use "none"`, m.Severity)
	}
	seen := make(map[Category]bool, len(m.Categories))
	for _, c := range m.Categories {
		if seen[c] {
			return fmt.Errorf("categories names %q twice: list each category once", c)
		}
		seen[c] = true
	}
	return nil
}

// Category is a part of the content policy.
type Category string

const (
	Harassment     Category = "harassment"     // insults, threats or bullying aimed at a person
	Hate           Category = "hate"           // attacks a group for race, religion, gender, sexuality, disability or origin
	Violence       Category = "violence"       // threatens, incites or glorifies physical harm
	SelfHarm       Category = "self_harm"      // encourages or describes intent of suicide or self-injury
	Sexual         Category = "sexual"         // explicit sexual content
	SexualMinors   Category = "sexual_minors"  // any sexual content involving minors
	Illegal        Category = "illegal"        // helps with crimes: drugs, weapons, fraud, hacking
	Spam           Category = "spam"           // unsolicited ads, scams, phishing or link farming
	PersonalData   Category = "personal_data"  // exposes someone's private data: address, phone, ID or card numbers
	Misinformation Category = "misinformation" // false claims presented as fact that could cause harm (health, elections)
)

// Severity is how serious a breach of the policy is.
type Severity string

const (
	SeverityNone   Severity = "none"   // breaks nothing
	SeverityLow    Severity = "low"    // mild: rude, borderline or easy to misread
	SeverityMedium Severity = "medium" // clear breach that should be removed
	SeverityHigh   Severity = "high"   // dangerous or illegal: remove and escalate
)
