package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"os"
	"sort"
)

// maxWorstCases bounds the cases the report shows whole.
const maxWorstCases = 20

// The report is one file with its style inline and no script, so that it
// opens anywhere (a CI artifact, a mail) and reads the same. Everything the
// model, the server or the dataset wrote goes through html/template's
// escaping. Tests read the numbers back by the ids and data- attributes.
var reportTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"pct":  func(f float64) string { return fmt.Sprintf("%.1f%%", 100*f) },
	"f2":   func(f float64) string { return fmt.Sprintf("%.2f", f) },
	"ms":   func(f float64) string { return fmt.Sprintf("%.0f ms", f) },
	"js":   jsonText,
	"sign": signed,
	"cost": formatCost,
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>samplegen eval: {{.Tool}}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px; color: #1f2328; background: #fff; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 28px 0 8px; } h3 { font-size: 14px; margin: 16px 0 6px; }
.meta { color: #59636e; margin: 0 0 16px; }
.cards { display: flex; gap: 12px; flex-wrap: wrap; }
.card { border: 1px solid #d1d9e0; border-radius: 6px; padding: 10px 14px; min-width: 120px; }
.card .n { font-size: 22px; font-weight: 600; } .l { color: #59636e; font-size: 12px; }
table { border-collapse: collapse; margin: 4px 0 12px; }
th, td { border: 1px solid #d1d9e0; padding: 4px 8px; text-align: right; }
th { background: #f6f8fa; font-weight: 600; } td.name, th.name { text-align: left; }
table.confusion td.cell { min-width: 36px; }
table.confusion td.diag { outline: 2px solid #1a7f37; outline-offset: -2px; }
.bad { color: #cf222e; } .good { color: #1a7f37; }
pre { background: #f6f8fa; border: 1px solid #d1d9e0; border-radius: 6px; padding: 8px; white-space: pre-wrap; word-break: break-word; max-height: 240px; overflow: auto; margin: 4px 0; }
.case { border-top: 1px solid #d1d9e0; padding: 8px 0; }
</style>
</head>
<body>
<h1>samplegen eval: <code>{{.Tool}}</code></h1>
<p class="meta">dataset <code>{{.Dataset}}</code> · answers from {{.Source}}{{if .Models}} · model {{range $i, $m := .Models}}{{if $i}}, {{end}}<code>{{$m}}</code>{{end}}{{end}} · {{.Finished.Format "2006-01-02 15:04 UTC"}}<br>comparison: {{.Rules}}</p>
{{with .Totals}}
<div class="cards">
<div class="card"><div class="n" id="accuracy" data-value="{{f2 .Accuracy}}">{{pct .Accuracy}}</div><div class="l">accuracy</div></div>
<div class="card"><div class="n" id="correct" data-value="{{.Correct}}">{{.Correct}}/{{.Run}}</div><div class="l">cases correct</div></div>
<div class="card"><div class="n" id="errors" data-value="{{.Errors}}">{{.Errors}}</div><div class="l">failed calls</div></div>
{{if .Skipped}}<div class="card"><div class="n" id="skipped" data-value="{{.Skipped}}">{{.Skipped}}</div><div class="l">skipped (budget)</div></div>{{end}}
<div class="card"><div class="n" id="latency-p50">{{ms .LatencyMs.P50}}</div><div class="l">latency p50 (p90 {{ms .LatencyMs.P90}}, p99 {{ms .LatencyMs.P99}}, max {{ms .LatencyMs.Max}})</div></div>
<div class="card"><div class="n" id="tokens" data-in="{{.Tokens.InputTokens}}" data-out="{{.Tokens.OutputTokens}}">{{if .CasesWithUsage}}{{.Tokens.InputTokens}} / {{.Tokens.OutputTokens}}{{else}}n/a{{end}}</div><div class="l">tokens in / out, counted by the model{{if .CasesWithUsage}} ({{.CasesWithUsage}} of {{.Run}} cases){{else}} (its answers carried no count){{end}}</div></div>
{{if .CasesEstimated}}<div class="card"><div class="n" id="estimated-tokens" data-in="{{.EstimatedTokens.InputTokens}}" data-out="{{.EstimatedTokens.OutputTokens}}">~{{.EstimatedTokens.InputTokens}} / {{.EstimatedTokens.OutputTokens}}</div><div class="l">tokens in / out, estimated ({{.CasesEstimated}} of {{.Run}} cases had answers without a count; about 4 bytes a token)</div></div>{{end}}
{{with .Cost}}<div class="card"><div class="n" id="cost" data-value="{{printf "%.6f" .Counted}}">{{cost .Counted}}</div><div class="l">cost of the counted tokens at <code>{{$.Prices}}</code></div></div>
{{if $.Totals.CasesEstimated}}<div class="card"><div class="n" id="estimated-cost" data-value="{{printf "%.6f" .Estimated}}">~{{cost .Estimated}}</div><div class="l">cost of the estimated tokens, estimated</div></div>{{end}}{{end}}
</div>
{{with .Cost}}{{if .Unpriced}}<p id="unpriced" class="bad" data-tokens="{{.UnpricedTokens}}">No price at <code>{{$.Prices}}</code> for {{range $i, $m := .Unpriced}}{{if $i}}, {{end}}<code class="unpriced">{{$m}}</code>{{end}}: their {{.UnpricedTokens}} tokens are in no cost.</p>{{end}}{{end}}

<h2>How the answers were obtained</h2>
{{if .Reported}}
<table id="rates"><tr><th class="name">of {{.Reported}} calls with a report</th><th>rate</th></tr>
<tr><td class="name">an answer was repaired</td><td id="repair-rate">{{pct .RepairRate}}</td></tr>
<tr><td class="name">the model was asked again</td><td id="reask-rate">{{pct .ReAskRate}}</td></tr>
<tr><td class="name">a fallback gave the value</td><td id="fallback-rate">{{pct .FallbackRate}}</td></tr>
</table>
{{else}}<p id="rates">The server's results carried no call reports: run it with <code>SAMPLEGEN_REPORT_META=on</code> for repair, re-ask and fallback rates.</p>{{end}}
{{end}}

<h2>Fields</h2>
<table id="fields"><tr><th class="name">field</th><th>correct</th><th>cases</th><th>accuracy</th></tr>
{{range .Fields}}<tr data-field="{{.Name}}"><td class="name"><code>{{.Name}}</code></td><td>{{.Score.Correct}}</td><td>{{.Score.Cases}}</td><td>{{pct .Score.Accuracy}}</td></tr>
{{end}}</table>

{{range .Fields}}{{if .Classes}}
<h3>Classes of <code>{{.Name}}</code>{{if .Multi}} (multi-label: per label){{end}}</h3>
<table class="classes" data-field="{{.Name}}"><tr><th class="name">class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th><th>predicted</th></tr>
{{range .Classes}}<tr data-class="{{.Label}}"><td class="name"><code>{{.Label}}</code></td><td>{{f2 .Score.Precision}}</td><td>{{f2 .Score.Recall}}</td><td>{{f2 .Score.F1}}</td><td>{{.Score.Support}}</td><td>{{.Score.Predicted}}</td></tr>
{{end}}</table>
{{end}}{{with .Matrix}}
<h3>Confusion matrix of <code>{{$.FieldName .}}</code> (rows: wanted, columns: got)</h3>
<table class="confusion" data-field="{{$.FieldName .}}"><tr><th class="name">want \ got</th>{{range .Labels}}<th data-label="{{.}}"><code>{{.}}</code></th>{{end}}</tr>
{{range .Rows}}<tr data-want="{{.Want}}"><th class="name"><code>{{.Want}}</code></th>{{range .Cells}}<td class="cell{{if .Diagonal}} diag{{end}}" data-want="{{.Want}}" data-got="{{.Got}}" data-count="{{.Count}}" style="background-color: rgba(9, 105, 218, {{printf "%.2f" .Shade}})">{{.Count}}</td>{{end}}</tr>
{{end}}</table>
{{end}}{{end}}

{{with .Compare}}
<h2>Against <code>{{.Against}}</code></h2>
<p id="compare" data-accuracy-delta="{{f2 .AccuracyDelta}}">accuracy {{sign .AccuracyDelta}} points (was {{pct .AccuracyThen}}); <span class="good">fixed {{len .Fixed}}</span>, <span class="bad">broken {{len .Broken}}</span>{{if .OnlyNow}}; {{.OnlyNow}} new cases{{end}}{{if .OnlyThen}}; {{.OnlyThen}} cases only then{{end}}</p>
{{if .Broken}}<p>broken: {{range $i, $id := .Broken}}{{if $i}}, {{end}}<code class="broken">{{$id}}</code>{{end}}</p>{{end}}
{{if .Fixed}}<p>fixed: {{range $i, $id := .Fixed}}{{if $i}}, {{end}}<code class="fixed">{{$id}}</code>{{end}}</p>{{end}}
{{end}}

<h2>Worst cases{{if .MoreWorst}} (the first {{len .Worst}} of {{.WrongCount}}){{end}}</h2>
{{if not .Worst}}<p>None: every case that ran is correct.</p>{{end}}
{{range .Worst}}<div class="case" data-case="{{.ID}}">
<div><code>{{.ID}}</code>{{if .Error}} · <span class="bad">failed</span>{{end}}{{if .Rounds}} · {{.Rounds}} round(s){{end}}{{if .Repairs}} · {{.Repairs}} repair(s){{end}}{{if .Fallback}} · fallback {{.Fallback}}{{end}} · {{ms .Latency}}{{if .HasUsage}} · {{.Usage.InputTokens}} / {{.Usage.OutputTokens}} tokens{{end}}{{if .HasEstimate}} · ~{{.EstimatedUsage.InputTokens}} / {{.EstimatedUsage.OutputTokens}} tokens estimated{{end}}{{with .Cost}} · cost {{cost .Counted}}{{if .Estimated}}, ~{{cost .Estimated}} estimated{{end}}{{if .Unpriced}}, unpriced {{range $i, $m := .Unpriced}}{{if $i}}, {{end}}<code>{{$m}}</code>{{end}}{{end}}{{end}}</div>
{{if .Error}}<pre class="error">{{.Error}}</pre>{{end}}
<table><tr><th class="name">field</th><th class="name">want</th><th class="name">got</th></tr>
{{range $f, $v := .Fields}}{{if not $v.Correct}}<tr><td class="name"><code>{{$f}}</code></td><td class="name"><code>{{js $v.Want}}</code></td><td class="name bad"><code>{{if $v.Missing}}(missing){{else}}{{js $v.Got}}{{end}}</code></td></tr>{{end}}{{end}}
</table>
{{if .Raw}}<div class="l">the model's answers, as written:</div>{{end}}
{{range .Raw}}<pre class="raw">{{.}}</pre>{{end}}
</div>
{{end}}
</body>
</html>
`))

type reportField struct {
	Name    string
	Score   fieldScore
	Multi   bool
	Classes []reportClass
	Matrix  *reportMatrix
}

type reportClass struct {
	Label string
	Score classScore
}

type reportMatrix struct {
	field  string
	Labels []string
	Rows   []reportRow
}

type reportRow struct {
	Want  string
	Cells []reportCell
}

type reportCell struct {
	Want, Got string
	Count     int
	Diagonal  bool
	Shade     float64 // the share of the row, for the cell's colour
}

// reportView is what the template shows.
type reportView struct {
	*evalResult
	Source     string
	Fields     []reportField
	Worst      []*evalCase
	WrongCount int
	MoreWorst  bool
}

func (v *reportView) FieldName(m *reportMatrix) string { return m.field }

func newReportView(res *evalResult) *reportView {
	v := &reportView{evalResult: res, Source: res.Source}
	t := res.Totals
	for _, f := range sortedKeys(t.Fields) {
		rf := reportField{Name: f, Score: t.Fields[f]}
		rf.Multi = len(t.Classes[f]) > 0 && t.Confusion[f] == nil
		for _, l := range sortedKeys(t.Classes[f]) {
			rf.Classes = append(rf.Classes, reportClass{l, t.Classes[f][l]})
		}
		if m := t.Confusion[f]; m != nil {
			rm := &reportMatrix{field: f, Labels: m.Labels}
			for i, want := range m.Labels {
				row := reportRow{Want: want}
				total := 0
				for _, n := range m.Counts[i] {
					total += n
				}
				for j, got := range m.Labels {
					n := m.Counts[i][j]
					row.Cells = append(row.Cells, reportCell{Want: want, Got: got, Count: n, Diagonal: i == j, Shade: 0.6 * ratio(n, total)})
				}
				rm.Rows = append(rm.Rows, row)
			}
			rf.Matrix = rm
		}
		v.Fields = append(v.Fields, rf)
	}
	var wrong []*evalCase
	for _, k := range res.Cases {
		if !k.Skipped && !k.Correct {
			wrong = append(wrong, k)
		}
	}
	// Failed calls first, then the most fields wrong, then the most rounds.
	sort.SliceStable(wrong, func(i, j int) bool {
		a, b := wrong[i], wrong[j]
		if (a.Error != "") != (b.Error != "") {
			return a.Error != ""
		}
		if a.wrongFields() != b.wrongFields() {
			return a.wrongFields() > b.wrongFields()
		}
		return a.Rounds > b.Rounds
	})
	v.WrongCount = len(wrong)
	v.Worst = wrong[:min(len(wrong), maxWorstCases)]
	v.MoreWorst = len(wrong) > maxWorstCases
	return v
}

// jsonText is a value as compact JSON, for showing.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func renderHTML(res *evalResult) ([]byte, error) {
	var b bytes.Buffer
	if err := reportTemplate.Execute(&b, newReportView(res)); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func writeHTMLFile(path string, res *evalResult) error {
	b, err := renderHTML(res)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
