// Package analytics is samplegen's ready tools for narrating data:
// narrate_series turns a time series into the words a report or a
// dashboard needs, a headline, the trends and the anomalies, with numbers
// that are the series' own.
//
// # Tools
//
// narrate_series (input [NarrateSeries], output [Narrative]) returns a
// headline, a short summary, the [Trend]s of the series (each a stretch
// of points from one index to another, its [Direction] and how much the
// value changed over it) and its [Anomaly]s (each the index of a point
// that does not fit, and why).
//
// Models are poor at arithmetic over a table of numbers, so the tool does
// the arithmetic in Go: the prompt gives the model the series' statistics
// ([Series.Stats]: first, last, minimum, maximum, mean, overall change)
// beside the points, each point with its index, and the answer is checked
// where models go wrong: a trend runs forwards, its direction agrees with
// its change, its change is the series' own (to within 1%), a flat trend
// moves less than a third of the series' range, and indexes are those of the
// series. An answer that fails is sent back to the model
// with what is wrong.
//
// report_series (input [NarrateSeries], output [SeriesReport]) is a
// function tool over narrate_series: it returns the same narrative with
// the statistics beside it as numbers, for a client that draws the chart
// or fills a report's figures itself.
//
// # Adding the tools
//
// A server adds both with
//
//	analytics.AddTools(srv)
//
// or one with AddNarrateSeries(srv) or AddReportSeries(srv); Go code calls
// SampleNarrateSeries or ReportSeries with any runtime.Sampler.
// samplegen init -tool analytics copies this package into a new
// server, where its prompt (narrate.tmpl) is yours to change: run go
// generate after a change.
//
// # Testing
//
// The package's Example calls SampleNarrateSeries with a scripted model
// (samplegentest.Answers) that answers as models do, and needs no network;
// its tests do the same with answers a re-ask must fix, and serve the
// tools on both protocol eras (samplegentest.Serve). testdata holds a
// labelled dataset for each sampling tool, testdata/<tool>.jsonl, one case a line:
// {"id": ..., "args": the tool's input, "want": the fields of a right
// answer that can be checked}.
package analytics

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/samplegen/samplegen/runtime"
)

//go:generate go tool samplegen

// MaxPoints is the most points a series may have: enough for a year of
// days, few enough for a model to read every one.
const MaxPoints = 500

// Series is a metric measured over time.
type Series struct {
	Metric string  `json:"metric" jsonschema:"description=What is measured such as Weekly active users,minLength=1,maxLength=100"`
	Unit   string  `json:"unit,omitempty" jsonschema:"description=The unit of the values such as ms or EUR or %; empty for a count,maxLength=20"`
	Points []Point `json:"points" jsonschema:"description=The measurements oldest first,minItems=2,maxItems=500"`
}

// MaxValue bounds a point's value, either way: the sum of MaxPoints
// values (for the mean) and the difference of two (for a change) stay
// finite, where values near the float64 limit (1.7e308) make the mean
// and the change infinite, which JSON cannot carry. The schema's bounds
// on value are this number.
const MaxValue = 1e300

// Point is one measurement.
type Point struct {
	Time  time.Time `json:"time" jsonschema:"description=When the value was measured (RFC 3339)"`
	Value float64   `json:"value" jsonschema:"minimum=-1e300,maximum=1e300"`
}

// NarrateSeries describes a time series in words: a headline, the trends
// and the anomalies, with the series' own numbers.
//
//samplegen:tool narrate_series
//samplegen:title Narrate a time series
//samplegen:prompt narrate.tmpl
//samplegen:output Narrative
//samplegen:params temperature=0.2 max_tokens=1500 truncated_max_tokens=3000 retries=2 timeout=90s
type NarrateSeries struct {
	Series
	Question string `json:"question,omitempty" jsonschema:"description=What the reader wants to know about the series; empty for a general account,maxLength=300"`
}

// Narrative is what narrate_series returns.
type Narrative struct {
	Headline  string    `json:"headline" jsonschema:"description=The one thing to know about the series in at most 12 words,minLength=1,maxLength=120"`
	Summary   string    `json:"summary" jsonschema:"description=Two to four sentences with the numbers that matter,minLength=1,maxLength=800"`
	Trends    []Trend   `json:"trends" jsonschema:"description=The stretches of the series that go one way in time order,minItems=1,maxItems=8"`
	Anomalies []Anomaly `json:"anomalies" jsonschema:"description=Points that do not fit the trends; empty when there are none,maxItems=10"`
}

// Trend is a stretch of the series that goes one way.
type Trend struct {
	From      int       `json:"from" jsonschema:"description=The index of the stretch's first point,minimum=0"`
	To        int       `json:"to" jsonschema:"description=The index of the stretch's last point,minimum=1"`
	Direction Direction `json:"direction"`
	Change    float64   `json:"change" jsonschema:"description=The value at to minus the value at from in the series' unit"`
	Note      string    `json:"note,omitempty" jsonschema:"description=What the stretch means in a sentence,maxLength=300"`
}

// Direction is which way a trend goes.
type Direction string

const (
	Up   Direction = "up"   // the value grows over the stretch
	Down Direction = "down" // the value falls over the stretch
	Flat Direction = "flat" // the value stays about the same: it changes by less than a third of the series' range
)

// Anomaly is a point that does not fit.
type Anomaly struct {
	Index  int    `json:"index" jsonschema:"description=The index of the point,minimum=0"`
	Kind   Kind   `json:"kind"`
	Reason string `json:"reason" jsonschema:"description=Why the point stands out and by how much,minLength=1,maxLength=300"`
}

// Kind is how a point departs from its neighbours.
type Kind string

const (
	Spike Kind = "spike" // far above its neighbours, which it does not move with
	Dip   Kind = "dip"   // far below its neighbours, which it does not move with
	Shift Kind = "shift" // where the level changes abruptly and stays changed
)

// Validate checks that the trend runs forwards and that its direction
// agrees with the sign of its change.
func (t Trend) Validate() error {
	if t.To <= t.From {
		return fmt.Errorf("to %d is not after from %d: a trend runs from an earlier index to a later one", t.To, t.From)
	}
	switch {
	case t.Direction == Up && t.Change < 0:
		return fmt.Errorf("direction is up but change is %s: a rise has a positive change", format(t.Change))
	case t.Direction == Down && t.Change > 0:
		return fmt.Errorf("direction is down but change is %s: a fall has a negative change", format(t.Change))
	}
	return nil
}

// Validate checks the narrative against the series: trends in time order,
// over points the series has, each with the change the series shows; and
// each anomaly a point of the series, listed once.
func (n Narrative) Validate(in NarrateSeries) error {
	points := in.Points
	st := in.Stats()
	// A model may round: a change within 1% of the series' range, or of
	// the change itself, is the series' own.
	tolerance := max((st.Max.Value-st.Min.Value)/100, 1e-9)
	var errs []error
	for i, t := range n.Trends {
		switch {
		case i > 0 && t.From < n.Trends[i-1].From:
			errs = append(errs, fmt.Errorf("/trends/%d: starts at index %d, before the trend above it (%d): list trends in time order", i, t.From, n.Trends[i-1].From))
		case t.To >= len(points):
			errs = append(errs, fmt.Errorf("/trends/%d: to is index %d, and the series' last index is %d: use indexes from the table", i, t.To, len(points)-1))
		case t.From >= 0 && t.From < t.To:
			actual := points[t.To].Value - points[t.From].Value
			if d := math.Abs(t.Change - actual); d > tolerance && d > math.Abs(actual)/100 {
				errs = append(errs, fmt.Errorf("/trends/%d: change is %s, and the value at index %d minus the value at index %d is %s (%s - %s): take the change from the table",
					i, format(t.Change), t.To, t.From, format(actual), format(points[t.To].Value), format(points[t.From].Value)))
			} else if spread := st.Max.Value - st.Min.Value; t.Direction == Flat && math.Abs(actual) > spread/3 {
				errs = append(errs, fmt.Errorf("/trends/%d: flat, but it changes by %s, more than a third of the series' range of %s: call it up or down", i, format(actual), format(spread)))
			}
		}
	}
	seen := map[int]bool{}
	for i, a := range n.Anomalies {
		switch {
		case a.Index >= len(points):
			errs = append(errs, fmt.Errorf("/anomalies/%d: index %d is not in the series, whose last index is %d: use indexes from the table", i, a.Index, len(points)-1))
		case seen[a.Index]:
			errs = append(errs, fmt.Errorf("/anomalies/%d: the point at index %d is listed twice: list each anomaly once", i, a.Index))
		}
		seen[a.Index] = true
	}
	return errors.Join(errs...)
}

// Check reports what makes a series one the tools cannot narrate: fewer
// than 2 points or more than MaxPoints, or a value that is not a number
// within MaxValue either way. The prompt calls it (through CheckedTable),
// so a Go caller's bad series fails the call before any model is asked,
// as the input schema refuses a client's.
func (s Series) Check() error {
	if n := len(s.Points); n < 2 || n > MaxPoints {
		return fmt.Errorf("narrate_series: the series has %d points and the tool takes 2 to %d: pass at least 2, and split or resample a longer one", n, MaxPoints)
	}
	for i, p := range s.Points {
		if math.IsNaN(p.Value) || math.Abs(p.Value) > MaxValue {
			return fmt.Errorf("narrate_series: /points/%d/value is %s, and values must lie within ±%s: rescale the series (thousands, millions) before narrating it", i, format(p.Value), format(MaxValue))
		}
	}
	return nil
}

// CheckedTable is the Table of a series that passes Check, else Check's
// error: what the prompt shows.
func (s Series) CheckedTable() (string, error) {
	if err := s.Check(); err != nil {
		return "", err
	}
	return s.Table(), nil
}

// Stats are the figures of a series the prompt gives the model, computed
// in Go so that the narrative's numbers are right.
type Stats struct {
	Count int          `json:"count"`
	First IndexedPoint `json:"first"`
	Last  IndexedPoint `json:"last"`
	// Min and Max are the first point with the smallest (largest) value.
	Min    IndexedPoint `json:"min"`
	Max    IndexedPoint `json:"max"`
	Mean   float64      `json:"mean"`
	Change float64      `json:"change" jsonschema:"description=The last value minus the first"`
	// ChangePercent is nil when the first value is 0, or so near it that
	// the percentage is not a float64 (JSON has no NaN or Inf).
	ChangePercent *float64 `json:"change_percent,omitempty" jsonschema:"description=change as a percentage of the first value; absent when the first value is 0 or too near it"`
}

// IndexedPoint is a point of the series with its index: the first, the
// last, the minimum or the maximum of Stats.
type IndexedPoint struct {
	Index int `json:"index"`
	Point
}

// Stats computes the series' statistics in one pass over its points. A
// series without points has zero stats.
func (s Series) Stats() Stats {
	if len(s.Points) == 0 {
		return Stats{}
	}
	st := Stats{Count: len(s.Points)}
	st.First = IndexedPoint{0, s.Points[0]}
	st.Last = IndexedPoint{len(s.Points) - 1, s.Points[len(s.Points)-1]}
	st.Min, st.Max = st.First, st.First
	sum := 0.0
	for i, p := range s.Points {
		sum += p.Value
		if p.Value < st.Min.Value {
			st.Min = IndexedPoint{i, p}
		}
		if p.Value > st.Max.Value {
			st.Max = IndexedPoint{i, p}
		}
	}
	st.Mean = sum / float64(len(s.Points))
	st.Change = st.Last.Value - st.First.Value
	// A change over a first value near 0 can be too large a percentage
	// for a float64 (1e300 over 1e-300): none then, as for 0.
	if pct := st.Change / math.Abs(st.First.Value) * 100; st.First.Value != 0 && !math.IsInf(pct, 0) {
		st.ChangePercent = &pct
	}
	return st
}

// Table is the series as the prompt shows it, one point a line, with its
// index: "index | time | value". It takes time linear in the points.
func (s Series) Table() string {
	var b strings.Builder
	b.WriteString("index | time | value")
	for i, p := range s.Points {
		fmt.Fprintf(&b, "\n%d | %s | %s", i, p.Time.Format(time.RFC3339), format(p.Value))
	}
	return b.String()
}

// Describe writes the stats as the prompt shows them.
func (st Stats) Describe() string {
	point := func(e IndexedPoint) string {
		return fmt.Sprintf("%s at index %d (%s)", format(e.Value), e.Index, e.Time.Format(time.RFC3339))
	}
	pct := "undefined (the first value is 0)"
	if st.ChangePercent != nil {
		pct = strconv.FormatFloat(*st.ChangePercent, 'f', 1, 64) + "%"
	}
	return strings.Join([]string{
		fmt.Sprintf("points: %d", st.Count),
		"first: " + point(st.First),
		"last: " + point(st.Last),
		"minimum: " + point(st.Min),
		"maximum: " + point(st.Max),
		"mean: " + strconv.FormatFloat(st.Mean, 'g', 6, 64),
		fmt.Sprintf("change from first to last: %s (%s)", format(st.Change), pct),
	}, "\n")
}

// SeriesReport is what report_series returns: the series' statistics,
// exact, beside the model's narrative of them.
type SeriesReport struct {
	Stats     Stats     `json:"stats"`
	Narrative Narrative `json:"narrative"`
}

// ReportSeries narrates a time series and returns the narrative with the
// series' statistics, computed exactly, for a chart or a report to show
// beside it.
//
//samplegen:tool report_series
//samplegen:title Report on a time series
func ReportSeries(ctx context.Context, s runtime.Sampler, in NarrateSeries) (SeriesReport, error) {
	n, err := SampleNarrateSeries(ctx, s, in)
	if err != nil {
		return SeriesReport{}, err
	}
	return SeriesReport{Stats: in.Stats(), Narrative: n}, nil
}

// format writes a value as short as it reads exactly, with an exponent
// only for the very large and very small (1e+21, 1e-05), so that no value
// takes hundreds of digits.
func format(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
