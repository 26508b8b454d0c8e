package answer

import (
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// allocated returns the bytes and the allocations f makes, averaged over
// runs, as testing.AllocsPerRun counts them (one P, a warm-up run first).
func allocated(runs int, f func()) (bytes, allocs uint64) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	f()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range runs {
		f()
	}
	runtime.ReadMemStats(&after)
	return (after.TotalAlloc - before.TotalAlloc) / uint64(runs), (after.Mallocs - before.Mallocs) / uint64(runs)
}

// libraryShapes are spans the first tier cannot read and jsonrepair can:
// each item needs an edit, so the library does all its work on them.
var libraryShapes = map[string]func(i int) string{
	"missing-commas": func(i int) string { return fmt.Sprintf("k%d:%d ", i, i) },
	"bare-items": func(i int) string {
		if i%100000 == 0 {
			return fmt.Sprintf("%d ", i) // so that no two spans are the same
		}
		return "1 "
	},
	"single-quotes": func(i int) string { return fmt.Sprintf("'k%d':'v' ", i) },
}

// librarySpan is one span of about n bytes made of items, the first
// numbered from.
func librarySpan(n, from int, item func(int) string) string {
	open, close := "{", "}"
	if item(1) == "1 " {
		open, close = "[", "]"
	}
	var b strings.Builder
	b.WriteString(open)
	for i := from; b.Len()+len(item(i))+len(close) <= n; i++ {
		b.WriteString(item(i))
	}
	b.WriteString(close)
	return b.String()
}

// libraryAnswer is an answer of about n bytes: one span when n is at most
// spanMax, else spans of spanMax bytes in prose (32 of 31 KiB fill
// MaxInputBytes).
func libraryAnswer(n, spanMax int, item func(int) string) string {
	if n <= spanMax {
		return librarySpan(n, 0, item)
	}
	const sep = "\n\nand also:\n\n"
	var b strings.Builder
	for k := 0; ; k++ {
		// Each span differs, or they would be tried as one.
		span := librarySpan(spanMax, k*100000, item)
		if b.Len()+len(sep)+len(span) > n {
			break
		}
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(span)
	}
	return b.String()
}

// librarySizes are the answer sizes TestLibraryLinear measures: 2 KiB
// doubling to 1 MiB, the last a little under MaxInputBytes.
func librarySizes() []int {
	var out []int
	for n := 2 << 10; n < MaxInputBytes; n *= 2 {
		out = append(out, n)
	}
	return append(out, MaxInputBytes-1024)
}

// TestLibraryLinear holds the bytes a parse allocates linear in the
// answer's length, from 2 KiB to 1 MiB, for answers that send everything
// to the second tier: one span, then spans of 2, 8 or 31 KiB side by side.
// jsonrepair's cost grows with the square of its input, so without the
// bounds on what it is given 1 MiB cost 38 GB (bare list items in 31 KiB
// spans, 12 s), where linear growth from the 1 to 5 MB of 2 KiB allows 600
// times as much, and quadratic growth would be 262144 times.
func TestLibraryLinear(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts rise under the race detector")
	}
	schema := resolved(t, ruleSchema)
	for _, name := range slices.Sorted(maps.Keys(libraryShapes)) {
		for _, spanMax := range []int{2 << 10, 8 << 10, 31 << 10} {
			t.Run(fmt.Sprintf("%s/%dK-spans", name, spanMax>>10), func(t *testing.T) {
				var small float64 // bytes per input byte at 2 KiB
				var smallBytes uint64
				for _, n := range librarySizes() {
					text := libraryAnswer(n, spanMax, libraryShapes[name])
					bytes, allocs := allocated(2, func() { Parse(text, "endTurn", schema) })
					perByte := float64(bytes) / float64(len(text))
					t.Logf("%8d bytes: %11d B, %7d allocs, %7.1f B per byte", len(text), bytes, allocs, perByte)
					if small == 0 {
						small, smallBytes = perByte, bytes
						continue
					}
					// Within the bound on one call the cost still grows
					// with the square (8 KiB costs 4 times as much per byte
					// as 2 KiB); beyond it, it must not grow at all.
					if perByte > 8*small {
						t.Errorf("%d bytes allocate %.0f bytes per byte, more than 8 times the %.0f of 2 KiB", len(text), perByte, small)
					}
					if n > MaxInputBytes/2 && bytes > 600*smallBytes {
						t.Errorf("%d bytes allocate %d bytes, more than 600 times the %d of 2 KiB", len(text), bytes, smallBytes)
					}
				}
			})
		}
	}
}

// TestLibraryBudget holds what one parse gives jsonrepair to
// MaxRepairCalls candidates and MaxRepairBytes in all: an answer of many
// broken spans costs what the first few do.
func TestLibraryBudget(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts rise under the race detector")
	}
	schema := resolved(t, ruleSchema)
	item := libraryShapes["bare-items"]
	cost := func(spans, size int) uint64 {
		var b strings.Builder
		for k := range spans {
			b.WriteString("and also: ")
			b.WriteString(librarySpan(size, k*100000, item))
		}
		text := b.String()
		bytes, _ := allocated(2, func() { Parse(text, "endTurn", schema) })
		return bytes
	}
	// In count: 30 spans of 1 KiB cost no more than MaxRepairCalls of them
	// (and a little for the rest).
	one, many := cost(1, 1<<10), cost(30, 1<<10)
	t.Logf("1 KiB spans: one %d B, 30 %d B", one, many)
	if many > uint64(MaxRepairCalls+1)*one {
		t.Errorf("30 spans of 1 KiB allocate %d bytes, more than %d times the %d of one", many, MaxRepairCalls+1, one)
	}
	// In bytes: 30 spans of half the budget cost no more than two do.
	half := MaxRepairBytes / 2
	one, many = cost(1, half), cost(30, half)
	t.Logf("%d-byte spans: one %d B, 30 %d B", half, one, many)
	if many > 3*one {
		t.Errorf("30 spans of %d bytes allocate %d bytes, more than 3 times the %d of one", half, many, one)
	}
	// A span longer than the budget is not given to jsonrepair at all.
	over := cost(1, MaxRepairBytes+2)
	t.Logf("a span of %d bytes: %d B", MaxRepairBytes+2, over)
	if over > 64<<10 {
		t.Errorf("a span over MaxRepairBytes allocates %d bytes", over)
	}
}

// TestBalanced holds what may go to jsonrepair to one bracketed value
// whose brackets and quotes close: two values side by side would spend the
// budget of the spans that are each one.
func TestBalanced(t *testing.T) {
	for text, want := range map[string]bool{
		`{"a": 1 "b": 2}`:       true,
		"[1 2]\n":               true,
		`[{"a": "]"} {"b": 1}]`: true,
		`[1] and also [2]`:      false,
		`{"a": 1} {"b": 2}`:     false,
		`{"a": [1}`:             false,
		`{"a": "1}`:             false,
		`x{"a": 1}`:             false,
		``:                      false,
	} {
		if got := balanced(text); got != want {
			t.Errorf("balanced(%q) = %v, want %v", text, got, want)
		}
	}
}
