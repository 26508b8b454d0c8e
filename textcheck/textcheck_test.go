package textcheck_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/samplegen/samplegen/textcheck"
)

func Example() {
	fmt.Println(textcheck.Words("Revenue rose 12.5% in Q3; we don't expect more."))
	fmt.Println(textcheck.Words("売上は第3四半期に増えました"))
	fmt.Printf("%q\n", textcheck.Introduction("Sure! Here is the formal version:\nDear Ms Lee,"))
	fmt.Printf("%q\n", textcheck.Introduction("TL;DR: prices rise in May.", "tl;dr"))
	fmt.Printf("%q\n", textcheck.Introduction("Note: the office is closed on Friday."))
	// Output:
	// 9
	// 8
	// "Sure! Here is the formal version:"
	// "TL;DR: prices rise in May."
	// ""
}

func TestWords(t *testing.T) {
	for _, c := range []struct {
		text string
		want int
	}{
		{"", 0},
		{"   \n\t", 0},
		{"one", 1},
		{"- first point\n- second point", 4},
		{"state-of-the-art, 1,000 users", 3},
		{"naïve café", 2},
		{"日本語", 2},
		{strings.Repeat("日本語の文章です。", 500), 2000}, // 4,000 CJK characters of 4,500: spaces are not needed
		{"Hello 世界", 2},
		{"don't stop-me now, 12.5 times!", 5},
		{"今日は晴れです", 4},
		{"Go 言語", 2},
	} {
		if got := textcheck.Words(c.text); got != c.want {
			t.Errorf("Words(%.30q) = %d, want %d", c.text, got, c.want)
		}
	}
}

func TestIntroduction(t *testing.T) {
	labels := []string{"summary", "tl;dr"}
	for _, c := range []struct {
		text, want string
	}{
		{"Here is the summary:\nPrices rise.", "Here is the summary:"},
		{"  **Here's the rewritten text:**\nHi", "**Here's the rewritten text:**"},
		{"Certainly! Below is the translation:\nHallo", "Certainly! Below is the translation:"},
		{"Of course:\nThanks", "Of course:"},
		{"Summary: prices rise.", "Summary: prices rise."},
		{"**TL;DR** prices rise", "**TL;DR** prices rise"},
		{"Summary of the talk: prices rise.", ""}, // a sentence, not a heading
		{"Here is where we stand.", ""},
		{"Sure thing, we can meet at 3.", ""},
		{"Note: closed Friday.", ""},
		{"", ""},
	} {
		if got := textcheck.Introduction(c.text, labels...); got != c.want {
			t.Errorf("Introduction(%q) = %q, want %q", c.text, got, c.want)
		}
	}
	if got := textcheck.Introduction("Summary: prices rise."); got != "" {
		t.Errorf("without labels, a label is no introduction; got %q", got)
	}
}
