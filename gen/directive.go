package gen

import (
	"fmt"
	"go/ast"
	"go/token"
	"math"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// defaultMaxTokens is runtime.DefaultMaxTokens, which a test holds equal:
// the generator does not import the runtime.
const defaultMaxTokens = 1024

const directivePrefix = "//samplegen:"

// A directive is one //samplegen: line of a doc comment.
type directive struct {
	key  string    // "tool", "prompt", ...
	args string    // the rest of the line, trimmed
	pos  token.Pos // the comment's "//"
	apos token.Pos // the first byte of args
}

// directives returns the samplegen directives of a doc comment, and the
// lines that look like directives but are not one because of a space after
// "//".
func directives(doc *ast.CommentGroup) (ds []directive, spaced []*ast.Comment) {
	if doc == nil {
		return nil, nil
	}
	for _, c := range doc.List {
		if !strings.HasPrefix(c.Text, directivePrefix) {
			rest, ok := strings.CutPrefix(c.Text, "//")
			if ok && strings.HasPrefix(strings.TrimLeft(rest, " \t"), "samplegen:") {
				spaced = append(spaced, c)
			}
			continue
		}
		line := c.Text[len(directivePrefix):]
		key, args := line, ""
		if i := strings.IndexAny(line, " \t"); i >= 0 {
			key, args = line[:i], line[i:]
		}
		argOff := len(c.Text) - len(strings.TrimLeft(args, " \t"))
		ds = append(ds, directive{
			key:  key,
			args: strings.TrimSpace(args),
			pos:  c.Pos(),
			apos: c.Pos() + token.Pos(argOff),
		})
	}
	return ds, spaced
}

// toolDirectives are the parsed directives of one tool.
type toolDirectives struct {
	name    string
	namePos token.Pos
	title   string

	promptFile  string // prompt FILE
	promptConst string // prompt const=NAME
	promptPos   token.Pos

	output    string
	outputPos token.Pos
	// outputKeys are the jsonschema tag keys after the output type, for
	// the output as a whole; keysPos is where they start.
	outputKeys string
	keysPos    token.Pos

	params    samplingParams
	truncated token.Pos // the truncated_max_tokens key, for its check

	enums []enumDirective
}

// An enumDirective is one samplegen:enum line: the output value at path
// takes its allowed values from the input's field.
type enumDirective struct {
	path     string // as {{enum}} writes it
	pathPos  token.Pos
	field    []string // the Go selector after the dot: "Labels", or "Opts", "Labels"
	fieldPos token.Pos
}

// toolName is what MCP allows as a tool name.
var toolName = regexp.MustCompile(`^[a-zA-Z0-9_.-]{1,128}$`)

// The directives a tool may have, by kind of declaration.
var (
	typeDirectives = []string{"tool", "title", "prompt", "output", "params", "enum"}
	funcDirectives = []string{"tool", "title"}
)

// parseDirectives checks the directives of one declaration, a struct type
// or (isFunc) a function, and returns what they say; problems go to errs.
// ok is false when a tool cannot be built from them.
func parseDirectives(fset *token.FileSet, ds []directive, isFunc bool, errs *errorList) (td toolDirectives, ok bool) {
	ok = true
	bad := func(pos token.Pos, format string, args ...any) {
		errs.errorf(fset.Position(pos), format, args...)
		ok = false
	}
	allowed := typeDirectives
	if isFunc {
		allowed = funcDirectives
	}
	seen := map[string]token.Pos{}
	paramSeen := map[string]bool{}
	for _, d := range ds {
		if !slices.Contains(typeDirectives, d.key) {
			bad(d.pos, "unknown directive samplegen:%s (want %s)", d.key, wordList(allowed, "or"))
			continue
		}
		if isFunc && !slices.Contains(funcDirectives, d.key) {
			bad(d.pos, "samplegen:%s does not apply to a function tool, whose body calls the SampleX functions of sampling tools", d.key)
			continue
		}
		if d.key != "params" && d.key != "enum" {
			if prev, dup := seen[d.key]; dup {
				bad(d.pos, "duplicate samplegen:%s directive (the first is at line %d)", d.key, fset.Position(prev).Line)
				continue
			}
		}
		seen[d.key] = d.pos
		switch d.key {
		case "tool":
			arg, good := oneArg(d, bad, "a tool name")
			if !good {
				continue
			}
			if !toolName.MatchString(arg) {
				bad(d.apos, "invalid tool name %q: MCP tool names are 1 to 128 of A-Z a-z 0-9 _ - .", arg)
				continue
			}
			td.name, td.namePos = arg, d.pos
		case "title":
			if d.args == "" {
				bad(d.apos, "samplegen:title needs a title, such as Analyze sentiment")
				continue
			}
			td.title = d.args
		case "prompt":
			arg, good := oneArg(d, bad, "a template file name or const=Name")
			if !good {
				continue
			}
			if name, isConst := strings.CutPrefix(arg, "const="); isConst {
				if !token.IsIdentifier(name) {
					bad(d.apos, "invalid constant name %q in samplegen:prompt", name)
					continue
				}
				td.promptConst = name
			} else {
				if path.IsAbs(arg) || strings.Contains(arg, `\`) {
					bad(d.apos, "prompt file %q must be a slash-separated path relative to the Go file", arg)
					continue
				}
				td.promptFile = path.Clean(arg)
			}
			td.promptPos = d.pos
		case "output":
			// The type, then optionally the keys of a jsonschema tag for
			// the output as a whole (which has no field to carry a tag).
			arg, keys := d.args, ""
			if i := strings.IndexAny(d.args, " \t"); i >= 0 {
				arg, keys = d.args[:i], strings.TrimLeft(d.args[i:], " \t")
			}
			if arg == "" {
				bad(d.apos, "samplegen:output needs a type name")
				continue
			}
			if !token.IsIdentifier(arg) {
				bad(d.apos, "samplegen:output names a type of this package or a predeclared type, not %q", arg)
				continue
			}
			td.output, td.outputPos = arg, d.pos
			td.outputKeys, td.keysPos = keys, d.apos+token.Pos(len(d.args)-len(keys))
		case "enum":
			ed, msg, at := parseEnumDirective(d)
			if msg != "" {
				bad(at, "samplegen:enum: %s", msg)
				continue
			}
			if i := slices.IndexFunc(td.enums, func(e enumDirective) bool { return e.path == ed.path }); i >= 0 {
				bad(d.apos, "samplegen:enum: duplicate output path %q (the first is at line %d)", ed.path, fset.Position(td.enums[i].pathPos).Line)
				continue
			}
			td.enums = append(td.enums, ed)
		case "params":
			if d.args == "" {
				bad(d.apos, "samplegen:params needs key=value pairs (%s)", wordList(paramKeys, "or"))
				continue
			}
			fields, err := paramFields(d.args)
			if err != nil {
				bad(d.apos+token.Pos(err.off), "samplegen:params: %s", err.msg)
			}
			for _, f := range fields {
				pos := d.apos + token.Pos(f.off)
				key, val, found := strings.Cut(f.text, "=")
				if !found {
					bad(pos, "samplegen:params: %q is not key=value", f.text)
					continue
				}
				if paramSeen[key] {
					bad(pos, "samplegen:params: duplicate key %s", key)
					continue
				}
				paramSeen[key] = true
				if key == "truncated_max_tokens" {
					td.truncated = pos
				}
				if msg := setParam(&td.params, key, val); msg != "" {
					bad(pos, "samplegen:params: %s", msg)
				}
			}
		}
	}
	if _, has := seen["tool"]; !has {
		bad(ds[0].pos, "missing samplegen:tool directive: a declaration with samplegen directives needs a tool name")
		return td, false
	}
	anchor := seen["tool"]
	if !isFunc {
		if _, has := seen["prompt"]; !has {
			bad(anchor, "missing samplegen:prompt directive: a tool needs a prompt template")
		}
		if _, has := seen["output"]; !has {
			bad(anchor, "missing samplegen:output directive: a tool needs an output type")
		}
	}
	if p := td.params; p.TruncatedMaxTokens != 0 {
		limit := p.MaxTokens
		if limit == 0 {
			limit = defaultMaxTokens
		}
		if p.TruncatedMaxTokens <= limit {
			bad(td.truncated, "samplegen:params: truncated_max_tokens=%d must be larger than max_tokens (%d), or it changes nothing", p.TruncatedMaxTokens, limit)
		}
	}
	return td, ok
}

// enumUsage ends the errors of a samplegen:enum directive.
const enumUsage = `want samplegen:enum OUTPUT-PATH .InputField, such as samplegen:enum labels[] .Labels (a quoted "" for an output that is itself the value)`

// parseEnumDirective reads "PATH .Field" of samplegen:enum, where PATH may
// be a Go string literal ("" for the output itself); msg says what is
// wrong, at at.
func parseEnumDirective(d directive) (ed enumDirective, msg string, at token.Pos) {
	args := d.args
	ed.pathPos = d.apos
	if strings.HasPrefix(args, `"`) || strings.HasPrefix(args, "`") {
		lit, err := strconv.QuotedPrefix(args)
		if err != nil {
			return ed, "bad quoted path: " + enumUsage, d.apos
		}
		ed.path, _ = strconv.Unquote(lit)
		args = args[len(lit):]
		if args != "" && args[0] != ' ' && args[0] != '\t' {
			return ed, enumUsage, d.apos
		}
	} else {
		i := strings.IndexAny(args, " \t")
		if i < 0 {
			return ed, "no input field: " + enumUsage, d.apos
		}
		ed.path, args = args[:i], args[i:]
	}
	rest := strings.TrimLeft(args, " \t")
	ed.fieldPos = d.apos + token.Pos(len(d.args)-len(rest))
	fields := strings.Fields(rest)
	switch {
	case len(fields) == 0:
		return ed, "no input field: " + enumUsage, d.apos
	case len(fields) > 1:
		return ed, fmt.Sprintf("want an output path and one input field, not %d arguments: %s", len(fields)+1, enumUsage), ed.fieldPos
	case !strings.HasPrefix(fields[0], "."):
		return ed, fmt.Sprintf("the input field is written as in the prompt template, with a dot: .%s", fields[0]), ed.fieldPos
	}
	for _, name := range strings.Split(fields[0][1:], ".") {
		if !token.IsIdentifier(name) {
			return ed, fmt.Sprintf("%s is not a field path such as .Labels or .Options.Labels", fields[0]), ed.fieldPos
		}
		ed.field = append(ed.field, name)
	}
	return ed, "", 0
}

// wordList is "a, b and c" (conjunction "and") or "a, b or c".
func wordList(words []string, conjunction string) string {
	if len(words) == 1 {
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " " + conjunction + " " + words[len(words)-1]
}

// oneArg returns the single argument of d, reporting none or several.
func oneArg(d directive, bad func(token.Pos, string, ...any), what string) (string, bool) {
	fs := strings.Fields(d.args)
	switch {
	case len(fs) == 0:
		bad(d.apos, "samplegen:%s needs %s", d.key, what)
		return "", false
	case len(fs) > 1:
		bad(d.apos, "samplegen:%s takes one argument, %s, not %d", d.key, what, len(fs))
		return "", false
	}
	return fs[0], true
}

// paramKeys are the keys of samplegen:params, in the order the manual
// lists them.
var paramKeys = []string{
	"temperature", "max_tokens", "truncated_max_tokens", "retries", "timeout",
	"stop", "model", "cost_priority", "speed_priority", "intelligence_priority",
}

// setParam sets one params key, returning what is wrong with it, if anything.
func setParam(p *samplingParams, key, val string) string {
	priority := func(into **float64) string {
		f, err := strconv.ParseFloat(val, 64)
		if err != nil || !(f >= 0 && f <= 1) {
			return key + "=" + val + ": want a number from 0 to 1"
		}
		*into = &f
		return ""
	}
	switch key {
	case "temperature":
		f, err := strconv.ParseFloat(val, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
			return "temperature=" + val + ": want a number >= 0"
		}
		p.Temperature = &f
	case "max_tokens", "truncated_max_tokens":
		n, err := strconv.ParseInt(val, 10, 64)
		if err != nil || n <= 0 {
			return key + "=" + val + ": want an integer > 0"
		}
		if key == "max_tokens" {
			p.MaxTokens = n
		} else {
			p.TruncatedMaxTokens = n
		}
	case "retries":
		n, err := strconv.ParseInt(val, 10, 32)
		if err != nil || n < 0 {
			return "retries=" + val + ": want an integer >= 0"
		}
		r := int(n)
		p.Retries = &r
	case "timeout":
		d, err := time.ParseDuration(val)
		if err != nil || d <= 0 {
			return "timeout=" + val + ": want a positive Go duration such as 30s or 2m"
		}
		p.Timeout = d
	case "stop", "model":
		items, err := splitList(val)
		if err != nil {
			return key + "=" + val + ": " + err.Error()
		}
		if key == "stop" {
			p.StopSequences = items
		} else {
			p.ModelHints = items
		}
	case "cost_priority":
		return priority(&p.CostPriority)
	case "speed_priority":
		return priority(&p.SpeedPriority)
	case "intelligence_priority":
		return priority(&p.IntelligencePriority)
	default:
		return "unknown key " + key + " (want " + wordList(paramKeys, "or") + ")"
	}
	return ""
}

// splitList splits a comma-separated list whose items are bare words or Go
// string literals ("\n\n", "a, b"). Empty items are errors.
func splitList(s string) ([]string, error) {
	var items []string
	for len(s) > 0 {
		var item string
		if s[0] == '"' || s[0] == '`' {
			lit, err := strconv.QuotedPrefix(s)
			if err != nil {
				return nil, fmt.Errorf("bad quoted string %s", s)
			}
			item, _ = strconv.Unquote(lit)
			s = s[len(lit):]
			if s != "" && s[0] != ',' {
				return nil, fmt.Errorf("want a comma after %s", lit)
			}
		} else {
			i := strings.IndexByte(s, ',')
			if i < 0 {
				i = len(s)
			}
			item, s = s[:i], s[i:]
		}
		if item == "" {
			return nil, fmt.Errorf("empty item")
		}
		items = append(items, item)
		if s != "" {
			s = s[1:] // the comma
			if s == "" {
				return nil, fmt.Errorf("empty item")
			}
		}
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("want one or more comma-separated values")
	}
	return items, nil
}

type field struct {
	text string
	off  int
}

type fieldError struct {
	off int
	msg string
}

// paramFields splits the arguments of samplegen:params at white space
// outside Go string literals, and says where each field starts.
func paramFields(s string) ([]field, *fieldError) {
	var fs []field
	start := -1
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"' || c == '`':
			if start < 0 {
				start = i
			}
			lit, err := strconv.QuotedPrefix(s[i:])
			if err != nil {
				return fs, &fieldError{off: i, msg: "unterminated string " + s[i:]}
			}
			i += len(lit)
			continue
		case unicode.IsSpace(rune(c)):
			if start >= 0 {
				fs = append(fs, field{s[start:i], start})
				start = -1
			}
		default:
			if start < 0 {
				start = i
			}
		}
		i++
	}
	if start >= 0 {
		fs = append(fs, field{s[start:], start})
	}
	return fs, nil
}
