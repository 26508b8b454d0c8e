// Command plainserver serves three tools the two ways go-sdk documents,
// without runtime.Serve: srv.Run with mcp.StdioTransport by default, and with
// -http ADDR mcp.NewStreamableHTTPHandler at /mcp on a plain http.Server. It
// exists for the interop tests (interop/plain_test.go): whatever the runtime
// does to a tool's sampling requests, listings and results must hold however
// the server is run, not only in the transports runtime.Serve builds.
//
// The tools:
//
//   - analyze_sentiment, the sentiment example's tool: its sampling requests
//     must carry the zero temperature go-sdk v1.8.0 drops (go-sdk#1133).
//   - summarize, a sampling tool whose output is a string (the model's text,
//     verbatim): clients before 2026-07-28 must be shown its output schema
//     wrapped in an object and get its value under runtime.ResultProperty.
//   - tags, a function tool (runtime.AddFunc) listing a text's #hashtags,
//     whose schema requires an array and an object: for a text without
//     hashtags its Go value has a nil slice and a nil map, which must go out
//     as [] and {}, not null.
//
// With -http it prints the address it listens on to standard error, as
// runtime.Serve does ("serving Streamable HTTP on http://HOST:PORT/mcp"),
// so that -http 127.0.0.1:0 picks a free port the caller can read.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/examples/sentiment"
	"github.com/samplegen/samplegen/runtime"
)

// textInput is the input of summarize and tags.
type textInput struct {
	Text string `json:"text"`
}

const textInputSchema = `{"type":"object","properties":{"text":{"type":"string","minLength":1}},"required":["text"],"additionalProperties":false}`

// Summary is a one-sentence summary: a text output, so the model's text is
// its value.
type Summary string

var summarize = runtime.NewTool(runtime.Spec[textInput, Summary]{
	Name:         "summarize",
	Description:  "Summarizes a text in one sentence.",
	InputSchema:  textInputSchema,
	OutputSchema: `{"type":"string","minLength":1,"maxLength":200}`,
	Prompt:       "Summarize in one sentence:\n\n{{fence .Text}}",
	Params:       runtime.Params{Temperature: runtime.Float(0), MaxTokens: 100},
})

// Tagged is what tags returns. For a text without hashtags both fields are
// nil, as Go code that only appends and assigns leaves them.
type Tagged struct {
	Tags  []string       `json:"tags"`
	Notes map[string]int `json:"notes"` // how often each tag occurs
}

const taggedSchema = `{"type":"object","properties":{"tags":{"type":"array","items":{"type":"string"}},"notes":{"type":"object","additionalProperties":{"type":"integer"}}},"required":["tags","notes"],"additionalProperties":false}`

// hashtags lists the #hashtags of a text in order of first appearance.
func hashtags(_ context.Context, _ runtime.Sampler, in textInput) (Tagged, error) {
	var out Tagged
	for _, w := range strings.Fields(in.Text) {
		tag := strings.TrimRight(strings.TrimPrefix(w, "#"), ".,;:!?")
		if !strings.HasPrefix(w, "#") || tag == "" {
			continue
		}
		if out.Notes[tag] == 0 {
			out.Tags = append(out.Tags, tag)
		}
		if out.Notes == nil {
			out.Notes = map[string]int{}
		}
		out.Notes[tag]++
	}
	return out, nil
}

func main() {
	addr := flag.String("http", "", "serve Streamable HTTP at /mcp on this address instead of stdio")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	// As the example server (examples/sentiment/server) does, without
	// runtime.Serve.
	srv := mcp.NewServer(&mcp.Implementation{Name: "sentiment", Version: "0.1.0"}, nil)
	sentiment.AddTools(srv)
	// Two more, with the runtime's public API.
	summarize.Add(srv)
	tags := &mcp.Tool{
		Name:         "tags",
		Description:  "Lists the #hashtags of a text, with how often each occurs.",
		InputSchema:  json.RawMessage(textInputSchema),
		OutputSchema: json.RawMessage(taggedSchema),
	}
	if err := runtime.AddFunc(srv, tags, hashtags); err != nil {
		log.Fatal(err)
	}

	if *addr == "" {
		err := srv.Run(ctx, &mcp.StdioTransport{})
		if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, io.EOF) {
			log.Fatal(err)
		}
		return
	}

	http.Handle("/mcp", mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return srv }, nil))
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	hs := &http.Server{ReadHeaderTimeout: 10 * time.Second} // nil Handler: http.DefaultServeMux
	fmt.Fprintf(os.Stderr, "plainserver: serving Streamable HTTP on http://%s/mcp\n", ln.Addr())
	errs := make(chan error, 1)
	go func() { errs <- hs.Serve(ln) }()
	select {
	case err := <-errs:
		log.Fatal(err)
	case <-ctx.Done():
		hs.Close()
	}
}
