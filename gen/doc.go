// Package gen is samplegen's code generator: it turns annotated Go
// declarations into typed MCP sampling tools. The command samplegen
// (github.com/samplegen/samplegen/cmd/samplegen) is a thin wrapper around
// [Generate]; this comment is its manual.
//
// # Example
//
// Given sentiment.go:
//
//	package sentiment
//
//	//go:generate go tool samplegen
//
//	// AnalyzeSentiment classifies the sentiment of a short text.
//	//
//	//samplegen:tool analyze_sentiment
//	//samplegen:prompt sentiment.tmpl
//	//samplegen:output SentimentResult
//	//samplegen:params temperature=0 max_tokens=64 retries=2 timeout=30s
//	type AnalyzeSentiment struct {
//		Text string `json:"text" jsonschema:"description=The text to classify,minLength=1"`
//	}
//
//	type SentimentResult struct {
//		Sentiment  Sentiment `json:"sentiment" jsonschema:"default=neutral"`
//		Confidence float64   `json:"confidence" jsonschema:"minimum=0,maximum=1"`
//	}
//
//	// Sentiment is the polarity of a text.
//	type Sentiment string
//
//	const (
//		Positive Sentiment = "positive" // approval, praise or joy
//		Negative Sentiment = "negative" // complaint, anger or sadness
//		Neutral  Sentiment = "neutral"  // neither
//	)
//
// and sentiment.tmpl beside it:
//
//	{{define "system"}}You classify the sentiment of short texts.{{end -}}
//	Classify this text:
//
//	{{fence .Text}}
//
// go generate writes sentiment_samplegen.go, which declares
//
//	func SampleAnalyzeSentiment(ctx context.Context, s runtime.Sampler, in AnalyzeSentiment, opts ...runtime.CallOption) (SentimentResult, error)
//	func AnalyzeSentimentTool() *mcp.Tool
//	func AddAnalyzeSentiment(srv *mcp.Server, opts ...runtime.ToolOption)
//	func AddTools(srv *mcp.Server, opts ...runtime.ToolOption)
//
// over a runtime.Tool built from a runtime.Spec that holds the tool's name,
// description, input and output JSON Schemas, prompt, enum meanings and
// sampling parameters. The generated code is thin glue: all behaviour lives
// in package runtime. The repository's examples/sentiment is this example,
// runnable.
//
// # Usage
//
//	samplegen [-check] [packages]
//
// The packages are patterns as the go command takes them; the default is
// ".", which is what a //go:generate line in the package wants. With -check
// samplegen writes nothing, lists each generated file that is missing, stale
// or no longer wanted, and exits 1 if there is any (for CI:
// go tool samplegen -check ./...). Problems in the sources are printed one
// per line as file:line:col: message, like the Go compiler's, all of them
// (not only the first), and samplegen exits 1 without writing anything.
// Warnings (see Untrusted input in the system prompt) are printed the same
// way, as file:line:col: warning: message, before any errors; they do not
// change the exit code.
//
// # Directives
//
// Directives are //samplegen: lines in the doc comment of a declaration,
// with no space after //, so that gofmt and godoc leave them out of the
// documentation. A directive anywhere else is an error, and so is an
// unknown directive, a repeated one (but params may be split over several
// lines), or one that does not apply to the declaration.
//
// On a struct type, the directives make a sampling tool whose input is the
// struct:
//
//	//samplegen:tool NAME
//
// Required. The MCP tool name: 1 to 128 of A-Z a-z 0-9 _ - and ".". Tool
// names are unique within a package.
//
//	//samplegen:title TITLE
//
// Optional. The tool's human-readable title (MCP's title), the rest of the
// line. Default: none.
//
//	//samplegen:prompt FILE
//	//samplegen:prompt const=NAME
//
// Required. The prompt template: a file, by a slash-separated path relative
// to the directory of the Go file (usually just its name, beside it), or a
// string constant of the package. See Prompt templates.
//
// The file must be inside the module that holds the package (the
// directory tree of its go.mod), both as the path reads and once symbolic
// links are resolved, and a regular file, not a directory, device, named
// pipe or socket; and it may hold at most 1 MiB, which samplegen reads
// through an io.LimitReader, so that a wrong path cannot embed a file from
// elsewhere in the generated code, fill memory or wait forever.
//
//	//samplegen:output TYPE
//	//samplegen:output TYPE KEYS
//
// Required. The output type: a type declared in the same package, not
// generic, or a predeclared type such as string, int, float64 or bool. It
// may be of any kind that has a JSON Schema: a struct (an object), a
// string, a number, a boolean, a slice or array (a list), a map with string
// keys, or an enum (a named string or integer type with constants); not an
// interface, channel, function or pointer type. An output that is a string
// without an enum or const is text: the runtime asks the model for plain
// text and takes it as it is, so the type must be a Go string without a
// MarshalText or UnmarshalText method. The output schema is the value's
// own; for clients before protocol 2026-07-28, which take only object
// schemas, the runtime wraps a value that is not an object under the
// property "result" (runtime.ResultProperty).
//
// KEYS, after the type, are the keys of a jsonschema tag (see Schemas) for
// the output as a whole, which has no field to carry a tag; they apply as
// they would on a field of the type, but not to a type with recursive
// types in it, and required, nullable, oneof_required, anyof_required,
// type, oneof_type and anyof_type are errors there:
//
//	//samplegen:output Summary maxLength=400
//	//samplegen:output string minLength=1,maxLength=80,description=A headline
//	//samplegen:output Mood default=neutral
//
// A default there is what the runtime falls back to when the input type
// has no Fallback method (see Hooks).
//
//	//samplegen:params KEY=VALUE ...
//
// Optional. Sampling parameters, each key at most once. A value may be a Go
// string literal ("a b", `raw`) where it holds spaces or commas.
//
//	temperature            a number >= 0          default: the client's
//	max_tokens             an integer > 0         default: runtime.DefaultMaxTokens (1024)
//	truncated_max_tokens   an integer larger than max_tokens: the limit of the
//	                       re-ask after an answer cut off at the limit
//	                                              default: the same limit
//	retries                an integer >= 0: re-asks after an invalid answer
//	                                              default: runtime.DefaultRetries (2)
//	timeout                a Go duration > 0, such as 30s or 2m: the deadline
//	                       of each ask            default: runtime.DefaultTimeout (60s)
//	stop                   stop sequences, comma-separated, such as stop="\n\n","END"
//	                                              default: none
//	model                  model name hints, best first, comma-separated, such as
//	                       model=claude-sonnet,gpt-4o
//	                                              default: none (the client chooses)
//	cost_priority          a number from 0 to 1   default: unset
//	speed_priority         a number from 0 to 1   default: unset
//	intelligence_priority  a number from 0 to 1   default: unset
//
// For example:
//
//	//samplegen:params temperature=0.7 max_tokens=300 truncated_max_tokens=2000
//	//samplegen:params stop="\n\nUser:" model=claude-sonnet intelligence_priority=1
//
//	//samplegen:enum OUTPUT-PATH .InputField
//
// Optional, once per output path. The output value at OUTPUT-PATH must be
// one of the values the call's input gives in InputField: labels chosen by
// the caller, such as a multi-label classifier's. OUTPUT-PATH is written as
// {{enum}} paths are ("label", "labels[]" for the items of a list,
// "by_part.*" for the values of a map, "items[].kind"; a quoted "" for an
// output that is itself the value) and must name a plain string of the
// output: not a list (name its items), not an enum of constants, without
// enum=, const= or default= (a default need not be among a call's labels),
// and not inside a recursive type. InputField is a field of the input
// type, or of a struct field of it (.Options.Labels, through no pointer),
// of type []string or a slice of a string type (the values, in order), or
// a map from a string type to a string type, such as map[string]string
// (value to meaning, in key order; the meanings are the
// caller's text, so the model sees them only where the prompt's user
// message lists them with {{enum}}, each on one line and cut to 200 runes,
// never in the system prompt):
//
//	//samplegen:enum labels[] .Labels
//	//samplegen:enum route .Options.Routes
//
// The runtime makes the output schema of each call with that call's values
// (runtime.Spec.EnumsFromInput): the model is shown them, {{enum "labels[]"}}
// lists them, an answer's case is repaired to them ("Urgent" becomes
// "urgent") and an answer outside them is re-asked. An input that gives no
// values fails the call with runtime.ErrNoEnumValues before the model is
// asked; add jsonschema:"minItems=1" to the field to have the caller told
// by the input schema as well. So does one that gives more than 256 values
// or 16 KiB of values and meanings (runtime.ErrTooManyEnumValues: add
// maxItems and maxLength so that callers are told), or two values that
// differ only in case (runtime.ErrEnumValuesDifferInCase). The schema
// clients list (tools/list) has no enum there, its values changing from
// call to call.
//
// The tool's description is the declaration's doc comment without the
// directive lines, written for the clients that show it: the Go name that
// opens the comment goes ("AnalyzeSentiment classifies a text." is
// described as "Classifies a text.", "Ticket is a support ticket." as "A
// support ticket."), and so do the comment's hard line breaks, but not its
// paragraphs. The input type may not be generic, but it may be an alias
// of a struct type, such as type Search = Query[Filter] for an instance of
// a generic type, and so may the output type (type StrPage = Page[string]):
// the generated code names them by the alias.
//
// # Function tools
//
// A tool with logic of its own is a function:
//
//	// Triage reads a ticket and decides where it goes.
//	//
//	//samplegen:tool triage
//	func Triage(ctx context.Context, s runtime.Sampler, in Ticket) (TriageResult, error) {
//		sum, err := SampleSummarize(ctx, s, Summarize{Text: in.Body})
//		...
//	}
//
// Its signature must be exactly that: a context.Context, a runtime.Sampler
// and an input, and an output and an error; In is a named struct type (of
// any package), Out a named type of any package or a predeclared type such
// as string or int, of any kind a sampling tool's output may have (see
// samplegen:output), neither is a pointer, an instance of a generic type
// is named by an alias (type StrPage = Page[string], not Page[string]
// itself), and the function is not generic (it may be a method, see below). The
// input and output schemas come from In and Out; the description from the
// doc comment. Only samplegen:tool and samplegen:title
// apply: the prompts and parameters are those of the sampling tools it
// calls. On a multi round-trip session the runtime runs the function again
// from the top for each round trip (see runtime.FuncSpec), so it must ask
// the same things in the same order given the same input.
//
// A function tool may be a method, of a value the server builds (a
// database or HTTP client), so that the tool gets its dependencies without
// globals:
//
//	type Client struct{ db *sql.DB }
//
//	// Lookup finds a customer.
//	//
//	//samplegen:tool lookup
//	func (c *Client) Lookup(ctx context.Context, s runtime.Sampler, in Query) (Customer, error)
//
// The receiver is a named type of the package, not generic, by pointer or
// value (an interface, a pointer type or a type of another package cannot
// have methods, and Go says so too). The generated
//
//	func AddLookup(srv *mcp.Server, client *Client, opts ...runtime.ToolOption)
//
// registers the tool with client.Lookup as its body
// (runtime.FuncTool.Bind), and LookupTool() describes it as for a
// function. AddTools then takes each receiver type once, after srv and in
// the order of the type's first method tool in the sources, as a pointer
// when any of its method tools has a pointer receiver:
//
//	func AddTools(srv *mcp.Server, client *Client, greeter Greeter, opts ...runtime.ToolOption)
//
// The parameter is named after the type (Client: client, HTTPClient:
// httpClient). The generated names come from the method's name, so two
// method tools of one name on two types are an error: rename one.
//
// # Hooks
//
// Hooks are methods, type-checked by the compiler.
//
//	func (SentimentResult) Validate() error
//
// on the output type, or on any type in it (with a value or pointer
// receiver), checks what a schema cannot say; the runtime calls every one
// on every answer, and its error (with the JSON path of the value) goes
// back to the model in the re-ask.
//
//	func (f Findings) Validate(in Review) error
//
// is the same with the call's input (Review being the tool's input type),
// for what only the input can tell, such as findings that must point at
// lines of the code given. A Fallback's value goes through both, with the
// same input. A method named Validate with another signature is an error,
// as the runtime would never call it. (A function tool's output is not
// validated; its body checks what it returns.)
//
//	func (AnalyzeSentiment) Fallback(err error) (SentimentResult, error)
//
// on the input type is called with the last error when sampling does not
// yield a valid answer. It must have a value receiver and exactly that
// signature; a method named Fallback that does not is an error. Without
// one, the output schema's defaults are the fallback where they make a
// valid value.
//
// # Generated names and files
//
// For a sampling tool whose input type is T the generated file declares
// samplegenT, SampleT, TTool and AddT; for a function tool F, samplegenF,
// FTool and AddF (for a method, F is the method's name); and once per
// package AddTools. The first letter is upper-cased, so an unexported
// type or function still gets exported functions. A name the package already declares is an error. The file is
// <package name>_samplegen.go in the package's directory. It starts with
// "// Code generated by samplegen. DO NOT EDIT." and "// Source:" lines, is
// gofmt'd, asserts runtime.SupportPackageIsVersion2 so that a generated file
// and a runtime that are out of step fail to build ("run go generate"), and
// lists tools in source order; the same sources give the same bytes.
// samplegen writes it only when its content changes, and removes it (only
// if it starts with that header) when the package has no tools any more.
//
// # Stale generated code does not build
//
// The schemas come from the fields of struct types, so a field added to an
// annotated type (or removed, retyped, renamed, reordered or retagged, in
// it or in a struct type of the package its schemas are built from, such
// as an embedded struct or Page[Step]) makes the generated file stale. The
// file asserts each such type's fields at compile time, in a function
// named _ that is type-checked and never run, so go build, go vet and go
// test of the package fail until go generate runs again:
//
//	plan_samplegen.go:12:65: cannot use Step{} (value of struct type Step) as struct{...} value in argument to
//	samplegenSameFields[struct{...}]("Step has changed since samplegen ran: run go generate")
//
// The check is struct identity: a named struct type is assignable to an
// unnamed one only when every field has the same name, type, tag and
// embedding, in the same order. Unexported fields count too (they are part
// of the type, though not of the schema). Struct types of other packages
// of the same module are checked when this package could write them out
// (every field exported, every type they name importable from here); those
// that have unexported fields or name types this package cannot are left
// to samplegen -check. So are the struct types of other modules (such as
// mcp.Annotations): an upgrade of the dependency that adds a field would
// otherwise break the build of every package that imports this one, where
// nobody can run go generate (in the module cache); run samplegen -check
// after an upgrade instead. What is not a struct's fields, such as an enum type's
// constants or the element type of a named slice type, is left to -check
// as well. The generated file declares samplegenSameFields once; a package
// that declares the name itself is an error.
//
// # Packages that do not compile yet
//
// samplegen works from source with go/types, never by building the
// package, because the package usually does not build before its generated
// file exists: other files call AddTools or SampleX, and after a rename the
// old generated file names types that are gone. The existing generated file
// is read as empty, so a stale one cannot get in the way, and type errors
// are ignored except where they break a type the generator needs, which is
// then an error at the field. A package that does not load for a problem
// of the module rather than the code is reported as that, one line an
// error, and nothing else of the package is: the types it could not load
// would only make errors that do not say why. A problem in a dependency of
// an import is reported at that import. A missing go.sum entry or a go.mod
// that lacks a requirement ends "run go mod tidy"; no go.mod at all, "run
// go mod init"; a checksum mismatch says not to edit go.sum (see go help
// module-auth); others, such as a replace to a directory that does not
// exist, are in the go command's words.
//
// The packages are listed with go list and their dependencies read from
// the export data go list -export builds (as go/packages does, which
// samplegen falls back to for packages with cgo files), but without asking
// the go command to prepare the compiled files of every dependency or to
// compile the packages themselves: that keeps a run as fast as go vet of
// the same package (BenchmarkGenerate, BenchmarkGoVet).
//
// # Schemas
//
// The input and output JSON Schemas (draft 2020-12) are built from go/types
// following github.com/invopop/jsonschema's conventions and held in its
// Schema type, and written as indented JSON in raw string literals so that
// a change to what the model is told shows up in code review. The top level
// of an input, and of a struct output, is the expanded object form:
//
//	{"$schema": "https://json-schema.org/draft/2020-12/schema",
//	 "properties": {...}, "additionalProperties": false, "type": "object", "required": [...]}
//
// and that of an output of another kind is its type's schema, with the keys
// of samplegen:output, such as
//
//	{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "string", "maxLength": 400}
//
// Types map as encoding/json marshals them:
//
//	string                          "type": "string"
//	bool                            "type": "boolean"
//	int8 ... int32, uint8 ... uint32  "type": "integer" with the type's minimum and maximum
//	int, int64                      "type": "integer"
//	uint, uint64                    "type": "integer", "minimum": 0
//	float32, float64, json.Number   "type": "number"
//	[]T, [N]T                       "type": "array" with "items" ([N]T also minItems = maxItems = N)
//	[]byte                          "type": "string", "contentEncoding": "base64"
//	map[K]T, K a string type        "type": "object" with "additionalProperties" (none for any)
//	map[K]T, K an integer type      the same, and "propertyNames": {"pattern": "^-?[0-9]+$"}
//	                                (unsigned: "^[0-9]+$"): keys are decimal strings
//	map[K]T, K has MarshalText      the same as a string key: keys are K's text
//	  and UnmarshalText
//	struct                          an object: "properties", "required", "additionalProperties": false
//	*T                              T's schema; as a field, optional and nullable
//	any, json.RawMessage            any value (true)
//	time.Time                       "type": "string", "format": "date-time"
//	time.Duration                   "type": "integer", nanoseconds as encoding/json writes
//	                                them, the description saying so (see below)
//	a type with MarshalText         "type": "string" (net.IP, netip.Addr, ...)
//	a recursive type                a reference into "$defs" ("#" for the root type)
//
// Named types of other packages (the standard library's, go-sdk's) are
// described by their structure like the package's own.
//
// A field is a property named by its json tag (or the Go name), skipped for
// json:"-" or jsonschema:"-" and when unexported; an embedded struct (or
// pointer to one) without a json name lends its fields, as does a field
// with the option ",inline". A field is required unless its json tag has
// omitempty or omitzero or its type is a pointer; jsonschema:"required"
// makes it required all the same. A pointer field may also be null:
// "oneOf": [schema, {"type": "null"}]. The json ",string" option makes
// numbers and booleans strings.
//
// A field's doc comment (the comment above it), else its line comment (the
// one after it on its line), is its description when its tags give none:
// description= and jsonschema_description win. The comment is taken as Go
// wrote it, the Go name at its start too (as invopop's AddGoComments
// does), with its line breaks and runs of spaces made one space, and cut at
// a space to at most 1000 bytes, since every call sends the schema.
// Directive lines such as //nolint:x are not part of a comment's text. Only
// the fields of the package's own named struct types have one: an anonymous
// struct type's fields and other packages' types have none, and a type's
// doc comment describes nothing (it is about Go; a tool's description is
// its input type's doc comment).
//
// A time.Duration is the integer of nanoseconds encoding/json writes and
// reads (90 minutes is 5400000000000; "90m" is not accepted), so its
// description tells the model the unit: "An integer number of nanoseconds:
// 1s is 1000000000, 1m is 60000000000.", after the field's own description
// when it has one.
// A tool whose model should write "90m" declares a string field and parses
// it with time.ParseDuration in Validate or the tool's code.
//
// A named string or integer type declared in the package (any file) that
// has constants is an enum of their values, in declaration order, a value
// declared twice counting once. The comment of each constant (the line
// comment after it, else the doc comment above it, else that of a const
// declaration of one spec) is the value's meaning: it goes into the tool's
// Enums, which the prompt's instructions show the model beside the schema
// and the {{enum}} helper prints; enums whose values have no comments at all
// are left out of Enums. An integer enum has no range, its values being
// narrower. Types of other packages are never enums: their constants may be
// units (time.Duration) rather than values.
//
// A struct tag must have the conventional form, key:"value" pairs
// separated by spaces: a malformed one (jsonschema:description=x, without
// quotes) is an error at its field, since encoding/json and the schema
// would silently drop its keys from the mistake on.
//
// The jsonschema tag is a comma-separated list (a backslash escapes a
// comma) of:
//
//	title=, description=, anchor=       any field
//	type=                               any field: overrides the JSON type
//	required, nullable                  any field (nullable: oneOf the schema and null)
//	oneof_required=GROUP, anyof_required=GROUP
//	                                    the struct must have all the fields of one
//	                                    (any) group: a oneOf (anyOf) of required lists
//	oneof_type=T;T..., anyof_type=T;T...
//	                                    any field: oneOf (anyOf) these JSON types
//	minLength=, maxLength=, pattern=, format=, readOnly=, writeOnly=
//	                                    strings
//	multipleOf=, minimum=, maximum=, exclusiveMinimum=, exclusiveMaximum=
//	                                    numbers (within the range of a sized integer)
//	minItems=, maxItems=, uniqueItems=true
//	                                    arrays; other keys apply to the items
//	default=, example=, enum=, const=   strings, numbers, booleans (default and
//	                                    const only); repeat example= and enum= for
//	                                    each value; default= of an array repeats too
//
// jsonschema_description:"..." is a description too, and
// jsonschema_extras:"key=value,..." adds keywords of your own (such as
// x-order=1; true and false become booleans, a repeated key a list).
//
// Where invopop ignores a mistake silently, samplegen reports it: an unknown
// key or option, a key that does not apply to the field's type, a value
// that does not parse, a bound outside a sized integer's range, a default
// that is not one of the enum values, enum= on a type whose constants make
// it an enum, an extras key that is a JSON Schema keyword. A field whose
// type has no JSON form (chan, func, complex, uintptr, unsafe.Pointer, an
// interface with methods, a map whose keys encoding/json cannot write), a type whose JSON is
// decided by code samplegen does not run (a MarshalJSON or JSONSchema-style
// method), url.URL (an object in encoding/json, not a string), a struct that
// embeds itself, and the oneof_ref and anyof_ref keys (samplegen schemas
// have no definitions to refer to but those of recursive types) are errors
// at the field. An input type must have an object schema (MCP input
// schemas are objects, and a MarshalText type is a string); an output type
// may be of any of the kinds samplegen:output lists.
//
// # Differences from invopop/jsonschema
//
// TestGeneratedCode holds every schema generated for the test cases and the
// repository's examples equal to what
//
//	jsonschema.Reflector{Anonymous: true, ExpandedStruct: true, DoNotReference: true}
//
// reflects for the same Go type at run time, apart from these deliberate
// differences, each applied to invopop's output by named code in package
// gen/internal/parity, and each required by the test to be needed by some
// case:
//
//	enum-constants             named string and integer types with constants are
//	                           enums of their values: reflection cannot see
//	                           constants, and the model needs the values.
//	integer-range              sized integers carry their range: json.Unmarshal
//	                           rejects numbers outside it; invopop says "integer".
//	pointer-optional-nullable  pointer fields are optional and may be null:
//	                           json.Unmarshal reads a missing key and null alike
//	                           into nil; invopop requires them unless omitempty.
//	text-marshaler             MarshalText types are strings, as encoding/json
//	                           writes them; invopop describes their Go structure
//	                           (and net.IP as ipv4 only).
//	json-number                json.Number is a number; invopop says string.
//	recursion-defs             recursive types go to $defs and the root is "#";
//	                           invopop recurses forever without references, and
//	                           with them puts every named type in $defs and
//	                           leaves references to the root dangling.
//	const-tag                  the tag key const is read; invopop v0.14.0
//	                           ignores it.
//	output-keys                the keys after the type in samplegen:output apply
//	                           to the output's schema as a tag to a field's:
//	                           invopop reflects a root type without a tag.
//	integer-keys               integer map keys are held to digits by
//	                           propertyNames (negative ones too), and text keys
//	                           are strings; invopop gives signed keys
//	                           patternProperties "^[0-9]+$", unsigned ones none.
//	duration-nanoseconds       a time.Duration's description says its unit;
//	                           invopop says only "integer".
//	field-comments             a field's comment is its description as with
//	                           invopop's AddGoComments, but on one line, bounded,
//	                           and for unexported and generic types too; a
//	                           type's doc comment describes nothing.
//
// # Prompt templates
//
// A prompt is a text/template whose body is the user message; a
// {{define "system"}}...{{end}} block, when present, is the system prompt.
// Both are executed with the input value as dot; the helpers of package
// prompt ({{json}}, {{schema}}, {{enum}}, {{fence}}, {{excerpt}},
// {{indent}}, {{truncate}}, {{join}}) are the same at generate time and at
// run time.
//
// Text from the input belongs in a fence: {{fence .Text}} puts it inside a
// Markdown fence of more backticks than it holds, so that nothing in it
// can close the fence and pass itself off as instructions.
// {{excerpt 8000 .Body}} (or {{.Body | excerpt 8000}}) fences at most 8000
// runes of the text: it cuts the text first, ending it with "…", then
// fences it, and says after the fence how much the model sees. The other
// way round, {{fence .Body | truncate 8000}}, cuts the closing fence off
// a long text, which then runs into the rest of the prompt.
//
// samplegen parses the template when it generates, so a syntax error or an
// unknown function is a go generate error at the template's file and line
// (and column, for a function). Then it follows the types of the values the
// template will see at run time and checks, as text/template would at run
// time:
//
//   - every field path, such as .Author.Name, $.Text or $m.From, through
//     pointers, nested and embedded structs, maps with string keys and
//     methods; inside range and with, where dot becomes the element or the
//     value, and in {{define}}d templates, with the type {{template}} passes
//     them (a template called with two types is checked with each);
//   - variables, from {{$x := ...}} and {{range $i, $v := ...}};
//   - what range iterates over (slice, array, map, channel, integer,
//     iterator function) and what index and len apply to;
//   - calls: the number of arguments of methods, helpers and builtins, and
//     the type of each argument of a helper or method (text/template converts
//     nothing but constants, so {{fence .Count}} with an int Count is an
//     error, as it would be at run time), and a constant limit of excerpt,
//     which must be 1 or more;
//   - methods with pointer receivers, which a template can call only on a
//     pointer or an addressable value (the input is passed by value);
//   - {{enum "path"}}, whose argument must be a string literal naming an enum
//     of the output: a field ("sentiment", "items[].kind", "by_team.*"), a
//     field of the items or values of a list or map output ("[].kind",
//     "*.kind"), "" for an output that is an enum itself, or a value whose
//     values come from the input (samplegen:enum); or an enum of the input
//     ("tone", {{enum "tone"}} listing the tones a caller may ask for, with
//     their meanings). A path the output and the input both have is an
//     error: write "output:level" or "input:level" to say whose, as the
//     prefixes may always be written;
//   - {{template "name"}}, whose template must be defined, and may not call
//     itself, directly or through other templates: text/template would
//     recurse as deep as the tool's caller makes the input (a recursion
//     over a recursive type), up to its nesting limit of 100,000 calls,
//     each rendering more, so a template that recurses is an error at the
//     {{template}} that closes the loop.
//
// An error is at the template's file:line:col, or, for a prompt in a raw
// string constant, at the place in the Go file. Values of type any stop the
// checking of the paths below them: only run time knows what they hold.
//
// # Untrusted input in the system prompt
//
// The tool's input is written by whoever calls the tool, and the system
// prompt is where a model takes its instructions from. So samplegen warns,
// at the template's file:line:col, about a value of the input that the
// {{define "system"}} block (or a template it calls) prints unfenced: a
// field, a method's result, a range element or variable holding one, or
// what a helper such as printf, json or truncate makes of one. A value is
// fenced when it reaches the output only through {{fence}} or {{excerpt}};
// numbers, booleans and enums of the package (which the input schema
// confines to their constants) cannot hold instructions and are never
// warned about, nor are values used only in conditions ({{if .Draft}}),
// lengths and comparisons.
//
//	{{define "system"}}You review code in {{.Language}}.{{end}}     warning, if Language is a string
//	{{define "system"}}You review {{fence .Title}}.{{end}}          no warning
//
// It is a warning, not an error: samplegen cannot tell where an input comes
// from, and a sampling tool that only a function tool calls, with values
// its Go code chooses, may put them in the system prompt on purpose. The
// fix, where the text is the caller's, is to fence it or to move it to the
// user message, which the model reads as data.
package gen
