package analytics_test

import (
	"context"
	"fmt"
	"time"

	"github.com/samplegen/samplegen/samplegentest"
	"github.com/samplegen/samplegen/templates/analytics"
)

// SampleNarrateSeries asks a model to narrate a series and returns the
// narrative typed. Here a scripted model answers, with prose around its
// JSON as models often write it; served with AddTools, the MCP client's
// model answers instead.
func Example() {
	model := samplegentest.Answers(`Sure, here it is: {"headline": "Latency back to normal after one slow hour",
	  "summary": "p95 latency held near 180 ms apart from 940 ms at 02:00.",
	  "trends": [{"from": 0, "to": 4, "direction": "flat", "change": -2}],
	  "anomalies": [{"index": 2, "kind": "spike", "reason": "940 ms, five times the level around it."}]}`)
	start := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	s := analytics.Series{Metric: "p95 API latency", Unit: "ms"}
	for i, v := range []float64{182, 179, 940, 181, 180} {
		s.Points = append(s.Points, analytics.Point{Time: start.Add(time.Duration(i) * time.Hour), Value: v})
	}
	n, err := analytics.SampleNarrateSeries(context.Background(), model, analytics.NarrateSeries{Series: s})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(n.Headline)
	for _, a := range n.Anomalies {
		fmt.Println(a.Kind, s.Points[a.Index].Time.Format(time.Kitchen), s.Points[a.Index].Value)
	}
	// Output:
	// Latency back to normal after one slow hour
	// spike 2:00AM 940
}
