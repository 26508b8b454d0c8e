package summarize_test

import (
	"strings"
	"testing"

	"github.com/samplegen/samplegen/samplegentest"
	"github.com/samplegen/samplegen/templates/summarize"
)

// Served as an MCP server, on either era, the tool takes its arguments
// from the client, holds the answer to them (the style and budget the
// client asked for) and re-asks through the client.
func TestServed(t *testing.T) {
	for _, era := range samplegentest.Eras {
		t.Run(string(era), func(t *testing.T) {
			model := samplegentest.Answers(
				`{"summary": "The council approved 45 km of bike lanes."}`,
				`{"summary": "- 45 km of bike lanes approved\n- 38 million euros, half from the region"}`,
			).ExpectAllUsed(t)
			sess := samplegentest.Serve(t, summarize.AddTools, model, era)
			got, rep := samplegentest.Call[summarize.Summary](t, sess, "summarize",
				map[string]any{"text": article, "style": "bullets", "max_words": 20})
			if !strings.HasPrefix(got.Summary, "- 45 km") {
				t.Errorf("got %+v", got)
			}
			if rounds := rep.Samples[0].Rounds; len(rounds) != 2 || !strings.Contains(rounds[0].Error, "is not a point") {
				t.Errorf("rounds: %+v", rounds)
			}
		})
	}
}
