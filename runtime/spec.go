package runtime

import (
	"time"

	"github.com/samplegen/samplegen/prompt"
)

// A Spec is everything the generator knows about one sampling tool. Generated
// code fills one per annotated type and hands it to [NewTool]; hand-written
// code may do the same.
type Spec[In, Out any] struct {
	Name        string // MCP tool name
	Title       string // human-readable name, optional
	Description string // the type's doc comment

	InputSchema  string // JSON Schema of In, as JSON
	OutputSchema string // JSON Schema of Out, as JSON

	PromptName string // where the prompt came from (a file name), for errors
	Prompt     string // text/template source; see package prompt
	Enums      []Enum // the meaning of each enum value in Out, shown to the model

	Params Params

	// Fallback, when set, is called with the last error when sampling did not
	// yield a valid value; generated code sets it to In's Fallback method.
	Fallback func(In, error) (Out, error)
}

// Enum lists the allowed values of one field of the output and what each means.
type Enum = prompt.Enum

// EnumValue is one allowed value of an [Enum].
type EnumValue = prompt.EnumValue

// Params are the sampling parameters of a tool. Zero values mean the defaults
// given on each field.
type Params struct {
	Temperature *float64      // nil: the client's default
	MaxTokens   int64         // 0: 1024
	Retries     *int          // re-asks after an invalid answer; nil: DefaultRetries
	Timeout     time.Duration // deadline of each ask; 0: DefaultTimeout

	// TruncatedMaxTokens, when larger than MaxTokens, is the token limit of
	// the re-ask that follows an answer cut off at the limit. 0: re-ask with
	// the same limit (the re-ask still asks for a shorter answer).
	TruncatedMaxTokens int64

	StopSequences []string
	// ModelHints name preferred models, best first (MCP modelPreferences.hints).
	ModelHints []string
	// Priorities in [0,1], nil when unset (MCP modelPreferences).
	CostPriority, SpeedPriority, IntelligencePriority *float64
	// Metadata is passed through to the client as the request's metadata.
	Metadata map[string]any
	// FullSchema shows the model the whole output JSON Schema instead of
	// its shape (prompt.Shape), for models that do better with it. The
	// shape says the same in far fewer tokens; the schema governs parsing
	// either way.
	FullSchema bool
}

// Defaults applied where Params leave a field zero.
const (
	DefaultMaxTokens = 1024
	DefaultRetries   = 2
	DefaultTimeout   = 60 * time.Second
)

// Float returns a pointer to f, for the optional fields of [Params].
func Float(f float64) *float64 { return &f }

// Int returns a pointer to n, for the optional fields of [Params].
func Int(n int) *int { return &n }
