// Command server serves the analyze_sentiment tool: over stdio by default,
// over Streamable HTTP with -http ADDR.
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
	"github.com/samplegen/samplegen/runtime"
)

func main() {
	serve := runtime.ServeFlags(flag.CommandLine)
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	srv := mcp.NewServer(&mcp.Implementation{Name: "sentiment", Version: "0.1.0"}, nil)
	sentiment.AddTools(srv)
	if err := runtime.Serve(ctx, srv, serve); err != nil {
		log.Fatal(err)
	}
}
