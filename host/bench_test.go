package host_test

import (
	"context"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/host"
	"github.com/samplegen/samplegen/sampling"
	"golang.org/x/time/rate"
)

// BenchmarkChain is what a full policy chain costs a request in this
// process, beside the model alone: the part of a host's overhead that is
// this package's (a provider's round trip is milliseconds).
func BenchmarkChain(b *testing.B) {
	res := &mcp.CreateMessageWithToolsResult{Role: "assistant", Model: "m", Content: []mcp.Content{&mcp.TextContent{Text: `{"label":"spam"}`}}}
	sampling.SetUsage(res, sampling.Usage{InputTokens: 100, OutputTokens: 10})
	model := sampling.SamplerFunc(func(context.Context, *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		return res, nil
	})
	catalog, err := host.NewCatalog(
		host.Model{Name: "claude-haiku-4-5", Sampler: model, Cost: 0.9, Speed: 0.9, Intelligence: 0.4},
		host.Model{Name: "claude-sonnet-4-5", Aliases: []string{"sonnet"}, Sampler: model, Cost: 0.3, Speed: 0.5, Intelligence: 0.9},
	)
	if err != nil {
		b.Fatal(err)
	}
	req := ask("Is this spam? WIN A PRIZE", 256)
	req.SystemPrompt = "You sort tickets. Answer with JSON."
	req.ModelPreferences = &mcp.ModelPreferences{Hints: []*mcp.ModelHint{{Name: "sonnet"}}}
	ctx := host.WithServer(context.Background(), host.Server{Name: "s", Session: new(mcp.ClientSession)})
	for _, bc := range []struct {
		name string
		s    sampling.Sampler
	}{
		{"model", model},
		{"catalog", catalog},
		{"chain", host.Chain(catalog,
			host.ClampMaxTokens(1024),
			host.NewSessionBudget(host.Limits{Tokens: 1 << 50}).Charge,
			host.NewBudget(host.Limits{Requests: 1 << 50}).Charge,
			host.RateLimit(rate.NewLimiter(rate.Inf, 1), time.Second),
			host.Approve(func(context.Context, *host.Request) (bool, error) { return true, nil }),
			host.Concurrency(8),
		)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bc.s.CreateMessage(ctx, req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
