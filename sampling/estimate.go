package sampling

import (
	"encoding/json"
	"math"
	"strconv"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Estimate rules, rough on purpose: a budget or a report needs an order of
// magnitude fast, not a provider's tokenizer (which differs by model
// anyway).
const (
	bytesPerToken = 4    // English text and JSON run about 4 bytes a token
	mediaTokens   = 1000 // an image or audio block, whatever its size
)

// EstimateUsage guesses the tokens a request and its result cost, for a
// result that carries no [Usage] of its own ([UsageOf] is false): a token
// for every 4 bytes of text (system prompt, messages, tool definitions and
// calls, tool results, the answer), JSON counted as it would be written
// compactly, and 1000 for each image or audio block. It is an estimate,
// and whatever shows it should say so. res may be nil, for the input
// alone; req may be nil, for the output alone.
//
// It runs once per sampling request, so it is linear in the request's
// size and, for text and JSON decoded from the wire or held as
// json.RawMessage, allocates nothing.
func EstimateUsage(req *mcp.CreateMessageWithToolsParams, res *mcp.CreateMessageWithToolsResult) Usage {
	var u Usage
	if req != nil {
		in := int64(len(req.SystemPrompt))
		media := int64(0)
		for _, m := range req.Messages {
			if m != nil {
				b, n := contentSize(m.Content, 0)
				in, media = in+b, media+n
			}
		}
		for _, t := range req.Tools {
			if t != nil {
				in += int64(len(t.Name)+len(t.Description)) + fieldSize(t.InputSchema)
			}
		}
		u.InputTokens = tokens(in) + media*mediaTokens
	}
	if res != nil {
		b, n := contentSize(res.Content, 0)
		u.OutputTokens = tokens(b) + n*mediaTokens
	}
	return u
}

func tokens(bytes int64) int64 { return (bytes + bytesPerToken - 1) / bytesPerToken }

// contentSize is the bytes of text in blocks and the number of media
// blocks among them. Tool results hold blocks of their own; a peer's
// nesting is followed only so deep.
func contentSize(blocks []mcp.Content, depth int) (bytes, media int64) {
	if depth > 2 {
		return 0, 0
	}
	for _, c := range blocks {
		switch c := c.(type) {
		case *mcp.TextContent:
			bytes += int64(len(c.Text))
		case *mcp.ImageContent, *mcp.AudioContent:
			media++
		case *mcp.ToolUseContent:
			bytes += int64(len(c.Name)) + fieldSize(c.Input)
		case *mcp.ToolResultContent:
			b, n := contentSize(c.Content, depth+1)
			bytes, media = bytes+b+fieldSize(c.StructuredContent), media+n
		}
	}
	return bytes, media
}

// fieldSize is the JSON size of a field's value, 0 for none: a field left
// nil is not written.
func fieldSize(v any) int64 {
	if v == nil {
		return 0
	}
	return jsonSize(v, 0)
}

// maxWalkDepth is how deep jsonSize walks a value itself; deeper, it
// hands the rest to encoding/json, which is linear too and stops at a
// cycle.
const maxWalkDepth = 64

// jsonSize is about the length of v written as compact JSON: exact but
// for string escapes and some numbers' form. It walks the types JSON
// decodes to without allocating, and marshals anything else (a Go struct
// such as a *jsonschema.Schema).
func jsonSize(v any, depth int) int64 {
	if depth > maxWalkDepth {
		return marshalledSize(v)
	}
	switch v := v.(type) {
	case nil:
		return 4 // null
	case string:
		return int64(len(v)) + 2
	case bool:
		if v {
			return 4
		}
		return 5
	case float64:
		return numberSize(v)
	case int:
		return numberSize(float64(v))
	case int64:
		return numberSize(float64(v))
	case json.Number:
		return int64(len(v))
	case json.RawMessage:
		return compactSize(v)
	case map[string]any:
		if v == nil {
			return 4
		}
		n := int64(2) // {}
		for k, e := range v {
			n += int64(len(k)) + 3 + jsonSize(e, depth+1) // "k":
		}
		if len(v) > 1 {
			n += int64(len(v) - 1) // commas
		}
		return n
	case []any:
		if v == nil {
			return 4
		}
		n := int64(2) // []
		for _, e := range v {
			n += jsonSize(e, depth+1)
		}
		if len(v) > 1 {
			n += int64(len(v) - 1)
		}
		return n
	}
	return marshalledSize(v)
}

// numberSize is the length of f as encoding/json writes it, near enough.
func numberSize(f float64) int64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0 // encoding/json refuses them
	}
	format := byte('f')
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	var buf [32]byte
	b := strconv.AppendFloat(buf[:0], f, format, -1, 64)
	if n := len(b); format == 'e' && n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
		return int64(n - 1) // encoding/json writes e-7, not e-07
	}
	return int64(len(b))
}

// marshalledSize is the length of v's JSON, 0 where it has none.
func marshalledSize(v any) int64 {
	b, err := json.Marshal(v)
	if err != nil {
		return 0
	}
	return int64(len(b))
}

// compactSize is the size of raw JSON without the whitespace between its
// tokens, as it goes on the wire (encoding/json compacts a RawMessage).
func compactSize(raw []byte) int64 {
	n, inString, escaped := int64(0), false, false
	for _, b := range raw {
		switch {
		case inString:
			inString = escaped || b != '"'
			escaped = !escaped && b == '\\'
		case b == ' ' || b == '\t' || b == '\n' || b == '\r':
			continue
		case b == '"':
			inString = true
		}
		n++
	}
	return n
}
