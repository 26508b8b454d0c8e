package gen

import (
	"go/token"
	"time"
)

// The model sits between loading and emitting, as mockgen's does: the loader
// turns the type-checked packages (go list and go/types, or go/packages for
// cgo) into these plain values, and the emitter turns them into Go code
// without looking at go/types or the AST again. Tests of either half can
// build or read a model without the other.

// A toolPackage is one Go package that has samplegen tools.
type toolPackage struct {
	Name    string   // package name, such as "sentiment"
	Path    string   // import path
	Dir     string   // directory the generated file is written to
	Tools   []tool   // in source order
	Sources []string // base names of the files that declare the tools, in order

	// Declared are the package-level names of the package's own files, which
	// the generated file's imports must not take.
	Declared []string

	// shapes are the struct types the schemas were built from, which the
	// generated file asserts unchanged (see stale.go).
	shapes []structShape
}

// A tool is one annotated declaration: a sampling tool (a struct type, its
// input, whose output is the type its output directive names) or a function
// tool (a function of a context, a runtime.Sampler and its input).
type tool struct {
	Name        string // MCP tool name, from samplegen:tool
	Title       string // from samplegen:title
	GoName      string // the input type's name, such as "AnalyzeSentiment", or the function's
	Description string // the doc comment without directives
	Func        bool   // a function tool: GoName is the function (or method)
	// Receiver is the type of a function tool that is a method (Name
	// empty otherwise), a type of the package; ReceiverPointer says the
	// method has a pointer receiver.
	Receiver        typeRef
	ReceiverPointer bool

	Input  typeRef
	Output typeRef

	InputSchema  string // JSON Schema of Input, indented JSON
	OutputSchema string // JSON Schema of Output, indented JSON
	// OutputKeys are the jsonschema tag keys samplegen:output gave after
	// the type, which OutputSchema has at its root.
	OutputKeys string

	PromptName string // the prompt's file name as written, or the constant's name
	Prompt     string // text/template source

	Enums       []enum // enum-typed values of the output whose values have comments
	Params      samplingParams
	HasFallback bool // Input has a method Fallback(error) (Output, error)

	// InputEnums are the output values whose allowed values each call's
	// input gives (samplegen:enum).
	InputEnums []inputEnum
	// InputMeanings are the enum-typed values of the input whose values
	// have comments, for {{enum "input:path"}}.
	InputMeanings []enum

	Pos token.Position // the samplegen:tool directive
}

// A typeRef names a Go type: a type of the package (Path is the package's
// own), of an imported one, or a predeclared type such as string (Path
// empty).
type typeRef struct {
	Path    string // import path; empty for a predeclared type
	PkgName string // the package's name
	Name    string
}

// An enum is a value of the output whose type is a named string or integer
// type with constants: its JSON path (such as "sentiment", "items[].kind",
// "a.b", or for the output's items or map values "[]" and "*"; "" for the
// output itself) and its values in declaration order.
type enum struct {
	Path   string
	Values []enumValue
}

// An inputEnum makes the output value at Path (an {{enum}} path) one of the
// values of the input's field Field (a Go selector such as "Labels" or
// "Options.Labels"; Input is its JSON path, for errors): the elements of a
// list of strings, or the keys of a map of string to string (Map), whose
// values are their meanings.
type inputEnum struct {
	Path  string
	Field string
	Input string
	Map   bool
}

// An enumValue is one constant of an enum type and its comment. Value is a
// string, an int64 or a uint64 (or, from an enum= tag, a json.Number).
type enumValue struct {
	Value any
	Doc   string
}

// samplingParams are the sampling parameters a samplegen:params directive gave; a nil
// pointer or zero value means the key was not given.
type samplingParams struct {
	Temperature        *float64
	MaxTokens          int64
	TruncatedMaxTokens int64
	Retries            *int
	Timeout            time.Duration
	StopSequences      []string
	ModelHints         []string

	CostPriority, SpeedPriority, IntelligencePriority *float64
}
