// Command server serves the conformance example's tools (analyze_sentiment
// and test_sampling): over stdio by default, over Streamable HTTP with -http
// ADDR, the way the official conformance suite tests servers.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"os/signal"
	"syscall"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/examples/conformance"
	"github.com/samplegen/samplegen/runtime"
)

func main() {
	serve := runtime.ServeFlags(flag.CommandLine)
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	srv := mcp.NewServer(&mcp.Implementation{Name: "samplegen-conformance", Version: "0.1.0"}, nil)
	if err := conformance.AddTools(srv); err != nil {
		log.Fatal(err)
	}
	if err := runtime.Serve(ctx, srv, serve); err != nil {
		log.Fatal(err)
	}
}
