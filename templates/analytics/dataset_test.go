package analytics_test

import (
	"math"

	"testing"

	"github.com/samplegen/samplegen/samplegentest"
	"github.com/samplegen/samplegen/templates/analytics"
)

func TestNarrateDataset(t *testing.T) {
	for _, c := range atLeast(t, 10, samplegentest.Cases[analytics.NarrateSeries, analytics.Narrative](t, "testdata/narrate_series.jsonl", analytics.NarrateSeriesTool())) {
		n := len(c.Args.Points)
		if n < 2 || n > analytics.MaxPoints || c.Args.Metric == "" {
			t.Errorf("%s: %d points, metric %q: not a series the tool takes", c.ID, n, c.Args.Metric)
		}
		for i := 1; i < n; i++ {
			if !c.Args.Points[i].Time.After(c.Args.Points[i-1].Time) {
				t.Errorf("%s: point %d is not after point %d", c.ID, i, i-1)
			}
		}
		if len(c.Want.Trends) == 0 || c.Want.Anomalies == nil {
			t.Errorf("%s: want no trends, or no anomalies list (want [] for none)", c.ID)
		}
		for i, tr := range c.Want.Trends {
			if tr.From < 0 || tr.To <= tr.From || tr.To >= n {
				t.Errorf("%s: trend %d: %d to %d is not a stretch of %d points", c.ID, i, tr.From, tr.To, n)
			}
			// The labelled direction agrees with the data: a rise is up,
			// a fall down; flat is the labeller's call.
			change := c.Args.Points[tr.To].Value - c.Args.Points[tr.From].Value
			st := c.Args.Stats()
			if (tr.Direction == analytics.Up && change <= 0) || (tr.Direction == analytics.Down && change >= 0) ||
				(tr.Direction == analytics.Flat && math.Abs(change) > (st.Max.Value-st.Min.Value)/3) {
				t.Errorf("%s: trend %d is %s but changes by %v", c.ID, i, tr.Direction, change)
			}
		}
		for i, a := range c.Want.Anomalies {
			if a.Index < 0 || a.Index >= n {
				t.Errorf("%s: anomaly %d: index %d is not a point of the series", c.ID, i, a.Index)
			}
		}
	}
}

// atLeast fails t when a dataset holds fewer than n cases, and returns
// them.
func atLeast[C any](t *testing.T, n int, cases []C) []C {
	t.Helper()
	if len(cases) < n {
		t.Errorf("the dataset holds %d cases, want at least %d", len(cases), n)
	}
	return cases
}
