package provider

import (
	"strings"
	"testing"

	"github.com/samplegen/samplegen/runtime"
)

// FromEnv reads SAMPLEGEN_PROVIDER and SAMPLEGEN_MODEL: nothing set is no
// model and no error; half a configuration says what to set.
func TestFromEnv(t *testing.T) {
	for _, tc := range []struct {
		provider, model string
		ok              bool
		want            string // in the error; "" for none
	}{
		{"", "", false, ""},
		{" Anthropic ", "claude-test", true, ""},
		{"ollama", "", false, "set " + EnvModel + " (for example llama3.2)"},
		{"", "gpt-4o-mini", false, EnvProvider + " is not"},
		{"gemini", "g", false, `"gemini" is not one of`},
	} {
		t.Setenv(EnvProvider, tc.provider)
		t.Setenv(EnvModel, tc.model)
		c, ok, err := FromEnv()
		if ok != tc.ok || (tc.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%q %q: FromEnv = %+v, %v, %v; want ok %v and an error saying %q", tc.provider, tc.model, c, ok, err, tc.ok, tc.want)
		}
		if ok && (c.Provider != Anthropic || c.Model != tc.model) {
			t.Errorf("FromEnv = %+v", c)
		}
	}
}

// New and Open make the adapter a provider names, in any case, and fail
// with a nil Sampler, not an interface holding a nil adapter.
func TestNewByName(t *testing.T) {
	t.Setenv(EnvOpenAIBaseURL, "")
	t.Setenv(EnvAnthropicKey, "")
	t.Setenv(EnvAnthropicAuthToken, "")
	m, err := Open("OLLAMA", "llama3.2")
	if o, ok := m.(*OpenAIModel); err != nil || !ok || o.Model() != "llama3.2" || o.baseURL != OllamaBaseURL {
		t.Errorf("Open(OLLAMA) = %T %v", m, err)
	}
	for _, tc := range []struct {
		c    Config
		want string
	}{
		{Config{}, "no provider named: set " + EnvProvider},
		{Config{Provider: "gemini", Model: "g"}, `"gemini" is not a provider`},
		{Config{Provider: OpenAI}, "needs a model: set " + EnvModel},
		{Config{Provider: Anthropic, Model: "claude-test"}, "set " + EnvAnthropicKey},                       // NewAnthropic fails
		{Config{Provider: OpenAI, Model: "m", APIKey: "k", BaseURL: "ftp://x"}, "not an http or https URL"}, // NewOpenAI fails
	} {
		s, err := New(tc.c)
		if s != nil || err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%+v) = %#v, %v; want a nil Sampler and an error saying %q", tc.c, s, err, tc.want)
		}
	}
}

// Serve (package runtime) reads the same two variables, and Open is the
// constructor its ServeConfig.NewModel takes; runtime cannot import this
// package (it would link the SDKs into every server), so the names are
// held equal here.
func TestServeReadsTheSameVariables(t *testing.T) {
	if EnvProvider != runtime.EnvProvider || EnvModel != runtime.EnvModel {
		t.Errorf("provider reads %s and %s, runtime.Serve %s and %s", EnvProvider, EnvModel, runtime.EnvProvider, runtime.EnvModel)
	}
	_ = runtime.ServeConfig{NewModel: Open} // compiles only while the signatures agree
}
