package host

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/sampling"
)

// maxLoggedError bounds an error in a log line: errors may quote a peer.
const maxLoggedError = 512

// Log logs every request that reaches it, once it is done, to logger: the
// server, and the model, stop reason and tokens of an answer (INFO), the
// reason for a refusal (WARN), or the error of a failure (ERROR). Put it
// first in a chain to see the refusals of every policy after it, with
// their causes: the server hears a hook's failure only as a refusal.
func Log(logger *slog.Logger) Middleware {
	if logger == nil {
		panic("host: Log(nil): give a *slog.Logger")
	}
	return func(next sampling.Sampler) sampling.Sampler {
		return sampling.SamplerFunc(func(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
			start := time.Now()
			res, err := next.CreateMessage(ctx, req)
			attrs := []slog.Attr{
				slog.String("server", clip(ServerOf(ctx).Name)),
				slog.Int64("maxTokens", req.MaxTokens),
				slog.Duration("took", time.Since(start)),
			}
			var refusal *sampling.RefusalError
			switch {
			case errors.As(err, &refusal):
				attrs = append(attrs, slog.String("reason", sampling.Clip(refusal.Reason, maxLoggedError)))
				if refusal.RetryAfter > 0 {
					attrs = append(attrs, slog.Duration("retryAfter", refusal.RetryAfter))
				}
				if msg := err.Error(); msg != refusal.Error() { // a cause beside the refusal
					attrs = append(attrs, slog.String("error", sampling.Clip(msg, maxLoggedError)))
				}
				logger.LogAttrs(ctx, slog.LevelWarn, "sampling request refused", attrs...)
			case err != nil:
				attrs = append(attrs, slog.String("error", sampling.Clip(err.Error(), maxLoggedError)))
				logger.LogAttrs(ctx, slog.LevelError, "sampling request failed", attrs...)
			case res == nil: // a Sampler's bug: logged, and passed on as it came
				attrs = append(attrs, slog.String("error", "the sampler returned neither a result nor an error"))
				logger.LogAttrs(ctx, slog.LevelError, "sampling request failed", attrs...)
			default:
				attrs = append(attrs, slog.String("model", clip(res.Model)), slog.String("stopReason", clip(res.StopReason)))
				if u, ok := sampling.UsageOf(res); ok {
					attrs = append(attrs, slog.Int64("inputTokens", u.InputTokens), slog.Int64("outputTokens", u.OutputTokens))
				}
				logger.LogAttrs(ctx, slog.LevelInfo, "sampling request answered", attrs...)
			}
			return res, err
		})
	}
}
