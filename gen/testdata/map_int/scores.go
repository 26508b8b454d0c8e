// Package scores is a samplegen test case: maps with integer and text keys,
// which encoding/json writes as JSON object keys.
package scores

import "net/netip"

// Score scores the lines of a text.
//
//samplegen:tool score_lines
//samplegen:prompt const=prompt
//samplegen:output Scores
type Score struct {
	Lines map[int]string `json:"lines"`
}

const prompt = `Score each line: {{json .Lines}}`

// Scores is the answer.
type Scores struct {
	ByLine  map[int]Grade       `json:"by_line"`  // line number to grade
	ByCount map[uint16]int      `json:"by_count"` // how many lines had each length
	Hosts   map[netip.Addr]bool `json:"hosts"`    // text keys
	Tiers   map[Tier]string     `json:"tiers"`    // a text key of integer kind: its text
	Free    map[int64]any       `json:"free"`
}

// Grade is a line's grade.
type Grade string

// The grades.
const (
	Good Grade = "good" // reads well
	Poor Grade = "poor" // needs work
)

// Tier is an integer written as text.
type Tier int

// MarshalText writes a tier as "tier-N".
func (t Tier) MarshalText() ([]byte, error) { return []byte("tier-" + string(rune('0'+t))), nil }

// UnmarshalText reads "tier-N".
func (t *Tier) UnmarshalText(b []byte) error {
	if len(b) != 6 || string(b[:5]) != "tier-" {
		return errBadTier
	}
	*t = Tier(b[5] - '0')
	return nil
}

var errBadTier = errorString("want tier-N")

type errorString string

func (e errorString) Error() string { return string(e) }
