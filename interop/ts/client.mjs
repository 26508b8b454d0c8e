#!/usr/bin/env node
// A scripted MCP client built on the official TypeScript SDK, used by
// interop_test.go to drive samplegen servers from a real, independent peer.
//
// It connects to a server (a subprocess over stdio, a Streamable HTTP URL, or
// an HTTP+SSE URL),
// declares the sampling capability, answers every sampling/createMessage
// request with the next answer from a script, calls one tool, and prints one
// JSON object to stdout:
//
//   {"protocolVersion": "...", "serverInfo": {...}, "result": <CallToolResult>,
//    "requests": [<params of each sampling/createMessage, as received on the wire>],
//    "requestIds": [<the JSON-RPC id of each of those requests>],
//    "cancelled": [<params of each notifications/cancelled received>]}
//
// Usage:
//
//   node client.mjs (--stdio BIN [ARG...] | --http URL | --sse URL)
//                   --tool NAME [--args JSON] --answers FILE [--timeout-ms N]
//                   [--list-tools] [--calls N] [--hang] [--no-sampling]
//
// With --list-tools the client calls tools/list before the tool, as hosts
// do, and the output also has "tools": the listed tools as the SDK parsed
// them. The SDK checks a result's structuredContent against the tool's
// outputSchema only for tools it has listed (and rejects a mismatch with
// -32602), and its parsing of tools/list rejects an outputSchema whose type
// is not "object"; without --list-tools neither check runs.
//
// With --calls N the client makes N calls of the tool at once; "result" is
// the first one's, and "results" has every call's result, or {"error":
// message} for a call that failed.
//
// Everything after --stdio BIN up to the next option this client knows is
// passed to BIN as its arguments. The answers file is a JSON array of
// {"text": "...", "model": "...", "stopReason": "..."} used in order; a
// sampling request beyond the script is answered with a JSON-RPC error. With
// --hang no request is answered: each waits until the server cancels it
// (notifications/cancelled), then fails. With --no-sampling the client
// declares no sampling capability at all, as the many hosts that never
// shipped sampling do (the answers file is then not read from).
//
// Any failure prints a message on stderr and exits 1.

import { readFile } from 'node:fs/promises';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  CallToolResultSchema,
  CreateMessageRequestSchema,
  ErrorCode,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';

const OPTIONS = new Set(['--stdio', '--http', '--sse', '--tool', '--args', '--answers', '--timeout-ms', '--list-tools', '--calls', '--hang', '--no-sampling']);

function usage(msg) {
  throw new Error(
    `${msg}\nusage: node client.mjs (--stdio BIN [ARG...] | --http URL | --sse URL) --tool NAME [--args JSON] --answers FILE [--timeout-ms N] [--list-tools] [--calls N] [--hang]`,
  );
}

function parseArgs(argv) {
  const opts = { serverArgs: [], args: {}, timeoutMs: 60000, calls: 1 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`missing value for ${flag}`);
      return argv[++i];
    };
    switch (flag) {
      case '--stdio':
        opts.stdio = value();
        while (i + 1 < argv.length && !OPTIONS.has(argv[i + 1])) opts.serverArgs.push(argv[++i]);
        break;
      case '--http':
        opts.http = value();
        break;
      case '--sse':
        opts.sse = value();
        break;
      case '--tool':
        opts.tool = value();
        break;
      case '--args':
        try {
          opts.args = JSON.parse(value());
        } catch (err) {
          usage(`--args is not JSON: ${err.message}`);
        }
        break;
      case '--answers':
        opts.answers = value();
        break;
      case '--list-tools':
        opts.listTools = true;
        break;
      case '--hang':
        opts.hang = true;
        break;
      case '--no-sampling':
        // A host that never shipped sampling: no capability, no handler.
        opts.noSampling = true;
        break;
      case '--calls':
        opts.calls = Number(value());
        if (!Number.isInteger(opts.calls) || opts.calls <= 0) usage('--calls must be a positive integer');
        break;
      case '--timeout-ms':
        opts.timeoutMs = Number(value());
        if (!Number.isFinite(opts.timeoutMs) || opts.timeoutMs <= 0) usage('--timeout-ms must be a positive number');
        break;
      default:
        usage(`unknown argument ${JSON.stringify(flag)}`);
    }
  }
  if ([opts.stdio, opts.http, opts.sse].filter(Boolean).length !== 1) {
    usage('give exactly one of --stdio, --http and --sse');
  }
  if (!opts.tool) usage('--tool is required');
  if (!opts.answers) usage('--answers is required');
  return opts;
}

async function loadAnswers(file) {
  const answers = JSON.parse(await readFile(file, 'utf8'));
  if (!Array.isArray(answers)) throw new Error(`${file}: want a JSON array of answers`);
  answers.forEach((a, i) => {
    if (typeof a?.text !== 'string') throw new Error(`${file}: answer ${i} has no string "text"`);
  });
  return answers;
}

// TapTransport wraps a real SDK transport and records what crosses it: the
// params of every sampling/createMessage request exactly as they arrived (before
// the SDK's schema parsing could add defaults or drop fields), and their ids,
// every notifications/cancelled, and the protocol
// version the SDK settled on after initialize (the Client hands it to
// setProtocolVersion for every transport that has the method; stdio's has not,
// so the wrapper provides it).
class TapTransport {
  constructor(inner) {
    this.inner = inner;
    this.samplingRequests = [];
    this.samplingRequestIds = [];
    this.cancelled = [];
    this.protocolVersion = undefined;
    this.onclose = undefined;
    this.onerror = undefined;
    this.onmessage = undefined;
  }

  get sessionId() {
    return this.inner.sessionId;
  }

  async start() {
    this.inner.onclose = () => this.onclose?.();
    this.inner.onerror = (err) => this.onerror?.(err);
    this.inner.onmessage = (message, extra) => {
      if (message?.method === 'sampling/createMessage' && message.id !== undefined) {
        this.samplingRequests.push(structuredClone(message.params ?? {}));
        this.samplingRequestIds.push(message.id);
      }
      if (message?.method === 'notifications/cancelled') {
        this.cancelled.push(structuredClone(message.params ?? {}));
      }
      this.onmessage?.(message, extra);
    };
    await this.inner.start();
  }

  send(message, options) {
    return this.inner.send(message, options);
  }

  setProtocolVersion(version) {
    this.protocolVersion = version;
    this.inner.setProtocolVersion?.(version);
  }

  async close() {
    await this.inner.close();
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const answers = await loadAnswers(opts.answers);

  let inner;
  if (opts.stdio) {
    inner = new StdioClientTransport({
      command: opts.stdio,
      args: opts.serverArgs,
      // The whole environment, not the SDK's safe subset, so that settings
      // such as GOCOVERDIR reach the server under test.
      env: { ...process.env },
      // The server's log goes to our stderr, which the Go test shows on failure.
      stderr: 'inherit',
    });
  } else if (opts.http) {
    inner = new StreamableHTTPClientTransport(new URL(opts.http));
  } else {
    // The older HTTP+SSE transport: a GET stream for server messages, and
    // POSTs to the endpoint the server names on it.
    inner = new SSEClientTransport(new URL(opts.sse));
  }
  const transport = new TapTransport(inner);

  const client = new Client(
    { name: 'samplegen-interop-ts', version: '0.0.0' },
    { capabilities: opts.noSampling ? {} : { sampling: {} } },
  );

  let served = 0;
  if (!opts.noSampling) client.setRequestHandler(CreateMessageRequestSchema, async (_request, extra) => {
    const n = served++;
    if (opts.hang) {
      // Wait for the server's notifications/cancelled, which aborts the signal.
      await new Promise((resolve) => {
        if (extra.signal.aborted) resolve();
        else extra.signal.addEventListener('abort', resolve, { once: true });
      });
      throw new Error(`scripted client: sampling request #${n + 1} was cancelled`);
    }
    if (n >= answers.length) {
      throw new McpError(
        ErrorCode.InvalidRequest,
        `scripted client: sampling request #${n + 1} but the script has only ${answers.length} answer(s)`,
      );
    }
    const a = answers[n];
    return {
      role: 'assistant',
      content: { type: 'text', text: a.text },
      model: a.model ?? 'scripted-model',
      stopReason: a.stopReason ?? 'endTurn',
    };
  });

  await client.connect(transport, { timeout: opts.timeoutMs });
  try {
    // listTools also arms callTool's check of structuredContent against
    // each listed tool's outputSchema.
    const listed = opts.listTools ? await client.listTools(undefined, { timeout: opts.timeoutMs }) : undefined;
    const call = () =>
      client.callTool({ name: opts.tool, arguments: opts.args }, CallToolResultSchema, { timeout: opts.timeoutMs });
    let result;
    let results;
    if (opts.calls === 1) {
      result = await call();
    } else {
      results = await Promise.all(
        Array.from({ length: opts.calls }, () => call().catch((err) => ({ error: String(err?.message ?? err) }))),
      );
      result = results[0];
    }
    const out = {
      protocolVersion: transport.protocolVersion,
      serverInfo: client.getServerVersion(),
      result,
      requests: transport.samplingRequests,
      requestIds: transport.samplingRequestIds,
      cancelled: transport.cancelled,
    };
    if (results) out.results = results;
    if (listed) out.tools = listed.tools;
    await new Promise((resolve, reject) =>
      process.stdout.write(JSON.stringify(out) + '\n', (err) => (err ? reject(err) : resolve())),
    );
  } finally {
    if (opts.http) {
      // Polite end of the HTTP session; the server may not support DELETE.
      await inner.terminateSession?.().catch(() => {});
    }
    await client.close().catch(() => {});
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`client.mjs: ${err?.stack ?? err}\n`);
    process.exit(1);
  },
);
