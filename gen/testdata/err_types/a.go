package p

import (
	"fmt"
	"math/big"
	"net/url"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Types has fields JSON cannot carry.
//
//samplegen:tool types
//samplegen:prompt const=prompt
//samplegen:output Out
type Types struct {
	Events  chan string        `json:"events"`
	F       func()             `json:"f"`
	C       complex128         `json:"c"`
	M       map[float64]string `json:"m"`
	U       uintptr            `json:"u"`
	Broken  UndefinedType      `json:"broken"`
	Nested  Nested             `json:"nested"`
	OK      map[string]string  `json:"ok"`
	Same    string             `json:"ok"`
	Link    url.URL            `json:"link"`
	Big     *big.Int           `json:"big"`
	Content mcp.TextContent    `json:"content"`
	Shower  fmt.Stringer       `json:"shower"`
	Own     Custom             `json:"own"`
	Loop    Loop               `json:"loop"`
	G       Gen[int]           `json:"g"`
}

// Nested holds a bad field deeper down.
type Nested struct {
	Deeper []chan int `json:"deeper"`
}

// Custom describes its own schema, in code samplegen does not run.
type Custom struct{}

// JSONSchema is invopop's hook.
func (Custom) JSONSchema() any { return nil }

// Loop embeds itself through a pointer.
type Loop struct {
	*Loop
	X int `json:"x"`
}

// Gen nests without end.
type Gen[T any] struct {
	Next *Gen[[]T] `json:"next"`
}

// Out has an output problem: a Validate method the runtime never calls.
type Out struct {
	Parts []Part `json:"parts"`
}

// Part is nested in the output.
type Part struct{}

// Validate returns a bool, so the runtime does not see it.
func (Part) Validate() bool { return true }

const prompt = "Go."

// Text is a tool whose input marshals as text: not an object.
//
//samplegen:tool text
//samplegen:prompt const=prompt
//samplegen:output Out
type Text struct{ V int }

// MarshalText makes Text a string in JSON.
func (Text) MarshalText() ([]byte, error) { return nil, nil }
