package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/samplegen/samplegen/internal/aimock"
	"github.com/samplegen/samplegen/provider"
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
			clearProviderEnv(t)
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

// A key alone does not choose a model: the demo says what to set, and
// runs offline.
func TestDemoSaysWhatAKeyAloneLacks(t *testing.T) {
	clearProviderEnv(t)
	t.Setenv("OPENAI_API_KEY", "sk-test")
	var out bytes.Buffer
	if err := run(context.Background(), &out, "2026-07-28", "fine"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"OFFLINE DEMO MODEL", "OPENAI_API_KEY is set but SAMPLEGEN_PROVIDER is not; set SAMPLEGEN_PROVIDER"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

// With a provider configured, the demo's client answers with it: each
// adapter against aimock, on both eras, through the respond tool, and the
// report carries the provider's model and token counts.
func TestDemoOnAConfiguredProvider(t *testing.T) {
	for _, p := range []struct {
		name, model, fixtures string
		env                   func(url string) map[string]string
	}{
		{"openai", "gpt-4o-mini", "testdata/aimock/openai.json", func(url string) map[string]string {
			return map[string]string{"OPENAI_BASE_URL": url + "/v1", "OPENAI_API_KEY": "sk-test"}
		}},
		{"anthropic", "claude-haiku-4-5", "testdata/aimock/anthropic.json", func(url string) map[string]string {
			return map[string]string{"ANTHROPIC_BASE_URL": url, "ANTHROPIC_API_KEY": "sk-ant-test"}
		}},
	} {
		t.Run(p.name, func(t *testing.T) {
			mock := aimock.Start(t, aimock.Options{Fixtures: p.fixtures})
			for _, protocol := range []string{"2026-07-28", "2025-11-25"} {
				t.Run(protocol, func(t *testing.T) {
					clearProviderEnv(t)
					t.Setenv(provider.EnvProvider, p.name)
					t.Setenv(provider.EnvModel, p.model)
					for k, v := range p.env(mock.URL) {
						t.Setenv(k, v)
					}
					var out bytes.Buffer
					if err := run(context.Background(), &out, protocol, "I love this"); err != nil {
						t.Fatalf("%v\n%s", err, out.String())
					}
					for _, want := range []string{
						"model:  " + p.name + " " + p.model + ", a real model",
						"Sentiment:  positive",
						"Confidence: 0.93",
						"1 round(s)",
						"tokens: 41 in, 12 out",
					} {
						if !strings.Contains(out.String(), want) {
							t.Errorf("output lacks %q:\n%s", want, out.String())
						}
					}
					if strings.Contains(out.String(), "OFFLINE") {
						t.Errorf("the offline model answered:\n%s", out.String())
					}
				})
			}
		})
	}
}

func clearProviderEnv(t *testing.T) {
	for _, v := range []string{provider.EnvProvider, provider.EnvModel, "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "OPENAI_BASE_URL", "ANTHROPIC_BASE_URL"} {
		t.Setenv(v, "")
	}
}
