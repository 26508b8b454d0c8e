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
	J string   `json:"j" jsonschema:"oneof_type=string;integer"`
}

// Color is an enum.
type Color string

const (
	Red   Color = "red"
	Green Color = "green"
)

// Out is an output.
type Out struct{}

const prompt = "Go."
