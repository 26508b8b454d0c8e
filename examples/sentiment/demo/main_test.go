package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
)

// TestMain lets the test binary play the server too, as the demo binary
// does: run starts os.Executable() with serverEnv set.
func TestMain(m *testing.M) {
	if proto := os.Getenv(serverEnv); proto != "" {
		if err := serve(proto); err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestDemoEndToEnd(t *testing.T) {
	for _, tc := range []struct {
		protocol, era, text, want string
	}{
		{"2026-07-28", "multi-round-trip", "I love this", "Sentiment:  positive"},
		{"2025-11-25", "push", "The delivery was late and the box was broken", "Sentiment:  negative"},
	} {
		t.Run(tc.protocol, func(t *testing.T) {
			for _, v := range []string{"SAMPLEGEN_PROVIDER", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "OPENAI_BASE_URL"} {
				t.Setenv(v, "")
			}
			var out bytes.Buffer
			if err := run(context.Background(), &out, tc.protocol, tc.text); err != nil {
				t.Fatalf("%v\n%s", err, out.String())
			}
			got := out.String()
			for _, want := range []string{
				"OFFLINE DEMO MODEL",
				"protocol " + tc.protocol,
				tc.want,
				"what the runtime did (" + tc.era + ", 2 round(s), 4 repair(s)",
				"refused, re-asked: /confidence:",
				`repaired /sentiment: enum-case:`,
				"repaired fence:",
			} {
				if !strings.Contains(got, want) {
					t.Errorf("output lacks %q:\n%s", want, got)
				}
			}
		})
	}
}

func TestDemoSaysPlainlyThatProvidersAreNotThereYet(t *testing.T) {
	t.Setenv("OPENAI_API_KEY", "sk-test")
	var out bytes.Buffer
	if err := run(context.Background(), &out, "2026-07-28", "fine"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "OPENAI_API_KEY is set, but samplegen has no provider adapters yet") {
		t.Errorf("output does not say the provider is not used:\n%s", out.String())
	}
}
