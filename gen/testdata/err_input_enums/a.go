package p

import (
	"context"

	"github.com/samplegen/samplegen/runtime"
)

// Tag has every mistake a samplegen:enum can have.
//
//samplegen:tool tag
//samplegen:prompt const=prompt
//samplegen:output Out
//samplegen:enum nothing .Labels
//samplegen:enum labels .Labels
//samplegen:enum count .Labels
//samplegen:enum mood .Labels
//samplegen:enum kind .Labels
//samplegen:enum name .Missing
//samplegen:enum name2 .Count
//samplegen:enum name3 .Ptr.Labels
//samplegen:enum name4 Labels
//samplegen:enum name5
//samplegen:enum labels[] .Labels
//samplegen:enum labels[] .Labels
//samplegen:enum note .Numbers
//samplegen:enum name6 .Hidden
type Tag struct {
	Hidden  []string       `json:"hidden" jsonschema:"-"`
	Labels  []string       `json:"labels"`
	Count   int            `json:"count"`
	Ptr     *Opts          `json:"ptr"`
	Numbers map[string]int `json:"numbers"`
}

// Opts are options.
type Opts struct {
	Labels []string `json:"labels"`
}

// Out is the output.
type Out struct {
	Labels []string `json:"labels"`
	Count  int      `json:"count"`
	Mood   Mood     `json:"mood"`
	Kind   string   `json:"kind" jsonschema:"default=x"`
	Name   string   `json:"name"`
	Name2  string   `json:"name2"`
	Name3  string   `json:"name3"`
	Name4  string   `json:"name4"`
	Note   string   `json:"note"`
	Name6  string   `json:"name6"`
}

// Mood has constants.
type Mood string

const (
	Happy Mood = "happy"
	Sad   Mood = "sad"
)

const prompt = `{{enum "labels[]"}} {{enum "name"}}`

// Fn is a function tool.
//
//samplegen:tool fn
//samplegen:enum labels[] .Labels
func Fn(ctx context.Context, s runtime.Sampler, in Tag) (Out, error) { return Out{}, nil }
