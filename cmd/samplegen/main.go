// Command samplegen generates typed MCP sampling tools from annotated Go
// struct types and functions. See package github.com/samplegen/samplegen/gen
// for the directives it reads and what it writes.
//
// Usage:
//
//	samplegen [-check] [packages]
//	samplegen parse -schema FILE [-stop-reason R] < answer.txt
//	samplegen call [flags] TOOL [JSON-ARGS] [-- SERVER-COMMAND ARGS...]
//	samplegen eval [flags] TOOL DATA.jsonl [-- SERVER-COMMAND ARGS...]
//	samplegen init [DIR] [-module PATH] [-tool PACKAGE]... [-samplegen VERSION|DIR]
//
// The parse subcommand runs a model's answer through the runtime's parser
// (runtime/answer): it prints the value as JSON and the repairs made, or the
// error the model would be re-asked with (exit 1).
//
// The call subcommand is a small MCP client: it starts a server (the
// command after --) or dials one (-url), calls one tool and answers the
// server's sampling requests with a model (-provider, -model), a replay file
// (-replay) or the person at the terminal (-human), recording them with
// -record. It prints the result as JSON on stdout and the call's report on
// stderr; samplegen call -h says more.
//
// The eval subcommand measures a tool over a labelled dataset through the
// client of samplegen call: a line {"id":...,"args":{...},"want":{...}} a
// case, a summary on stdout, -json and -html reports (accuracy, per-class
// precision, recall and F1, confusion matrices, repair, re-ask and fallback
// rates, latency, tokens, the worst cases), -compare with an earlier run and
// -min-accuracy for CI; samplegen eval -h says more.
//
// The init subcommand starts a new server: it writes a module in DIR with
// two tools of its own (a sampling tool and a function tool that calls
// it), a main that serves them, tests that run them offline against
// scripted and recorded answers, and go.mod pinning this samplegen with a
// tool directive; -tool copies ready tools from the library
// (github.com/samplegen/samplegen/templates) into it. Then
// cd DIR && go test ./... passes. samplegen init -h says more.
//
// Typically from a go:generate line beside the annotated types:
//
//	//go:generate go tool samplegen
//
// and in CI, to fail when a generated file is missing, stale or left over:
//
//	go tool samplegen -check ./...
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/samplegen/samplegen/gen"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "parse" {
		os.Exit(runParse(os.Args[2:], os.Stdin, os.Stdout, os.Stderr))
	}
	if len(os.Args) > 1 && os.Args[1] == "call" {
		os.Exit(runCall(os.Args[2:], os.Stdin, os.Stdout, os.Stderr))
	}
	if len(os.Args) > 1 && os.Args[1] == "eval" {
		os.Exit(runEval(os.Args[2:], os.Stdout, os.Stderr))
	}
	if len(os.Args) > 1 && os.Args[1] == "init" {
		os.Exit(runInit(os.Args[2:], os.Stdout, os.Stderr))
	}
	check := flag.Bool("check", false, "report generated files that are missing or stale, and write nothing; exit 1 if any")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: samplegen [-check] [packages]\n\n")
		fmt.Fprintf(flag.CommandLine.Output(), "Generates <package>_samplegen.go for each package (default \".\").\n\n")
		fmt.Fprintf(flag.CommandLine.Output(), "Subcommands (-h after one says more):\n")
		fmt.Fprintf(flag.CommandLine.Output(), "  samplegen init [DIR] [flags]     start a new server module in DIR\n")
		fmt.Fprintf(flag.CommandLine.Output(), "  samplegen call [flags] TOOL ... call a tool of a server, answering its sampling\n")
		fmt.Fprintf(flag.CommandLine.Output(), "  samplegen eval [flags] TOOL DATA.jsonl ... score a tool over a labelled dataset\n")
		fmt.Fprintf(flag.CommandLine.Output(), "  samplegen parse -schema FILE    run a model's answer through the parser\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	os.Exit(run(os.Stderr, *check, flag.Args()))
}

// run generates for the patterns in the current directory, reports to
// stderr and returns the exit code.
func run(stderr io.Writer, check bool, patterns []string) int {
	changes, err := gen.Generate(gen.Config{Patterns: patterns, Check: check})
	if err != nil {
		var list gen.ErrorList
		if errors.As(err, &list) {
			for _, e := range list {
				fmt.Fprintln(stderr, e)
			}
		} else {
			fmt.Fprintln(stderr, err)
		}
		return 1
	}
	if check && len(changes) > 0 {
		for _, c := range changes {
			fmt.Fprintf(stderr, "%s (run go generate)\n", c)
		}
		return 1
	}
	return 0
}
