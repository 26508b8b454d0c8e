package runtime

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// ServeConfig says how [Serve] exposes a server.
type ServeConfig struct {
	// HTTP, when set, is the address to serve Streamable HTTP on (at path
	// /mcp), such as "127.0.0.1:8080" or "127.0.0.1:0" for any free port.
	// Empty means stdio.
	HTTP string
	// Stateless serves Streamable HTTP without sessions, so that replicas
	// need no sticky routing.
	Stateless bool
	// Log receives the line that says where the server listens; nil means
	// standard error.
	Log io.Writer
}

// ServeFlags registers the -http and -stateless flags on fs and returns the
// config they fill once fs is parsed.
func ServeFlags(fs *flag.FlagSet) *ServeConfig {
	c := &ServeConfig{}
	fs.StringVar(&c.HTTP, "http", "", "serve Streamable HTTP on this address (such as 127.0.0.1:8080) instead of stdio")
	fs.BoolVar(&c.Stateless, "stateless", false, "with -http: serve without sessions, for replicas behind a load balancer")
	return c
}

// Serve runs srv until ctx is done or the client goes away: over stdio by
// default, over Streamable HTTP when c.HTTP is set. On HTTP, a done ctx
// stops accepting calls and lets those in flight finish (up to 10 seconds).
func Serve(ctx context.Context, srv *mcp.Server, c *ServeConfig) error {
	if c == nil {
		c = &ServeConfig{}
	}
	if c.HTTP == "" {
		err := srv.Run(ctx, &mcp.StdioTransport{})
		if errors.Is(err, context.Canceled) || errors.Is(err, io.EOF) {
			return nil
		}
		return err
	}
	ln, err := net.Listen("tcp", c.HTTP)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/mcp", mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return srv }, &mcp.StreamableHTTPOptions{Stateless: c.Stateless}))
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	logw := c.Log
	if logw == nil {
		logw = os.Stderr
	}
	fmt.Fprintf(logw, "samplegen: serving Streamable HTTP on http://%s/mcp\n", ln.Addr())
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		return hs.Shutdown(shutdown)
	}
}
