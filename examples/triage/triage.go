// Package triage is samplegen's example of a function tool: Triage asks the
// client's model to read a support ticket through the sampling tool
// Summarize, then decides in plain Go which queue the ticket goes to.
//
// It shows an integer enum whose constants' comments tell the model what
// each priority means, the {{enum}} helper, untrusted texts each fenced and
// bounded with {{excerpt}}, a Validate method the runtime calls on every
// answer, and a function tool whose schemas come from its input and output
// types. Serve it with AddTools like any samplegen package.
package triage

import (
	"context"
	"errors"
	"strings"

	"github.com/samplegen/samplegen/runtime"
)

//go:generate go tool samplegen

// Summarize reads a support ticket: what it is about, how urgent it is,
// and a one-line summary.
//
//samplegen:tool summarize_ticket
//samplegen:title Summarize a support ticket
//samplegen:prompt summarize.tmpl
//samplegen:output Summary
//samplegen:params temperature=0 max_tokens=200 truncated_max_tokens=400 retries=2
type Summarize struct {
	Ticket
}

// Ticket is a support request as the help desk receives it.
type Ticket struct {
	Subject string `json:"subject" jsonschema:"minLength=1,maxLength=200"`
	Body    string `json:"body" jsonschema:"maxLength=20000"`
	// Customer is who wrote; a known customer's plan changes the queue.
	Customer *Customer `json:"customer,omitempty"`
}

// Customer is who wrote a ticket.
type Customer struct {
	Name string `json:"name"`
	Plan Plan   `json:"plan"`
}

// Plan is a customer's plan.
type Plan string

const (
	Free       Plan = "free"
	Enterprise Plan = "enterprise"
)

// Summary is what the model says about a ticket.
type Summary struct {
	Line     string   `json:"line" jsonschema:"description=One sentence,maxLength=160"`
	Category Category `json:"category"`
	Priority Priority `json:"priority"`
	Products []string `json:"products,omitempty" jsonschema:"maxItems=5"`
}

// Validate rejects a summary that only repeats the category.
func (s Summary) Validate() error {
	if strings.EqualFold(strings.TrimSpace(s.Line), string(s.Category)) {
		return errors.New("line: say what the ticket is about, not only its category")
	}
	return nil
}

// Category is what a ticket is about.
type Category string

const (
	Bug      Category = "bug"      // the product does not work as documented
	Billing  Category = "billing"  // invoices, payments, refunds
	Question Category = "question" // how to use the product
)

// Priority is how soon a ticket needs an answer.
type Priority int

const (
	Low    Priority = iota + 1 // within a week
	Normal                     // within two working days
	High                       // today
	Urgent                     // now: an outage or data loss
)

// Decision is where a ticket goes.
type Decision struct {
	Queue    string   `json:"queue" jsonschema:"enum=self-service,enum=support,enum=on-call"`
	Summary  Summary  `json:"summary"`
	Priority Priority `json:"priority"`
}

// Triage reads a ticket with the client's model and routes it: urgent
// tickets and enterprise customers' bugs go to on-call, questions to
// self-service, the rest to support.
//
//samplegen:tool triage
//samplegen:title Triage a support ticket
func Triage(ctx context.Context, s runtime.Sampler, in Ticket) (Decision, error) {
	sum, err := SampleSummarize(ctx, s, Summarize{in})
	if err != nil {
		return Decision{}, err
	}
	d := Decision{Queue: "support", Summary: sum, Priority: sum.Priority}
	enterprise := in.Customer != nil && in.Customer.Plan == Enterprise
	switch {
	case sum.Priority == Urgent, enterprise && sum.Category == Bug:
		d.Queue = "on-call"
	case sum.Category == Question && !enterprise:
		d.Queue = "self-service"
	}
	return d, nil
}
