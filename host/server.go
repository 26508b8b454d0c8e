package host

import (
	"context"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/sampling"
)

// A Server is the MCP server a sampling request came from, as the host's
// middleware and hooks see it.
type Server struct {
	// Name is the name the request was routed by: the name the host gave
	// the connection ([Router.HandlerFor]), else the name the server gave
	// itself when it initialized. It is what an approval prompt shows.
	Name string
	// Info is what the server said of itself when it initialized (name,
	// title, version); nil where that is unknown. A server may say
	// anything here: it is untrusted.
	Info *mcp.Implementation
	// Session is the client session the request came on; nil for a
	// Sampler called outside an MCP client.
	Session *mcp.ClientSession
}

type serverKey struct{}

// WithServer returns ctx carrying s, for [ServerOf]. The handlers of a
// [Router] do this for every request; call it to run a host's Sampler
// chain outside an MCP client, as a test might.
func WithServer(ctx context.Context, s Server) context.Context {
	return context.WithValue(ctx, serverKey{}, s)
}

// ServerOf returns the server ctx's request came from; the zero Server
// (no name, no session) outside a [Router]'s handler.
func ServerOf(ctx context.Context) Server {
	s, _ := ctx.Value(serverKey{}).(Server)
	return s
}

// A Request is one sampling request, as a hook sees it: what was asked and
// which server asked. Hooks must not change Params; a host that rewrites
// requests writes a [Middleware], which copies them.
type Request struct {
	Server Server
	Params *mcp.CreateMessageWithToolsParams
}

func newRequest(ctx context.Context, params *mcp.CreateMessageWithToolsParams) *Request {
	return &Request{Server: ServerOf(ctx), Params: params}
}

// IncludeContext is the context the server asks the host to add to the
// prompt: "none", "thisServer" (what the host knows from this server) or
// "allServers" (from every server the host is connected to). An absent
// field is "none". Any other value is returned as it came; the spec
// defines no other. See [IncludeContext].
func (r *Request) IncludeContext() string {
	if r.Params.IncludeContext == "" {
		return "none"
	}
	return r.Params.IncludeContext
}

// Metadata is what the server asks the host to pass on to the model's
// provider, as the server sent it (decoded JSON); nil when absent. It is
// untrusted, and the host decides whether to honour it; the request, and
// its metadata with it, reaches the model's Sampler unchanged unless a
// Middleware changes it.
func (r *Request) Metadata() any { return r.Params.Metadata }

// maxShown bounds what of a peer's strings (names, hints) goes into
// errors, refusals and logs.
const maxShown = 128

// clip shortens a peer's string to maxShown bytes of whole characters.
func clip(s string) string { return sampling.Clip(s, maxShown) }
