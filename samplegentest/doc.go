// Package samplegentest is the test kit for samplegen tools: a scripted
// model ([Answers]), a model that replays recorded answers ([Replay]), and
// an MCP client and server in memory on either protocol era ([Serve]), so
// a tool is tested with go test, offline, in a few lines.
package samplegentest
