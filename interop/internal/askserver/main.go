// Command askserver serves the sentiment example's tool with runtime.Serve,
// as the example server does, but with a short ask deadline (-ask-timeout),
// for the interop tests of what a client is told when an ask's deadline
// passes (interop/cancel_test.go): every sampling request the server gives
// up on must reach the client as notifications/cancelled, on every
// transport.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/examples/sentiment"
	"github.com/samplegen/samplegen/runtime"
)

func main() {
	serve := runtime.ServeFlags(flag.CommandLine)
	timeout := flag.Duration("ask-timeout", 500*time.Millisecond, "the deadline of each sampling request")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	srv := mcp.NewServer(&mcp.Implementation{Name: "askserver", Version: "0.0.0"}, nil)
	sentiment.AddTools(srv, runtime.WithParams(runtime.Params{Timeout: *timeout}))
	if err := runtime.Serve(ctx, srv, serve); err != nil {
		log.Fatal(err)
	}
}
