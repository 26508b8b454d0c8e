package analytics_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"math"
	"os"
	"slices"

	"testing"

	"github.com/samplegen/samplegen/templates/analytics"
)

// A case is one line of a tool's labelled dataset, testdata/<tool>.jsonl:
// the tool's arguments and the checkable fields of a right answer.
type datasetCase[In, Out any] struct {
	ID   string `json:"id"`
	Args In     `json:"args"`
	Want Out    `json:"want"`
}

// readDataset decodes every line of path strictly: an unknown field, in
// the case or in its args or want, is an error, so a dataset cannot drift
// from the tool's types unseen.
func readDataset[In, Out any](t *testing.T, path string, min int) []datasetCase[In, Out] {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var cases []datasetCase[In, Out]
	ids := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		var c datasetCase[In, Out]
		if err := dec.Decode(&c); err != nil {
			t.Fatalf("%s:%d: %v", path, n, err)
		}
		if c.ID == "" || ids[c.ID] {
			t.Fatalf("%s:%d: the id %q is empty or used twice", path, n, c.ID)
		}
		ids[c.ID] = true
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(cases) < min {
		t.Fatalf("%s holds %d cases, want at least %d", path, len(cases), min)
	}
	return cases
}

func TestNarrateDataset(t *testing.T) {
	for _, c := range readDataset[analytics.NarrateSeries, analytics.Narrative](t, "testdata/narrate_series.jsonl", 10) {
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
			if !slices.Contains([]analytics.Direction{analytics.Up, analytics.Down, analytics.Flat}, tr.Direction) {
				t.Errorf("%s: trend %d: direction %q is not one of the tool's", c.ID, i, tr.Direction)
			}
			change := c.Args.Points[tr.To].Value - c.Args.Points[tr.From].Value
			st := c.Args.Stats()
			if (tr.Direction == analytics.Up && change <= 0) || (tr.Direction == analytics.Down && change >= 0) ||
				(tr.Direction == analytics.Flat && math.Abs(change) > (st.Max.Value-st.Min.Value)/3) {
				t.Errorf("%s: trend %d is %s but changes by %v", c.ID, i, tr.Direction, change)
			}
		}
		for i, a := range c.Want.Anomalies {
			if a.Index < 0 || a.Index >= n || !slices.Contains([]analytics.Kind{analytics.Spike, analytics.Dip, analytics.Shift}, a.Kind) {
				t.Errorf("%s: anomaly %d: index %d kind %q", c.ID, i, a.Index, a.Kind)
			}
		}
	}
}
