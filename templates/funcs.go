package templates

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/template"
	"unicode/utf8"
)

// SystemTemplate is the name of the block that holds the system prompt.
const SystemTemplate = "system"

// Funcs returns the helpers a prompt template may call. schema is the output
// JSON Schema that {{schema}} prints; the generator passes "" because it only
// parses templates.
func Funcs(schema string) template.FuncMap {
	return template.FuncMap{
		"json":     toJSON,
		"schema":   func() string { return schema },
		"fence":    Fence,
		"indent":   indent,
		"truncate": truncate,
	}
}

// Parse parses a prompt template with the helpers bound to schema. name is
// what errors call the template, usually its file name.
func Parse(name, text, schema string) (*template.Template, error) {
	t, err := template.New(name).Option("missingkey=error").Funcs(Funcs(schema)).Parse(text)
	if err != nil {
		return nil, fmt.Errorf("prompt template: %w", err)
	}
	return t, nil
}

func toJSON(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("json: %w", err)
	}
	return string(b), nil
}

// Fence puts untrusted text inside a Markdown code fence made of more
// backticks than any run of backticks inside the text, so that nothing in
// the text can close the fence early and pass itself off as instructions.
func Fence(text string) string {
	longest, run := 0, 0
	for _, r := range text {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", max(3, longest+1))
	return fence + "\n" + text + "\n" + fence
}

func indent(n int, text string) string {
	pad := strings.Repeat(" ", n)
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = pad + l
		}
	}
	return strings.Join(lines, "\n")
}

func truncate(n int, text string) string {
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	runes := []rune(text)
	return string(runes[:n]) + "…"
}
