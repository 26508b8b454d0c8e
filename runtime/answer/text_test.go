package answer

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/jsonschema-go/jsonschema"
)

func TestText(t *testing.T) {
	const (
		plain   = `{"type":"string"}`
		short   = `{"type":"string","maxLength":20}`
		bounded = `{"type":"string","minLength":5,"maxLength":20,"pattern":"^[A-Z]"}`
		library = `{"type":"string","not":{"const":"forbidden"}}`
	)
	for _, tc := range []struct {
		name, schema, raw, stop string
		want                    string // "" when an error is wanted
		repairs                 string // the kinds of repair, in order
		err                     string // a piece of the error
		errors                  int    // how many violations the error names, when more than one
	}{
		{name: "verbatim", raw: "The cache is in front of the store.", want: "The cache is in front of the store."},
		{name: "JSON space trimmed", raw: "\n\t The summary. \r\n", want: "The summary."},
		{name: "other space kept", raw: "\u00a0The summary.\u00a0", want: "\u00a0The summary.\u00a0"},
		{name: "inner lines kept", raw: "First line.\n\n  Second line.  \n", want: "First line.\n\n  Second line."},
		{name: "JSON-looking text is text", raw: `{"summary": "x"}`, want: `{"summary": "x"}`},
		{name: "quotes inside are kept", raw: `He said "hi" and left.`, want: `He said "hi" and left.`},
		{name: "think block", raw: "<think>Let me see {x}.</think>\nThe summary.", want: "The summary.", repairs: "think"},
		{name: "reasoning before a lone closing tag", raw: "Hmm, what to say.\n</think>\n\nThe summary.", want: "The summary.", repairs: "think"},
		{name: "several think blocks", raw: "<think>a</think>The <thinking>b</thinking>summary.", want: "The summary.", repairs: "think think"},
		{name: "an unclosed think block after the text", raw: "The summary.\n<think>was it good", want: "The summary.", repairs: "think"},
		{name: "all reasoning", raw: "<think>The summary should say", repairs: "think", err: "all reasoning"},
		{name: "quoted", raw: `"A quoted summary."`, want: "A quoted summary.", repairs: "quoted"},
		{name: "quoted with escapes", raw: ` "Line one\nLine \"two\" \u00e9" `, want: "Line one\nLine \"two\" é", repairs: "quoted"},
		{name: "two quoted strings are text", raw: `"Yes" and "no"`, want: `"Yes" and "no"`},
		{name: "not a JSON string is text", raw: "\"a raw\nnewline\"", want: "\"a raw\nnewline\""},
		{name: "a lone quote is text", raw: `"`, want: `"`},
		{name: "think, then quoted", raw: "<think>ok</think>\n\"The summary.\"", want: "The summary.", repairs: "think quoted"},
		{name: "fence", raw: "```\nFenced summary.\n```", want: "Fenced summary.", repairs: "fence"},
		{name: "fence with a language", raw: "~~~markdown\n# Title\n\nBody.\n~~~", want: "# Title\n\nBody.", repairs: "fence"},
		{name: "a JSON string in a json fence", raw: "```json\n\"The summary.\"\n```", want: "The summary.", repairs: "fence quoted"},
		{name: "quotes in a text fence are kept", raw: "```\n\"The summary.\"\n```", want: `"The summary."`, repairs: "fence"},
		{name: "a longer fence around a shorter one", raw: "````\n```go\nx := 1\n```\n````", want: "```go\nx := 1\n```", repairs: "fence"},
		{name: "prose around a fence is text", raw: "Here:\n```\nx\n```", want: "Here:\n```\nx\n```"},
		{name: "two fences are text", raw: "```\na\n```\nand\n```\nb\n```", want: "```\na\n```\nand\n```\nb\n```"},
		{name: "inline code is text", raw: "```x``` is code", want: "```x``` is code"},
		{name: "an unclosed fence is text", raw: "```\nThe summary.", want: "```\nThe summary."},
		{name: "cut off at the token limit", stop: StopMaxTokens, raw: "The summary of the change is that", err: "the answer was cut off at the token limit; answer again, more briefly"},
		{name: "cut off inside reasoning", stop: StopMaxTokens, raw: "<think>First, the", repairs: "think", err: "cut off at the token limit"},
		{name: "empty", raw: " \n\t", err: "the answer is empty"},
		{name: "empty string", raw: `""`, repairs: "quoted", err: "the answer is empty"},
		{name: "empty fence", raw: "```\n```", repairs: "fence", err: "the answer is empty"},
		{name: "only reasoning, closed", raw: "<think>hmm</think>\n", repairs: "think", err: "the answer is empty"},
		{name: "within maxLength", schema: short, raw: "Twenty characters ok", want: "Twenty characters ok"},
		{name: "maxLength counts characters", schema: short, raw: "ééééééééééééééééééé", want: "ééééééééééééééééééé"},
		{name: "over maxLength", schema: short, raw: "This summary runs on well past the limit.", err: "the string is 41 characters long, longer than the maximum 20"},
		{name: "over maxLength after the quotes", schema: short, raw: `"This summary runs on well past the limit."`, repairs: "quoted", err: "longer than the maximum 20"},
		{name: "under minLength", schema: bounded, raw: "Ok.", err: `"Ok." is 3 characters long, shorter than the minimum 5`},
		{name: "pattern", schema: bounded, raw: "lower case start", err: `"lower case start" does not match the pattern ^[A-Z]`},
		{name: "every violation", schema: bounded, raw: "this one is long and in lower case", err: "the string is 34 characters long, longer than the maximum 20\n\"this one is long and in lower case\" does not match the pattern ^[A-Z]", errors: 2},
		{name: "library valid", schema: library, raw: "allowed", want: "allowed"},
		{name: "library invalid", schema: library, raw: "forbidden", err: "does not match the schema"},
		{name: "too long", raw: strings.Repeat("x", MaxInputBytes+1), err: "bytes long"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			schema := tc.schema
			if schema == "" {
				schema = plain
			}
			stop := tc.stop
			if stop == "" {
				stop = "endTurn"
			}
			got, repairs, err := Text(tc.raw, stop, resolved(t, schema))
			if got := kinds(repairs); got != tc.repairs {
				t.Errorf("repairs = %q, want %q (%v)", got, tc.repairs, repairs)
			}
			if tc.want == "" {
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("Text(%q) = %q, %v; want an *Error saying %q", tc.raw, got, err, tc.err)
				}
				if !strings.Contains(err.Error(), tc.err) {
					t.Errorf("error = %q, want it to say %q", err, tc.err)
				}
				if got != "" {
					t.Errorf("Text returned %q with its error", got)
				}
				if tc.errors > 0 && len(e.Violations()) != tc.errors {
					t.Errorf("error names %d violations, want %d: %v", len(e.Violations()), tc.errors, err)
				}
				if want := stop == StopMaxTokens; errors.Is(err, ErrTruncated) != want {
					t.Errorf("errors.Is(err, ErrTruncated) = %v, want %v", !want, want)
				}
				return
			}
			if err != nil {
				t.Fatalf("Text(%q): %v", tc.raw, err)
			}
			if got != tc.want {
				t.Errorf("Text(%q) = %q, want %q", tc.raw, got, tc.want)
			}
		})
	}
}

// TestTextErrorsAreBounded holds a message about a long answer to an
// excerpt of it.
func TestTextErrorsAreBounded(t *testing.T) {
	long := "a" + strings.Repeat("é", 300<<10)
	_, _, err := Text(long, "endTurn", resolved(t, `{"type":"string","pattern":"^[A-Z]","maxLength":10}`))
	if err == nil {
		t.Fatal("a long answer breaking the pattern and maxLength was accepted")
	}
	msg := err.Error()
	if len(msg) > 400 || !strings.Contains(msg, `... does not match the pattern`) || !strings.Contains(msg, "307201 characters long") {
		t.Errorf("error (%d bytes) = %.500q, want a short excerpt of the answer", len(msg), msg)
	}
}

// TestTextAllocations holds Text's allocations independent of the
// answer's length: the text is read in place, never copied piece by piece.
func TestTextAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts rise under the race detector")
	}
	plain := resolved(t, `{"type":"string"}`)
	bounded := resolved(t, `{"type":"string","maxLength":1000,"pattern":"^[A-Z]"}`)
	body := func(n int) string { return "T" + strings.Repeat("he summary goes on. ", n/20) }
	quoted := func(n int) string { return `"` + strings.Repeat(`a \"quoted\" line\n`, n/20) + `"` }
	for _, tc := range []struct {
		name  string
		text  func(n int) string
		fails bool
	}{
		{name: "plain", text: body},
		{name: "think", text: func(n int) string { return "<think>" + body(n/2) + "</think>\n" + body(n/2) }},
		{name: "fence", text: func(n int) string { return "```text\n" + body(n) + "\n```" }},
		{name: "quoted", text: quoted},
		{name: "too long for maxLength", text: body, fails: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			schema := plain
			if tc.fails {
				schema = bounded
			}
			allocs := func(n int) float64 {
				text := tc.text(n)
				return testing.AllocsPerRun(20, func() {
					_, _, err := Text(text, "endTurn", schema)
					if (err != nil) != tc.fails {
						t.Fatalf("Text of %d bytes: %v", len(text), err)
					}
				})
			}
			small, big := allocs(2<<10), allocs(512<<10)
			t.Logf("%v allocations at 2 KiB, %v at 512 KiB", small, big)
			if big > small+1 {
				t.Errorf("%v allocations at 2 KiB but %v at 512 KiB: they grow with the answer", small, big)
			}
		})
	}
}

// FuzzText holds Text's promises on any input: no panic; a text it returns
// is valid by jsonschema-go's verdict and is found in the answer; errors
// are *Error.
func FuzzText(f *testing.F) {
	schemas := []string{
		`{"type":"string"}`,
		`{"type":"string","minLength":2,"maxLength":12,"pattern":"^[a-z ]*$"}`,
		`{"type":"string","not":{"const":"x"}}`,
	}
	rss := make([]*jsonschema.Resolved, len(schemas))
	for i, s := range schemas {
		rss[i] = resolved(f, s)
	}
	for _, seed := range []string{
		"a summary", `"quoted"`, "```\nfenced\n```", "```json\n\"x\"\n```", "<think>a</think>b",
		"b</think>c", "<think>", `""`, "\"\\ud800\"", "````\n```\n````", "\xff",
	} {
		f.Add(seed, false, uint8(0))
		f.Add(seed, false, uint8(1))
	}
	f.Fuzz(func(t *testing.T, text string, maxTokens bool, which uint8) {
		rs := rss[int(which)%len(rss)]
		stop := "endTurn"
		if maxTokens {
			stop = StopMaxTokens
		}
		got, _, err := Text(text, stop, rs)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Msg == "" {
				t.Fatalf("error %T %v, want an *Error with a message", err, err)
			}
			if errors.Is(err, ErrTruncated) != maxTokens && len(text) <= MaxInputBytes && !planFor(rs).loops {
				t.Fatalf("Text(%q, %s): %v", text, stop, err)
			}
			return
		}
		if maxTokens {
			t.Fatalf("Text(%q) at the token limit = %q, want an error", text, got)
		}
		if verr := rs.Validate(got); verr != nil {
			t.Fatalf("Text(%q) = %q, which jsonschema-go rejects: %v", text, got, verr)
		}
		if got == "" {
			t.Fatalf("Text(%q) = \"\"", text)
		}
	})
}
