// Package templates is samplegen's library of ready tools, one package a
// use case, each a samplegen package like any other: annotated types, a
// prompt file for each tool, the generated file, tests on messy answers
// scripted as real models write them (prose, fences, a wrong case, an answer
// Validate sends back) and a labelled dataset in testdata.
//
//   - classify: sentiment, intent, moderation, and labels given at call time
//   - summarize: a summary of a given length and style
//   - language: translate, rewrite in a tone, correct grammar with the
//     corrections listed, detect a language as an ISO code
//   - code: explain code, review it with findings at lines and severities
//   - analytics: a time series told as a headline, trends and anomalies
//   - communication: a reply drafted from a conversation with roles
//   - teaching: an explanation at a level, step by step
//
// A server uses one by importing it and adding its tools:
//
//	srv := mcp.NewServer(&mcp.Implementation{Name: "myserver"}, nil)
//	classify.AddTools(srv)
//
// or copies it, to change its prompts and types, with
// samplegen init -tool classify, which writes the package into the new
// module whole (tests and testdata too) from [Sources].
package templates

import "embed"

// Sources holds the library's packages, a folder each (classify/...,
// code/...): their Go files, prompt files and testdata, which is what
// samplegen init copies (a command cannot embed files from outside its
// own folder). Only these patterns are embedded, so that a folder being
// started, still empty, does not break the build.
//
//go:embed */*.go */*.tmpl */testdata/*
var Sources embed.FS
