package analytics_test

import (
	"context"
	"encoding/json"
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
			if rounds := rep.Samples[0].Rounds; len(rounds) != 2 || !strings.Contains(rounds[0].Error, "/trends/0: change is -8, and the value at index 2 minus the value at index 0 is -6") {
				t.Errorf("rounds: %+v", rounds)
			}
		})
	}
}

// report_series returns the model's narrative with the statistics Go
// computed, as JSON a client reads: no change_percent from a first value
// of 0, where the percentage has no value.
func TestServedReport(t *testing.T) {
	for _, era := range samplegentest.Eras {
		t.Run(string(era), func(t *testing.T) {
			narrative := `{"headline": "Sign-ups started", "summary": "From 0 to 15.", "trends": [{"from": 0, "to": 2, "direction": "up", "change": 15}], "anomalies": []}`
			model := samplegentest.Answers(narrative).ExpectAllUsed(t)
			sess := samplegentest.Serve(t, analytics.AddTools, model, era)
			in := analytics.NarrateSeries{Series: series(0, 4, 15)}
			rep, _ := samplegentest.Call[analytics.SeriesReport](t, sess, "report_series", in)
			st := rep.Stats
			if st.Count != 3 || st.Max.Index != 2 || st.Max.Value != 15 || !st.Max.Time.Equal(in.Points[2].Time) || st.Mean != 19.0/3 || st.ChangePercent != nil {
				t.Errorf("stats: %+v", st)
			}
			if rep.Narrative.Headline != "Sign-ups started" || len(rep.Narrative.Trends) != 1 {
				t.Errorf("narrative: %+v", rep.Narrative)
			}
		})
	}
	raw, err := json.Marshal(series(0, 4, 15).Stats())
	if err != nil || strings.Contains(string(raw), "change_percent") || !strings.Contains(string(raw), `"max":{"index":2,"time":"2026-03-03T00:00:00Z","value":15}`) {
		t.Errorf("stats as JSON: %s, %v", raw, err)
	}
}

// The input schema refuses a series of one point before the model is asked: the
// script holds no answer, and would fail the test if asked.
func TestServedRefusesBadInput(t *testing.T) {
	for _, era := range samplegentest.Eras {
		t.Run(string(era), func(t *testing.T) {
			model := samplegentest.Answers().ExpectAllUsed(t)
			sess := samplegentest.Serve(t, analytics.AddTools, model, era)
			_, _, err := samplegentest.TryCall[analytics.Narrative](context.Background(), sess, "narrate_series", analytics.NarrateSeries{Series: series(5)})
			if err == nil || !strings.Contains(err.Error(), "invalid arguments: /points") {
				t.Errorf("err = %v, want the input's points refused", err)
			}
		})
	}
}

// A client's values near the float64 limit are refused by the input
// schema, before the model is asked.
func TestServedRefusesHugeValues(t *testing.T) {
	for _, era := range samplegentest.Eras {
		t.Run(string(era), func(t *testing.T) {
			model := samplegentest.Answers().ExpectAllUsed(t)
			sess := samplegentest.Serve(t, analytics.AddTools, model, era)
			_, _, err := samplegentest.TryCall[analytics.SeriesReport](context.Background(), sess, "report_series", analytics.NarrateSeries{Series: series(1.7e308, 1.7e308, -1.7e308)})
			if err == nil || !strings.Contains(err.Error(), "invalid arguments: /points/0/value") {
				t.Errorf("err = %v, want the value refused", err)
			}
		})
	}
}
