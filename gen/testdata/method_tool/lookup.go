// Package lookup is a samplegen test case: function tools that are methods
// of values the server builds, which give them their dependencies.
package lookup

import (
	"context"
	"fmt"

	"github.com/samplegen/samplegen/runtime"
)

// Name asks for a customer's name to be normalized.
//
//samplegen:tool normalize
//samplegen:prompt const=normalizePrompt
//samplegen:output string
type Name struct {
	Raw string `json:"raw"`
}

const normalizePrompt = `Write this name in title case: {{fence .Raw}}`

// Query names a customer.
type Query struct {
	Name string `json:"name" jsonschema:"minLength=1"`
}

// Customer is what the directory knows of a customer.
type Customer struct {
	Name string `json:"name"`
	Plan string `json:"plan"`
}

// Client is the server's connection to its customer directory.
type Client struct {
	plans map[string]string
}

// Lookup finds a customer in the directory, by the name the model writes
// in full.
//
//samplegen:tool lookup
func (c *Client) Lookup(ctx context.Context, s runtime.Sampler, in Query) (Customer, error) {
	name, err := SampleName(ctx, s, Name{Raw: in.Name})
	if err != nil {
		return Customer{}, err
	}
	plan, ok := c.plans[name]
	if !ok {
		return Customer{}, fmt.Errorf("no customer %q", name)
	}
	return Customer{Name: name, Plan: plan}, nil
}

// Forget removes a customer from the directory.
//
//samplegen:tool forget
func (c Client) Forget(ctx context.Context, s runtime.Sampler, in Query) (Customer, error) {
	delete(c.plans, in.Name)
	return Customer{Name: in.Name}, nil
}

// Map holds each customer's greeting. Its name lower-cased is a Go
// keyword, which the parameters holding it must not be called.
type Map map[string]string

// Greet greets a customer.
//
//samplegen:tool greet
func (m Map) Greet(ctx context.Context, s runtime.Sampler, in Query) (Customer, error) {
	return Customer{Name: m[in.Name] + ", " + in.Name}, nil
}
