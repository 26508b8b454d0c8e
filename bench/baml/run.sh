#!/bin/sh
# run.sh prints, for every samplegen library tool, the tokens (o200k_base)
# samplegen sends on its first ask and what BAML 0.226.2 sends for the same
# type and prompt; see README.md. It needs Go, Node 20+ and the npm registry.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# samplegen's requests, written by the test that holds the counts; it may
# fail (a count changed) and still write them.
(cd "$root" && go test ./templates -run '^TestLibraryTokens$' -count=1 -args -baml-requests="$work/requests.jsonl" >"$work/test.log" 2>&1) ||
	echo "note: go test ./templates -run TestLibraryTokens fails (see below); the table is still measured" >&2
if [ ! -s "$work/requests.jsonl" ]; then
	cat "$work/test.log" >&2
	exit 1
fi

cp "$here/package.json" "$here/package-lock.json" "$here/render.ts" "$here/bound.ts" "$here/bounds.json" "$work/"
cp -R "$here/baml_src" "$work/baml_src"
cd "$work"
# npm install, not npm ci: the lock holds the platform package of the
# machine that wrote it only, and npm ci refuses a lock without the others.
# The versions are pinned exactly in package.json either way.
npm install --no-audit --no-fund --loglevel=error >npm.log 2>&1 || { tail -20 npm.log >&2; exit 1; }
npx tsx bound.ts
npx baml-cli generate --from baml_src >baml.log 2>&1 || { cat baml.log >&2; exit 1; }
npx baml-cli generate --from bounded/baml_src >>baml.log 2>&1 || { cat baml.log >&2; exit 1; }
npx tsx render.ts requests.jsonl "${BAML_DUMP:-/dev/null}"
if grep -q -- '--- FAIL' test.log; then
	grep -v '^=== RUN' test.log >&2
fi
