// Package prompt holds what samplegen prompts are made of: the helper
// functions a prompt template may call, and the instructions the runtime adds
// to the system prompt so that the model answers with JSON of the right shape
// ([Instructions], with the output's [Shape]).
//
// The helpers are one set, used both by the generator (to parse a prompt and
// check every call against the helper's Go signature at go generate time)
// and by the runtime (to render it), so a prompt that generates is a prompt
// that renders:
//
//	{{json .X}}             X as compact JSON
//	{{schema}}              the tool's output JSON Schema, indented
//	{{enum "path"}}         the allowed values of the output's enum field at
//	                        path ("sentiment", "items[].kind", "m.*"), one per
//	                        line with the meaning its constant's comment gives;
//	                        of the input's where only the input has one there;
//	                        "input:path" and "output:path" say whose
//	{{fence .Text}}         untrusted text inside a Markdown fence it cannot close
//	{{excerpt 8000 .Text}}  at most 8000 runes of Text, then fenced, with a line
//	                        saying how much was cut (truncate after fence would
//	                        cut the closing fence)
//	{{indent 4 .Text}}      every line of Text indented by 4 spaces
//	{{truncate 200 .Text}}  at most 200 runes of Text, with "…" when cut
//	{{join ", " .Tags}}     the elements of a slice, formatted with %v, between separators
//
// With text/template's pipelines the last argument can come first:
// {{.Text | truncate 200 | fence}}.
//
// A prompt template is a text/template whose body is the user message; a
// {{define "system"}}...{{end}} block, when present, is the system prompt.
package prompt
