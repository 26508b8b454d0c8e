// Package types is a samplegen test case: every Go shape that has a JSON
// form, as a tool's input and output.
package types

import (
	"encoding/json"
	"net"
	"net/netip"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Shapes carries one field of each shape.
//
//samplegen:tool shapes
//samplegen:prompt const=prompt
//samplegen:output Result
type Shapes struct {
	S   string  `json:"s"`
	B   bool    `json:"b"`
	I   int     `json:"i"`
	I8  int8    `json:"i8"`
	I16 int16   `json:"i16"`
	I32 int32   `json:"i32"`
	I64 int64   `json:"i64"`
	U   uint    `json:"u"`
	U8  uint8   `json:"u8"`
	U16 uint16  `json:"u16"`
	U32 uint32  `json:"u32"`
	U64 uint64  `json:"u64"`
	R   rune    `json:"r"`
	F32 float32 `json:"f32"`
	F64 float64 `json:"f64"`

	Strings []string          `json:"strings"`
	Triple  [3]int16          `json:"triple"`
	Bytes   []byte            `json:"bytes"`
	Hash    [4]byte           `json:"hash"`
	Counts  map[string]int    `json:"counts"`
	Free    map[string]any    `json:"free"`
	ByKey   map[Key]string    `json:"by_key"`
	Matrix  [][]float64       `json:"matrix"`
	Nested  map[string][]bool `json:"nested"`

	Any      any             `json:"any"`
	Raw      json.RawMessage `json:"raw"`
	Number   json.Number     `json:"number"`
	When     time.Time       `json:"when"`
	Deadline *time.Time      `json:"deadline"`
	Wait     time.Duration   `json:"wait"`

	Name      *string  `json:"name"`
	Count     **int    `json:"count,omitempty"`
	Owner     *Person  `json:"owner"`
	People    []Person `json:"people"`
	Anonymous struct {
		X int `json:"x"`
	} `json:"anonymous"`

	Base
	*Extra
	Named Base `json:"named"`

	Role    mcp.Role         `json:"role"`
	Notes   *mcp.Annotations `json:"notes,omitempty"`
	Hints   []mcp.ModelHint  `json:"hints"`
	Addr    netip.Addr       `json:"addr"`
	IP      net.IP           `json:"ip"`
	Level   Level            `json:"level"`
	Celsius Celsius          `json:"celsius"`

	unexported string
	Skipped    string `json:"-"`
	Hidden     string `jsonschema:"-"`
	GoName     string
}

// Key is a string type for map keys.
type Key string

// Person is a nested struct.
type Person struct {
	Name string `json:"name"`
	Age  uint8  `json:"age,omitempty"`
}

// Base is embedded: its fields are the outer type's.
type Base struct {
	ID      string `json:"id"`
	Version int    `json:"version,omitzero"`
}

// Extra is embedded through a pointer.
type Extra struct {
	Comment string `json:"comment"`
}

// Level has a MarshalText method, so its JSON is a string.
type Level int

// MarshalText writes the level's name.
func (l Level) MarshalText() ([]byte, error) { return []byte([]string{"low", "high"}[l]), nil }

// UnmarshalText reads a level's name.
func (l *Level) UnmarshalText(b []byte) error {
	if string(b) == "high" {
		*l = 1
	} else {
		*l = 0
	}
	return nil
}

// Celsius is a named float; floats are never enums.
type Celsius float64

// Boiling is a Celsius constant, which does not make Celsius an enum.
const Boiling Celsius = 100

// Result has what the model answers.
type Result struct {
	Summary string           `json:"summary"`
	Scores  map[string]int32 `json:"scores"`
	Seen    []time.Time      `json:"seen"`
	Maybe   *Person          `json:"maybe"`
}

const prompt = `{{.S}} {{.Base.ID}} {{.ID}} {{.Comment}} {{.Owner.Name}} {{.Anonymous.X}} {{.GoName}} {{.Notes.Priority}} {{.When.Year}} {{.Wait.Seconds}} {{.Addr.Is4}} {{index .Counts "a"}} {{.Counts.a}} {{.Free.anything.goes}}`
