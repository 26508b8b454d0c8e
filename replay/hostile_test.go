package replay_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/replay"
	"github.com/samplegen/samplegen/sampling"
)

// goodLine is one valid exchange, as the recorder writes it.
func goodLine(t *testing.T, maxTokens int64) string {
	t.Helper()
	var b bytes.Buffer
	rec := replay.NewRecorder(&b, "x")
	req := requests()["base"]
	req.MaxTokens = maxTokens
	if _, err := rec.Wrap(&model{}).CreateMessage(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// maxErrorLen bounds every error a file can cause.
const maxErrorLen = 1024

// Files that are not replay files fail with ErrMalformed, naming the line,
// in an error of bounded length whatever the line holds.
func TestMalformedFiles(t *testing.T) {
	good := goodLine(t, 50)
	req := `{"maxTokens":5,"messages":[{"role":"user","content":{"type":"text","text":"hi"}}]}`
	for _, tc := range []struct {
		name, file, want string
	}{
		{"not JSON", "hello\n", "x.jsonl:1: not a replay exchange"},
		{"binary", "\x00\x01\xff\xfe\n", "x.jsonl:1: not a replay exchange"},
		{"array", "[1,2]\n", "x.jsonl:1: not a replay exchange"},
		{"no version", "{}\n", `x.jsonl:1: not a replay exchange: it has no "version"`},
		{"newer version", `{"version":2,"request":` + req + `,"result":{}}` + "\n", "x.jsonl:1: format version 2"},
		{"no request", `{"version":1,"result":{}}` + "\n", `has no "request"`},
		{"null request", `{"version":1,"request":null,"result":{}}` + "\n", `has no "request"`},
		{"neither", `{"version":1,"request":` + req + `}` + "\n", `a "result" or an "error", and not both`},
		{"both", `{"version":1,"request":` + req + `,"result":{"model":"m","role":"assistant","content":{"type":"text","text":"x"}},"error":{"message":"x"}}` + "\n", "and not both"},
		{"request not a request", `{"version":1,"request":"hi","result":{}}` + "\n", "its request is not a sampling request"},
		{"bad message content", `{"version":1,"request":{"messages":[{"role":"user","content":{"type":"` + strings.Repeat("A", 100000) + `"}}]},"result":{}}` + "\n", "its request is not a sampling request"},
		{"bad result content", `{"version":1,"request":` + req + `,"result":{"content":{"type":"tool_result"}}}` + "\n", "its result is not a sampling result"},
		{"deep nesting", `{"version":1,"request":` + strings.Repeat("[", 200000) + "\n", "x.jsonl:1: not a replay exchange"},
		{"long garbage", strings.Repeat("garbage ", 1<<17) + "\n", "x.jsonl:1: not a replay exchange"},
		{"bad line among good ones", good + "\n" + good[:40] + good + "\n" + good + "\n", "x.jsonl:2: not a replay exchange"},
		{"bad line after a blank one", good + "\n\n" + "{\n", "x.jsonl:3: not a replay exchange"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := replay.Read(strings.NewReader(tc.file), "x.jsonl")
			if !errors.Is(err, replay.ErrMalformed) || errors.Is(err, replay.ErrCutShort) {
				t.Fatalf("got %v, want ErrMalformed and not ErrCutShort", clipped(err))
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q lacks %q", clipped(err), tc.want)
			}
			if len(err.Error()) > maxErrorLen {
				t.Errorf("error is %d bytes, want at most %d", len(err.Error()), maxErrorLen)
			}
		})
	}
}

func clipped(err error) string {
	if err == nil {
		return "<nil>"
	}
	s := err.Error()
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}

// A recorder killed mid-write leaves a last line with no newline that is
// not an exchange: that is reported as such, with what to do. A last line
// that is whole but lacks its newline (edited by hand) is fine, and so are
// blank lines and CRLF line ends.
func TestCutShortLastLine(t *testing.T) {
	good := goodLine(t, 50)
	other := goodLine(t, 60)
	_, err := replay.Read(strings.NewReader(good+"\n"+other+"\n"+other[:len(other)/2]), "x.jsonl")
	if !errors.Is(err, replay.ErrCutShort) || !errors.Is(err, replay.ErrMalformed) {
		t.Fatalf("got %v, want ErrCutShort", err)
	}
	for _, part := range []string{"x.jsonl:3 stops after", "no newline", "delete that line and record its exchange again"} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("error %q lacks %q", err, part)
		}
	}
	p, err := replay.Read(strings.NewReader(good+"\r\n\n  \n"+other), "x.jsonl")
	if err != nil || p.Remaining() != 2 {
		t.Errorf("a whole last line without newline, blank lines, CRLF: %v, %d exchanges", err, p.Remaining())
	}
}

// A line longer than MaxLineBytes is refused without holding more than
// that of it.
func TestLineTooLong(t *testing.T) {
	huge := io.LimitReader(repeat('x'), replay.MaxLineBytes+100)
	_, err := replay.Read(io.MultiReader(strings.NewReader(goodLine(t, 50)+"\n"), huge), "x.jsonl")
	if !errors.Is(err, replay.ErrMalformed) || !strings.Contains(err.Error(), "x.jsonl:2: the line is longer than 32 MiB") {
		t.Errorf("got %v", clipped(err))
	}
}

type repeat byte

func (r repeat) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

// Reading costs in proportion to the file: twice the exchanges, about
// twice the allocations (counted, not timed).
func TestReadIsLinear(t *testing.T) {
	var lines []string
	for i := range 400 {
		lines = append(lines, goodLine(t, int64(i+1)))
	}
	allocs := func(n int) float64 {
		file := strings.Join(lines[:n], "\n") + "\n"
		return testing.AllocsPerRun(3, func() {
			if _, err := replay.Read(strings.NewReader(file), "x"); err != nil {
				t.Fatal(err)
			}
		})
	}
	small, large := allocs(200), allocs(400)
	if ratio := large / small; ratio > 2.2 {
		t.Errorf("reading 400 exchanges allocates %.0f times, 200 %.0f: ratio %.2f, want about 2", large, small, ratio)
	}
}

// Numbers a float holds only roughly still make a key, and match themselves.
func TestOutlandishNumbers(t *testing.T) {
	var b bytes.Buffer
	rec := replay.NewRecorder(&b, "x")
	req := &mcp.CreateMessageWithToolsParams{
		MaxTokens: 5,
		Messages:  []*mcp.SamplingMessageV2{{Role: "user", Content: []mcp.Content{&mcp.TextContent{Text: "hi"}}}},
		Tools:     []*mcp.Tool{{Name: "t", InputSchema: json.RawMessage(`{"type":"object","maximum":1.5e300,"minimum":-123456789012345678901234567890}`)}},
	}
	if _, err := rec.Wrap(&model{}).CreateMessage(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	p, err := replay.Read(&b, "x")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.CreateMessage(context.Background(), req); err != nil {
		t.Error(err)
	}
}

// A replayed recorded refusal with a hostile wait is bounded to a day.
func TestHostileRetryAfter(t *testing.T) {
	line := `{"version":1,"request":{"maxTokens":5,"messages":[{"role":"user","content":{"type":"text","text":"hi"}}]},"error":{"message":"slow down","refused":true,"retryAfterMs":9223372036854775807}}` + "\n"
	p, err := replay.Read(strings.NewReader(line), "x")
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.CreateMessage(context.Background(), &mcp.CreateMessageWithToolsParams{
		MaxTokens: 5, Messages: []*mcp.SamplingMessageV2{{Role: "user", Content: []mcp.Content{&mcp.TextContent{Text: "hi"}}}},
	})
	if err == nil || !strings.Contains(err.Error(), "retry after 24h0m0s") {
		t.Errorf("got %v, want a refusal that waits at most a day", err)
	}
}

// A file's error message may be as long as a line (32 MiB): replayed, it is
// cut to the bound the recorder writes, between characters, for a refusal
// and another error alike.
func TestHostileErrorMessage(t *testing.T) {
	huge := strings.Repeat("é", 1<<20)
	ask := &mcp.CreateMessageWithToolsParams{
		MaxTokens: 5, Messages: []*mcp.SamplingMessageV2{{Role: "user", Content: []mcp.Content{&mcp.TextContent{Text: "hi"}}}},
	}
	for _, refused := range []bool{false, true} {
		line, err := json.Marshal(map[string]any{
			"version": 1,
			"request": ask,
			"error":   map[string]any{"message": "x" + huge, "refused": refused},
		})
		if err != nil {
			t.Fatal(err)
		}
		p, err := replay.Read(bytes.NewReader(line), "x")
		if err != nil {
			t.Fatal(err)
		}
		_, err = p.CreateMessage(context.Background(), ask)
		if err == nil || errors.Is(err, sampling.ErrRefused) != refused {
			t.Fatalf("refused %v: got %v", refused, err)
		}
		if msg := err.Error(); len(msg) > 2100 || !utf8.ValidString(msg) || !strings.Contains(msg, "é…") {
			t.Errorf("refused %v: the replayed error is %d bytes, want it cut to about 2 KiB between characters", refused, len(msg))
		}
	}
}
