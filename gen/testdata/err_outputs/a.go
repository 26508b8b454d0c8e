package p

import (
	"context"

	"github.com/samplegen/samplegen/runtime"
)

// In is an input.
type In struct {
	X string `json:"x"`
}

const prompt = "Go."

// Watch has a channel output.
//
//samplegen:tool watch
//samplegen:prompt const=prompt
//samplegen:output Events
type Watch struct{}

// Events is a channel.
type Events chan string

// Ask has an interface output.
//
//samplegen:tool ask
//samplegen:prompt const=prompt
//samplegen:output Answer
type Ask struct{}

// Answer is an interface.
type Answer interface{ Text() string }

// Anything has the output any.
//
//samplegen:tool anything
//samplegen:prompt const=prompt
//samplegen:output any
type Anything struct{}

// Call has a function output.
//
//samplegen:tool call
//samplegen:prompt const=prompt
//samplegen:output Callback
type Call struct{}

// Callback is a function type.
type Callback func() string

// Point has a pointer output.
//
//samplegen:tool point
//samplegen:prompt const=prompt
//samplegen:output Ref
type Point struct{}

// Ref is a pointer type.
type Ref *Item

// Complex has a complex output.
//
//samplegen:tool complex
//samplegen:prompt const=prompt
//samplegen:output complex128
type Complex struct{}

// Bytes has an output that JSON writes as a base64 string.
//
//samplegen:tool bytes
//samplegen:prompt const=prompt
//samplegen:output Blob
type Bytes struct{}

// Blob is bytes.
type Blob []byte

// Coded has a string output that decodes itself.
//
//samplegen:tool coded
//samplegen:prompt const=prompt
//samplegen:output Code
type Coded struct{}

// Code is a string type with its own text form.
type Code string

// UnmarshalText reads a code.
func (c *Code) UnmarshalText(b []byte) error { *c = Code(b); return nil }

// Streams has a list of channels.
//
//samplegen:tool streams
//samplegen:prompt const=prompt
//samplegen:output Streams
type StreamsTool struct{}

// Streams are channels.
type Streams []chan int

// BadLength has a key that does not parse.
//
//samplegen:tool bad_length
//samplegen:prompt const=prompt
//samplegen:output string maxLength=many
type BadLength struct{}

// FieldKeys has keys of a field, not of the output.
//
//samplegen:tool field_keys
//samplegen:prompt const=prompt
//samplegen:output Item required,nullable
type FieldKeys struct{}

// WrongKeys has a key for strings on an object.
//
//samplegen:tool wrong_keys
//samplegen:prompt const=prompt
//samplegen:output Item minLength=1
type WrongKeys struct{}

// Retyped changes the output's JSON type.
//
//samplegen:tool retyped
//samplegen:prompt const=prompt
//samplegen:output int type=string
type Retyped struct{}

// Forest has keys on a recursive type.
//
//samplegen:tool forest
//samplegen:prompt const=prompt
//samplegen:output Tree maxItems=3
type Forest struct{}

// Tree is recursive.
type Tree []Tree

// Item is an object.
type Item struct {
	Name string `json:"name"`
}

// WatchFunc is a function tool with a channel output.
//
//samplegen:tool watch_func
func WatchFunc(ctx context.Context, s runtime.Sampler, in In) (Events, error) { return nil, nil }

// Unnamed is a function tool with an unnamed list output.
//
//samplegen:tool unnamed
func Unnamed(ctx context.Context, s runtime.Sampler, in In) ([]Item, error) { return nil, nil }

// Failure is a function tool whose output is an error.
//
//samplegen:tool failure
func Failure(ctx context.Context, s runtime.Sampler, in In) (error, error) { return nil, nil }

// List is generic.
type List[T any] []T

// Instance is a function tool whose output is an instance of a generic type.
//
//samplegen:tool instance
func Instance(ctx context.Context, s runtime.Sampler, in In) (List[int], error) { return nil, nil }
