package provider

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/shared"
	"github.com/samplegen/samplegen/sampling"
)

// The variables [NewOpenAI] reads, the SDK's own.
const (
	EnvOpenAIKey     = "OPENAI_API_KEY"
	EnvOpenAIBaseURL = "OPENAI_BASE_URL"
)

// openAIBaseURL is OpenAI's own API.
const openAIBaseURL = "https://api.openai.com/v1/"

// openAIVendor names OpenAI's API and its variables in errors.
var openAIVendor = vendor{name: "OpenAI", keyEnv: EnvOpenAIKey, baseURLEnv: EnvOpenAIBaseURL, defaultBaseURL: openAIBaseURL}

// An OpenAIModel answers sampling requests with a model behind OpenAI's Chat
// Completions API: OpenAI's own, or any server that speaks it (Ollama,
// vLLM, llama.cpp's server, LM Studio). It is a [sampling.Sampler], safe for
// concurrent use.
//
// How a sampling request reaches the API:
//
//   - messages: text, images (as data: URLs) and audio (wav or mp3, as
//     input_audio); an assistant's tool_use becomes its tool_calls, a user's
//     tool_result a tool message (text only, as the API allows: "Error: "
//     leads the text of a failed call, and a result's images follow in a
//     user message);
//   - systemPrompt: a system message first;
//   - temperature: sent when the request asks for one, 0 included
//     ([sampling.Temperature]);
//   - maxTokens: max_completion_tokens to OpenAI's own API, which wants it
//     (its reasoning models refuse max_tokens), and max_tokens to every
//     other server, the field they all read; [DefaultMaxTokens] when zero;
//   - stopSequences: stop;
//   - tools and toolChoice: function tools, and tool_choice auto, required
//     or none (sent only with tools, as the API requires);
//   - the output schema of a request that asks for JSON
//     ([sampling.OutputSchemaMetaKey]): response_format json_schema,
//     strict where the schema meets OpenAI's rules for strict schemas
//     (every object closed with additionalProperties false and all its
//     properties required, no keyword outside those it supports, at most
//     10 levels of objects), and not strict otherwise; a schema whose root
//     is not an object is left to the prompt, since the API takes none;
//   - metadata: an object's entries whose values are strings, numbers or
//     booleans (or short JSON), up to the API's 16 keys of 64 bytes and
//     values of 512, become metadata, what does not fit is left out. It is
//     sent to compatible servers only: OpenAI's own API takes metadata only
//     from requests that also set store, which keeps the conversation on
//     OpenAI's servers, and that is not a sampling request's choice to make;
//   - modelPreferences: not read. The model is the configured one; choosing
//     among models by hints and priorities is the client handler's job,
//     before the request reaches an adapter. includeContext likewise.
//
// And how the answer comes back: the text as text content, each tool call
// as [mcp.ToolUseContent] (a call whose arguments are not a JSON object
// comes back as their text, for the runtime's lenient parser to repair);
// stop reasons in MCP's words (length → maxTokens, tool calls → toolUse,
// stop → endTurn, or stopSequence where the server says which sequence
// stopped it, as vLLM does); a refusal (the message's refusal field) as a
// [sampling.RefusalError] naming the model and its words;
// the model the provider reports; its token counts in _meta
// ([sampling.UsageOf]).
//
// Failures are [*Error]s, worded as the package doc says: a rejected key
// names where it came from (Config.APIKey or OPENAI_API_KEY), a rate limit
// wraps a [sampling.RefusalError] with the wait to honour, an account out
// of quota does not (asking again will not help). Rate limits (honouring
// Retry-After up to 20s and the caller's deadline), 408, 409 and 5xx
// answers, network errors and attempts that outlast Config.RequestTimeout
// are retried Config.MaxRetries times; cancelling the context ends the
// HTTP request.
type OpenAIModel struct {
	endpoint // the model, where it is served, the key's source, each attempt's timeout
	client   openai.Client
	ownAPI   bool // OpenAI's own API, at its own address or another
}

// NewOpenAI returns the adapter for OpenAI's Chat Completions API that c
// describes. Provider is [OpenAI] (or empty) or [Ollama]. The key is
// c.APIKey, else OPENAI_API_KEY; the address c.BaseURL, else
// OPENAI_BASE_URL, else OpenAI's own (OllamaBaseURL for Ollama). OpenAI's
// own API needs a key; a server at another address may need none, and
// Ollama at its default address is sent none (OPENAI_API_KEY is OpenAI's,
// not the local server's).
func NewOpenAI(c Config) (*OpenAIModel, error) {
	kind := strings.ToLower(strings.TrimSpace(c.Provider))
	if kind != "" && kind != OpenAI && kind != Ollama {
		return nil, fmt.Errorf("provider: NewOpenAI serves %s and %s, not %q", OpenAI, Ollama, c.Provider)
	}
	kind = cmp.Or(kind, OpenAI)
	model := strings.TrimSpace(c.Model)
	if model == "" {
		return nil, noModel(kind)
	}

	baseURL := cmp.Or(strings.TrimSpace(c.BaseURL), strings.TrimSpace(os.Getenv(EnvOpenAIBaseURL)))
	defaultOllama := kind == Ollama && baseURL == ""
	if defaultOllama {
		baseURL = OllamaBaseURL
	}
	ownAPI := baseURL == ""
	if baseURL != "" {
		u, err := parseBaseURL(baseURL, EnvOpenAIBaseURL, OllamaBaseURL)
		if err != nil {
			return nil, err
		}
		ownAPI = strings.EqualFold(u.Hostname(), "api.openai.com")
	}

	key, keyFrom := strings.TrimSpace(c.APIKey), configAPIKey
	if key == "" && !defaultOllama {
		key, keyFrom = strings.TrimSpace(os.Getenv(EnvOpenAIKey)), EnvOpenAIKey
	}
	if key == "" {
		keyFrom = ""
		if ownAPI {
			return nil, fmt.Errorf("provider: no OpenAI API key: set %s (or Config.APIKey); for a compatible server that needs none, set %s to its address", EnvOpenAIKey, EnvOpenAIBaseURL)
		}
	}

	m := &OpenAIModel{
		endpoint: endpoint{vendor: openAIVendor, model: model, baseURL: baseURL, keyFrom: keyFrom, attempt: c.requestTimeout(), tel: c.telemetry()},
		ownAPI:   ownAPI,
	}
	opts := []option.RequestOption{
		option.WithBaseURL(cmp.Or(baseURL, openAIBaseURL)),
		option.WithAPIKey(key), // also clears the SDK's own reading of OPENAI_API_KEY where none is sent
		option.WithMaxRetries(c.maxRetries()),
		option.WithMiddleware(guardAttempts(m.attempt)),
	}
	if c.HTTPClient != nil {
		opts = append(opts, option.WithHTTPClient(c.HTTPClient))
	}
	m.client = openai.NewClient(opts...)
	return m, nil
}

// Model returns the model the adapter asks for.
func (m *OpenAIModel) Model() string { return m.model }

// CreateMessage asks the model for one completion of req. A failed request
// is an [*Error]; a cancelled ctx ends the HTTP request and returns an
// error that wraps ctx.Err().
func (m *OpenAIModel) CreateMessage(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
	params, err := m.params(req)
	if err != nil {
		return nil, err
	}
	return m.traced(ctx, req, func(ctx context.Context) (*mcp.CreateMessageWithToolsResult, error) {
		ctx, attempts := withAttemptCount(ctx)
		completion, err := m.client.Chat.Completions.New(ctx, params)
		if err != nil {
			return nil, m.failed(ctx, int(attempts.Load()), err, openAIStatus(err))
		}
		return m.result(completion, req.StopSequences)
	})
}

// openAIStatus reads what the SDK's error says of an answer with an error
// status; nil for an error that came with none.
func openAIStatus(err error) *httpFailure {
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) {
		return nil
	}
	f := &httpFailure{status: apiErr.StatusCode, code: cmp.Or(apiErr.Code, apiErr.Type), message: apiErr.Message}
	if apiErr.Response != nil {
		f.header = apiErr.Response.Header
	}
	return f
}

// params maps a sampling request to a Chat Completions request.
func (m *OpenAIModel) params(req *mcp.CreateMessageWithToolsParams) (openai.ChatCompletionNewParams, error) {
	var p openai.ChatCompletionNewParams
	if req == nil {
		return p, errors.New("provider: a nil sampling request")
	}
	if len(req.Messages) == 0 {
		return p, errors.New("provider: a sampling request needs at least one message")
	}
	p.Model = m.model
	if req.SystemPrompt != "" {
		p.Messages = append(p.Messages, openai.SystemMessage(req.SystemPrompt))
	}
	for i, msg := range req.Messages {
		mapped, err := openAIMessages(msg)
		if err != nil {
			return p, fmt.Errorf("provider: message %d: %w", i, err)
		}
		p.Messages = append(p.Messages, mapped...)
	}

	if t, ok := sampling.Temperature(req); ok {
		p.Temperature = openai.Float(t)
	}
	maxTokens := req.MaxTokens
	if maxTokens <= 0 {
		maxTokens = DefaultMaxTokens
	}
	if m.ownAPI {
		p.MaxCompletionTokens = openai.Int(maxTokens)
	} else {
		p.MaxTokens = openai.Int(maxTokens)
	}
	if len(req.StopSequences) > 0 {
		p.Stop = openai.ChatCompletionNewParamsStopUnion{OfStringArray: req.StopSequences}
	}

	for _, tool := range req.Tools {
		if tool == nil {
			continue
		}
		def, err := functionDefinition(tool)
		if err != nil {
			return p, err
		}
		p.Tools = append(p.Tools, openai.ChatCompletionFunctionTool(def))
	}
	if req.ToolChoice != nil && req.ToolChoice.Mode != "" && len(p.Tools) > 0 {
		switch mode := req.ToolChoice.Mode; mode {
		case "auto", "required", "none":
			p.ToolChoice = openai.ChatCompletionToolChoiceOptionUnionParam{OfAuto: openai.String(mode)}
		default:
			return p, fmt.Errorf("provider: toolChoice mode %q is not auto, required or none", clip(mode, 64))
		}
	}

	if !m.ownAPI {
		p.Metadata = openAIMetadata(req.Metadata)
	}
	if raw, ok := req.Meta[sampling.OutputSchemaMetaKey]; ok {
		format, err := responseFormat(raw)
		if err != nil {
			return p, err
		}
		if format != nil {
			p.ResponseFormat = openai.ChatCompletionNewParamsResponseFormatUnion{OfJSONSchema: format}
		}
	}
	return p, nil
}

// openAIMessages maps one sampling message to the API's messages: one,
// or for a user message carrying tool results, a tool message for each
// before the user message with the rest.
func openAIMessages(msg *mcp.SamplingMessageV2) ([]openai.ChatCompletionMessageParamUnion, error) {
	if msg == nil {
		return nil, errors.New("a nil message")
	}
	switch msg.Role {
	case "assistant":
		a, err := assistantMessage(msg.Content)
		if err != nil {
			return nil, err
		}
		return []openai.ChatCompletionMessageParamUnion{{OfAssistant: a}}, nil
	case "user":
	default:
		return nil, fmt.Errorf("role %q is not user or assistant", clip(string(msg.Role), 64))
	}
	var out []openai.ChatCompletionMessageParamUnion
	var parts []openai.ChatCompletionContentPartUnionParam
	for _, c := range msg.Content {
		switch c := c.(type) {
		case *mcp.ToolResultContent:
			text, images, err := toolResult(c)
			if err != nil {
				return nil, err
			}
			out = append(out, openai.ToolMessage(text, c.ToolUseID))
			parts = append(parts, images...)
		default:
			part, err := userPart(c)
			if err != nil {
				return nil, err
			}
			parts = append(parts, part)
		}
	}
	if len(parts) > 0 || len(out) == 0 {
		if len(parts) == 0 {
			parts = []openai.ChatCompletionContentPartUnionParam{openai.TextContentPart("")}
		}
		out = append(out, userMessage(parts))
	}
	return out, nil
}

// userMessage sends a message of one text as a plain string, which every
// compatible server reads, and anything more as parts.
func userMessage(parts []openai.ChatCompletionContentPartUnionParam) openai.ChatCompletionMessageParamUnion {
	if len(parts) == 1 && parts[0].OfText != nil {
		return openai.UserMessage(parts[0].OfText.Text)
	}
	return openai.UserMessage(parts)
}

func userPart(c mcp.Content) (openai.ChatCompletionContentPartUnionParam, error) {
	switch c := c.(type) {
	case *mcp.TextContent:
		return openai.TextContentPart(c.Text), nil
	case *mcp.ImageContent:
		return imagePart(c)
	case *mcp.AudioContent:
		format, ok := audioFormats[strings.ToLower(c.MIMEType)]
		if !ok {
			return openai.ChatCompletionContentPartUnionParam{}, fmt.Errorf("audio of type %q: OpenAI takes wav or mp3", clip(c.MIMEType, 64))
		}
		return openai.InputAudioContentPart(openai.ChatCompletionContentPartInputAudioInputAudioParam{
			Data:   base64.StdEncoding.EncodeToString(c.Data),
			Format: format,
		}), nil
	case nil:
		return openai.ChatCompletionContentPartUnionParam{}, errors.New("a nil content block")
	}
	return openai.ChatCompletionContentPartUnionParam{}, fmt.Errorf("%T content cannot go in a user message to OpenAI", c)
}

var audioFormats = map[string]string{
	"audio/wav": "wav", "audio/x-wav": "wav", "audio/wave": "wav",
	"audio/mpeg": "mp3", "audio/mp3": "mp3",
}

func imagePart(c *mcp.ImageContent) (openai.ChatCompletionContentPartUnionParam, error) {
	mime := strings.ToLower(strings.TrimSpace(c.MIMEType))
	if !strings.HasPrefix(mime, "image/") || strings.ContainsAny(mime, ";, ") {
		return openai.ChatCompletionContentPartUnionParam{}, fmt.Errorf("image of type %q: an image needs an image/ MIME type, such as image/png", clip(c.MIMEType, 64))
	}
	return openai.ImageContentPart(openai.ChatCompletionContentPartImageImageURLParam{
		URL: "data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(c.Data),
	}), nil
}

// toolResult returns a tool result's text for its tool message, and its
// images for the user message that follows (tool messages take text only).
func toolResult(c *mcp.ToolResultContent) (string, []openai.ChatCompletionContentPartUnionParam, error) {
	if c.ToolUseID == "" {
		return "", nil, errors.New("a tool_result without the toolUseId of its tool_use")
	}
	var text strings.Builder
	var images []openai.ChatCompletionContentPartUnionParam
	for _, inner := range c.Content {
		switch inner := inner.(type) {
		case *mcp.TextContent:
			if text.Len() > 0 {
				text.WriteString("\n")
			}
			text.WriteString(inner.Text)
		case *mcp.ImageContent:
			img, err := imagePart(inner)
			if err != nil {
				return "", nil, fmt.Errorf("tool_result %s: %w", clip(c.ToolUseID, 64), err)
			}
			images = append(images, img)
		default:
			return "", nil, fmt.Errorf("tool_result %s: %T content cannot go to OpenAI", clip(c.ToolUseID, 64), inner)
		}
	}
	if text.Len() == 0 && c.StructuredContent != nil {
		b, err := json.Marshal(c.StructuredContent)
		if err != nil {
			return "", nil, fmt.Errorf("tool_result %s: structured content: %w", clip(c.ToolUseID, 64), err)
		}
		text.Write(b)
	}
	if c.IsError {
		return "Error: " + text.String(), images, nil
	}
	return text.String(), images, nil
}

// assistantMessage maps an assistant's text and tool calls; the API takes
// nothing else from an assistant.
func assistantMessage(content []mcp.Content) (*openai.ChatCompletionAssistantMessageParam, error) {
	a := &openai.ChatCompletionAssistantMessageParam{}
	var text strings.Builder
	hasText := false
	for _, c := range content {
		switch c := c.(type) {
		case *mcp.TextContent:
			if hasText {
				text.WriteString("\n")
			}
			text.WriteString(c.Text)
			hasText = true
		case *mcp.ToolUseContent:
			if c.ID == "" || c.Name == "" {
				return nil, errors.New("a tool_use needs an id and a name")
			}
			input := c.Input
			if input == nil {
				input = map[string]any{}
			}
			args, err := json.Marshal(input)
			if err != nil {
				return nil, fmt.Errorf("tool_use %s: input: %w", clip(c.ID, 64), err)
			}
			a.ToolCalls = append(a.ToolCalls, openai.ChatCompletionMessageToolCallUnionParam{
				OfFunction: &openai.ChatCompletionMessageFunctionToolCallParam{
					ID:       c.ID,
					Function: openai.ChatCompletionMessageFunctionToolCallFunctionParam{Name: c.Name, Arguments: string(args)},
				},
			})
		case nil:
			return nil, errors.New("a nil content block")
		default:
			return nil, fmt.Errorf("%T content cannot go in an assistant message to OpenAI", c)
		}
	}
	if hasText || len(a.ToolCalls) == 0 {
		a.Content = openai.ChatCompletionAssistantMessageParamContentUnion{OfString: openai.String(text.String())}
	}
	return a, nil
}

// functionDefinition maps an MCP tool to a function tool. Tools are not
// sent strict: strict function calling turns parallel calls off, and many
// compatible servers do not know the flag.
func functionDefinition(t *mcp.Tool) (shared.FunctionDefinitionParam, error) {
	def := shared.FunctionDefinitionParam{Name: t.Name}
	if t.Name == "" {
		return def, errors.New("provider: a tool without a name")
	}
	if t.Description != "" {
		def.Description = openai.String(t.Description)
	}
	params := map[string]any{"type": "object", "properties": map[string]any{}}
	if t.InputSchema != nil {
		obj, err := jsonObject(t.InputSchema)
		if err != nil {
			return def, fmt.Errorf("provider: tool %s: input schema: %w", clip(t.Name, 64), err)
		}
		params = obj
	}
	def.Parameters = params
	return def, nil
}

// OpenAI's bounds on metadata.
const (
	maxMetadataKeys  = 16
	maxMetadataKey   = 64
	maxMetadataValue = 512
)

// openAIMetadata keeps what of a request's metadata fits OpenAI's: string
// keys and values within its bounds, the first keys in sorted order.
func openAIMetadata(md any) shared.Metadata {
	if md == nil {
		return nil
	}
	obj, err := jsonObject(md)
	if err != nil {
		return nil
	}
	out := shared.Metadata{}
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		if len(out) == maxMetadataKeys {
			break
		}
		if k == "" || len(k) > maxMetadataKey {
			continue
		}
		var s string
		switch x := obj[k].(type) {
		case nil:
			continue
		case string:
			s = x
		case bool:
			s = strconv.FormatBool(x)
		default:
			b, err := json.Marshal(x)
			if err != nil {
				continue
			}
			s = string(b)
		}
		if len(s) > maxMetadataValue {
			continue // a cut value would say something else
		}
		out[k] = s
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// responseFormat maps an output schema to a json_schema response format,
// strict where OpenAI's rules allow; nil where the root is not an object.
func responseFormat(raw any) (*shared.ResponseFormatJSONSchemaParam, error) {
	v, err := jsonValue(raw)
	if err != nil {
		return nil, fmt.Errorf("provider: the request's output schema (%s) is not JSON: %w", sampling.OutputSchemaMetaKey, err)
	}
	root, ok := v.(map[string]any)
	if !ok || root["type"] != "object" {
		return nil, nil
	}
	schema := make(map[string]any, len(root))
	for k, v := range root {
		if k != "$schema" && k != "$id" { // annotations OpenAI has no use for
			schema[k] = v
		}
	}
	name := "output"
	if title, ok := schema["title"].(string); ok {
		if n := schemaName.ReplaceAllString(title, "_"); n != "" && len(n) <= 64 {
			name = n
		}
	}
	return &shared.ResponseFormatJSONSchemaParam{
		JSONSchema: shared.ResponseFormatJSONSchemaJSONSchemaParam{
			Name:   name,
			Schema: schema,
			Strict: openai.Bool(strictSchema(schema)),
		},
	}, nil
}

var schemaName = regexp.MustCompile(`[^a-zA-Z0-9_-]+`)

// OpenAI's bounds on a strict schema.
const (
	maxStrictObjectDepth = 10
	maxStrictProperties  = 5000
	maxStrictEnum        = 1000
	maxSchemaDepth       = 64 // a deeper schema is not walked at all
)

// strictKeywords are the keywords a strict schema may use, by OpenAI's
// structured outputs guide; any other makes the schema non-strict.
var strictKeywords = map[string]bool{
	"type": true, "properties": true, "required": true, "additionalProperties": true,
	"items": true, "enum": true, "const": true, "anyOf": true,
	"$ref": true, "$defs": true, "definitions": true,
	"description": true, "title": true,
	"pattern": true, "format": true,
	"minimum": true, "maximum": true, "exclusiveMinimum": true, "exclusiveMaximum": true, "multipleOf": true,
	"minItems": true, "maxItems": true,
}

// strictFormats are the string formats a strict schema may name.
var strictFormats = map[string]bool{
	"date-time": true, "time": true, "date": true, "duration": true, "email": true,
	"hostname": true, "ipv4": true, "ipv6": true, "uuid": true,
}

// strictSchema reports whether OpenAI accepts schema with strict true.
func strictSchema(schema map[string]any) bool {
	props := 0
	return strictNode(schema, 0, 0, &props)
}

func strictNode(v any, depth, objects int, props *int) bool {
	s, ok := v.(map[string]any)
	if !ok || depth > maxSchemaDepth {
		return false
	}
	isObject := false
	for k, val := range s {
		if !strictKeywords[k] {
			return false
		}
		switch k {
		case "type":
			switch t := val.(type) {
			case string:
				isObject = isObject || t == "object"
			case []any:
				for _, x := range t {
					isObject = isObject || x == "object"
				}
			default:
				return false
			}
		case "format":
			if f, _ := val.(string); !strictFormats[f] {
				return false
			}
		case "enum":
			if e, ok := val.([]any); !ok || len(e) > maxStrictEnum {
				return false
			}
		case "additionalProperties":
			if val != false {
				return false
			}
		case "items":
			if !strictNode(val, depth+1, objects, props) {
				return false
			}
		case "anyOf":
			alts, ok := val.([]any)
			if !ok {
				return false
			}
			for _, alt := range alts {
				if !strictNode(alt, depth+1, objects, props) {
					return false
				}
			}
		case "$defs", "definitions":
			defs, ok := val.(map[string]any)
			if !ok {
				return false
			}
			for _, d := range defs {
				if !strictNode(d, depth+1, 0, props) {
					return false
				}
			}
		}
	}
	properties, hasProps := s["properties"].(map[string]any)
	if _, ok := s["properties"]; ok && !hasProps {
		return false
	}
	if !isObject && !hasProps {
		return true
	}
	// An object: closed, every property required, within the bounds.
	if s["additionalProperties"] != false || objects+1 > maxStrictObjectDepth {
		return false
	}
	*props += len(properties)
	if *props > maxStrictProperties {
		return false
	}
	required := map[string]bool{}
	if list, ok := s["required"].([]any); ok {
		for _, r := range list {
			if name, ok := r.(string); ok {
				required[name] = true
			}
		}
	}
	for name, p := range properties {
		if !required[name] || !strictNode(p, depth+1, objects+1, props) {
			return false
		}
	}
	return true
}

// result maps a completion to a sampling result.
func (m *OpenAIModel) result(c *openai.ChatCompletion, stops []string) (*mcp.CreateMessageWithToolsResult, error) {
	if len(c.Choices) == 0 {
		return nil, &Error{Provider: m.name, msg: fmt.Sprintf("provider: %s answered with no choices", m.where())}
	}
	choice := c.Choices[0]
	msg := choice.Message
	res := &mcp.CreateMessageWithToolsResult{
		Role:  "assistant",
		Model: cmp.Or(clip(c.Model, 256), m.model),
	}
	var calls []mcp.Content
	var unparsed strings.Builder
	for _, call := range msg.ToolCalls {
		if call.Type != "" && call.Type != "function" {
			continue // a custom tool: samplegen offers none
		}
		var input map[string]any
		if err := json.Unmarshal([]byte(call.Function.Arguments), &input); err != nil || input == nil {
			unparsed.WriteString(call.Function.Arguments)
			continue
		}
		calls = append(calls, &mcp.ToolUseContent{ID: call.ID, Name: call.Function.Name, Input: input})
	}
	text := msg.Content + unparsed.String()
	switch {
	case msg.Refusal != "" && len(calls) == 0:
		// A refusal, as the Anthropic adapter reports one: a client handler
		// passes it on as MCP's refusal, and a server goes to its
		// fallbacks instead of re-asking a model that will refuse again.
		return nil, sampling.ModelRefused(clip(cmp.Or(res.Model, m.model)+" refused to answer: "+msg.Refusal, maxProviderMessage), openAIUsage(c))
	default:
		if text != "" || len(calls) == 0 {
			res.Content = append(res.Content, &mcp.TextContent{Text: text})
		}
		res.Content = append(res.Content, calls...)
		res.StopReason = stopReason(choice, len(calls) > 0, stops)
	}
	if c.JSON.Usage.Valid() {
		sampling.SetUsage(res, openAIUsage(c))
	}
	return res, nil
}

// stopReason maps a finish reason to MCP's words. A forced tool call ends
// with "stop" on OpenAI's API, so tool calls decide toolUse, unless the
// answer was cut.
func stopReason(choice openai.ChatCompletionChoice, called bool, stops []string) string {
	switch choice.FinishReason {
	case "length":
		return "maxTokens"
	case "content_filter":
		return "contentFilter"
	}
	if called {
		return "toolUse"
	}
	switch choice.FinishReason {
	case "stop", "", "tool_calls", "function_call":
		// vLLM names the stop string that ended the answer.
		if f, ok := choice.JSON.ExtraFields["stop_reason"]; ok && len(stops) > 0 {
			var s string
			if json.Unmarshal([]byte(f.Raw()), &s) == nil && slices.Contains(stops, s) {
				return "stopSequence"
			}
		}
		return "endTurn"
	}
	return clip(choice.FinishReason, 64)
}

// openAIUsage is the tokens a completion reports.
func openAIUsage(c *openai.ChatCompletion) sampling.Usage {
	return sampling.Usage{InputTokens: max(c.Usage.PromptTokens, 0), OutputTokens: max(c.Usage.CompletionTokens, 0)}
}
