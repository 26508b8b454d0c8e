// render.ts builds, with BAML's generated TypeScript client, the request of
// every library tool listed in the JSON lines file samplegen's test wrote
// (go test ./templates -run TestLibraryTokens -args -baml-requests=FILE),
// counts its tokens as the test counts samplegen's (o200k_base, the system
// message, "\n", the first user message) and prints a table. It builds each
// request twice: from baml_src as it is, and from bounded/baml_src (see
// bound.ts), which also tells the bounds samplegen tells. run.sh runs it.
import { readFileSync, writeFileSync } from "node:fs";
import { getEncoding } from "js-tiktoken";
import { b as plain } from "./baml_client/index.js";
import PlainTypeBuilder from "./baml_client/type_builder.js";
import { b as bounded } from "./bounded/baml_client/index.js";
import BoundedTypeBuilder from "./bounded/baml_client/type_builder.js";

type Ask = { tool: string; system: string; user: string; instructions: string; system_prompt: string; tokens: number; full: number };
type Client = typeof plain.request;

// Each tool's BAML function (the last two are the examples'); report_series is a function tool whose one
// ask is narrate_series's.
const functions: Record<string, keyof Client> = {
  classify_sentiment: "ClassifySentiment",
  classify_intent: "ClassifyIntent",
  classify_labels: "ClassifyLabels",
  moderate_content: "ModerateContent",
  detect_language: "DetectLanguage",
  correct_grammar: "CorrectGrammar",
  rewrite_tone: "RewriteTone",
  translate: "Translate",
  summarize: "Summarize",
  explain_code: "ExplainCode",
  review_code: "ReviewCode",
  narrate_series: "NarrateSeries",
  report_series: "NarrateSeries",
  draft_reply: "DraftReply",
  explain_concept: "ExplainConcept",
  analyze_sentiment: "AnalyzeSentiment",
  summarize_ticket: "SummarizeTicket",
};

// The labels classify_labels's input gives (templates/tokens_test.go),
// added to the dynamic enum as samplegen adds them to its schema per call.
const labels = ["bug", "pricing", "feature request", "praise"];

// The bounds samplegen's shape words, to check that bounds.json has each.
const boundWords = /^(\d+ to \d+ (characters|items|keys)|not empty|at (least|most) \S+( characters| items| keys)?|from \S+ to \S+|no repeats|matching .*)$/;

function text(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((p) => (p && typeof p === "object" && "text" in p ? String(p.text) : "")).join("");
  throw new Error(`unexpected message content ${JSON.stringify(content)}`);
}

const enc = getEncoding("o200k_base");

async function render(client: Client, tb: (() => { Label: { addValue(v: string): { alias(a: string): unknown } } }), ask: Ask) {
  const fn = functions[ask.tool];
  if (!fn) throw new Error(`no BAML function for ${ask.tool}: add one to baml_src and to functions in render.ts`);
  const options: Record<string, unknown> = {};
  if (ask.tool === "classify_labels") {
    const builder = tb();
    labels.forEach((l, i) => builder.Label.addValue(`L${i}`).alias(l));
    options.tb = builder;
  }
  const req = await (client[fn] as (s: string, t: string, o: object) => Promise<{ body: { json(): any } }>)(ask.system, ask.user, options);
  const messages: { role: string; content: unknown }[] = req.body.json().messages;
  const system = messages.filter((m) => m.role === "system").map((m) => text(m.content)).join("\n");
  const user = text(messages.find((m) => m.role === "user")?.content);
  return { system, user, tokens: enc.encode(system + "\n" + user).length };
}

const [requestsFile, dumpFile] = process.argv.slice(2);
const asks: Ask[] = readFileSync(requestsFile, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
const dump: Record<string, unknown>[] = [];
const pad = (s: string | number, n: number) => String(s).padStart(n);
const rows = [`${"tool".padEnd(20)} ${pad("samplegen", 9)} ${pad("full", 5)} ${pad("BAML", 5)} ${pad("BAML+bounds", 11)}`];
const missing: string[] = [];
for (const ask of asks) {
  // Both sides counted alike: js-tiktoken here, tiktoken-go in the test.
  const own = enc.encode(ask.system_prompt + "\n" + ask.user).length;
  if (own !== ask.tokens) throw new Error(`${ask.tool}: js-tiktoken counts samplegen's request ${own} tokens, tiktoken-go ${ask.tokens}`);
  const p = await render(plain.request, () => new PlainTypeBuilder(), ask);
  const t = await render(bounded.request, () => new BoundedTypeBuilder(), ask);
  for (const line of ask.instructions.split("\n")) {
    const note = line.split(" // ")[1] ?? "";
    for (const seg of note.split("; ")) {
      if (boundWords.test(seg) && !t.system.includes(seg)) missing.push(`${ask.tool}: ${line.trim()}`);
    }
  }
  dump.push({ tool: ask.tool, baml: p, bounded: t });
  rows.push(`${ask.tool.padEnd(20)} ${pad(ask.tokens, 9)} ${pad(ask.full, 5)} ${pad(p.tokens, 5)} ${pad(t.tokens, 11)}`);
}
if (dumpFile) writeFileSync(dumpFile, dump.map((d) => JSON.stringify(d)).join("\n") + "\n");
console.log(rows.join("\n"));
if (missing.length > 0) {
  console.error(`bounds.json lacks bounds samplegen tells, on these lines:\n${missing.join("\n")}`);
  process.exit(1);
}
