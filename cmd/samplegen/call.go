package main

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/provider"
	"github.com/samplegen/samplegen/replay"
	"github.com/samplegen/samplegen/runtime"
	"github.com/samplegen/samplegen/sampling"
)

// Exit codes of samplegen call.
const (
	callOK = 0
	// callFailed: the tool answered with an error, the call could not be
	// made (the server did not start, refused the protocol, failed the
	// call), a sampling request was not in the replay file, or the
	// recording could not be written.
	callFailed = 1
	// callUsage: the command line is wrong; nothing was started.
	callUsage = 2
)

const callUsageText = `usage: samplegen call [flags] TOOL [JSON-ARGS] [-- SERVER-COMMAND ARGS...]

Calls one tool of an MCP server with JSON-ARGS (default {}) and answers the
server's sampling requests: starts SERVER-COMMAND and speaks MCP over its stdin
and stdout, or dials -url. Prints the result's structured content as JSON on
stdout (its text if it has none), and the call's report on stderr: the
server's own (_meta "io.samplegen/report", sent when the server runs with
SAMPLEGEN_REPORT_META=on) or a summary of the samples answered here.

Sampling is answered by one of:
  -provider P -model M   a model (P: openai, anthropic or ollama; defaults
                         from SAMPLEGEN_PROVIDER and SAMPLEGEN_MODEL; keys and
                         base URLs from OPENAI_API_KEY, OPENAI_BASE_URL,
                         ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN,
                         ANTHROPIC_BASE_URL)
  -replay FILE           answers recorded earlier with -record (package replay)
  -human                 you: each request is shown on stderr and the answer
                         read from stdin, up to an empty line or the end;
                         a line "/refuse [reason]" refuses
With none, the client offers no sampling. -record FILE appends each exchange
of -provider or -human to FILE, for -replay.

SERVER-COMMAND inherits this environment (keys, base URLs, SAMPLEGEN_SAMPLING,
SAMPLEGEN_REPORT_META, ...), where SAMPLEGEN_PROVIDER and SAMPLEGEN_MODEL give
a samplegen server a model of its own, with one exception: when they name this
client's model (either one stands in for a missing -provider or -model), both
are left out of the server's environment, so that the server samples through
the client and not on its own, and stderr says so. With -provider and -model
both given, -replay or -human, they pass on. To give the server a model of its
own whatever the client uses, name it on the server's command, which env(1)
does for any server:
  samplegen call TOOL -- env SAMPLEGEN_PROVIDER=openai SAMPLEGEN_MODEL=gpt-4o-mini SERVER
(a server built on runtime.Serve takes -provider and -model flags too).

Exit status: 0 when the tool answered, 1 when it answered with an error or the
call failed, 2 for a wrong command line.

Flags (before TOOL):
`

// callConfig is a parsed samplegen call command line.
type callConfig struct {
	tool string
	args json.RawMessage
	serverFlags
	samplerFlags
	timeout time.Duration
}

// serverFlags say how to reach the server: samplegen call's and samplegen
// eval's.
type serverFlags struct {
	command  []string
	url      string
	sse      bool
	protocol string
}

func (s *serverFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&s.url, "url", "", "dial the server's Streamable HTTP endpoint at this URL instead of starting a command")
	fs.BoolVar(&s.sse, "sse", false, "with -url: the server speaks the older HTTP+SSE transport")
	fs.StringVar(&s.protocol, "protocol", "", "pin the protocol version: 2025-11-25 (sampling pushed by the server) or 2026-07-28 (multi round-trip); by default the newest both sides speak")
}

// check says what is wrong with the flags, or "".
func (s *serverFlags) check() string {
	switch {
	case s.url == "" && s.command == nil:
		return "give the server: -url URL, or its command after --"
	case s.url != "" && s.command != nil:
		return "give the server one way: -url or a command after --, not both"
	case s.sse && s.url == "":
		return "-sse needs -url"
	}
	if s.protocol != "" && !slices.Contains(mcp.SupportedProtocolVersions(), s.protocol) {
		return fmt.Sprintf("-protocol %q is not a protocol version this client speaks (%s)", s.protocol, strings.Join(mcp.SupportedProtocolVersions(), ", "))
	}
	return ""
}

// connect starts the server (with env, nil for this process's) or dials
// it, and opens a session whose sampling requests model answers (nil: the
// client offers no sampling).
func (s *serverFlags) connect(ctx context.Context, name string, model sampling.Sampler, env []string, httpClient *http.Client, stderr io.Writer) (*mcp.ClientSession, error) {
	opts := &mcp.ClientOptions{}
	if model != nil {
		opts.CreateMessageWithToolsHandler = runtime.SamplingHandler(model)
	}
	client := mcp.NewClient(&mcp.Implementation{Name: name, Version: "0.1.0"}, opts)
	var transport mcp.Transport
	switch {
	case s.command != nil:
		cmd := exec.Command(s.command[0], s.command[1:]...)
		cmd.Stderr = stderr // the server's log, as it comes
		cmd.Env = env
		transport = &mcp.CommandTransport{Command: cmd}
	case s.sse:
		transport = &mcp.SSEClientTransport{Endpoint: s.url, HTTPClient: httpClient}
	default:
		transport = &mcp.StreamableClientTransport{Endpoint: s.url, HTTPClient: httpClient}
	}
	session, err := client.Connect(ctx, transport, &mcp.ClientSessionOptions{ProtocolVersion: s.protocol})
	if err != nil {
		return nil, fmt.Errorf("connecting to %s: %w", s.serverName(), err)
	}
	if got := session.InitializeResult().ProtocolVersion; s.protocol != "" && got != s.protocol {
		session.Close()
		return nil, fmt.Errorf("%s speaks protocol %s, not the %s that -protocol pins", s.serverName(), got, s.protocol)
	}
	return session, nil
}

// samplerFlags say what answers the server's sampling requests: samplegen
// call's and samplegen eval's.
type samplerFlags struct {
	provider provider.Config
	replay   string
	record   string
	human    bool
	// modelFromEnv: SAMPLEGEN_PROVIDER or SAMPLEGEN_MODEL named the
	// client's model, and so are kept from the server's environment.
	modelFromEnv bool
}

// register adds the flags; withHuman adds -human.
func (m *samplerFlags) register(fs *flag.FlagSet, withHuman bool) {
	fs.StringVar(&m.provider.Provider, "provider", "", "answer sampling with this provider's model: openai, anthropic or ollama (default $"+provider.EnvProvider+")")
	fs.StringVar(&m.provider.Model, "model", "", "the provider's model (default $"+provider.EnvModel+")")
	fs.StringVar(&m.replay, "replay", "", "answer sampling from this replay `file`")
	if withHuman {
		fs.StringVar(&m.record, "record", "", "append each sampling exchange of -provider or -human to this replay `file`")
		fs.BoolVar(&m.human, "human", false, "answer sampling yourself: requests on stderr, answers from stdin")
	} else {
		fs.StringVar(&m.record, "record", "", "append each sampling exchange of -provider to this replay `file`")
	}
}

// resolve checks the flags and fills the model from the environment; it
// says what is wrong, or "".
func (m *samplerFlags) resolve() string {
	byFlag := m.provider.Provider != "" || m.provider.Model != ""
	switch {
	case m.replay != "" && (byFlag || m.human):
		return "-replay answers sampling by itself: drop -provider, -model and -human"
	case m.replay != "" && m.record != "":
		return "-record records a model or a person, not a replay: drop -record or -replay"
	case m.human && byFlag:
		return "-human answers sampling by itself: drop -provider and -model"
	}
	if m.replay == "" && !m.human {
		// A model from the flags, or else from the environment.
		if m.provider.Provider == "" {
			m.provider.Provider = strings.TrimSpace(os.Getenv(provider.EnvProvider))
			m.modelFromEnv = m.provider.Provider != ""
		}
		if m.provider.Model == "" {
			m.provider.Model = strings.TrimSpace(os.Getenv(provider.EnvModel))
			m.modelFromEnv = m.modelFromEnv || m.provider.Model != ""
		}
		switch {
		case m.provider.Provider == "" && m.provider.Model != "":
			return fmt.Sprintf("-model (or %s) names %q but no provider is given: add -provider openai, anthropic or ollama (or set %s)", provider.EnvModel, m.provider.Model, provider.EnvProvider)
		case m.provider.Provider != "" && m.provider.Model == "":
			return fmt.Sprintf("-provider %s needs a model: add -model (or set %s)", m.provider.Provider, provider.EnvModel)
		case m.provider.Provider == "" && m.record != "":
			return "-record needs something to record: -provider and -model, or -human"
		}
	}
	return ""
}

// serverEnv is the environment of a server command: this process's, but
// without SAMPLEGEN_PROVIDER and SAMPLEGEN_MODEL when they name this
// client's model (said on stderr under the command's name), and with
// extra added. nil means this process's environment unchanged.
func (m *samplerFlags) serverEnv(command []string, stderr io.Writer, who string, extra ...string) []string {
	if !m.modelFromEnv && len(extra) == 0 {
		return nil
	}
	env := os.Environ()
	if m.modelFromEnv {
		// Meant for this client's model: passed on, they would give
		// the server one of its own, which it might use instead.
		env = environWithout(env, provider.EnvProvider, provider.EnvModel)
		fmt.Fprintf(stderr, "%s: %s and %s name this client's model, so the server starts without them (to give it a model of its own: -- env %s=P %s=M %s)\n",
			who, provider.EnvProvider, provider.EnvModel, provider.EnvProvider, provider.EnvModel, command[0])
	}
	return append(env, extra...)
}

// runCall runs samplegen call with args (those after "call") and returns
// its exit code.
func runCall(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c, code := parseCall(args, stderr)
	if code >= 0 {
		return code
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	return c.run(ctx, stdin, stdout, stderr)
}

// parseCall parses the command line; code is -1 when it is good, else the
// exit code, the problem already written to stderr.
func parseCall(args []string, stderr io.Writer) (c *callConfig, code int) {
	c = &callConfig{}
	fs := flag.NewFlagSet("samplegen call", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), callUsageText)
		fs.PrintDefaults()
	}
	c.serverFlags.register(fs)
	c.samplerFlags.register(fs, true)
	fs.DurationVar(&c.timeout, "timeout", 0, "give up on the whole call after this long (0: never; Ctrl-C stops it too)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, callOK
		}
		return nil, callUsage // flag has said what is wrong
	}
	usage := func(format string, a ...any) (*callConfig, int) {
		fmt.Fprintf(stderr, "samplegen call: "+format+"\n", a...)
		fmt.Fprintln(stderr, "usage: samplegen call [flags] TOOL [JSON-ARGS] [-- SERVER-COMMAND ARGS...] (samplegen call -h for more)")
		return nil, callUsage
	}

	rest := fs.Args()
	if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
		return usage("name the TOOL before --")
	}
	if i := slices.Index(rest, "--"); i >= 0 {
		rest, c.command = rest[:i], rest[i+1:]
		if len(c.command) == 0 {
			return usage("-- must be followed by the server's command")
		}
	}
	switch len(rest) {
	case 0:
		return usage("name the TOOL to call")
	case 1, 2:
	default:
		return usage("too many arguments before --: %q (flags go before TOOL; the server's command after --)", rest[2:])
	}
	c.tool = rest[0]
	c.args = json.RawMessage("{}")
	if len(rest) == 2 {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal([]byte(rest[1]), &obj); err != nil || obj == nil {
			why := "it is null"
			if err != nil {
				why = err.Error()
			}
			return usage("JSON-ARGS must be a JSON object of the tool's arguments, such as '{\"text\":\"hi\"}': %s", why)
		}
		c.args = json.RawMessage(rest[1])
	}

	if problem := c.serverFlags.check(); problem != "" {
		return usage("%s", problem)
	}
	if problem := c.samplerFlags.resolve(); problem != "" {
		return usage("%s", problem)
	}
	return c, -1
}

// maxFailureShown bounds the line a failure writes: it may quote the
// server (its tool's error text, its JSON-RPC error), which is untrusted
// and may be long.
const maxFailureShown = 8 << 10

// maxReportShown bounds the server's report as printed: the server's, and
// so untrusted.
const maxReportShown = 64 << 10

// run makes the call and returns the exit code.
func (c *callConfig) run(ctx context.Context, stdin io.Reader, stdout, stderr io.Writer) int {
	// The server's log, the person's prompts and this command's lines all
	// go to stderr, from their own goroutines.
	stderr = &lockedWriter{w: stderr}
	// What the server says (its errors, its tool's error text) is
	// untrusted: it is shown, but cannot drive the terminal.
	fail := func(format string, a ...any) int {
		fmt.Fprintln(stderr, sampling.Clip(printable(fmt.Sprintf("samplegen call: "+format, a...)), maxFailureShown))
		return callFailed
	}

	// One HTTP transport for the server and the provider, its idle
	// connections closed when the call is done.
	transportHTTP := http.DefaultTransport.(*http.Transport).Clone()
	defer transportHTTP.CloseIdleConnections()
	httpClient := &http.Client{Transport: transportHTTP}
	c.provider.HTTPClient = httpClient

	model, cleanup, code := c.model("samplegen call", stdin, stderr)
	if code >= 0 {
		return code
	}
	defer cleanup()
	var rec *replay.Recorder
	if c.record != "" {
		var err error
		if rec, err = replay.Record(c.record); err != nil {
			return fail("-record: %v", err)
		}
		defer rec.Close() // on the early returns; Close again reports the same
		model = rec.Wrap(model)
	}
	var counted *tally
	var answering sampling.Sampler
	if model != nil {
		counted = &tally{next: model}
		answering = counted
	}
	var env []string
	if c.command != nil {
		env = c.serverEnv(c.command, stderr, "samplegen call")
	}
	session, err := c.connect(ctx, "samplegen-call", answering, env, httpClient, stderr)
	if err != nil {
		return fail("%v", err)
	}
	defer session.Close()

	res, callErr := session.CallTool(ctx, &mcp.CallToolParams{Name: c.tool, Arguments: c.args})
	code = callOK
	var miss error
	if counted != nil {
		miss = counted.firstMiss()
	}
	switch {
	case miss != nil:
		// The server may have fallen back and answered, but not with what
		// the recording was made for: the recording is stale.
		code = fail("%v", miss)
	case callErr != nil:
		code = fail("calling %s: %v", c.tool, callErr)
		if model == nil {
			fmt.Fprintln(stderr, "samplegen call: (this client offered no sampling: give -provider and -model, -replay FILE or -human)")
		}
	case res.IsError:
		code = fail("%s answered with an error: %s", c.tool, contentText(res.Content))
	default:
		if err := printResult(stdout, res); err != nil {
			code = fail("writing the result: %v", err)
		}
	}
	if failure := counted.firstFailure(); failure != nil && miss == nil {
		// A server reads only sampling.ModelFailed of a failed model (or,
		// for a request it had ended, nothing): why is told here.
		fmt.Fprintln(stderr, sampling.Clip(printable(fmt.Sprintf("samplegen call: answering a sampling request here failed: %v (of a failed model a server is told only %q)", failure, sampling.ModelFailed)), maxFailureShown))
	}
	if res != nil {
		printReport(stderr, c.tool, res, counted)
	} else if counted != nil {
		fmt.Fprintln(stderr, printable(fmt.Sprintf("samplegen call: %s: %s", c.tool, counted.summary())))
	}
	if rec != nil {
		if err := rec.Close(); err != nil {
			code = fail("%v", err)
		} else {
			fmt.Fprintf(stderr, "samplegen call: recorded %d exchange(s) to %s\n", rec.Recorded(), c.record)
		}
	}
	return code
}

// environWithout is env (KEY=value entries) without the variables names.
func environWithout(env []string, names ...string) []string {
	return slices.DeleteFunc(slices.Clone(env), func(kv string) bool {
		name, _, _ := strings.Cut(kv, "=")
		return slices.Contains(names, name)
	})
}

// A lockedWriter serializes the writes of several goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// model builds what answers sampling, or nil for none; code is -1 when it
// could be built.
func (c *samplerFlags) model(who string, stdin io.Reader, stderr io.Writer) (s sampling.Sampler, cleanup func(), code int) {
	cleanup = func() {}
	switch {
	case c.replay != "":
		r, err := replay.Open(c.replay)
		if err != nil {
			fmt.Fprintf(stderr, "%s: -replay: %v\n", who, err)
			return nil, cleanup, callFailed
		}
		return r, cleanup, -1
	case c.human:
		h := newHuman(stdin, stderr)
		return h, h.stop, -1
	case c.provider.Provider != "":
		m, err := provider.New(c.provider)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", who, err)
			return nil, cleanup, callUsage
		}
		return m, cleanup, -1
	}
	return nil, cleanup, -1
}

func (c *serverFlags) serverName() string {
	if c.url != "" {
		return c.url
	}
	return strconv.Quote(strings.Join(c.command, " "))
}

// printResult writes the result's structured content as JSON, or its text
// when it has none.
func printResult(w io.Writer, res *mcp.CallToolResult) error {
	if res.StructuredContent != nil {
		b, err := json.MarshalIndent(res.StructuredContent, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", b)
		return err
	}
	_, err := fmt.Fprintln(w, contentText(res.Content))
	return err
}

// contentText is a result's content as text: its text blocks, and a note
// for each block of another kind.
func contentText(content []mcp.Content) string {
	var parts []string
	for _, c := range content {
		switch c := c.(type) {
		case *mcp.TextContent:
			parts = append(parts, c.Text)
		case *mcp.ImageContent:
			parts = append(parts, fmt.Sprintf("[image %s, %d bytes]", c.MIMEType, len(c.Data)))
		case *mcp.AudioContent:
			parts = append(parts, fmt.Sprintf("[audio %s, %d bytes]", c.MIMEType, len(c.Data)))
		default:
			parts = append(parts, fmt.Sprintf("[%T]", c))
		}
	}
	return strings.Join(parts, "\n")
}

// printReport writes the call's report: the server's, when its result
// carries one, else the summary of what was answered here.
func printReport(w io.Writer, tool string, res *mcp.CallToolResult, counted *tally) {
	if raw, ok := res.Meta[runtime.ReportMetaKey]; ok {
		b, err := json.MarshalIndent(raw, "", "  ")
		if err == nil {
			// JSON escapes C0 controls but not C1 ones (U+009B is CSI).
			fmt.Fprintln(w, sampling.Clip(printable(fmt.Sprintf("samplegen call: %s: report:\n%s", tool, b)), maxReportShown))
			return
		}
	}
	if counted == nil {
		fmt.Fprintf(w, "samplegen call: %s: no sampling offered\n", tool)
		return
	}
	fmt.Fprintln(w, printable(fmt.Sprintf("samplegen call: %s: %s", tool, counted.summary())))
}

// A tally counts the sampling requests answered here, for the summary, and
// keeps the first failure and the first request a replay file could not
// answer: what failed stays here, off the wire (see sampling.Handler).
type tally struct {
	next sampling.Sampler

	mu       sync.Mutex
	answered int
	refused  int
	failed   int
	models   []string
	usage    sampling.Usage
	counted  int // answers that carried their usage
	failure  error
	miss     error
}

func (t *tally) CreateMessage(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
	res, err := t.next.CreateMessage(ctx, req)
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case errors.Is(err, sampling.ErrRefused):
		t.refused++
	case err != nil:
		t.failed++
		if t.failure == nil {
			t.failure = err
		}
		if t.miss == nil && errors.Is(err, replay.ErrNotRecorded) {
			t.miss = err
		}
	case res == nil: // a sampler's bug; not an answer
		t.failed++
		if t.failure == nil {
			t.failure = errors.New("the sampler returned neither a result nor an error")
		}
	default:
		t.answered++
		if res.Model != "" && !slices.Contains(t.models, res.Model) {
			t.models = append(t.models, res.Model)
		}
		if u, ok := sampling.UsageOf(res); ok {
			t.usage = t.usage.Add(u)
			t.counted++
		}
	}
	return res, err
}

// firstFailure is the first error of the model here other than a
// refusal, or nil; t may be nil (no sampling offered).
func (t *tally) firstFailure() error {
	if t == nil {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.failure
}

func (t *tally) firstMiss() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.miss
}

// summary is one line: the samples answered, by which models, at what
// cost in tokens, and those refused or failed.
func (t *tally) summary() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var b strings.Builder
	fmt.Fprintf(&b, "answered %d sampling request(s)", t.answered)
	if len(t.models) > 0 {
		fmt.Fprintf(&b, " (model %s", strings.Join(t.models, ", "))
		switch {
		case t.counted == 0:
			b.WriteString("; tokens not reported")
		default:
			fmt.Fprintf(&b, "; tokens: %d in, %d out", t.usage.InputTokens, t.usage.OutputTokens)
			if t.counted < t.answered {
				fmt.Fprintf(&b, " for %d of them", t.counted)
			}
		}
		b.WriteString(")")
	}
	if t.refused > 0 {
		fmt.Fprintf(&b, ", refused %d", t.refused)
	}
	if t.failed > 0 {
		fmt.Fprintf(&b, ", failed %d", t.failed)
	}
	return b.String()
}

// A human answers sampling requests at the terminal: each request is shown
// on out, and the answer read from in, one request at a time.
type human struct {
	out   io.Writer
	lines chan string // lines of in, closed at its end
	done  chan struct{}

	mu    sync.Mutex // one request on the terminal at a time
	asked int
}

// newHuman starts reading in. The reader runs until in ends or stop is
// called and in yields its next line.
func newHuman(in io.Reader, out io.Writer) *human {
	h := &human{out: out, lines: make(chan string), done: make(chan struct{})}
	go func() {
		defer close(h.lines)
		sc := bufio.NewScanner(in)
		sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
		for sc.Scan() {
			select {
			case h.lines <- sc.Text():
			case <-h.done:
				return
			}
		}
	}()
	return h
}

func (h *human) stop() { close(h.done) }

// humanModel is the model name a person's answers carry.
const humanModel = "human"

func (h *human) CreateMessage(ctx context.Context, req *mcp.CreateMessageWithToolsParams) (*mcp.CreateMessageWithToolsResult, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.asked++
	showRequest(h.out, h.asked, req)
	fmt.Fprintln(h.out, "Your answer (end it with an empty line; /refuse [reason] refuses):")
	var answer []string
	for {
		select {
		case <-ctx.Done():
			fmt.Fprintln(h.out, "(the server stopped waiting for this answer)")
			return nil, ctx.Err()
		case line, ok := <-h.lines:
			if !ok || (line == "" && len(answer) > 0) {
				if len(answer) == 0 {
					return nil, errors.New("no answer: standard input ended before one was given")
				}
				return &mcp.CreateMessageWithToolsResult{
					Role: "assistant", Model: humanModel, StopReason: "endTurn",
					Content: []mcp.Content{&mcp.TextContent{Text: strings.Join(answer, "\n")}},
				}, nil
			}
			if len(answer) == 0 {
				if line == "" {
					continue // blank lines before an answer
				}
				if reason, ok := strings.CutPrefix(strings.TrimSpace(line), "/refuse"); ok && (reason == "" || reason[0] == ' ') {
					return nil, sampling.Refused(cmp.Or(strings.TrimSpace(reason), "refused at the terminal"))
				}
			}
			answer = append(answer, line)
		}
	}
}

// maxShown bounds what one request shows on the terminal: the server's
// text is untrusted, and may be long.
const maxShown = 64 << 10

// showRequest writes req readably: system prompt, messages, tools, the
// parameters and the shape the answer must take.
func showRequest(w io.Writer, n int, req *mcp.CreateMessageWithToolsParams) {
	var b strings.Builder
	fmt.Fprintf(&b, "\n─── sampling request %d ───\n", n)
	if req.SystemPrompt != "" {
		fmt.Fprintf(&b, "system:\n%s\n", indent(req.SystemPrompt))
	}
	// A server's "messages":[null] or "tools":[null] decodes to nil
	// entries: shown as (null), as the server sent them.
	for _, m := range req.Messages {
		if m == nil {
			b.WriteString("(null message)\n")
			continue
		}
		fmt.Fprintf(&b, "%s:\n", m.Role)
		for _, c := range m.Content {
			b.WriteString(indent(contentLine(c)))
			b.WriteByte('\n')
		}
	}
	for _, t := range req.Tools {
		if t == nil {
			b.WriteString("tool (null)\n")
			continue
		}
		schema, _ := json.Marshal(t.InputSchema)
		fmt.Fprintf(&b, "tool %s: %s\n  input schema: %s\n", t.Name, t.Description, schema)
	}
	var params []string
	if req.ToolChoice != nil && req.ToolChoice.Mode != "" {
		params = append(params, "tool choice: "+req.ToolChoice.Mode)
	}
	params = append(params, fmt.Sprintf("max tokens: %d", req.MaxTokens))
	if t, ok := sampling.Temperature(req); ok {
		params = append(params, "temperature: "+strconv.FormatFloat(t, 'g', -1, 64))
	}
	if len(req.StopSequences) > 0 {
		stops, _ := json.Marshal(req.StopSequences)
		params = append(params, "stop: "+string(stops))
	}
	fmt.Fprintf(&b, "%s\n", strings.Join(params, " · "))
	if schema, ok := req.Meta[sampling.OutputSchemaMetaKey]; ok {
		s, _ := json.Marshal(schema)
		fmt.Fprintf(&b, "answer with JSON of this schema: %s\n", s)
	}
	if len(req.Tools) > 0 {
		b.WriteString("(tools are offered; answer in text: a samplegen server takes a JSON answer in text as it takes its respond tool's input)\n")
	}
	text := printable(b.String())
	if shown := sampling.Clip(text, maxShown); shown != text {
		text = fmt.Sprintf("%s\n(%d more bytes not shown)\n", shown, len(text)-len(strings.TrimSuffix(shown, "…")))
	}
	io.WriteString(w, text)
}

func contentLine(c mcp.Content) string {
	switch c := c.(type) {
	case *mcp.TextContent:
		return c.Text
	case *mcp.ToolUseContent:
		in, _ := json.Marshal(c.Input)
		return fmt.Sprintf("[calls tool %s: %s]", c.Name, in)
	case *mcp.ToolResultContent:
		return fmt.Sprintf("[tool result (error: %v): %s]", c.IsError, contentText(c.Content))
	}
	return contentText([]mcp.Content{c})
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(s, "\n", "\n  ")
}

// printable replaces control characters other than newline and tab, and
// invalid UTF-8, so that a server's text cannot drive the terminal.
func printable(s string) string {
	clean := func(r rune) bool { return r != '\n' && r != '\t' && (unicode.IsControl(r) || r == utf8.RuneError) }
	if !strings.ContainsFunc(s, clean) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if clean(r) {
			fmt.Fprintf(&b, "\\u%04x", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
