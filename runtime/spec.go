package runtime

import (
	"slices"
	"strings"
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
	// InputEnumMeanings are the meanings of the values of In's own enums
	// (fixed when the tool is generated, like Enums), which
	// {{enum "input:path"}} prints (or {{enum "path"}} where Out has no
	// enum at path).
	InputEnumMeanings []Enum

	// EnumsFromInput are the values of Out whose allowed values are taken
	// from each call's input (labels chosen by the caller): for each call the output
	// schema, the instructions and respond tool the model sees,
	// {{enum "path"}}, the repair of an answer's case and its validation
	// take that call's values. Generated code fills it from
	// //samplegen:enum directives.
	EnumsFromInput []EnumFromInput[In]

	Params Params

	// Fallback, when set, is called with the last error when sampling did not
	// yield a valid value; generated code sets it to In's Fallback method.
	Fallback func(In, error) (Out, error)
}

// An EnumFromInput makes the value of the output at Path one of the values an
// input gives, per call.
type EnumFromInput[In any] struct {
	// Path names a string value of the output as {{enum}} paths do:
	// "label", "labels[]", "by_team.*", "items[].kind", "" for the output
	// itself. Its schema must be a plain string (no enum or const of its
	// own).
	Path string
	// Input names the input's field, as the tool's caller writes it (its
	// JSON name), for errors.
	Input string
	// Values returns the allowed values of a call, with their meanings if
	// any (Value a string). Duplicates count once. None is an error of the
	// call: the model could not answer anything. [EnumList] and [EnumMap]
	// make the values of a list or a map field.
	Values func(In) []EnumValue
}

// EnumList returns the values of a list of strings, in its order, without
// meanings: the values of an [EnumFromInput] from a []string field.
func EnumList[S ~string](list []S) []EnumValue {
	out := make([]EnumValue, len(list))
	for i, v := range list {
		out[i] = EnumValue{Value: string(v)}
	}
	return out
}

// EnumMap returns the keys of m as values and its values as their
// meanings, sorted by key (so that a call asks the same whatever the map's
// order): the values of an [EnumFromInput] from a map[string]string field of
// value to meaning.
func EnumMap[K, V ~string](m map[K]V) []EnumValue {
	out := make([]EnumValue, 0, len(m))
	for k, doc := range m {
		out = append(out, EnumValue{Value: string(k), Doc: string(doc)})
	}
	slices.SortFunc(out, func(a, b EnumValue) int { return strings.Compare(a.Value.(string), b.Value.(string)) })
	return out
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
