package host_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/host"
	"github.com/samplegen/samplegen/runtime"
	"github.com/samplegen/samplegen/sampling"
	"golang.org/x/time/rate"
)

func Example() {
	// Two models the host can sample; provider adapters in a real host.
	model := func(answer string) sampling.Sampler {
		return sampling.SamplerFunc(func(context.Context, *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
			return &mcp.CreateMessageWithToolsResult{Role: "assistant", Content: []mcp.Content{&mcp.TextContent{Text: answer}}}, nil
		})
	}
	catalog, err := host.NewCatalog(
		host.Model{Name: "claude-haiku-4-5", Aliases: []string{"haiku"}, Sampler: model(`{"summary":"Rain."}`), Cost: 0.9, Speed: 0.9, Intelligence: 0.4},
		host.Model{Name: "claude-sonnet-4-5", Aliases: []string{"sonnet"}, Sampler: model(`{"summary":"Rain after noon, clearing by six."}`), Cost: 0.3, Speed: 0.5, Intelligence: 0.9},
	)
	if err != nil {
		log.Fatal(err)
	}

	// The weather server's policy; a server with none is refused.
	router := host.NewRouter(nil)
	router.Handle("weather", host.Chain(catalog,
		host.ClampMaxTokens(1024),
		host.NewSessionBudget(host.Limits{Requests: 100, Tokens: 50_000}).Charge,
		host.RateLimit(rate.NewLimiter(rate.Every(time.Second), 5), 0),
		host.Approve(func(ctx context.Context, req *host.Request) (bool, error) {
			fmt.Printf("%s asks to sample (%s would answer): approved\n", req.Server.Name, catalog.Choose(req.Params.ModelPreferences).Model)
			return true, nil
		}),
	))
	client := mcp.NewClient(&mcp.Implementation{Name: "my-host", Version: "1"}, &mcp.ClientOptions{
		CreateMessageWithToolsHandler: router.Handler(),
	})

	// A samplegen server that prefers a sonnet, connected in memory.
	type City struct {
		Name string `json:"name"`
	}
	type Forecast struct {
		Summary string `json:"summary"`
	}
	server := mcp.NewServer(&mcp.Implementation{Name: "weather", Version: "1"}, nil)
	runtime.NewTool(runtime.Spec[City, Forecast]{
		Name:         "forecast",
		InputSchema:  `{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}`,
		OutputSchema: `{"type":"object","properties":{"summary":{"type":"string"}},"required":["summary"]}`,
		Prompt:       "Tomorrow's weather in {{.Name}}?",
		Params:       runtime.Params{ModelHints: []string{"sonnet"}},
	}).Add(server)
	serverEnd, clientEnd := mcp.NewInMemoryTransports()
	ctx := context.Background()
	if _, err := server.Connect(ctx, serverEnd, nil); err != nil {
		log.Fatal(err)
	}
	session, err := client.Connect(ctx, clientEnd, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer session.Close()

	res, err := session.CallTool(ctx, &mcp.CallToolParams{Name: "forecast", Arguments: map[string]any{"name": "Oslo"}})
	if err != nil {
		log.Fatal(err)
	}
	out, _ := json.Marshal(res.StructuredContent)
	fmt.Println(string(out))
	// Output:
	// weather asks to sample (claude-sonnet-4-5 would answer): approved
	// {"summary":"Rain after noon, clearing by six."}
}
