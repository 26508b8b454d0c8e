// Package answer turns what a model said into a JSON value that is valid
// against a JSON Schema, and says what it had to repair on the way.
//
// Models rarely answer with bare JSON: they wrap it in Markdown fences or
// prose, think out loud first, or write "Positive" where the schema says
// "positive". [Parse] looks at every candidate in the text (the whole text,
// each fenced block, each balanced {...} or [...] span, with <think> blocks
// set aside), coerces each to the schema where the intent is unambiguous,
// validates it, and keeps the valid candidate that needed the fewest repairs.
// Every repair is reported; none is silent.
//
// An answer cut off at the token limit (stop reason "maxTokens") is never
// pieced together into a value: only a complete candidate is accepted.
//
// When nothing valid can be had, the [*Error] says where in the value, what
// was expected and what came, in words meant to go straight back to the
// model in a re-ask.
package answer
