// Command server serves the analyze_sentiment tool: over stdio by default,
// over Streamable HTTP with -http ADDR. With -provider and -model (or
// SAMPLEGEN_PROVIDER and SAMPLEGEN_MODEL) it has a model of its own, which
// answers clients that cannot sample (direct mode):
//
//	SAMPLEGEN_PROVIDER=openai SAMPLEGEN_MODEL=gpt-4o-mini go run ./examples/sentiment/server -http :8080
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"os/signal"
	"syscall"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/examples/sentiment"
	"github.com/samplegen/samplegen/provider"
	"github.com/samplegen/samplegen/runtime"
)

func main() {
	serve := runtime.ServeFlags(flag.CommandLine)
	serve.NewModel = provider.Open
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	srv := mcp.NewServer(&mcp.Implementation{Name: "sentiment", Version: "0.1.0"}, nil)
	sentiment.AddTools(srv)
	if err := runtime.Serve(ctx, srv, serve); err != nil {
		log.Fatal(err)
	}
}
