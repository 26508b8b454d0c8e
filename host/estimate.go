package host

import (
	"encoding/json"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/sampling"
)

// Estimate rules, rough on purpose: a budget needs an order of magnitude
// fast, not a provider's tokenizer (which differs by model anyway).
const (
	bytesPerToken = 4    // English text and JSON run about 4 bytes a token
	mediaTokens   = 1000 // an image or audio block, whatever its size
)

// EstimateUsage guesses the tokens a request and its result cost, for a
// result that carries no [sampling.Usage] of its own: a token for every 4
// bytes of text (system prompt, messages, tool definitions and calls, the
// answer) and 1000 for each image or audio block. It is an estimate, and
// a [Budget] counts it as one ([Spent].EstimatedTokens); res may be nil,
// for the input alone.
func EstimateUsage(req *mcp.CreateMessageWithToolsParams, res *mcp.CreateMessageWithToolsResult) sampling.Usage {
	var u sampling.Usage
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
				in += int64(len(t.Name) + len(t.Description) + jsonSize(t.InputSchema))
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
			bytes += int64(len(c.Name) + jsonSize(c.Input))
		case *mcp.ToolResultContent:
			b, n := contentSize(c.Content, depth+1)
			bytes, media = bytes+b+int64(jsonSize(c.StructuredContent)), media+n
		}
	}
	return bytes, media
}

func jsonSize(v any) int {
	if v == nil {
		return 0
	}
	b, err := json.Marshal(v)
	if err != nil {
		return 0
	}
	return len(b)
}
