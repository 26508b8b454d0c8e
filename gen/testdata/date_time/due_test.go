package due

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/runtime"
)

// A date-time the model gets wrong is re-asked with its path, and the
// answer to the re-ask is decoded.
func TestDateTimeReasked(t *testing.T) {
	answers := []string{`{"due": "tomorrow", "remind": null}`, `{"due": "2026-03-01T09:30:00Z", "remind": null}`}
	var requests []string
	s := runtime.SamplerFunc(func(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
		data, _ := json.Marshal(req)
		requests = append(requests, string(data))
		text := answers[min(len(requests)-1, len(answers)-1)]
		return &mcp.CreateMessageWithToolsResult{Role: "assistant", Model: "fake", Content: []mcp.Content{&mcp.TextContent{Text: text}}}, nil
	})
	got, err := SampleSchedule(context.Background(), s, Schedule{Task: "the review"})
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC); !got.Due.Equal(want) || got.Remind != nil {
		t.Errorf("got %+v", got)
	}
	if len(requests) != 2 || !strings.Contains(requests[1], `/due: \"tomorrow\" is not a date-time`) {
		t.Errorf("want a re-ask naming /due; requests:\n%s", strings.Join(requests, "\n"))
	}
}
