// Package translate is a samplegen test case: prompts from constants.
package translate

// Translate translates a text. Its prompt contains a backquote, so the
// generated literal is a quoted string.
//
//samplegen:tool translate
//samplegen:prompt const=translatePrompt
//samplegen:output Translation
//samplegen:params max_tokens=512 timeout=1500ms
type Translate struct {
	Text string `json:"text"`
	To   string `json:"to" jsonschema:"enum=fr,enum=de,enum=ja"`
}

const translatePrompt = "{{define \"system\"}}You translate; never use a ` in the answer.{{end}}" +
	"Translate to {{.To}}:\n{{fence .Text}}"

// Translation is the answer.
type Translation struct {
	Text string `json:"text"`
}

// Detect detects the language of a text.
//
//samplegen:tool detect_language
//samplegen:prompt const=DetectPrompt
//samplegen:output Language
//samplegen:params temperature=0.2
type Detect struct {
	Text string `json:"text"`
}

// DetectPrompt is the prompt of detect_language.
const DetectPrompt = `Which language is this text in?

{{fence .Text}}`

// Language is the answer.
type Language struct {
	Code Code `json:"code"`
}

// Code is a language code.
type Code string

// The codes.
const (
	English Code = "en" // English
	French  Code = "fr" // French
	Other   Code = "other"
)
