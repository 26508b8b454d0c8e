package runtime_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
)

// TestEverySessionGetsItsOwnAnswers runs many sessions of one server at
// once. Each client's model only knows its own session's secret score and
// checks that every request it gets is about its own text; each caller
// checks that its result carries its own score. A sampling request or a
// result that reached the wrong session would fail one of the two.
func TestEverySessionGetsItsOwnAnswers(t *testing.T) {
	const sessions = 40
	for _, protocol := range []string{legacyProtocol, mrtrProtocol} {
		t.Run(protocol, func(t *testing.T) {
			srv := newServer(protocol)
			runtime.NewTool(verdictSpec()).Add(srv, quiet(), runtime.WithStateKey(testKey))
			var wg sync.WaitGroup
			for i := range sessions {
				text := fmt.Sprintf("ticket number %d", i)
				score := float64(i) / sessions
				own := func(_ context.Context, req *mcp.CreateMessageRequest) (*mcp.CreateMessageResult, error) {
					if got := req.Params.Messages[0].Content.(*mcp.TextContent).Text; !strings.Contains(got, text+"\n") {
						return nil, fmt.Errorf("session %d was asked about someone else's text: %q", i, got)
					}
					// The first answer is refused (score out of range), so each
					// call takes two rounds, interleaved with the others.
					answer := fmt.Sprintf(`{"label":"ham","score":%v}`, score+2)
					if len(req.Params.Messages) > 1 {
						answer = fmt.Sprintf(`{"label":"ham","score":%v}`, score)
					}
					return &mcp.CreateMessageResult{Role: "assistant", Model: "m", Content: &mcp.TextContent{Text: answer}}, nil
				}
				cs := connect(t, srv, &mcp.ClientOptions{CreateMessageHandler: own})
				wg.Add(1)
				go func() {
					defer wg.Done()
					res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "classify", Arguments: map[string]any{"text": text}})
					switch {
					case err != nil:
						t.Errorf("session %d: %v", i, err)
					case res.IsError:
						t.Errorf("session %d: %s", i, textOf(res))
					default:
						if got := decode[Verdict](t, res.StructuredContent); got.Score != score {
							t.Errorf("session %d got score %v, which belongs to another session (its own is %v)", i, got.Score, score)
						}
					}
				}()
			}
			wg.Wait()
		})
	}
}
