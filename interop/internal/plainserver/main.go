// Command plainserver serves the sentiment example's analyze_sentiment tool
// the two ways go-sdk documents, without runtime.Serve: srv.Run with
// mcp.StdioTransport by default, and with -http ADDR mcp.NewStreamableHTTPHandler
// at /mcp on a plain http.Server. It exists for the interop tests
// (interop/plain_test.go): whatever the runtime does to a tool's sampling
// requests (such as putting back the zero temperature go-sdk v1.8.0 drops,
// go-sdk#1133) must hold however the server is run, not only in the
// transports runtime.Serve builds.
//
// With -http it prints the address it listens on to standard error, as
// runtime.Serve does ("serving Streamable HTTP on http://HOST:PORT/mcp"),
// so that -http 127.0.0.1:0 picks a free port the caller can read.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/examples/sentiment"
)

func main() {
	addr := flag.String("http", "", "serve Streamable HTTP at /mcp on this address instead of stdio")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	// As the example server (examples/sentiment/server) does, without
	// runtime.Serve.
	srv := mcp.NewServer(&mcp.Implementation{Name: "sentiment", Version: "0.1.0"}, nil)
	sentiment.AddTools(srv)

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
