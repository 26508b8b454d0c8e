// Package interop holds samplegen's interoperability tests: the example
// server (./examples/sentiment/server) driven by real MCP clients that
// samplegen did not write, the official TypeScript SDK (ts/client.mjs, pinned
// in package-lock.json) on the push era over stdio and Streamable HTTP, and
// the go-sdk client on the multi round-trip era. It has no code of its own;
// see interop_test.go.
package interop
