package host

import (
	"context"
	"fmt"
	"sync"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/sampling"
)

// A HandlerFunc answers a go-sdk client's sampling requests: the type of
// mcp.ClientOptions.CreateMessageWithToolsHandler. go-sdk calls it for
// pushed requests (protocol 2025-11-25 and older) and for the input
// requests of multi round-trip calls (2026-07-28) alike.
type HandlerFunc = func(context.Context, *mcp.CreateMessageWithToolsRequest) (*mcp.CreateMessageWithToolsResult, error)

// A Router answers each server's sampling requests with that server's own
// Sampler, usually a [Chain] of its policies over its models, so that no
// request is answered under another server's approval, budget or limits.
// A server with no route of its own meets the fallback, which refuses it
// unless the host gave one. A Router is safe for concurrent use, and
// routes may be added while it serves.
type Router struct {
	mu       sync.RWMutex
	routes   map[string]sampling.Sampler
	fallback sampling.Sampler
	answer   HandlerFunc // sampling.Handler over r.route, made once
}

// NewRouter returns a Router with no routes whose fallback answers servers
// that have none; a nil fallback refuses them, naming the server.
func NewRouter(fallback sampling.Sampler) *Router {
	r := &Router{routes: map[string]sampling.Sampler{}, fallback: fallback}
	r.answer = sampling.Handler(sampling.SamplerFunc(r.route))
	return r
}

// Handler returns a handler that answers every server with s, naming each
// by what it said of itself; it is NewRouter(s).Handler().
func Handler(s sampling.Sampler) HandlerFunc { return NewRouter(s).Handler() }

// Handle routes the requests of the server named name to s, in place of
// any route the name had.
func (r *Router) Handle(name string, s sampling.Sampler) {
	if s == nil {
		panic(fmt.Sprintf("host: Router.Handle(%q, nil): give the server a Sampler, or host.Deny(reason) to refuse it", name))
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.routes[name] = s
}

// Handler returns the handler for a go-sdk client that may connect to any
// number of servers: each request is routed by the name its server gave
// itself when it initialized (InitializeResult.ServerInfo.Name). A server
// may give itself any name, another server's too, so a host that connects
// to servers it does not trust names each connection itself, with
// [Router.HandlerFor].
func (r *Router) Handler() HandlerFunc {
	return func(ctx context.Context, req *mcp.CreateMessageWithToolsRequest) (*mcp.CreateMessageWithToolsResult, error) {
		s := Server{Session: req.Session}
		if req.Session != nil {
			if init := req.Session.InitializeResult(); init != nil && init.ServerInfo != nil {
				s.Info = init.ServerInfo
				s.Name = init.ServerInfo.Name
			}
		}
		return r.answer(WithServer(ctx, s), req)
	}
}

// HandlerFor returns the handler for a go-sdk client whose connections are
// all to the server the host calls name: each request is routed by name,
// whatever the server calls itself (which is still shown in Server.Info).
// Make one client per configured server:
//
//	client := mcp.NewClient(impl, &mcp.ClientOptions{CreateMessageWithToolsHandler: router.HandlerFor("github")})
func (r *Router) HandlerFor(name string) HandlerFunc {
	return func(ctx context.Context, req *mcp.CreateMessageWithToolsRequest) (*mcp.CreateMessageWithToolsResult, error) {
		s := Server{Name: name, Session: req.Session}
		if req.Session != nil {
			if init := req.Session.InitializeResult(); init != nil {
				s.Info = init.ServerInfo
			}
		}
		return r.answer(WithServer(ctx, s), req)
	}
}

// route answers one request with its server's Sampler.
func (r *Router) route(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
	name := ServerOf(ctx).Name
	r.mu.RLock()
	s, ok := r.routes[name]
	if !ok {
		s = r.fallback
	}
	r.mu.RUnlock()
	if s == nil {
		return nil, sampling.Refused(fmt.Sprintf("the host has no sampling policy for server %q", clip(name)))
	}
	res, err := s.CreateMessage(ctx, req)
	if err == nil && res == nil {
		// A nil result would reach go-sdk, which cannot send it.
		return nil, fmt.Errorf("host: the Sampler for server %q returned neither a result nor an error", clip(name))
	}
	return res, err
}
