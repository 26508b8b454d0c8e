package p

// Tags has bad jsonschema tags.
//
//samplegen:tool tags
//samplegen:prompt const=prompt
//samplegen:output Out
type Tags struct {
	A string   `json:"a" jsonschema:"minLength=-1,maxLength=x"`
	B int      `json:"b" jsonschema:"minimum=low,maximum=1.5"`
	C bool     `json:"c" jsonschema:"default=yes"`
	D string   `json:"d" jsonschema:"minimum=1"`
	E string   `json:"e" jsonschema:"minLenght=1"`
	F string   `json:"f" jsonschema:"requried"`
	G []string `json:"g" jsonschema:"uniqueItems=false,minItems=2"`
	H string   `json:"h" jsonschema:"pattern=[a-"`
	I Color    `json:"i" jsonschema:"default=blue"`
	J any      `json:"j" jsonschema:"oneof_type=string;text"`
	K int8     `json:"k" jsonschema:"minimum=-200,maximum=300,default=128"`
	L uint     `json:"l" jsonschema:"minimum=-1"`
	M string   `json:"m" jsonschema_extras:"minimum=3,noequals"`
	N string   `json:"n" jsonschema:"oneof_ref=#/$defs/X"`
	O Color    `json:"o" jsonschema:"enum=red"`
	P Level    `json:"p,string"`
	Q bool     `json:"q" jsonschema:"const=maybe"`
	R string   `json:"r" jsonschema:"type=text"`
	S Node     `json:"s" jsonschema:"minItems=1"`
	T string   `json:"t" jsonschema:description=unquoted`
}

// Color is an enum.
type Color string

const (
	Red   Color = "red"
	Green Color = "green"
)

// Level is an integer enum.
type Level int

const (
	Low  Level = 1
	High Level = 2
)

// Node is recursive.
type Node struct {
	Kids []Node `json:"kids"`
}

// Out is an output.
type Out struct{}

const prompt = "Go."
