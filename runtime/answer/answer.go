package answer

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/google/jsonschema-go/jsonschema"
)

// StopMaxTokens is the MCP stop reason of an answer cut off at the token limit.
const StopMaxTokens = "maxTokens"

// Limits. Beyond them Parse refuses the answer with an *Error (never a panic,
// never a long wait), and the runtime re-asks.
const (
	// MaxInputBytes is the longest answer read: far beyond what a model
	// writes for a structured answer, small enough to bound the work.
	MaxInputBytes = 1 << 20
	// MaxDepth is the deepest nesting of objects and arrays read.
	MaxDepth = 128
	// MaxCandidates is the most places in one answer tried as the value.
	MaxCandidates = 32
	// MaxRepairBytes is the most text given to the second-tier syntax
	// repair (jsonrepair) in one parse, in all candidates together: a
	// candidate longer than what is left of it is not repaired. The
	// library's work grows with the square of its input (it copies what it
	// has written at every object member and every edit): 32 KiB of bare
	// list items cost it 1.2 GB of allocation and half a second, 8 KiB
	// costs 80 MB at worst, a realistic 8 KiB answer 4 MB.
	MaxRepairBytes = 8 << 10
	// MaxRepairCalls is the most candidates of one answer given to
	// jsonrepair.
	MaxRepairCalls = 4
	// MaxLibraryEdits is the most edits a second-tier repair may make to a
	// candidate; more is a rewrite, not a repair.
	MaxLibraryEdits = 16
	// MaxProseBytes is the longest text in which an enum value is looked
	// for as a word: in longer prose one mention is no answer.
	MaxProseBytes = 2000
	// MaxErrors is the most places an *Error names where a value breaks the
	// schema; it counts the rest. Enough for a model to fix several at
	// once, few enough to keep a re-ask short.
	MaxErrors = 8
	// MaxRepairsPerKind is the most repairs of one kind listed for an
	// answer; the last one listed counts the rest in its More. An answer
	// of 100,000 unknown keys is told as three and a count, not as a
	// report of ten megabytes.
	MaxRepairsPerKind = 3
)

// A Repair is one change made to the model's answer to get a valid value.
//
// Of each kind, at most [MaxRepairsPerKind] are listed, the first made; the
// last one listed counts in More those of its kind made after it and not
// listed. The repairs of a kind made in all are the sum of 1+More over
// those listed.
type Repair struct {
	Path   string `json:"path,omitempty"` // JSON Pointer into the value, cut short when long (see [Error]); "" for the answer as a whole
	Kind   string `json:"kind"`           // one of the Kind constants
	Detail string `json:"detail"`         // what was changed, for people
	More   int    `json:"more,omitempty"` // repairs of the same kind made and not listed
}

// Kinds of [Repair]. Where the JSON was found:
const (
	KindThink    = "think"     // a <think> (or <reasoning>, ...) block was set aside
	KindFence    = "fence"     // the JSON came out of a Markdown fence
	KindTag      = "tag"       // the answer came out of an <answer> (or <output>, ...) tag
	KindProse    = "prose"     // the JSON came out of surrounding prose
	KindBareText = "bare-text" // the answer is prose; its text was read as a string
	KindQuoted   = "quoted"    // a text answer written as a JSON string literal was read as the string (see [Text])
)

// Kinds of [Repair]: syntax.
const (
	KindTrailingComma = "trailing-comma"    // a comma before } or ] was dropped
	KindComment       = "comment"           // a // or /* */ or # comment was dropped
	KindQuotes        = "quotes"            // a string in single or typographic quotes was read
	KindUnquotedKey   = "unquoted-key"      // a key without quotes was read
	KindPython        = "python-literal"    // True, False or None was read as true, false, null
	KindControl       = "control-character" // a raw newline or tab inside a string was kept
	KindEscape        = "escape"            // an invalid escape was read as the character, or a quote escaped
	KindUTF8          = "utf8"              // invalid UTF-8 was replaced with U+FFFD
	KindDuplicateKey  = "duplicate-key"     // a key repeated with the same value (or, in another case, beside its field) was dropped
	KindWhitespace    = "whitespace"        // a non-ASCII space between tokens was read as space
	KindMissingComma  = "missing-comma"     // jsonrepair inserted a comma
	KindMissingColon  = "missing-colon"     // jsonrepair inserted a colon
	KindMissingQuote  = "missing-quote"     // jsonrepair inserted a quote
	KindEllipsis      = "ellipsis"          // jsonrepair dropped a "..."
	KindSyntax        = "syntax"            // jsonrepair made another edit, shown in the detail
)

// Kinds of [Repair]: coercion to the schema.
const (
	KindEnumCase        = "enum-case"        // an enum value matched when case, spacing and decoration were ignored
	KindEnumExplanation = "enum-explanation" // an enum value followed by an explanation
	KindEnumProse       = "enum-prose"       // the one enum value a prose answer names
	KindNumber          = "number"           // a number was read from a string
	KindBoolean         = "boolean"          // a boolean was read from a string
	KindKeyCase         = "key-case"         // a key matched a field when case and separators were ignored
	KindUnknownKey      = "unknown-key"      // a key the schema forbids was dropped
	KindNull            = "null-dropped"     // null for an optional field that cannot be null was dropped
	KindDefault         = "default"          // a missing field took its schema default
	KindWrapList        = "wrap-list"        // one value where a list is wanted became a list of one
	KindUnwrapList      = "unwrap-list"      // a list of one where one value is wanted gave its item
	KindWrapObject      = "wrap-object"      // a lone value went into the only field of an object
	KindDoubleEncoded   = "double-encoded"   // a string holding JSON was read as that JSON
	KindInteger         = "integer"          // an integer written with a fraction or an exponent (5.0, 1e2) where an integer is wanted was written plainly
)

// weight is what a repair costs a candidate: the cheapest candidate wins,
// so a value that needed fewer and lighter repairs is preferred.
func weight(kind string) int {
	switch kind {
	case KindThink:
		return 0 // set aside for every candidate alike
	case KindFence, KindTag, KindQuoted, KindTrailingComma, KindComment, KindQuotes, KindUnquotedKey, KindPython,
		KindControl, KindEscape, KindUTF8, KindDuplicateKey, KindWhitespace,
		KindEnumCase, KindNumber, KindBoolean, KindKeyCase, KindUnknownKey, KindNull, KindDefault, KindInteger:
		return 1
	case KindProse, KindEnumExplanation, KindWrapList, KindUnwrapList, KindWrapObject, KindDoubleEncoded:
		return 2
	case KindBareText, KindEnumProse:
		return 3
	}
	return 3 // jsonrepair's edits
}

func (r Repair) String() string {
	s := r.Kind + ": " + r.Detail
	if r.Path != "" {
		s = clip(r.Path, maxShownPath) + ": " + s
	}
	if r.More > 0 {
		s += fmt.Sprintf(" (and %d more of this kind)", r.More)
	}
	return s
}

// count is the repairs r stands for: itself and those it counts.
func (r Repair) count() int { return 1 + r.More }

// A repairCap keeps the bound on the repairs listed of each kind, the one
// place it is kept: at most MaxRepairsPerKind of a kind are listed, and
// those after are counted in the More of the last one listed.
type repairCap struct {
	tally []kindTally
}

type kindTally struct {
	kind    string
	n, last int // repairs of the kind listed, and where the last one is
}

func (rc *repairCap) reset() {
	clear(rc.tally)
	rc.tally = rc.tally[:0]
}

// admit reports whether a repair of kind is to be listed at index at of
// the list; if not, last is the repair whose More is to count it.
func (rc *repairCap) admit(kind string, at int) (last int, ok bool) {
	var t *kindTally
	for i := range rc.tally { // the kinds of one answer are few
		if rc.tally[i].kind == kind {
			t = &rc.tally[i]
			break
		}
	}
	if t == nil {
		rc.tally = append(rc.tally, kindTally{kind: kind})
		t = &rc.tally[len(rc.tally)-1]
	} else if t.n >= MaxRepairsPerKind {
		return t.last, false
	}
	t.n++
	t.last = at
	return at, true
}

// capRepairs keeps of each kind the first MaxRepairsPerKind repairs of rs,
// and counts the rest (with what they counted) in the last one kept. It
// returns rs itself when no kind is over the bound, and never changes rs.
func capRepairs(rs []Repair) []Repair {
	if len(rs) <= MaxRepairsPerKind {
		return rs
	}
	var buf [16]kindTally
	rc := repairCap{tally: buf[:0]}
	var out []Repair // made at the first repair not listed
	for i, r := range rs {
		at := i
		if out != nil {
			at = len(out)
		}
		last, ok := rc.admit(r.Kind, at)
		switch {
		case ok && out != nil:
			out = append(out, r)
		case !ok:
			if out == nil {
				out = append(make([]Repair, 0, len(rs)), rs[:i]...)
			}
			out[last].More += r.count()
		}
	}
	if out == nil {
		return rs
	}
	return out
}

// An Error says why an answer gave no valid value. Its message is written to
// be sent back to the model.
//
// A value that breaks the schema in several places gives one Error naming
// each of them, up to [MaxErrors], in the order of the value (an array's
// items by index, an object's fields by name): Path and Msg are the first,
// More the others, and Omitted counts those found beyond the bound. Error
// prints them one a line, each as "path: message", and ends with "(and N
// more)" when some were omitted, or left out to keep the message under
// about 2 KB. Every other refusal (a syntax error, a truncation, a refusal
// to choose between two readings) is one message.
//
// Paths, here and in a [Repair], are made of the model's own keys, so a
// long one is cut: each key to at most 64 bytes followed by "…", and a
// path longer than 512 bytes to its steps that fit followed by "/…". A
// path so cut names the place for people and no longer resolves.
type Error struct {
	Path      string // JSON Pointer of the offending value, cut short when long; "" for the whole answer
	Msg       string
	Truncated bool // the answer was cut off at the token limit
	// More lists the further places the value breaks the schema, after
	// the one in Path and Msg.
	More []Violation
	// Omitted counts the places beyond MaxErrors, found but not listed.
	Omitted int
}

// A Violation is one place a value breaks its schema.
type Violation struct {
	Path string // JSON Pointer of the offending value, cut short when long (see [Error]); "" for the value as a whole
	Msg  string
}

func (v Violation) String() string {
	// A path is the model's own keys: an absurdly long one is cut.
	if v.Path == "" {
		return v.Msg
	}
	return clip(v.Path, maxShownPath) + ": " + v.Msg
}

// maxShownPath is the longest path an error message prints whole.
const maxShownPath = 200

// Violations lists every place e names: the first (Path and Msg), then More.
func (e *Error) Violations() []Violation {
	return append([]Violation{{e.Path, e.Msg}}, e.More...)
}

// maxMessage is about the longest message an Error prints: the
// violations past it are counted with the omitted ones.
const maxMessage = 2000

func (e *Error) Error() string {
	first := Violation{e.Path, e.Msg}.String()
	if len(e.More) == 0 && e.Omitted == 0 {
		return first
	}
	var b strings.Builder
	b.WriteString(first)
	omitted := e.Omitted
	for i, v := range e.More {
		line := v.String()
		if b.Len()+1+len(line) > maxMessage {
			omitted += len(e.More) - i
			break
		}
		b.WriteByte('\n')
		b.WriteString(line)
	}
	if omitted > 0 {
		fmt.Fprintf(&b, "\n(and %d more)", omitted)
	}
	return b.String()
}

// ErrTruncated is matched by errors.Is for answers cut off at the token limit.
var ErrTruncated = errors.New("answer cut off at the token limit")

// Is reports whether target is ErrTruncated and e is a truncation.
func (e *Error) Is(target error) bool { return target == ErrTruncated && e.Truncated }

// Parse finds the value in text that best fits schema. stopReason is the
// sampling result's stop reason. It returns the value (as encoding/json
// decodes JSON into an any) and the repairs made, or an *Error. On error the
// repairs are those of the candidate the error is about.
func Parse(text, stopReason string, schema *jsonschema.Resolved) (any, []Repair, error) {
	r := planFor(schema).parse(text, stopReason)
	if r.err != nil {
		return nil, r.repairs, r.err
	}
	return r.value, r.repairs, nil
}

// CheckSchema reports a schema that no answer can be checked against: one
// that refers to itself without the value going deeper ({"$ref": "#"}),
// which would send jsonschema-go's validator into endless recursion.
func CheckSchema(schema *jsonschema.Resolved) error {
	if planFor(schema).loops {
		return errors.New("the schema refers to itself without end (such as {\"$ref\": \"#\"}): no value can be checked against it")
	}
	return nil
}

// Unmarshal is Parse followed by decoding the value into out, as
// encoding/json does. When the answer is JSON that needed no repair, it
// decodes the answer's own bytes, so no precision is lost and no time spent
// re-encoding; an integer written with a fraction or an exponent (5.0,
// 1e2) where the schema wants one is written plainly in those bytes, a
// [KindInteger] repair, so that it decodes into a Go integer. Where the
// schema allows any number, 1.0 stands as written (and a Go integer
// cannot hold it). A value that needed other repairs is encoded again
// from what Parse returns.
//
// A value the schema allows and out's type cannot hold (an integer beyond
// int64 where the schema sets no bound, a fraction for a Go integer where
// the schema allows any number) is an *Error at its path, such as
// "/n: 9223372036854775808 does not fit in int64". Other errors of
// decoding (an UnmarshalJSON method's) are returned wrapped, their
// messages cut short.
func Unmarshal(text, stopReason string, schema *jsonschema.Resolved, out any) ([]Repair, error) {
	p := planFor(schema)
	if !p.loops && !p.dateTime && closesItself(text) && len(text) <= MaxInputBytes && p.verbatim(text) {
		return nil, decode([]byte(text), out)
	}
	r := p.parse(text, stopReason)
	if r.err != nil {
		return r.repairs, r.err
	}
	var err error
	if r.verbatim != "" {
		err = decode([]byte(r.verbatim), out)
	} else {
		err = decode(appendJSON(nil, r.value), out)
	}
	return r.repairs, err
}

// jsonSpace is the white space JSON allows between tokens.
const jsonSpace = " \t\r\n"

// closesItself reports whether text ends with a closing bracket: a value
// that cannot have been cut short without its end showing it.
func closesItself(text string) bool {
	t := strings.TrimRight(text, jsonSpace)
	return t != "" && (t[len(t)-1] == '}' || t[len(t)-1] == ']')
}

const msgNoJSON = "the answer holds no JSON value; answer with the JSON value only"

type result struct {
	value    any
	repairs  []Repair
	err      *Error
	verbatim string // the answer's text, when it is the value's JSON as it stands
}

// An attempt is what came of one candidate.
type attempt struct {
	c          candidate
	value      any
	repairs    []Repair
	cost       int
	err        *Error
	parsed     bool // it read as JSON (or as a bare string)
	incomplete bool // it ended inside a value
	refused    bool // coercion refused to choose
	extra      bool // some object held keys its schema does not list
	// verbatim is the candidate's text with each integer written with a
	// fraction or an exponent where the schema wants an integer written
	// plainly, when that is the value's JSON: set when the value is the
	// text as parsed, with no other repair.
	verbatim string
}

// state is the scratch space of one parse.
type state struct {
	p     *plan
	ps    parser
	co    coercer
	chk   checker
	spans []*intTrie // scratch: the integers to write plainly
	// What is left of the parse's budget for jsonrepair: bytes and calls.
	repairBytes, repairCalls int
}

func newState(p *plan) *state {
	return &state{p: p, repairBytes: MaxRepairBytes, repairCalls: MaxRepairCalls}
}

func (p *plan) parse(text, stopReason string) result {
	r := p.parseAll(text, stopReason)
	r.repairs = capRepairs(r.repairs)
	return r
}

func (p *plan) parseAll(text, stopReason string) result {
	truncated := stopReason == StopMaxTokens
	if p.loops {
		return result{err: &Error{Msg: "the output schema refers to itself without end; no answer can be checked against it"}}
	}
	if len(text) > MaxInputBytes {
		return result{err: &Error{Msg: fmt.Sprintf("the answer is %d bytes long, more than the %d this parser reads; answer with the JSON value only", len(text), MaxInputBytes)}}
	}
	st := newState(p)
	// Only JSON's own white space is trimmed without a word: the parser
	// reads other space characters, and says so.
	trimmed := strings.Trim(text, jsonSpace)

	// The common case first: the whole answer is JSON that fits as it is.
	var first *attempt
	if looksLikeJSON(trimmed) {
		first = st.try(candidate{text: trimmed, complete: true}, truncated)
		if first.err == nil && first.cost == 0 {
			return result{value: first.value, repairs: first.repairs, verbatim: first.verbatim}
		}
	}

	body, thinkRepairs, openThink := stripThink(text)
	cs := candidates(body, truncated, p.prose)
	slices.SortStableFunc(cs, func(a, b candidate) int { return a.base - b.base })
	if openThink {
		// The answer is cut inside its reasoning: nothing after it counts,
		// and what came before it is not to be trusted as whole.
		for i := range cs {
			cs[i].complete = false
		}
	}
	if truncated {
		// A span is whole only if nothing else in the answer was cut off.
		cut := false
		for _, c := range cs {
			if (c.origin.Kind == KindFence || c.origin.Kind == KindTag) && !c.complete {
				cut = true
			}
		}
		if cut {
			for i := range cs {
				if cs[i].origin.Kind == KindProse {
					cs[i].complete = false
				}
			}
		}
	}

	var best, tie *attempt
	var tried []*attempt
	for _, c := range cs {
		if best != nil && c.base > best.cost {
			break
		}
		if truncated && !c.complete || c.text == "" {
			continue
		}
		a := first
		if a == nil || c.text != trimmed || c.prose || c.origin.Kind != "" {
			a = st.try(c, truncated)
		}
		if a.err != nil {
			tried = append(tried, a)
			continue
		}
		switch {
		case best == nil || a.cost < best.cost:
			best, tie = a, nil
		case a.cost == best.cost && tie == nil && !equal(a.value, best.value):
			tie = a
		}
	}
	if tie != nil {
		return result{repairs: thinkRepairs, err: &Error{Msg: fmt.Sprintf("the answer holds two different values that fit equally well, %s and %s; answer with one JSON value only", show(best.value), show(tie.value))}}
	}
	if best != nil {
		r := result{value: best.value, repairs: append(thinkRepairs, best.repairs...)}
		if best == first && len(thinkRepairs) == 0 {
			r.verbatim = best.verbatim
		}
		return r
	}
	if strings.TrimSpace(body) == "" && !openThink {
		return result{repairs: thinkRepairs, err: &Error{Truncated: truncated, Msg: "the answer is empty; answer with the JSON value only"}}
	}
	a, err := failure(tried, truncated, openThink)
	if a != nil {
		return result{repairs: append(thinkRepairs, a.repairs...), err: err}
	}
	return result{repairs: thinkRepairs, err: err}
}

// failure chooses what to tell the model when no candidate gave a value:
// about the cheapest candidate that read as JSON, what was wrong with its
// value; else that the answer was cut off; else why the JSON did not read.
func failure(tried []*attempt, truncated, openThink bool) (*attempt, *Error) {
	for _, a := range tried {
		if a.parsed && (!a.c.prose || a.refused) {
			return a, a.err
		}
	}
	if truncated {
		return nil, &Error{Truncated: true, Msg: "the answer was cut off at the token limit before the JSON value was complete; answer again, more briefly"}
	}
	if openThink {
		return nil, &Error{Msg: "the answer is all reasoning: a <think> block was never closed and no JSON value follows it; answer with the JSON value only"}
	}
	for _, a := range tried {
		if a.incomplete || (!a.c.prose && a.err.Msg != msgNoJSON) {
			return a, a.err
		}
	}
	return nil, &Error{Msg: msgNoJSON}
}

// looksLikeJSON reports whether text starts the way a JSON value does, so
// that plain prose is called what it is rather than "invalid JSON".
func looksLikeJSON(text string) bool {
	return text != "" && strings.IndexByte(`{["-0123456789tfn`, text[0]) >= 0
}

func (st *state) try(c candidate, truncated bool) *attempt {
	a := &attempt{c: c}
	if c.origin.Kind != "" {
		a.repairs = append(a.repairs, c.origin)
	}
	var v any
	if c.prose {
		v = c.text
		a.repairs = append(a.repairs, Repair{Kind: KindBareText, Detail: "read the answer's text as a string: it is not JSON"})
	} else {
		var ok bool
		v, ok = st.ps.parseText(c.text)
		if ok {
			a.repairs = st.ps.repairs(a.repairs)
		} else {
			e := st.ps.err
			if e.eof || e.limit {
				a.incomplete = e.eof
				a.err = st.syntaxError(c.text, e)
				return a
			}
			fixed, repairs, fixedOK := st.libraryRepair(c.text)
			if fixedOK {
				v, fixedOK = st.ps.parseText(fixed)
				fixedOK = fixedOK && st.ps.nfix == 0
			}
			if !fixedOK {
				a.err = st.syntaxError(c.text, e)
				if !looksLikeJSON(c.text) {
					a.err = &Error{Msg: msgNoJSON}
				}
				return a
			}
			a.repairs = append(a.repairs, repairs...)
			// An edit by the second tier is a guess about intent, so it
			// weighs more than the same fix read by the first.
			a.cost += libraryPenalty * len(repairs)
		}
		if truncated && c.text != "" && strings.IndexByte("0123456789", c.text[len(c.text)-1]) >= 0 {
			// A number that runs to the end of a cut-off answer may have
			// lost digits.
			if _, isNumber := v.(float64); isNumber {
				a.incomplete = true
				a.err = &Error{Truncated: true, Msg: "the answer was cut off at the token limit inside a number"}
				return a
			}
		}
	}
	a.parsed = true

	// A value that is valid as it stands, and that coercion would not change
	// (no default to fill in, no unknown key that may be a field in another
	// case), is taken without the coercion pass.
	if !c.prose {
		chk := &st.chk
		if chk.run(v, st.p.root, true) == nil && !chk.extra && !chk.defaults && (!st.p.library || st.p.rs.Validate(v) == nil) && st.p.dateTimeError(v) == nil {
			return st.accept(a, v, false)
		}
	}

	co := &st.co
	co.segs, co.refusal, co.prose, co.depth = co.segs[:0], nil, c.prose, 0
	var ints *intTrie
	if !c.prose {
		ints = st.ps.ints
	}
	co.start(a.repairs, ints)
	v, _ = co.coerce(v, st.p.root)
	a.repairs = co.repairs
	if co.refusal != nil {
		a.err, a.refused = co.refusal, true
		return a
	}
	e := st.p.judge(&st.chk, v)
	a.extra = st.chk.extra
	if e != nil {
		a.err = e
		return a
	}
	return st.accept(a, v, true)
}

// accept takes v, valid, as the attempt's value, and costs its repairs.
// A value taken as parsed (not coerced, which notes them itself) is
// looked through for the integers written with a fraction or an exponent
// where the schema wants an integer; when they are its only repairs, the
// candidate's text with them written plainly is the value's JSON.
func (st *state) accept(a *attempt, v any, coerced bool) *attempt {
	if !coerced && !a.c.prose {
		clean := len(a.repairs) == 0
		if t := st.ps.ints; t != nil {
			co := &st.co
			co.segs, co.depth = co.segs[:0], 0
			co.start(a.repairs, nil)
			st.spans = co.integers(v, st.p.root, t, st.spans[:0])
			a.repairs, co.ints = co.repairs, nil
		}
		if clean {
			a.verbatim = rewriteInts(a.c.text, st.spans)
		}
		clear(st.spans)
		st.spans = st.spans[:0]
	}
	a.value = v
	for _, r := range a.repairs {
		a.cost += weight(r.Kind) * r.count()
	}
	return a
}

// rewriteInts is text with each literal at spans (integers written with a
// fraction or an exponent) written plainly: the text itself when there
// are none.
func rewriteInts(text string, spans []*intTrie) string {
	if len(spans) == 0 {
		return text
	}
	slices.SortFunc(spans, func(a, b *intTrie) int { return a.start - b.start })
	b := make([]byte, 0, len(text))
	at := 0
	for _, t := range spans {
		b = append(b, text[at:t.start]...)
		b = strconv.AppendFloat(b, t.f, 'f', -1, 64)
		at = t.end
	}
	return string(append(b, text[at:]...))
}

// judge checks v against the plan's schema and words every violation, up
// to MaxErrors. Where jsonschema-go is the judge, the checker only words
// its verdict.
func (p *plan) judge(chk *checker, v any) *Error {
	e := chk.run(v, p.root, false)
	if p.library {
		if err := p.rs.Validate(v); err == nil {
			e = nil
		} else if e == nil {
			e = libraryError(err)
		}
	}
	if e == nil {
		e = p.dateTimeError(v)
	}
	return e
}

// libraryPenalty is added to the weight of each edit jsonrepair made.
const libraryPenalty = 2

func (st *state) syntaxError(text string, e *syntaxError) *Error {
	if e.limit {
		return &Error{Msg: e.msg + "; answer with a flatter value"}
	}
	line, col := lineCol(text, e.off)
	msg := fmt.Sprintf("not valid JSON: line %d, column %d: %s", line, col, e.msg)
	if e.eof {
		msg += "; the value is incomplete"
	}
	return &Error{Msg: msg}
}
