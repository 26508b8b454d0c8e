// Package timer is a samplegen test case: time.Duration values are integers
// of nanoseconds, as encoding/json writes them, and the schema says so.
package timer

import "time"

// EstimateTask estimates how long a task takes.
//
//samplegen:tool estimate
//samplegen:prompt const=prompt
//samplegen:output Estimate
type EstimateTask struct {
	Task string `json:"task"`
	// Budget is the most the task may take.
	Budget time.Duration `json:"budget"`
}

const prompt = `How long does {{.Task}} take, within {{.Budget}}?`

// Estimate is the answer.
type Estimate struct {
	Total  time.Duration   `json:"total" jsonschema:"description=The whole task,minimum=0"`
	Steps  []time.Duration `json:"steps"`
	Margin *time.Duration  `json:"margin"`
	Wait   time.Duration   `json:"wait,omitempty"`
}
