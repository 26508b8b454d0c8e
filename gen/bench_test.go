package gen

import (
	"bytes"
	"fmt"
	"go/format"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The benchmarks generate a synthetic package of n annotated tools (each
// with nested input, an enum output, a prompt in a file or a constant, and
// params; another file calls AddTools and every SampleX, so the package does
// not build before generating), and run go vet on the same package after
// generating, in the same run:
//
//	go test -run '^$' -bench . -benchtime 3x ./gen/
//
// Every iteration first edits a comment in the package, so that neither
// go list's export data nor go vet's results come from the build cache: the
// figures are those of a developer who just changed the package. Generate
// reports its phases as metrics: packages.Load (the go command and type
// checking), model (directives, schemas, prompts), emit and write.

var benchSizes = []int{20, 200, 2000}

func BenchmarkGenerate(b *testing.B) {
	for _, n := range benchSizes {
		dir := syntheticPackage(b, n)
		b.Run(fmt.Sprintf("tools=%d", n), func(b *testing.B) {
			phases := map[string]time.Duration{}
			tracePhase = func(name string, d time.Duration) { phases[name] += d }
			defer func() { tracePhase = nil }()
			i := 0
			for b.Loop() {
				i++
				touch(b, dir, i)
				if _, err := Generate(Config{Dir: dir, Warnings: io.Discard}); err != nil {
					b.Fatal(err)
				}
			}
			ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(i) }
			load := phases["packages.Load"]
			b.ReportMetric(ms(load), "load-ms/op")
			b.ReportMetric(ms(phases["load and model"]-load), "model-ms/op")
			b.ReportMetric(ms(phases["emit"]), "emit-ms/op")
			b.ReportMetric(ms(phases["write"]), "write-ms/op")
			total := phases["load and model"] + phases["emit"] + phases["write"]
			b.ReportMetric(100*float64(load)/float64(total), "load-%")
		})
	}
}

func BenchmarkGoVet(b *testing.B) {
	for _, n := range benchSizes {
		dir := syntheticPackage(b, n)
		if _, err := Generate(Config{Dir: dir, Warnings: io.Discard}); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("tools=%d", n), func(b *testing.B) {
			i := 0
			for b.Loop() {
				i++
				touch(b, dir, i)
				if out, err := exec.Command("go", "vet", dir).CombinedOutput(); err != nil {
					b.Fatalf("go vet: %v\n%s", err, out)
				}
			}
		})
	}
}

// TestLargeOutputIsFormatted checks the benchmark's package: its generated
// file, formatted with placeholders for its literals (see literals), is
// what gofmt makes of it, and it builds.
func TestLargeOutputIsFormatted(t *testing.T) {
	dir := syntheticPackage(t, 40)
	if _, err := Generate(Config{Dir: dir, Warnings: io.Discard}); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join(dir, "bench"+generatedSuffix))
	if err != nil {
		t.Fatal(err)
	}
	if formatted, err := format.Source(src); err != nil || !bytes.Equal(formatted, src) {
		t.Errorf("not gofmt'd (%v)", err)
	}
	if out, err := exec.Command("go", "vet", dir).CombinedOutput(); err != nil {
		t.Fatalf("go vet: %v\n%s", err, out)
	}
}

// touch changes a comment of the package, so that caches keyed by its
// content miss.
func touch(b testing.TB, dir string, i int) {
	b.Helper()
	writeFile(b, filepath.Join(dir, "touch.go"), fmt.Sprintf("package bench\n\n// Edit %d %d.\n", i, time.Now().UnixNano()))
}

// syntheticPackage writes a package of n tools into scratch (inside the
// module, so that go/packages can load it) and returns its directory.
func syntheticPackage(b testing.TB, n int) string {
	b.Helper()
	root, err := scratch()
	if err != nil {
		b.Fatal(err)
	}
	dir, err := filepath.Abs(filepath.Join(root, fmt.Sprintf("bench_%d", n)))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := os.Stat(dir); err == nil {
		return dir
	}
	writeFile(b, filepath.Join(dir, "types.go"), `package bench

// Severity is how bad a finding is.
type Severity string

const (
	Info    Severity = "info"    // worth knowing
	Warning Severity = "warning" // should be fixed
	Error   Severity = "error"   // must be fixed
)

// Author wrote the text.
type Author struct {
	Name  string   `+"`json:\"name\" jsonschema:\"minLength=1\"`"+`
	Email *string  `+"`json:\"email,omitempty\" jsonschema:\"format=email\"`"+`
	Roles []string `+"`json:\"roles\" jsonschema:\"maxItems=5\"`"+`
}

// Finding is one thing the model found.
type Finding struct {
	Line     uint16   `+"`json:\"line\" jsonschema:\"minimum=1\"`"+`
	Severity Severity `+"`json:\"severity\"`"+`
	Note     string   `+"`json:\"note\"`"+`
}
`)
	writeFile(b, filepath.Join(dir, "shared.tmpl"), `{{define "system"}}You review texts by {{.Author.Name}}.{{end -}}
Review this text{{with .Author.Email}} ({{.}}){{end}}:

{{fence .Text | truncate 4000}}
{{range $i, $r := .Author.Roles}}{{if $i}}, {{end}}{{$r}}{{end}}
`)
	var tools, calls strings.Builder
	tools.WriteString("package bench\n")
	calls.WriteString("package bench\n\nimport (\n\t\"context\"\n\n\t\"github.com/modelcontextprotocol/go-sdk/mcp\"\n\t\"github.com/samplegen/samplegen/runtime\"\n)\n\n")
	calls.WriteString("func serve(srv *mcp.Server) { AddTools(srv) }\n\nfunc all(ctx context.Context, s runtime.Sampler) {\n")
	for i := range n {
		prompt := "shared.tmpl"
		if i%2 == 1 {
			prompt = fmt.Sprintf("const=prompt%d", i)
			fmt.Fprintf(&tools, "\nconst prompt%d = `Check {{.Text}} for {{.Author.Name}} ({{len .Author.Roles}} roles).`\n", i)
		}
		fmt.Fprintf(&tools, `
// Review%[1]d reviews a text, variant %[1]d.
//
//samplegen:tool review_%[1]d
//samplegen:prompt %[2]s
//samplegen:output Result%[1]d
//samplegen:params temperature=0.%[3]d max_tokens=%[4]d retries=1 timeout=20s
type Review%[1]d struct {
	Text   string `+"`json:\"text\" jsonschema:\"description=The text,minLength=1,maxLength=20000\"`"+`
	Author Author `+"`json:\"author\"`"+`
	Limit  int8   `+"`json:\"limit,omitempty\" jsonschema:\"minimum=1\"`"+`
}

// Result%[1]d is what review_%[1]d answers.
type Result%[1]d struct {
	Findings []Finding `+"`json:\"findings\"`"+`
	Worst    Severity  `+"`json:\"worst\" jsonschema:\"default=info\"`"+`
	Score    float64   `+"`json:\"score\" jsonschema:\"minimum=0,maximum=1\"`"+`
}
`, i, prompt, i%10, 100+i)
		fmt.Fprintf(&calls, "\t_, _ = SampleReview%d(ctx, s, Review%d{})\n", i, i)
	}
	calls.WriteString("}\n")
	writeFile(b, filepath.Join(dir, "tools.go"), tools.String())
	writeFile(b, filepath.Join(dir, "calls.go"), calls.String())
	return dir
}
