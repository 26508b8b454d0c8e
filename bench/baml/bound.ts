// bound.ts writes bounded/baml_src: baml_src with the bounds samplegen tells
// the model (bounds.json: lengths, counts, minimums, patterns, no repeats,
// in samplegen's words) added to each field's @description, the only place
// a BAML type can show them to the model; BAML's @assert and @check are
// verified after parsing, never rendered. run.sh runs it before generating.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";

const bounds: Record<string, string> = JSON.parse(readFileSync("bounds.json", "utf8"));
const used = new Set<string>();
mkdirSync("bounded/baml_src", { recursive: true });
for (const file of readdirSync("baml_src")) {
  let src = readFileSync(`baml_src/${file}`, "utf8");
  src = src.replace(/class (\w+) \{\n([^}]*)\}/g, (_all, cls: string, body: string) => {
    const lines = body.split("\n").map((line) => {
      const m = line.match(/^(\s+)(\w+) (\S+)(?: @description\("((?:[^"\\]|\\.)*)"\))?$/);
      if (!m) return line;
      const bound = bounds[`${cls}.${m[2]}`];
      if (!bound) return line;
      used.add(`${cls}.${m[2]}`);
      const own = m[4]?.replace(/\\(.)/g, "$1").replace(/\.$/, "");
      const desc = own ? `${own}; ${bound}` : bound;
      return `${m[1]}${m[2]} ${m[3]} @description(${JSON.stringify(desc)})`;
    });
    return `class ${cls} {\n${lines.join("\n")}}`;
  });
  writeFileSync(`bounded/baml_src/${file}`, src);
}
const unused = Object.keys(bounds).filter((k) => !used.has(k));
if (unused.length > 0) throw new Error(`bounds.json names fields baml_src does not have: ${unused.join(", ")}`);
