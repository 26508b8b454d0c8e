package prompt

import (
	_ "embed"
	"strings"
	"text/template"
)

// An Enum lists the values a field may take and what each one means, so the
// prompt can tell the model more than the bare schema does.
type Enum struct {
	Path   string      // where the field is in the output, such as "sentiment" or "items[].kind"
	Values []EnumValue // in declaration order
}

// An EnumValue is one allowed value and the comment of the constant that
// declares it.
type EnumValue struct {
	Value any
	Doc   string
}

// InstructionsData is what the instructions template renders.
type InstructionsData struct {
	System string // the prompt's own system block, rendered; may be empty
	Schema string // the output JSON Schema, indented: shown whole when Shape is empty
	// Shape is the output's shape as [Shape] renders it, shown instead of
	// the schema: the same rules in far fewer tokens.
	Shape string
	Enums []Enum
	// Tool, when set, names the tool the model must answer through; the
	// schema then travels as that tool's input schema, not in the prompt.
	Tool string
	// Text asks for plain text instead of JSON: the output is a string, and
	// the model's text is its value. Length, when set, says how long the
	// text must be ("at most 400 characters long"); Rules, whole sentences,
	// what else it must be.
	Text   bool
	Length string
	Rules  string
}

//go:embed instructions.tmpl
var instructionsText string

var instructions = template.Must(template.New("instructions").Funcs(template.FuncMap{"value": FormatValue, "documented": documented}).Parse(instructionsText))

// documented reports whether any value has a meaning to tell: a bare list of
// values says nothing the schema or shape has not.
func documented(values []EnumValue) bool {
	for _, v := range values {
		if v.Doc != "" {
			return true
		}
	}
	return false
}

// Instructions renders the system prompt of a sampling request: the
// prompt's own system block, then how to answer (with the schema, unless the
// answer goes through a tool or is plain text) and the meaning of each enum
// value. Everything after the system block depends on the tool alone, so
// the runtime renders it once per tool with System empty and joins the two
// with [JoinSystem].
func Instructions(d InstructionsData) string {
	var b strings.Builder
	if err := instructions.Execute(&b, d); err != nil {
		// The template is ours and its data are plain strings: it cannot fail.
		panic(err)
	}
	return b.String()
}

// JoinSystem joins a prompt's rendered system block and the instructions
// rendered without one, as [Instructions] would have rendered both.
func JoinSystem(system, instructions string) string {
	if system == "" {
		return instructions
	}
	return system + "\n\n" + instructions
}
