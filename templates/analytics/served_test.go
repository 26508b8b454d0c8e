package analytics_test

import (
	"strings"
	"testing"

	"github.com/samplegen/samplegen/samplegentest"
	"github.com/samplegen/samplegen/templates/analytics"
)

// Served as an MCP server, on either era, narrate_series takes its series
// from the client, re-asks through it when a trend's change is not the
// series' own, and reports both rounds.
func TestServed(t *testing.T) {
	for _, era := range samplegentest.Eras {
		t.Run(string(era), func(t *testing.T) {
			model := samplegentest.Answers(
				strings.Replace(goodNarrative, `"change": -6`, `"change": -8`, 1),
				"Here you go: "+goodNarrative,
			).ExpectAllUsed(t)
			sess := samplegentest.Serve(t, analytics.AddTools, model, era)
			n, rep := samplegentest.Call[analytics.Narrative](t, sess, "narrate_series", analytics.NarrateSeries{Series: series(10, 12, 4, 30, 14, 15)})
			if len(n.Trends) != 2 || n.Trends[0].Change != -6 || len(n.Anomalies) != 1 {
				t.Errorf("narrative: %+v", n)
			}
			if rounds := rep.Samples[0].Rounds; len(rounds) != 2 || !strings.Contains(rounds[0].Error, "trends/0: change is -8, and the value at index 2 minus the value at index 0 is -6") {
				t.Errorf("rounds: %+v", rounds)
			}
		})
	}
}
