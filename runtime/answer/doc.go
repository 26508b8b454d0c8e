// Package answer turns what a model said into a JSON value that is valid
// against a JSON Schema, says what it repaired on the way, and refuses what
// cannot honestly be had, with an error written to go back to the model.
//
//	v, repairs, err := answer.Parse("Sure!\n```json\n{'label': 'Positive',}\n```", "endTurn", schema)
//	// v: map[label:positive]
//	// repairs: fence, quotes, trailing-comma, /label enum-case
//	// err: nil, or e.g. `/label: expected one of "positive", "negative", got "happy"`
//
// [Unmarshal] does the same and decodes the value into a Go value; [Text]
// takes a plain-text answer for a string output.
//
// # Stages
//
// Candidates. The value may be the whole answer, the content of an answer
// tag (<answer>, <output>, <json>, ...), a Markdown fence, or a balanced
// {...} or [...] span in prose. Reasoning blocks (<think>, <reasoning>, ...,
// and all before a lone </think>) are set aside first. When the schema wants
// an enum value, or something that holds one, the answer's bare text is a
// candidate too.
//
// Syntax. A first tier, this package's own parser, reads strict JSON in one
// pass and also reads past, naming each, the deviations models make most:
// trailing commas, comments, single and typographic quotes, unquoted keys,
// Python literals, raw newlines in strings, invalid escapes, repeated keys
// with the same value, non-ASCII spaces, invalid UTF-8. What it cannot read
// goes to a second tier, github.com/kaptinlin/jsonrepair (missing commas and
// colons, unescaped quotes inside strings, ellipses, bare words, string
// concatenation). That library edits text silently, so the text before and
// after is diffed and each edit is reported as a [Repair]; it is given only
// balanced text, and an edit that adds a bracket is refused, so it never
// completes a cut-off value or joins two values into a list.
//
// Coercion to the schema, where the intent is plain: enum values by case,
// spacing, separators and decoration ("TECH_SUPPORT", "**Neutral**."); an
// enum value followed by an explanation ("negative - the customer is
// angry"); the one enum value a prose answer names as a word; numbers and
// booleans from strings ("0.85", "12,111", "yes"); one value where a list is
// wanted and a list of one where one value is wanted; a lone value into the
// one field of an object that holds it; keys by case and separators
// ("Confidence", "maxScore" for "max_score"); JSON inside a string; unknown
// keys dropped where the schema forbids them; null dropped from an optional
// field that cannot be null; defaults for missing fields; an integer
// written with a fraction or an exponent (5.0, 1e2) where an integer is
// wanted, written plainly so that it decodes into a Go integer (where any
// number will do, it is no repair, and the answer stands as written). Where two
// readings fit alike, coercion refuses instead of guessing: two enum values
// named in prose, a value that is negated or hedged ("not negative", "maybe
// positive"), an explanation that names another value, two enum values that
// fold alike, a key given twice with different values, and so two keys
// that name one field when case and separators are ignored ("Sentiment"
// and "SENTIMENT", or either beside "sentiment" where the schema allows no
// other keys) with different values; with the same value they are read
// once, with one repair.
//
// Of each kind of repair at most [MaxRepairsPerKind] are listed, and the
// last one listed counts the rest in its More: an answer of 100,000
// unknown keys reports three and a count. Paths in repairs and errors are
// cut short too: each key to 64 bytes and "…", the whole path to 512
// bytes and "/…".
//
// Choice. Each candidate that yields a valid value costs the sum of the
// weights of its repairs (finding JSON in prose costs more than in a fence;
// a guess by jsonrepair more than the same fix read by the first tier). The
// cheapest wins; two different values at the same cost are refused.
//
// Validation. The value is checked against the schema. For the keywords
// generated schemas use (type, enum, const, the numeric and string bounds,
// pattern, items, uniqueItems, properties, required, additionalProperties,
// min/maxProperties, local $ref) a validator compiled once per schema judges;
// a schema that uses any other keyword (allOf, anyOf, oneOf, not, if,
// patternProperties, remote $ref, a draft other than 2020-12, ...) is judged
// by github.com/google/jsonschema-go. The compiled validator exists for
// speed: jsonschema-go takes 30 to 40 µs to validate a 1 KiB value, three
// times what encoding/json takes to decode it, which alone breaks the
// budget of a clean answer (at most twice plain decoding). It follows
// jsonschema-go's semantics keyword by keyword, and a test and a fuzz target
// (FuzzChecker) hold its verdict equal to jsonschema-go's; FuzzParse holds
// that every value Parse returns is valid by jsonschema-go's verdict.
//
// One format is checked, though JSON Schema makes formats annotations and
// jsonschema-go ignores them: a string where the schema says "format":
// "date-time" (a time.Time field's schema) must be what time.Time decodes
// (RFC 3339), or the value is refused at its path, as in
// `/due: "tomorrow" is not a date-time (RFC 3339, such as
// "2026-03-01T09:30:00Z")`, rather than failing to decode later with no
// path. Of several, the first in path order is named. A schema with a
// date-time in it skips the verbatim fast path of [Unmarshal] and [Valid].
//
// A value that breaks the schema in several places is refused with one
// *Error naming each place with its JSON Pointer, up to [MaxErrors] of
// them and a count of the rest, so that one re-ask can have them all
// fixed. They come in the order of the value: an array's items by index,
// an object's fields by name (a decoded object keeps no order of its own),
// a missing required field in its place among them. Only the check that
// words the error goes on past the first violation; the check that only
// decides whether a candidate is valid stops there and allocates nothing.
// Where jsonschema-go judges, its message is passed on as it words it,
// when the checker found nothing to say itself. Other refusals (syntax, a
// cut-off answer, a choice coercion will not make) are one message each.
//
// # Text answers
//
// For an output that is plain text, whose schema is {"type": "string"}
// without enum or const (a summary, a translation), [Text] takes the
// answer's text itself as the value: reasoning blocks set aside as above,
// JSON white space trimmed, and the text taken out of a Markdown fence or
// a JSON string literal when the whole answer is one ([KindFence],
// [KindQuoted]). No JSON is looked for and nothing is coerced; the string
// is checked against the schema (minLength, maxLength, pattern) as Parse
// checks. A stop reason of "maxTokens" is always refused, with an error
// matching [ErrTruncated]: a cut summary can read as a whole one. An enum
// output goes through Parse, which matches "Positive" to "positive".
//
// # Truncation
//
// With stop reason "maxTokens" ([StopMaxTokens]) an incomplete value is
// never returned as if whole: candidates from an unclosed fence or tag, a
// span inside an unclosed bracket, a number running to the end of the text
// and the bare text of the answer are not taken, and no repair completes a
// value. The error matches [ErrTruncated], and the runtime re-asks, with a
// larger token limit where one is configured.
//
// # Limits
//
// Answers longer than [MaxInputBytes] or nested deeper than [MaxDepth] are
// refused with an *Error. At most [MaxCandidates] candidates are tried, and
// enum words are looked for in at most [MaxProseBytes] of prose.
// jsonrepair, whose work grows with the square of its input (32 KiB of
// broken list items cost it 1.2 GB of allocation and half a second), is
// given at most [MaxRepairBytes] of an answer in all, in at most
// [MaxRepairCalls] candidates, and its result is taken with at most
// [MaxLibraryEdits] edits; an 8 KiB span costs it 80 MB at worst, a
// realistic one 4 MB, and an answer of 1 MiB no more. Every stage is linear
// in the input or bounded by these limits: TestLibraryLinear holds the
// bytes a parse allocates linear in the answer from 2 KiB to 1 MiB for
// answers made of spans for jsonrepair (before the budget, 1 MiB of them
// cost 38 GB and 12 s), TestLimits runs pathological inputs that
// BenchmarkAdversarial times, and the fuzz targets hold that nothing
// panics.
//
// Messages are bounded too: an *Error names at most [MaxErrors] places in
// about 2 KB at most, quotes the answer's values, keys and numbers as
// excerpts of at most 80 bytes ending in "...", and a schema's long list of
// allowed values or fields in part, so a million-digit number or a 1 MB
// string costs a re-ask no more than a short one.
//
// # Decoding
//
// [Unmarshal] decodes the value with encoding/json. What the schema allows
// and the Go type cannot hold (an integer beyond int64 where the schema
// sets no bound, a fraction for a Go int where the schema allows any
// number) is an *Error at the value's path, such as
// "/n: 9223372036854775808 does not fit in int64", for a re-ask like any
// other.
//
// # Choosing jsonrepair
//
// Two maintained Go JSON-repair libraries were tried on the corpus and on
// inputs built to probe them. github.com/RealAlexandreAI/json-repair (a port
// of Python's json_repair) changes values as it repairs: it decodes numbers
// through float32 (0.7 becomes 0.699999988079071), drops data it cannot place
// ({"a" 1} becomes {"a": ""}, "1_000" becomes 1), turns prose into "", and its
// repair log misses most repairs. github.com/kaptinlin/jsonrepair (a port of
// josdejong/jsonrepair, MIT) edits the text in place, keeps what it does not
// touch byte for byte, and fails rather than invent where it cannot repair,
// which makes its edits exact to diff and name. It is slow (about 55 µs for
// a messy 1 KiB) and completes truncated values, hence its place as the
// second tier, on balanced text only.
package answer
