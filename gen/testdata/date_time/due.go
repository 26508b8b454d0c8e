// Package due is a samplegen test case: a time.Time in the output is a
// date-time, and an answer that is not one is re-asked at its path.
package due

import "time"

// Schedule schedules a task.
//
//samplegen:tool schedule
//samplegen:prompt const=prompt
//samplegen:output Slot
type Schedule struct {
	Task string `json:"task"`
}

const prompt = `When should {{.Task}} be done?`

// Slot is the answer.
type Slot struct {
	// Due is when the task is due.
	Due    time.Time  `json:"due"`
	Remind *time.Time `json:"remind"`
}
