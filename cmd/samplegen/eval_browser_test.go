package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"
)

// envEvalScreenshot, when set, names a file the browser test also writes
// its screenshot of the report to (README's picture:
// SAMPLEGEN_EVAL_SCREENSHOT=$PWD/docs/eval-report.png go test ./cmd/samplegen -run TestEvalReportInBrowser).
const envEvalScreenshot = "SAMPLEGEN_EVAL_SCREENSHOT"

// chromium finds a headless-capable Chromium; with CI=true its absence
// fails the test (.ci/run installs Debian's chromium).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is required in CI for the report's browser test (apt-get install chromium)")
	}
	t.Skip("no chromium: the HTML report is not checked in a browser (apt-get install chromium)")
	return ""
}

// runChromium runs a headless browser on url with args, and returns its
// stdout.
func runChromium(t *testing.T, bin, url string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// --no-sandbox: CI runs as root, where Chromium's sandbox refuses to
	// start; the page is our own report, from a file.
	all := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
		"--user-data-dir=" + t.TempDir()}, args...)
	cmd := exec.CommandContext(ctx, bin, append(all, url)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %q: %v\n%s", bin, args, err, stderr.Bytes())
	}
	return stdout.Bytes()
}

var (
	cellTag = regexp.MustCompile(`<td[^>]*\bdata-count="[^"]*"[^>]*>`)
	attr    = func(name string) *regexp.Regexp { return regexp.MustCompile(`\b` + name + `="([^"]*)"`) }
	wantAt  = attr("data-want")
	gotAt   = attr("data-got")
	countAt = attr("data-count")
)

// TestEvalReportInBrowser renders the report of the sentiment evaluation
// in headless Chromium: the confusion matrix read back from the rendered
// DOM has the keyword model's counts, the tokens are the counted ones and
// their cost is at -price (the recording counts every answer, so none is
// estimated), the model's markup is text and not an element, and a
// screenshot is taken.
func TestEvalReportInBrowser(t *testing.T) {
	bin := chromium(t)
	dir := t.TempDir()
	r, _ := sentimentEval(t, dir, "-price", "in=2,out=8")
	if r.code != evalOK {
		t.Fatalf("eval: exit %d\n%s", r.code, r.stderr)
	}
	url := "file://" + filepath.Join(dir, "report.html")

	dom := runChromium(t, bin, url, "--dump-dom")
	got := map[string]map[string]int{}
	cells := 0
	for _, tag := range cellTag.FindAll(dom, -1) {
		w, g, n := wantAt.FindSubmatch(tag), gotAt.FindSubmatch(tag), countAt.FindSubmatch(tag)
		if w == nil || g == nil || n == nil {
			t.Fatalf("a matrix cell without data-want, data-got or data-count: %s", tag)
		}
		count, err := strconv.Atoi(string(n[1]))
		if err != nil {
			t.Fatalf("cell %s: %v", tag, err)
		}
		if got[string(w[1])] == nil {
			got[string(w[1])] = map[string]int{}
		}
		got[string(w[1])][string(g[1])] = count
		cells++
	}
	if cells != 9 {
		t.Errorf("the rendered matrix has %d cells, want 3×3", cells)
	}
	for _, want := range []string{"negative", "neutral", "positive"} {
		for _, g := range []string{"negative", "neutral", "positive"} {
			if got[want][g] != wantConfusion[want][g] {
				t.Errorf("rendered confusion[%s][%s] = %d, want %d", want, g, got[want][g], wantConfusion[want][g])
			}
		}
	}
	for _, want := range []string{`id="accuracy" data-value="0.62"`, `>62.5%<`, `id="reask-rate">25.0%<`, `&lt;script&gt;alert("owned")&lt;/script&gt;`,
		`id="tokens" data-in="1000" data-out="100"`, `id="cost" data-value="0.002800"`} {
		if !bytes.Contains(dom, []byte(want)) {
			t.Errorf("the rendered DOM lacks %s", want)
		}
	}
	if bytes.Contains(dom, []byte(`id="estimated-tokens"`)) || bytes.Contains(dom, []byte(`id="unpriced"`)) {
		t.Errorf("the rendered DOM shows estimated tokens or unpriced models, where every answer was counted and priced")
	}
	if bytes.Contains(dom, []byte("<script")) {
		t.Errorf("the rendered DOM has a script element: the model's text was not escaped")
	}

	shot := filepath.Join(t.TempDir(), "report.png")
	runChromium(t, bin, url, "--screenshot="+shot, "--window-size=1100,1500")
	png, err := os.ReadFile(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	if !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) || len(png) < 10<<10 {
		t.Fatalf("the screenshot is not a PNG of a page (%d bytes)", len(png))
	}
	t.Logf("screenshot: %s (%d bytes)", shot, len(png))
	if to := os.Getenv(envEvalScreenshot); to != "" {
		if err := os.WriteFile(to, png, 0o644); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(os.Stderr, "wrote %s\n", to)
	}
}
