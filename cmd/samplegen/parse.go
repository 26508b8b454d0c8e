package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/samplegen/samplegen/runtime/answer"
)

const parseUsage = `usage: samplegen parse -schema FILE [-stop-reason R] < answer.txt

Reads a model's answer on stdin and parses it as the runtime does: finds the
JSON value, repairs it, coerces it to the schema and validates it. Prints the
value as JSON on stdout and each repair on stderr; or, when no valid value can
be had, prints the error the model would be re-asked with and exits 1.

`

// runParse is "samplegen parse". It returns the exit code: 0 for a value,
// 1 for an answer that gives none, 2 for a usage or schema error.
func runParse(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("samplegen parse", flag.ContinueOnError)
	fs.SetOutput(stderr)
	schemaFile := fs.String("schema", "", "`file` holding the JSON Schema (2020-12) of the value")
	stopReason := fs.String("stop-reason", "endTurn", "the sampling result's stop `reason`; "+answer.StopMaxTokens+" means the answer was cut off at the token limit")
	fs.Usage = func() {
		fmt.Fprint(stderr, parseUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *schemaFile == "" || fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	schema, err := readSchema(*schemaFile)
	if err != nil {
		fmt.Fprintf(stderr, "samplegen parse: %v\n", err)
		return 2
	}
	text, err := io.ReadAll(io.LimitReader(stdin, answer.MaxInputBytes+1))
	if err != nil {
		fmt.Fprintf(stderr, "samplegen parse: reading the answer: %v\n", err)
		return 2
	}
	value, repairs, err := answer.Parse(string(text), *stopReason, schema)
	for _, r := range repairs {
		fmt.Fprintf(stderr, "repair %s\n", r)
	}
	if err != nil {
		fmt.Fprintf(stderr, "error %v\n", err)
		return 1
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(value); err != nil {
		fmt.Fprintf(stderr, "samplegen parse: %v\n", err)
		return 2
	}
	return 0
}

// readSchema reads and resolves a JSON Schema file, checking its defaults
// as the runtime does.
func readSchema(file string) (*jsonschema.Resolved, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var s jsonschema.Schema
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	rs, err := s.Resolve(&jsonschema.ResolveOptions{ValidateDefaults: true})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return rs, nil
}
