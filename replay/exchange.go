package replay

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/sampling"
)

// formatVersion is the version of the line format this package writes,
// and the only one it reads.
const formatVersion = 1

// An exchange is one line of a replay file.
type exchange struct {
	Version int             `json:"version"`
	Request json.RawMessage `json:"request"`
	Result  json.RawMessage `json:"result,omitempty"`
	Error   *recordedError  `json:"error,omitempty"`
}

// A recordedError is a sampler's error as a file holds it: a refusal keeps
// its reason and wait, any other error its message.
type recordedError struct {
	Message      string `json:"message"`
	Refused      bool   `json:"refused,omitempty"`
	RetryAfterMs int64  `json:"retryAfterMs,omitempty"`
}

// asError is the error a replay of e returns.
func (e *recordedError) asError() error {
	if e.Refused {
		// The wait is bounded to a day, as sampling bounds a peer's.
		wait := time.Duration(min(max(e.RetryAfterMs, 0), maxRetryAfterMs)) * time.Millisecond
		return &sampling.RefusalError{Reason: e.Message, RetryAfter: wait}
	}
	return errors.New(e.Message)
}

const maxRetryAfterMs = int64(24 * time.Hour / time.Millisecond)

// The _meta keys written at the top of a request and of a result: the
// samplegen keys that change what a model answers, and what it answered.
// Every other top-level key (a progress token, a trace id, a host's own
// keys, which may carry credentials) is left out, and so is every key not
// under samplegen's prefix deeper in (in a message's content, in a tool).
var (
	requestMetaKept = map[string]bool{sampling.TemperatureMetaKey: true, sampling.OutputSchemaMetaKey: true}
	resultMetaKept  = map[string]bool{sampling.UsageMetaKey: true, sampling.RefusedMetaKey: true, sampling.RetryAfterMetaKey: true}
)

// samplegenPrefix starts samplegen's own _meta keys.
const samplegenPrefix = "io.samplegen/"

// requestJSON is req as a file holds it: what it asks, without its
// metadata (see the package doc) or the _meta keys that may not be kept.
func requestJSON(req *mcp.CreateMessageWithToolsParams) (json.RawMessage, error) {
	cp := *req
	cp.Metadata = nil
	return sanitized(&cp, requestMetaKept)
}

// resultJSON is res as a file holds it, without the _meta keys that may
// not be kept.
func resultJSON(res *mcp.CreateMessageWithToolsResult) (json.RawMessage, error) {
	return sanitized(res, resultMetaKept)
}

// sanitized encodes v keeping only the top-level _meta keys in kept and the
// samplegen keys of nested _meta objects. Numbers keep their text.
func sanitized(v any, kept map[string]bool) (json.RawMessage, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var tree any
	if err := d.Decode(&tree); err != nil {
		return nil, err
	}
	if top, ok := tree.(map[string]any); ok {
		filterMeta(top, func(k string) bool { return kept[k] })
		for k, child := range top {
			if k != "_meta" {
				dropForeignMeta(child)
			}
		}
	}
	return json.Marshal(tree)
}

// filterMeta keeps the keys of m's _meta that keep says, and drops _meta
// when none is left.
func filterMeta(m map[string]any, keep func(string) bool) {
	meta, ok := m["_meta"].(map[string]any)
	if !ok {
		delete(m, "_meta")
		return
	}
	for k := range meta {
		if !keep(k) {
			delete(meta, k)
		}
	}
	if len(meta) == 0 {
		delete(m, "_meta")
	}
}

// dropForeignMeta keeps only samplegen's keys in every _meta object within
// v. The depth is bounded by the JSON decoder that made v.
func dropForeignMeta(v any) {
	switch v := v.(type) {
	case map[string]any:
		if _, ok := v["_meta"]; ok {
			filterMeta(v, func(k string) bool { return strings.HasPrefix(k, samplegenPrefix) })
		}
		for k, child := range v {
			if k != "_meta" {
				dropForeignMeta(child)
			}
		}
	case []any:
		for _, child := range v {
			dropForeignMeta(child)
		}
	}
}

// errorOf is err as a file holds it, with what looks like a credential
// taken out of its text.
func errorOf(err error) *recordedError {
	var r *sampling.RefusalError
	if errors.As(err, &r) {
		return &recordedError{Message: scrub(r.Reason), Refused: true, RetryAfterMs: r.RetryAfter.Milliseconds()}
	}
	if errors.Is(err, sampling.ErrRefused) {
		return &recordedError{Message: scrub(err.Error()), Refused: true}
	}
	return &recordedError{Message: scrub(err.Error())}
}

// maxErrorText bounds an error message written to a file, and one read
// from it: a provider's error may quote a whole response body.
const maxErrorText = 2048

// credentialPatterns match what credentials look like in an error's text:
// provider keys (OpenAI's sk-…, sk-proj-…, Anthropic's sk-ant-…, masked as
// sk-ab***yz too), bearer tokens, "api_key: …" or "Authorization=…" pairs,
// and the user and password of a URL (a base URL such as
// https://user:pass@llm.internal/v1, which provider errors name), up to the
// last @ before the host, as Go's URL parser reads it.
var credentialPatterns = regexp.MustCompile(`(?i)\bsk-[a-z0-9_*.\-]{6,}|\bbearer\s+[a-z0-9._~+/=\-]+|\b(?:x-)?api[-_ ]?key["']?\s*[:=]\s*["']?[^\s"',}]+|\bauthorization["']?\s*[:=]\s*["']?[^"',}\n]+|//[^/?#\s"]+@`)

// keyVariables are the environment variables whose values are credentials
// wherever they appear: those package provider reads its credentials from
// (its EnvOpenAIKey, EnvAnthropicKey and EnvAnthropicAuthToken; a test
// holds the two lists equal, as this package does not import provider).
var keyVariables = []string{"OPENAI_API_KEY", "ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN"}

// scrub returns s with credentials replaced by [redacted], clipped.
func scrub(s string) string {
	for _, name := range keyVariables {
		if key := os.Getenv(name); len(key) >= 8 {
			s = strings.ReplaceAll(s, key, "[redacted]")
		}
	}
	return sampling.Clip(credentialPatterns.ReplaceAllStringFunc(s, func(m string) string {
		if strings.HasPrefix(m, "//") {
			return "//[redacted]@" // keep the URL's host readable
		}
		return "[redacted]"
	}), maxErrorText)
}

// decodeExchange reads one line into an exchange, checking that its
// request and result are what replay needs.
func decodeExchange(line []byte) (*exchange, *mcp.CreateMessageWithToolsParams, error) {
	var x exchange
	if err := json.Unmarshal(line, &x); err != nil {
		return nil, nil, fmt.Errorf("not a replay exchange: %w", err)
	}
	switch {
	case x.Version == 0:
		return nil, nil, errors.New(`not a replay exchange: it has no "version"`)
	case x.Version != formatVersion:
		return nil, nil, fmt.Errorf("format version %d, but this samplegen reads version %d: use the samplegen that recorded it, or record again", x.Version, formatVersion)
	case len(x.Request) == 0 || bytes.Equal(x.Request, []byte("null")):
		return nil, nil, errors.New(`the exchange has no "request"`)
	case hasValue(x.Result) == (x.Error != nil):
		return nil, nil, errors.New(`the exchange must have a "result" or an "error", and not both`)
	}
	if x.Error != nil {
		// A message is bounded as the recorder bounds it: a file's line
		// may hold 32 MiB of it, which a replayed error would carry on.
		x.Error.Message = sampling.Clip(x.Error.Message, maxErrorText)
	}
	req := new(mcp.CreateMessageWithToolsParams)
	if err := json.Unmarshal(x.Request, req); err != nil {
		return nil, nil, fmt.Errorf("its request is not a sampling request: %w", err)
	}
	if hasValue(x.Result) {
		if _, err := decodeResult(x.Result); err != nil {
			return nil, nil, err
		}
	}
	return &x, req, nil
}

func hasValue(raw json.RawMessage) bool {
	return len(raw) > 0 && !bytes.Equal(raw, []byte("null"))
}

// decodeResult decodes a fresh copy of a recorded result.
func decodeResult(raw json.RawMessage) (*mcp.CreateMessageWithToolsResult, error) {
	res := new(mcp.CreateMessageWithToolsResult)
	if err := json.Unmarshal(raw, res); err != nil {
		return nil, fmt.Errorf("its result is not a sampling result: %w", err)
	}
	return res, nil
}
