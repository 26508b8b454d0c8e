package gen

import (
	"bytes"
	"strings"
	"testing"

	"github.com/dave/jennifer/jen"
)

// Generated code that does not parse is reported as samplegen's bug, on one
// line that shows where, and without the whole source jennifer appends.
func TestRenderBugIsOneLine(t *testing.T) {
	f := jen.NewFile("p")
	f.Func().Id("Before").Params().Block()
	f.Func().Id("AddGreet").Params(jen.Id("map").Op("*").Id("Map")).Block()
	f.Func().Id("After").Params().Block()
	err := f.Render(&bytes.Buffer{})
	if err == nil {
		t.Fatal("a parameter called map rendered")
	}
	got := renderBug("p_samplegen.go", err).Error()
	for _, want := range []string{"rendering p_samplegen.go: ", "this is a samplegen bug: please report it", `AddGreet (map * Map)`} {
		if !strings.Contains(got, want) {
			t.Errorf("error %q does not say %q", got, want)
		}
	}
	if strings.Contains(got, "\n") || strings.Contains(got, "Before") || strings.Contains(got, "package p") {
		t.Errorf("error %q is not one line without the source", got)
	}
}

// The excerpt of a long line is bounded and keeps the column it points at.
func TestRenderBugExcerptIsBounded(t *testing.T) {
	line := "\t" + strings.Repeat("a", 500) + "X" + strings.Repeat("b", 500)
	got := excerpt(line, 502)
	if len(got) > 80 || !strings.Contains(got, "X") {
		t.Errorf("excerpt = %q, want at most 80 bytes around X", got)
	}
}
