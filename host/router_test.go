package host_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/host"
	"github.com/samplegen/samplegen/sampling"
)

// serverGuard is a model that answers only its own server's requests, and
// fails any request routed to it for another server or about another
// server's prompt: a request answered under the wrong settings would fail.
func serverGuard(server, model string) *fakeModel {
	return &fakeModel{name: model, text: "answer for " + server}
}

func checkOwn(t *testing.T, m *fakeModel, server string) {
	t.Helper()
	for i, name := range m.askedFor() {
		if name != server {
			t.Errorf("%s's model answered request %d for server %q", server, i+1, name)
		}
	}
	for i, req := range m.requests() {
		if got := req.Messages[0].Content[0].(*mcp.TextContent).Text; !strings.HasPrefix(got, server+":") {
			t.Errorf("%s's model was asked %q (request %d), another server's prompt", server, got, i+1)
		}
	}
}

// One client, two servers connected at once, each answered under its own
// policy: its own approval prompt naming it, its own model, its own budget.
// Exhausting one server's budget leaves the other's untouched, and a
// server with no policy is refused (deny by default).
func TestRouterAnswersEachServerUnderItsOwnPolicy(t *testing.T) {
	alphaModel, betaModel := serverGuard("alpha", "alpha-model"), serverGuard("beta", "beta-model")
	var asked approvals
	alphaBudget := host.NewSessionBudget(host.Limits{Requests: 2})
	betaBudget := host.NewSessionBudget(host.Limits{Requests: 20})
	router := host.NewRouter(nil)
	router.Handle("alpha", host.Chain(alphaModel, host.Approve(asked.approve), alphaBudget.Charge))
	router.Handle("beta", host.Chain(betaModel, host.Approve(asked.approve), betaBudget.Charge))
	client := mcp.NewClient(&mcp.Implementation{Name: "host", Version: "1"}, &mcp.ClientOptions{CreateMessageWithToolsHandler: router.Handler()})

	alpha := connect(t, client, askServer("alpha"))
	beta := connect(t, client, askServer("beta"))
	gamma := connect(t, client, askServer("gamma"))

	// Interleaved and concurrent: alpha twice, beta five times at once.
	var wg sync.WaitGroup
	for i := range 5 {
		wg.Go(func() {
			if got := callAsk(t, beta, fmt.Sprintf("beta: question %d", i)); got.Text != "answer for beta" || got.Model != "beta-model" {
				t.Errorf("beta got %+v", got)
			}
		})
	}
	for i := range 2 {
		if got := callAsk(t, alpha, fmt.Sprintf("alpha: question %d", i)); got.Text != "answer for alpha" || got.Model != "alpha-model" {
			t.Errorf("alpha got %+v", got)
		}
	}
	wg.Wait()

	// alpha's budget is spent: refused, on the wire as a refusal (-1).
	if got := callAsk(t, alpha, "alpha: one more"); got.Code != sampling.CodeRefused || got.Message != "this session's sampling budget of 2 requests is spent (2 answered, 0 in flight)" {
		t.Errorf("alpha's third request: %+v, want a refusal naming its budget", got)
	}
	// beta's is not.
	if got := callAsk(t, beta, "beta: after alpha ran out"); got.Text != "answer for beta" {
		t.Errorf("beta after alpha's budget ran out: %+v", got)
	}
	if got := callAsk(t, gamma, "gamma: may I?"); got.Code != sampling.CodeRefused || got.Message != `the host has no sampling policy for server "gamma"` {
		t.Errorf("gamma, which has no policy: %+v", got)
	}

	checkOwn(t, alphaModel, "alpha")
	checkOwn(t, betaModel, "beta")
	if a, b := len(alphaModel.requests()), len(betaModel.requests()); a != 2 || b != 6 {
		t.Errorf("alpha's model answered %d, beta's %d; want 2 and 6", a, b)
	}
	if got := alphaBudget.Spent(alpha).Requests; got != 2 {
		t.Errorf("alpha's budget spent %d", got)
	}
	if got, gotBeta := betaBudget.Spent(beta).Requests, betaBudget.Spent(alpha).Requests; got != 6 || gotBeta != 0 {
		t.Errorf("beta's budget: %d for beta's session, %d for alpha's; want 6 and 0", got, gotBeta)
	}
	// The approval prompt named the server of each request, and showed its
	// prompt, includeContext and metadata.
	count := map[string]int{}
	for _, r := range asked.requests() {
		count[r.Server.Name]++
		prompt := r.Params.Messages[0].Content[0].(*mcp.TextContent).Text
		if !strings.HasPrefix(prompt, r.Server.Name+":") {
			t.Errorf("the approval for %q showed %q, another server's request", r.Server.Name, prompt)
		}
		if r.Server.Info == nil || r.Server.Info.Name != r.Server.Name || r.Server.Session == nil {
			t.Errorf("the approval for %q showed server %+v", r.Server.Name, r.Server)
		}
		if r.IncludeContext() != "thisServer" || jsonOf(r.Metadata()) != fmt.Sprintf(`{"from":%q}`, r.Server.Name) {
			t.Errorf("the approval for %q showed includeContext %q and metadata %s", r.Server.Name, r.IncludeContext(), jsonOf(r.Metadata()))
		}
	}
	// alpha's third request was refused by its budget, after approval.
	if count["alpha"] != 3 || count["beta"] != 6 || count["gamma"] != 0 {
		t.Errorf("approvals by server: %v", count)
	}
}

// Servers may call themselves anything, another's name too. A host that
// names each connection itself routes by its own name: two servers both
// calling themselves "everything" get their own policies, and the prompt
// shows the host's name and, beside it, the server's.
func TestRouterHandlerForRoutesByTheHostsName(t *testing.T) {
	var asked approvals
	work, home := serverGuard("work", "work-model"), serverGuard("home", "home-model")
	router := host.NewRouter(host.Deny("unconfigured"))
	router.Handle("work", host.Chain(work, host.Approve(asked.approve)))
	router.Handle("home", host.Chain(home, host.Approve(asked.approve)))
	// The spoofing server calls itself "work"; routed by its server info it
	// would get work's policy.
	router.Handle("everything", host.Deny("routed by the server's own name"))
	impl := &mcp.Implementation{Name: "host", Version: "1"}
	workClient := mcp.NewClient(impl, &mcp.ClientOptions{CreateMessageWithToolsHandler: router.HandlerFor("work")})
	homeClient := mcp.NewClient(impl, &mcp.ClientOptions{CreateMessageWithToolsHandler: router.HandlerFor("home")})

	w := connect(t, workClient, askServer("everything"))
	h := connect(t, homeClient, askServer("everything"))
	if got := callAsk(t, w, "work: status?"); got.Text != "answer for work" {
		t.Errorf("work: %+v", got)
	}
	if got := callAsk(t, h, "home: status?"); got.Text != "answer for home" {
		t.Errorf("home: %+v", got)
	}
	checkOwn(t, work, "work")
	checkOwn(t, home, "home")
	for _, r := range asked.requests() {
		if r.Server.Info == nil || r.Server.Info.Name != "everything" {
			t.Errorf("the approval for %q does not show what the server calls itself: %+v", r.Server.Name, r.Server.Info)
		}
	}
	if got := strings.Join(asked.names(), ","); got != "work,home" {
		t.Errorf("approvals named %s, want work,home", got)
	}

	// A name with no route meets the fallback.
	other := connect(t, mcp.NewClient(impl, &mcp.ClientOptions{CreateMessageWithToolsHandler: router.HandlerFor("elsewhere")}), askServer("x"))
	if got := callAsk(t, other, "x"); got.Code != sampling.CodeRefused || got.Message != "unconfigured" {
		t.Errorf("an unrouted name: %+v, want the fallback's refusal", got)
	}
}

// A route added while the router serves takes effect for the next request.
func TestRouterRoutesAddedLater(t *testing.T) {
	router := host.NewRouter(nil)
	client := mcp.NewClient(&mcp.Implementation{Name: "host", Version: "1"}, &mcp.ClientOptions{CreateMessageWithToolsHandler: router.Handler()})
	cs := connect(t, client, askServer("late"))
	if got := callAsk(t, cs, "late: 1"); got.Code != sampling.CodeRefused {
		t.Errorf("before its route: %+v", got)
	}
	router.Handle("late", serverGuard("late", "m"))
	if got := callAsk(t, cs, "late: 2"); got.Text != "answer for late" {
		t.Errorf("after its route: %+v", got)
	}
}

// A Sampler that returns neither a result nor an error is a bug of the
// host's: not a crash of the client, and to the server a failed model, a
// refusal that says nothing of the host (so it falls back, on either era).
func TestRouterSamplerReturningNothing(t *testing.T) {
	nothing := sampling.SamplerFunc(func(context.Context, *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		return nil, nil
	})
	client := mcp.NewClient(&mcp.Implementation{Name: "host", Version: "1"}, &mcp.ClientOptions{CreateMessageWithToolsHandler: host.Handler(nothing)})
	got := callAsk(t, connect(t, client, askServer("s")), "s: hi")
	if got.Code != sampling.CodeRefused || got.Message != sampling.ModelFailed {
		t.Errorf("got %+v, want the refusal %q", got, sampling.ModelFailed)
	}
}
