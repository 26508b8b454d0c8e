package host

import (
	"context"
	"errors"
	"fmt"
	"math"
	goruntime "runtime"
	"sync"
	"weak"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/sampling"
)

// Limits are what a [Budget] allows; a zero field allows any amount.
type Limits struct {
	// Requests is how many requests may be answered.
	Requests int64
	// Tokens is how many tokens, input and output together, answers may
	// cost.
	Tokens int64
}

// Spent is what has been charged to a [Budget]'s account.
type Spent struct {
	Requests int64 // requests answered
	Tokens   int64 // tokens they cost, input and output
	// EstimatedTokens is the part of Tokens that [sampling.EstimateUsage]
	// guessed, for results that carried no usage from their provider.
	EstimatedTokens int64
	// InFlight is the requests admitted and not yet answered; Reserved the
	// tokens held for them.
	InFlight, Reserved int64
}

// A Budget charges answered requests and their tokens to an account and
// refuses requests the account cannot afford. One from [NewBudget] has one
// account for everything charged to it: one Budget in one server's chain
// is that server's budget, and one in several chains a budget over all of
// them. One from [NewSessionBudget] has an account for each client
// session, so every connection to a server starts afresh.
//
// A request is admitted only if the account can afford what it holds: its
// input as [sampling.EstimateUsage] guesses it, plus its maxTokens, on top
// of what is spent and what requests in flight hold. Put [ClampMaxTokens]
// before it, or a request asking for more tokens than the budget has left
// is refused. Once answered, a request is charged what it cost, in full:
// the result's [sampling.UsageOf] where it carries one, the
// [sampling.EstimateUsage] guess otherwise. A request the model itself
// refused (a [sampling.RefusalError] carrying the tokens it spent, as the
// provider adapters return) is charged the same; one that fails, or that
// a policy further down the chain refuses, costs nothing.
//
// So a token budget can be overdrawn, by what the requests in flight at
// once cost beyond their holds: input the estimate missed (text a
// tokenizer counts more densely than 4 bytes a token, such as CJK; images
// costing more than 1000 tokens; context that [IncludeContext] or another
// Middleware after the Budget adds to the prompt) and output a provider
// reports beyond maxTokens. Spent.Tokens then exceeds the limit, and every
// request after is refused. Where the limit is a hard cost ceiling, set it
// below the ceiling by that margin.
//
// A refusal for a spent budget is a plain [sampling.Refused]: waiting will
// not refill it. A Budget is safe for concurrent use.
type Budget struct {
	limits     Limits
	perSession bool

	mu       sync.Mutex
	shared   account
	sessions map[weak.Pointer[mcp.ClientSession]]*account
}

type account struct{ spent Spent }

// NewBudget returns a Budget with one account, limited by l.
func NewBudget(l Limits) *Budget { return &Budget{limits: l} }

// NewSessionBudget returns a Budget with an account for each client
// session, each limited by l. A session's account goes when the session is
// no longer referenced; requests made outside a client session (no
// [Server].Session) share one account.
func NewSessionBudget(l Limits) *Budget {
	return &Budget{limits: l, perSession: true, sessions: map[weak.Pointer[mcp.ClientSession]]*account{}}
}

// Spent returns what the account cs's requests are charged to has spent:
// cs's own in a session budget, the one account of any other. cs may be
// nil.
func (b *Budget) Spent(cs *mcp.ClientSession) Spent {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.account(cs).spent
}

// account returns cs's account, making it if need be; b.mu is held.
func (b *Budget) account(cs *mcp.ClientSession) *account {
	if !b.perSession || cs == nil {
		return &b.shared
	}
	key := weak.Make(cs)
	a, ok := b.sessions[key]
	if !ok {
		a = &account{}
		b.sessions[key] = a
		goruntime.AddCleanup(cs, b.forget, key)
	}
	return a
}

// forget drops the account of a session nothing references any more.
func (b *Budget) forget(key weak.Pointer[mcp.ClientSession]) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.sessions, key)
}

// Charge is the Middleware that charges each request to the Budget.
func (b *Budget) Charge(next sampling.Sampler) sampling.Sampler {
	return sampling.SamplerFunc(func(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		in := sampling.EstimateUsage(req, nil).InputTokens
		hold := min(addCapped(in, max(req.MaxTokens, 0)), maxHold)
		b.mu.Lock()
		a := b.account(ServerOf(ctx).Session)
		if err := b.admit(a, hold); err != nil {
			b.mu.Unlock()
			return nil, err
		}
		a.spent.InFlight++
		a.spent.Reserved += hold
		b.mu.Unlock()

		res, err := next.CreateMessage(ctx, req)

		b.mu.Lock()
		defer b.mu.Unlock()
		a.spent.InFlight--
		a.spent.Reserved -= hold
		var refused *sampling.RefusalError
		switch {
		case err == nil && res != nil:
			u, counted := sampling.UsageOf(res)
			if !counted {
				u = sampling.EstimateUsage(req, res)
			}
			a.charge(u, !counted)
		case errors.As(err, &refused) && refused.Usage != nil:
			// The model itself refused, and was paid to: a server that
			// prompts for refusals spends the budget like any other.
			a.charge(*refused.Usage, false)
		}
		return res, err
	})
}

// charge counts one answered request of u tokens, estimated or not; b.mu
// is held.
func (a *account) charge(u sampling.Usage, estimated bool) {
	cost := addCapped(max(u.InputTokens, 0), max(u.OutputTokens, 0))
	a.spent.Requests++
	a.spent.Tokens = addCapped(a.spent.Tokens, cost)
	if estimated {
		a.spent.EstimatedTokens = addCapped(a.spent.EstimatedTokens, cost)
	}
}

// admit refuses a request a can not afford, holding hold tokens; b.mu is
// held.
func (b *Budget) admit(a *account, hold int64) error {
	whose := "the"
	if b.perSession {
		whose = "this session's"
	}
	s := a.spent
	if l := b.limits.Requests; l > 0 && s.Requests+s.InFlight >= l {
		return sampling.Refused(fmt.Sprintf("%s sampling budget of %d requests is spent (%d answered, %d in flight)", whose, l, s.Requests, s.InFlight))
	}
	if l := b.limits.Tokens; l > 0 && addCapped(addCapped(s.Tokens, s.Reserved), hold) > l {
		return sampling.Refused(fmt.Sprintf("%s sampling budget of %d tokens cannot afford the request: %d spent (%d of them estimated), %d held by requests in flight, and this one may take %d (its input, estimated, and its maxTokens)",
			whose, l, s.Tokens, s.EstimatedTokens, s.Reserved, hold))
	}
	return nil
}

// maxHold bounds what one request holds of a budget, a trillion tokens:
// more than any budget, and small enough that the holds of any number of
// requests in flight add up without overflow.
const maxHold = 1 << 40

// addCapped adds two counts, stopping at the largest int64: a peer's
// maxTokens or usage may be any number.
func addCapped(a, b int64) int64 {
	if b > 0 && a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}
