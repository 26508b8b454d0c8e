// Command demo runs samplegen's main job end to end: it starts the sentiment
// example server as a subprocess over stdio, connects an MCP client whose
// sampling is answered by a model, calls analyze_sentiment, and prints the
// typed result and what the runtime did to get it.
//
//	go run ./examples/sentiment/demo "I love this"
//	go run ./examples/sentiment/demo -protocol 2025-11-25 "The delivery was late and the box was broken"
//	SAMPLEGEN_PROVIDER=openai SAMPLEGEN_MODEL=gpt-4o-mini OPENAI_API_KEY=... go run ./examples/sentiment/demo "I love this"
//
// The model is a real one where SAMPLEGEN_PROVIDER and SAMPLEGEN_MODEL name
// it (package provider; keys and base URLs from the providers' own
// variables), and otherwise an offline demo model: a keyword counter that
// misbehaves like real models do (prose, fences, wrong-case enum values, an
// out-of-range number). It is not an LLM, and the output says so.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/examples/sentiment"
	"github.com/samplegen/samplegen/provider"
	"github.com/samplegen/samplegen/runtime"
)

// serverEnv, when set in the environment, makes this binary the example
// server (speaking the protocol version it names) instead of the demo.
const serverEnv = "SAMPLEGEN_DEMO_SERVE_PROTOCOL"

func main() {
	if proto := os.Getenv(serverEnv); proto != "" {
		if err := serve(proto); err != nil {
			fmt.Fprintln(os.Stderr, "demo server:", err)
			os.Exit(1)
		}
		return
	}
	protocol := flag.String("protocol", "2026-07-28", "MCP protocol version: 2026-07-28 (multi round-trip sampling) or 2025-11-25 (pushed sampling requests)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: demo [-protocol VERSION] TEXT...\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	text := strings.Join(flag.Args(), " ")
	if text == "" {
		text = "I love this"
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, *protocol, text); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

// serve is the server side: the sentiment example's tools over stdio.
func serve(protocol string) error {
	srv := mcp.NewServer(&mcp.Implementation{Name: "sentiment", Version: "0.1.0"},
		&mcp.ServerOptions{SupportedProtocolVersions: []string{protocol}})
	// The demo prints each call's report itself; the server's own log lines
	// (and its warning about a per-process state key) would only repeat it.
	sentiment.AddTools(srv, runtime.WithLogger(slog.New(slog.DiscardHandler)), runtime.WithReportMeta(runtime.ReportMetaOn))
	return runtime.Serve(context.Background(), srv, nil)
}

func run(ctx context.Context, w io.Writer, protocol, text string) error {
	fmt.Fprintln(w, "samplegen demo: analyze_sentiment, end to end")
	clientOpts, err := clientModel(w)
	if err != nil {
		return err
	}

	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding this program to start it as the server: %w", err)
	}
	server := exec.CommandContext(ctx, self)
	server.Env = append(os.Environ(), serverEnv+"="+protocol)
	server.Stderr = os.Stderr

	client := mcp.NewClient(&mcp.Implementation{Name: "samplegen-demo", Version: "0.1.0"}, clientOpts)
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	session, err := client.Connect(ctx, &mcp.CommandTransport{Command: server}, nil)
	if err != nil {
		return fmt.Errorf("starting the example server: %w", err)
	}
	defer session.Close()
	era := "pushed sampling requests"
	if session.InitializeResult().ProtocolVersion >= "2026-07-28" {
		era = "multi round-trip sampling"
	}
	fmt.Fprintf(w, "  server: examples/sentiment over stdio, protocol %s (%s)\n", session.InitializeResult().ProtocolVersion, era)
	fmt.Fprintf(w, "  input:  %q\n", text)

	res, err := session.CallTool(ctx, &mcp.CallToolParams{Name: "analyze_sentiment", Arguments: sentiment.AnalyzeSentiment{Text: text}})
	if err != nil {
		return fmt.Errorf("calling analyze_sentiment: %w", err)
	}
	report, err := reportOf(res)
	if err != nil {
		return err
	}
	if res.IsError {
		printReport(w, report)
		return fmt.Errorf("the tool failed: %s", textContent(res))
	}
	var out sentiment.SentimentResult
	if err := remarshal(res.StructuredContent, &out); err != nil {
		return fmt.Errorf("reading the structured result: %w", err)
	}
	fmt.Fprintf(w, "\nresult (sentiment.SentimentResult):\n  Sentiment:  %s\n  Confidence: %.2f\n", out.Sentiment, out.Confidence)
	printReport(w, report)
	return nil
}

func printReport(w io.Writer, r *runtime.CallReport) {
	if r == nil {
		return
	}
	rounds, repairs := 0, 0
	for _, s := range r.Samples {
		rounds += len(s.Rounds)
		repairs += len(s.Repairs())
	}
	fmt.Fprintf(w, "\nwhat the runtime did (%s, %d round(s), %d repair(s), %s): %s\n", r.Plan.Era, rounds, repairs, r.Latency.Round(time.Millisecond), r.Outcome)
	if u := r.Usage; u.InputTokens+u.OutputTokens > 0 {
		fmt.Fprintf(w, "  tokens: %d in, %d out, as the provider counted them\n", u.InputTokens, u.OutputTokens)
	}
	for _, s := range r.Samples {
		for i, round := range s.Rounds {
			verdict := "accepted"
			if round.Error != "" {
				verdict = "refused, re-asked: " + round.Error
			}
			fmt.Fprintf(w, "  round %d (%s, stop %s): %s\n", i+1, round.Model, round.StopReason, verdict)
			for _, rep := range round.Repairs {
				fmt.Fprintf(w, "    repaired %s\n", rep)
			}
		}
		if s.Fallback != "" {
			fmt.Fprintf(w, "  fallback: %s\n", s.Fallback)
		}
	}
	if r.Error != "" {
		fmt.Fprintf(w, "  error: %s\n", r.Error)
	}
}

func reportOf(res *mcp.CallToolResult) (*runtime.CallReport, error) {
	rep, _, err := runtime.CallReportOf(res)
	return rep, err
}

func textContent(res *mcp.CallToolResult) string {
	var parts []string
	for _, c := range res.Content {
		if t, ok := c.(*mcp.TextContent); ok {
			parts = append(parts, t.Text)
		}
	}
	return strings.Join(parts, "\n")
}

func remarshal(from, to any) error {
	b, err := json.Marshal(from)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, to)
}

// clientModel says which model answers the server's sampling, and returns
// the client options that answer with it: the provider SAMPLEGEN_PROVIDER
// and SAMPLEGEN_MODEL name, through samplegen's sampling handler (with the
// respond tool, which real models answer well), or the offline demo model.
func clientModel(w io.Writer) (*mcp.ClientOptions, error) {
	cfg, ok, err := provider.FromEnv()
	if err != nil {
		return nil, err
	}
	if ok {
		model, err := provider.New(cfg)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(w, "  model:  %s %s, a real model (from %s and %s)\n", cfg.Provider, cfg.Model, provider.EnvProvider, provider.EnvModel)
		return &mcp.ClientOptions{CreateMessageWithToolsHandler: runtime.SamplingHandler(model)}, nil
	}
	fmt.Fprintln(w, "  model:  OFFLINE DEMO MODEL, a keyword counter that misbehaves like real models (not an LLM)")
	if v := keyWithoutProvider(); v != "" {
		fmt.Fprintf(w, "  note:   %s is set but %s is not; set %s (openai, anthropic or ollama) and %s to use a real model\n", v, provider.EnvProvider, provider.EnvProvider, provider.EnvModel)
	}
	round := 0
	model := demoModel{transcript: func(format string, args ...any) {
		round++
		fmt.Fprintf(w, "\n[offline demo model] request %d: %s\n", round, fmt.Sprintf(format, args...))
	}}
	return &mcp.ClientOptions{CreateMessageHandler: model.CreateMessage}, nil
}

// keyWithoutProvider names a provider's key or address set in the
// environment, which alone does not choose a model.
func keyWithoutProvider() string {
	for _, v := range []string{"OPENAI_API_KEY", "ANTHROPIC_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_BASE_URL"} {
		if os.Getenv(v) != "" {
			return v
		}
	}
	return ""
}
