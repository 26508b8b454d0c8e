package gen

import (
	"go/ast"
	"go/token"
	"math"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

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

// toolDirectives are the parsed directives of one struct type.
type toolDirectives struct {
	name    string
	namePos token.Pos

	promptFile  string // prompt FILE
	promptConst string // prompt const=NAME
	promptPos   token.Pos

	output    string
	outputPos token.Pos

	params Params
}

// toolName is what MCP allows as a tool name.
var toolName = regexp.MustCompile(`^[a-zA-Z0-9_.-]{1,128}$`)

// parseDirectives checks the directives of one type and returns what they
// say; problems go to errs. ok is false when a tool cannot be built from them.
func parseDirectives(fset *token.FileSet, ds []directive, errs *errorList) (td toolDirectives, ok bool) {
	ok = true
	bad := func(pos token.Pos, format string, args ...any) {
		errs.errorf(fset.Position(pos), format, args...)
		ok = false
	}
	seen := map[string]token.Pos{}
	paramSeen := map[string]bool{}
	for _, d := range ds {
		if d.key != "params" {
			if prev, dup := seen[d.key]; dup {
				bad(d.pos, "duplicate samplegen:%s directive (the first is at line %d)", d.key, fset.Position(prev).Line)
				continue
			}
			seen[d.key] = d.pos
		}
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
			arg, good := oneArg(d, bad, "a type name")
			if !good {
				continue
			}
			if !token.IsIdentifier(arg) {
				bad(d.apos, "samplegen:output names a type of this package, not %q", arg)
				continue
			}
			td.output, td.outputPos = arg, d.pos
		case "params":
			if d.args == "" {
				bad(d.apos, "samplegen:params needs key=value pairs (temperature, max_tokens, retries, timeout)")
				continue
			}
			for _, f := range fieldsWithOffsets(d.args) {
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
				if msg := setParam(&td.params, key, val); msg != "" {
					bad(pos, "samplegen:params: %s", msg)
				}
			}
		default:
			bad(d.pos, "unknown directive samplegen:%s (want tool, prompt, output or params)", d.key)
		}
	}
	if _, has := seen["tool"]; !has {
		bad(ds[0].pos, "missing samplegen:tool directive: a type with samplegen directives needs a tool name")
		return td, false
	}
	anchor := seen["tool"]
	if _, has := seen["prompt"]; !has {
		bad(anchor, "missing samplegen:prompt directive: a tool needs a prompt template")
	}
	if _, has := seen["output"]; !has {
		bad(anchor, "missing samplegen:output directive: a tool needs an output type")
	}
	return td, ok
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

// setParam sets one params key, returning what is wrong with it, if anything.
func setParam(p *Params, key, val string) string {
	switch key {
	case "temperature":
		f, err := strconv.ParseFloat(val, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
			return "temperature=" + val + ": want a number >= 0"
		}
		p.Temperature = &f
	case "max_tokens":
		n, err := strconv.ParseInt(val, 10, 64)
		if err != nil || n <= 0 {
			return "max_tokens=" + val + ": want an integer > 0"
		}
		p.MaxTokens = n
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
	default:
		return "unknown key " + key + " (want temperature, max_tokens, retries or timeout)"
	}
	return ""
}

type field struct {
	text string
	off  int
}

// fieldsWithOffsets is strings.Fields that also says where each field starts.
func fieldsWithOffsets(s string) []field {
	var fs []field
	start := -1
	for i, r := range s {
		if unicode.IsSpace(r) {
			if start >= 0 {
				fs = append(fs, field{s[start:i], start})
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		fs = append(fs, field{s[start:], start})
	}
	return fs
}
