package provider

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/sampling"
)

// The Anthropic SDK's own variables, which [NewAnthropic] reads.
const (
	EnvAnthropicKey       = "ANTHROPIC_API_KEY"
	EnvAnthropicAuthToken = "ANTHROPIC_AUTH_TOKEN"
	EnvAnthropicBaseURL   = "ANTHROPIC_BASE_URL"
)

// anthropicVendor names Anthropic's API and its variables in errors.
var anthropicVendor = vendor{name: "Anthropic", keyEnv: EnvAnthropicKey, baseURLEnv: EnvAnthropicBaseURL, defaultBaseURL: "https://api.anthropic.com"}

// An AnthropicModel answers sampling requests with Anthropic's Messages API
// (non-streaming), through the official SDK. Make one with [NewAnthropic].
//
// How each field of a sampling request reaches the API:
//
//   - messages: text, base64 images (JPEG, PNG, GIF, WebP), tool_use in
//     assistant messages and tool_result in user messages (a result's
//     structured content is sent as JSON text where it has no content);
//     audio is refused, as the Messages API reads none;
//   - systemPrompt: the system prompt;
//   - maxTokens: max_tokens, [DefaultMaxTokens] where the request gives
//     none (the API requires one);
//   - stopSequences: stop_sequences;
//   - tools and toolChoice: tools with their input schemas, and tool_choice
//     auto, any (MCP's "required") or none;
//   - metadata: Anthropic's metadata has only user_id, so a "user_id"
//     string in the request's metadata is sent and its other keys are not;
//   - the output schema in _meta ([sampling.OutputSchemaMetaKey]):
//     output_config.format json_schema (structured output), the schema
//     first made fit for it by the SDK (constraints the API does not
//     enforce move into descriptions; the caller still checks the answer);
//   - temperature is not sent, 0 or not: API version 2026-10-21, which
//     this SDK speaks, removed temperature, top_p and top_k and answers 400
//     to a request that has one, whatever its value;
//   - modelPreferences and includeContext are not sent: the adapter answers
//     with its configured model, and choosing among models, like deciding
//     what context to include, is the client handler's job.
//
// The result has the answer's text and tool_use blocks (thinking blocks are
// left out), the model the API names, MCP's stop reason (end_turn →
// endTurn, max_tokens and model_context_window_exceeded → maxTokens,
// stop_sequence → stopSequence, tool_use → toolUse; any other passes as
// the API words it) and the tokens read
// (cached or not) and written in its _meta ([sampling.UsageOf]). A refusal
// (stop_reason refusal) is returned as a [sampling.RefusalError] naming the
// model and its reason, which a client handler passes on as MCP's refusal.
//
// Failures are [*Error]s, worded as the package doc says: a rejected key
// names where it came from (Config.APIKey, ANTHROPIC_API_KEY or
// ANTHROPIC_AUTH_TOKEN), a rate limit wraps a [sampling.RefusalError] with
// the wait to honour. Rate limits (honouring Retry-After up to 20s and the
// caller's deadline), 5xx answers (529, "overloaded", included) and
// attempts that outlast Config.RequestTimeout are retried Config.MaxRetries
// times; cancelling the context ends the HTTP request. It is safe for
// concurrent use.
type AnthropicModel struct {
	endpoint // the model, where it is served, the key's source, each attempt's timeout
	client   anthropic.Client
}

// NewAnthropic returns the adapter for Anthropic's Messages API. The key is
// c.APIKey, else ANTHROPIC_API_KEY, else ANTHROPIC_AUTH_TOKEN (sent as a
// bearer token); the address is c.BaseURL, else ANTHROPIC_BASE_URL, else
// Anthropic's. The SDK's other sources of credentials (profiles,
// federation) are not read, so that what answers is what the
// configuration says.
func NewAnthropic(c Config) (*AnthropicModel, error) {
	model := strings.TrimSpace(c.Model)
	if model == "" {
		return nil, noModel(Anthropic)
	}
	m := &AnthropicModel{endpoint: endpoint{
		vendor:  anthropicVendor,
		model:   model,
		baseURL: cmp.Or(strings.TrimSpace(c.BaseURL), strings.TrimSpace(os.Getenv(EnvAnthropicBaseURL))),
		attempt: c.requestTimeout(),
		tel:     c.telemetry(),
	}}
	opts := []option.RequestOption{
		option.WithoutEnvironmentDefaults(),
		option.WithMaxRetries(c.maxRetries()),
		// guardAttempts times each attempt out. The SDK's own timeout is
		// set only so that it chooses none of its own: for a request it
		// guesses may take over 10 minutes (a large max_tokens) it would
		// refuse to send a non-streaming request at all.
		option.WithRequestTimeout(24 * time.Hour),
		option.WithMiddleware(guardAttempts(m.attempt)),
	}
	key, keyFrom := strings.TrimSpace(c.APIKey), configAPIKey
	if key == "" {
		key, keyFrom = strings.TrimSpace(os.Getenv(EnvAnthropicKey)), EnvAnthropicKey
	}
	switch token := strings.TrimSpace(os.Getenv(EnvAnthropicAuthToken)); {
	case key != "":
		opts = append(opts, option.WithAPIKey(key))
		m.keyFrom = keyFrom
	case token != "":
		opts = append(opts, option.WithAuthToken(token))
		m.keyFrom = EnvAnthropicAuthToken
	default:
		return nil, fmt.Errorf("provider: no Anthropic API key: set %s (or Config.APIKey)", EnvAnthropicKey)
	}
	if m.baseURL != "" {
		if _, err := parseBaseURL(m.baseURL, EnvAnthropicBaseURL, "https://api.anthropic.com"); err != nil {
			return nil, err
		}
		opts = append(opts, option.WithBaseURL(m.baseURL))
	}
	if c.HTTPClient != nil {
		opts = append(opts, option.WithHTTPClient(c.HTTPClient))
	}
	m.client = anthropic.NewClient(opts...)
	return m, nil
}

// Model returns the model the adapter asks for.
func (m *AnthropicModel) Model() string { return m.model }

// CreateMessage asks the model for one answer to req.
func (m *AnthropicModel) CreateMessage(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
	if req == nil {
		return nil, errors.New("provider: anthropic: no sampling request")
	}
	params, err := m.anthropicParams(req)
	if err != nil {
		return nil, err
	}
	return m.traced(ctx, req, func(ctx context.Context) (*mcp.CreateMessageWithToolsResult, error) {
		ctx, attempts := withAttemptCount(ctx)
		msg, err := m.client.Messages.New(ctx, params)
		if err != nil {
			return nil, m.failed(ctx, int(attempts.Load()), err, anthropicStatus(err))
		}
		return m.result(msg)
	})
}

// anthropicParams maps a sampling request onto the Messages API's.
func (m *AnthropicModel) anthropicParams(req *mcp.CreateMessageWithToolsParams) (anthropic.MessageNewParams, error) {
	p := anthropic.MessageNewParams{
		Model:         anthropic.Model(m.model),
		MaxTokens:     req.MaxTokens,
		StopSequences: req.StopSequences,
	}
	if p.MaxTokens <= 0 {
		p.MaxTokens = DefaultMaxTokens
	}
	if req.SystemPrompt != "" {
		p.System = []anthropic.TextBlockParam{{Text: req.SystemPrompt}}
	}
	if len(req.Messages) == 0 {
		return p, errors.New("provider: anthropic: the sampling request has no messages")
	}
	for i, msg := range req.Messages {
		if msg == nil {
			return p, fmt.Errorf("provider: anthropic: message %d is null", i)
		}
		blocks, err := anthropicBlocks(msg.Content)
		if err != nil {
			return p, fmt.Errorf("provider: anthropic: message %d: %w", i, err)
		}
		if len(blocks) == 0 {
			return p, fmt.Errorf("provider: anthropic: message %d has no content to send", i)
		}
		switch msg.Role {
		case "user":
			p.Messages = append(p.Messages, anthropic.NewUserMessage(blocks...))
		case "assistant":
			p.Messages = append(p.Messages, anthropic.NewAssistantMessage(blocks...))
		default:
			return p, fmt.Errorf("provider: anthropic: message %d has role %.40q: want user or assistant", i, msg.Role)
		}
	}
	for _, t := range req.Tools {
		tool, err := anthropicTool(t)
		if err != nil {
			return p, err
		}
		p.Tools = append(p.Tools, anthropic.ToolUnionParam{OfTool: tool})
	}
	if req.ToolChoice != nil {
		switch req.ToolChoice.Mode {
		case "":
		case "auto":
			p.ToolChoice.OfAuto = &anthropic.ToolChoiceAutoParam{}
		case "required":
			if len(req.Tools) == 0 {
				return p, errors.New("provider: anthropic: toolChoice is required but the request has no tools")
			}
			p.ToolChoice.OfAny = &anthropic.ToolChoiceAnyParam{}
		case "none":
			p.ToolChoice.OfNone = &anthropic.ToolChoiceNoneParam{}
		default:
			return p, fmt.Errorf("provider: anthropic: toolChoice mode %.40q: want auto, required or none", req.ToolChoice.Mode)
		}
	}
	if user := metadataUserID(req.Metadata); user != "" {
		p.Metadata.UserID = anthropic.String(user)
	}
	if raw, ok := req.Meta[sampling.OutputSchemaMetaKey]; ok {
		schema, err := jsonObject(raw)
		if err != nil {
			return p, fmt.Errorf("provider: anthropic: the output schema in _meta[%q]: %w", sampling.OutputSchemaMetaKey, err)
		}
		// The SDK's transform makes a schema fit structured output
		// (additionalProperties false, supported keywords only); it has it
		// for the beta type only, whose Schema is the same map.
		if fit, ok := anthropic.BetaJSONSchemaOutputFormat(schema).Schema.(map[string]any); ok && fit != nil {
			p.OutputConfig.Format = anthropic.JSONOutputFormatParam{Schema: fit}
		}
	}
	return p, nil
}

// anthropicBlocks maps one message's MCP content onto Anthropic's blocks.
// Empty text is left out: the API refuses empty text blocks.
func anthropicBlocks(content []mcp.Content) ([]anthropic.ContentBlockParamUnion, error) {
	var blocks []anthropic.ContentBlockParamUnion
	for _, c := range content {
		switch c := c.(type) {
		case *mcp.TextContent:
			if c.Text != "" {
				blocks = append(blocks, anthropic.NewTextBlock(c.Text))
			}
		case *mcp.ImageContent:
			mime, err := imageType(c.MIMEType)
			if err != nil {
				return nil, err
			}
			blocks = append(blocks, anthropic.NewImageBlockBase64(mime, base64.StdEncoding.EncodeToString(c.Data)))
		case *mcp.ToolUseContent:
			input := c.Input
			if input == nil {
				input = map[string]any{}
			}
			blocks = append(blocks, anthropic.NewToolUseBlock(c.ID, input, c.Name))
		case *mcp.ToolResultContent:
			result, err := anthropicToolResult(c)
			if err != nil {
				return nil, err
			}
			blocks = append(blocks, anthropic.ContentBlockParamUnion{OfToolResult: result})
		case *mcp.AudioContent:
			return nil, errors.New("audio content: Anthropic's Messages API reads no audio")
		default:
			return nil, fmt.Errorf("%T content cannot be sent to Anthropic", c)
		}
	}
	return blocks, nil
}

func anthropicToolResult(c *mcp.ToolResultContent) (*anthropic.ToolResultBlockParam, error) {
	r := &anthropic.ToolResultBlockParam{ToolUseID: c.ToolUseID}
	if c.IsError {
		r.IsError = anthropic.Bool(true)
	}
	for _, inner := range c.Content {
		switch inner := inner.(type) {
		case *mcp.TextContent:
			if inner.Text != "" {
				r.Content = append(r.Content, anthropic.ToolResultBlockParamContentUnion{OfText: &anthropic.TextBlockParam{Text: inner.Text}})
			}
		case *mcp.ImageContent:
			mime, err := imageType(inner.MIMEType)
			if err != nil {
				return nil, fmt.Errorf("tool result %.80q: %w", c.ToolUseID, err)
			}
			img := anthropic.NewImageBlockBase64(mime, base64.StdEncoding.EncodeToString(inner.Data)).OfImage
			r.Content = append(r.Content, anthropic.ToolResultBlockParamContentUnion{OfImage: img})
		default:
			return nil, fmt.Errorf("tool result %.80q: %T content cannot be sent to Anthropic", c.ToolUseID, inner)
		}
	}
	if len(r.Content) == 0 && c.StructuredContent != nil {
		b, err := json.Marshal(c.StructuredContent)
		if err != nil {
			return nil, fmt.Errorf("tool result %.80q: structured content: %w", c.ToolUseID, err)
		}
		r.Content = append(r.Content, anthropic.ToolResultBlockParamContentUnion{OfText: &anthropic.TextBlockParam{Text: string(b)}})
	}
	return r, nil
}

// imageType checks that Anthropic reads images of type mime.
func imageType(mime string) (string, error) {
	switch mime {
	case "image/jpeg", "image/png", "image/gif", "image/webp":
		return mime, nil
	}
	return "", fmt.Errorf("image of type %.40q: Anthropic reads image/jpeg, image/png, image/gif and image/webp", mime)
}

// anthropicTool maps an MCP tool onto Anthropic's, whose input schema is an
// object schema with its properties and required list apart.
func anthropicTool(t *mcp.Tool) (*anthropic.ToolParam, error) {
	if t == nil || t.Name == "" {
		return nil, errors.New("provider: anthropic: a tool has no name")
	}
	schema := map[string]any{}
	if t.InputSchema != nil {
		var err error
		if schema, err = jsonObject(t.InputSchema); err != nil {
			return nil, fmt.Errorf("provider: anthropic: tool %.80q input schema: %w", t.Name, err)
		}
	}
	if typ, ok := schema["type"]; ok && typ != "object" {
		return nil, fmt.Errorf("provider: anthropic: tool %.80q input schema has type %v: Anthropic wants an object schema", t.Name, typ)
	}
	in := anthropic.ToolInputSchemaParam{Properties: schema["properties"]}
	if req, ok := schema["required"].([]any); ok {
		for _, r := range req {
			if s, ok := r.(string); ok {
				in.Required = append(in.Required, s)
			}
		}
	}
	for k, v := range schema {
		switch k {
		case "type", "properties", "required":
		default:
			if in.ExtraFields == nil {
				in.ExtraFields = map[string]any{}
			}
			in.ExtraFields[k] = v
		}
	}
	tool := &anthropic.ToolParam{Name: t.Name, InputSchema: in}
	if t.Description != "" {
		tool.Description = anthropic.String(t.Description)
	}
	return tool, nil
}

// metadataUserID returns the "user_id" string of a request's metadata, the
// one key Anthropic's metadata has.
func metadataUserID(metadata any) string {
	if metadata == nil {
		return ""
	}
	m, err := jsonObject(metadata)
	if err != nil {
		return ""
	}
	id, _ := m["user_id"].(string)
	return id
}

// result maps the API's message onto a sampling result.
func (m *AnthropicModel) result(msg *anthropic.Message) (*mcp.CreateMessageWithToolsResult, error) {
	model := cmp.Or(string(msg.Model), m.model)
	if msg.StopReason == anthropic.StopReasonRefusal {
		reason := model + " refused to answer"
		if d := msg.StopDetails; d.Explanation != "" || d.Category != "" {
			reason += fmt.Sprintf(" (%s: %s)", cmp.Or(string(d.Category), "no category"), d.Explanation)
		}
		return nil, sampling.ModelRefused(clip(reason, maxProviderMessage), anthropicUsage(msg.Usage))
	}
	res := &mcp.CreateMessageWithToolsResult{Role: "assistant", Model: model}
	for _, b := range msg.Content {
		switch b.Type {
		case "text":
			res.Content = append(res.Content, &mcp.TextContent{Text: b.Text})
		case "tool_use":
			input := map[string]any{}
			if len(b.Input) > 0 {
				if err := json.Unmarshal(b.Input, &input); err != nil || input == nil {
					return nil, fmt.Errorf("provider: anthropic: %s called tool %.80q with input that is no JSON object", model, b.Name)
				}
			}
			res.Content = append(res.Content, &mcp.ToolUseContent{ID: b.ID, Name: b.Name, Input: input})
		}
		// Thinking and redacted thinking are the model's own; server tool
		// blocks cannot come back, as no server tool is sent.
	}
	if len(res.Content) == 0 {
		res.Content = []mcp.Content{&mcp.TextContent{}}
	}
	switch msg.StopReason {
	case anthropic.StopReasonEndTurn:
		res.StopReason = "endTurn"
	case anthropic.StopReasonMaxTokens, anthropic.StopReasonModelContextWindowExceeded:
		res.StopReason = "maxTokens"
	case anthropic.StopReasonStopSequence:
		res.StopReason = "stopSequence"
	case anthropic.StopReasonToolUse:
		res.StopReason = "toolUse"
	default:
		res.StopReason = clip(string(msg.StopReason), 64)
	}
	sampling.SetUsage(res, anthropicUsage(msg.Usage))
	return res, nil
}

// anthropicUsage is the tokens a message reports, cached input included.
func anthropicUsage(u anthropic.Usage) sampling.Usage {
	return sampling.Usage{
		InputTokens:  u.InputTokens + u.CacheCreationInputTokens + u.CacheReadInputTokens,
		OutputTokens: u.OutputTokens,
	}
}

// anthropicStatus reads what the SDK's error says of an answer with an
// error status; nil for an error that came with none.
func anthropicStatus(err error) *httpFailure {
	var apiErr *anthropic.Error
	if !errors.As(err, &apiErr) {
		return nil
	}
	f := &httpFailure{status: apiErr.StatusCode, code: string(apiErr.Type()), message: apiErr.Message}
	if apiErr.Response != nil {
		f.header = apiErr.Response.Header
	}
	return f
}
