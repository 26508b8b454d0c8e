//go:build unix

package host_test

import (
	"context"
	"net/http"
	"syscall"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"golang.org/x/time/rate"

	"github.com/samplegen/samplegen/host"
	"github.com/samplegen/samplegen/internal/aimock"
	"github.com/samplegen/samplegen/provider"
	"github.com/samplegen/samplegen/sampling"
)

// overheadSystem and overheadUser are the one request both sides of
// BenchmarkHandlerOverhead send.
const (
	overheadSystem = "You classify the sentiment of a text. Answer in JSON only."
	overheadUser   = "Classify: the parcel came early"
)

// BenchmarkHandlerOverhead measures what a full host handler (router,
// log-free policy chain: clamp, budget, rate limit, approval, concurrency,
// catalog, then the OpenAI adapter) adds to one sampling request over
// calling openai-go directly with the same request, both against one aimock
// on loopback. Each iteration sends one request each way; overhead-% is
// the handler's wall time over the SDK's, less one, and cpu-overhead-% the
// handler's extra CPU in this process over the SDK's wall time:
//
//	go test ./host -run '^$' -bench HandlerOverhead -benchtime 2000x -count 6
func BenchmarkHandlerOverhead(b *testing.B) {
	mock := aimock.Start(b, aimock.Options{Fixtures: "testdata/aimock/overhead.json"})
	transport := &http.Transport{MaxIdleConnsPerHost: 4}
	b.Cleanup(transport.CloseIdleConnections)
	httpClient := &http.Client{Transport: transport}
	ctx := context.Background()
	// aimock runs on Node, whose JIT makes its first few hundred answers
	// slower than the rest: warm it before either side is timed.
	warm := openai.NewClient(option.WithBaseURL(mock.URL+"/v1"), option.WithAPIKey("sk-bench"), option.WithHTTPClient(httpClient))
	for range 500 {
		if _, err := warm.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{
			Model:    "gpt-4o-mini",
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(overheadUser)},
		}); err != nil {
			b.Fatal(err)
		}
	}

	client := openai.NewClient(option.WithBaseURL(mock.URL+"/v1"), option.WithAPIKey("sk-bench"), option.WithHTTPClient(httpClient))
	params := openai.ChatCompletionNewParams{
		Model: "gpt-4o-mini",
		Messages: []openai.ChatCompletionMessageParamUnion{
			openai.SystemMessage(overheadSystem),
			openai.UserMessage(overheadUser),
		},
		MaxCompletionTokens: openai.Int(64),
		Temperature:         openai.Float(0),
	}
	sdk := func() {
		res, err := client.Chat.Completions.New(ctx, params)
		if err != nil || len(res.Choices) != 1 || res.Choices[0].Message.Content == "" {
			b.Fatalf("%v %+v", err, res)
		}
	}

	model, err := provider.NewOpenAI(provider.Config{Provider: provider.OpenAI, Model: "gpt-4o-mini", APIKey: "sk-bench", BaseURL: mock.URL + "/v1", HTTPClient: httpClient})
	if err != nil {
		b.Fatal(err)
	}
	catalog, err := host.NewCatalog(host.Model{Name: "gpt-4o-mini", Sampler: model, Cost: 0.8, Speed: 0.8, Intelligence: 0.5})
	if err != nil {
		b.Fatal(err)
	}
	router := host.NewRouter(nil)
	router.Handle("bench", host.Chain(catalog,
		host.ClampMaxTokens(2048),
		host.NewBudget(host.Limits{Requests: 1 << 40, Tokens: 1 << 50}).Charge,
		host.RateLimit(rate.NewLimiter(rate.Inf, 1), time.Second),
		host.Approve(func(context.Context, *host.Request) (bool, error) { return true, nil }),
		host.Concurrency(8),
	))
	handle := router.HandlerFor("bench")
	req := &mcp.CreateMessageWithToolsRequest{Params: &mcp.CreateMessageWithToolsParams{
		SystemPrompt: overheadSystem,
		Messages:     []*mcp.SamplingMessageV2{{Role: "user", Content: []mcp.Content{&mcp.TextContent{Text: overheadUser}}}},
		MaxTokens:    64,
		Meta:         mcp.Meta{sampling.TemperatureMetaKey: 0},
	}}
	handler := func() {
		res, err := handle(ctx, req)
		if err != nil || len(res.Content) != 1 {
			b.Fatalf("%v %+v", err, res)
		}
	}

	// The two paths alternate, each timed on its own, so that aimock's
	// drift (its JIT, its GC, the other core's load) falls on both alike;
	// which goes first alternates too.
	//
	// Wall time is mostly aimock's, and its jitter is larger than the
	// handler's cost, so each path's CPU time in this process is measured
	// too (aimock runs in a process of its own): cpu-overhead-% is the
	// handler's extra CPU per request over the SDK's wall time per request.
	var onSDK, onHandler, cpuSDK, cpuHandler time.Duration
	i := 0
	for b.Loop() {
		first, second := sdk, handler
		firstD, secondD, firstCPU, secondCPU := &onSDK, &onHandler, &cpuSDK, &cpuHandler
		if i%2 == 1 {
			first, second = handler, sdk
			firstD, secondD, firstCPU, secondCPU = &onHandler, &onSDK, &cpuHandler, &cpuSDK
		}
		i++
		start, c0 := time.Now(), processCPU(b)
		first()
		mid, c1 := time.Now(), processCPU(b)
		second()
		c2 := processCPU(b)
		*firstD += mid.Sub(start)
		*secondD += time.Since(mid)
		*firstCPU += c1 - c0
		*secondCPU += c2 - c1
	}
	perReq := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(i) }
	b.ReportMetric(perReq(onSDK), "sdk-ns/req")
	b.ReportMetric(perReq(onHandler), "handler-ns/req")
	b.ReportMetric(100*(float64(onHandler)/float64(onSDK)-1), "overhead-%")
	b.ReportMetric(perReq(cpuSDK), "sdk-cpu-ns/req")
	b.ReportMetric(perReq(cpuHandler), "handler-cpu-ns/req")
	b.ReportMetric(100*float64(cpuHandler-cpuSDK)/float64(onSDK), "cpu-overhead-%")
}

// processCPU is the CPU time this process has used, user and system.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
