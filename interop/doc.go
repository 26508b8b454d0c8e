// Package interop holds samplegen's interoperability tests: the example
// servers (./examples/sentiment/server and ./examples/conformance/server)
// driven by real MCP peers that samplegen did not write, pinned in
// package-lock.json: the official TypeScript SDK client (ts/client.mjs) on
// the push era over stdio, Streamable HTTP and SSE; the go-sdk client on the
// multi round-trip era over stdio and stateless HTTP, and pinned to
// 2025-11-25 over stateful HTTP; the official conformance suite; and the
// Inspector CLI as a client that cannot sample. It has no code of its own;
// see interop_test.go for the matrix.
package interop
