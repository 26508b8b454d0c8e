package provider

import (
	"fmt"
	"net/url"
)

// What both adapters check of a [Config] before they make a client.

// noModel is the error of an adapter given no model.
func noModel(provider string) error {
	return fmt.Errorf("provider: no model for %s: set %s or Config.Model (for example %s)", provider, EnvModel, exampleModel(provider))
}

// parseBaseURL checks that raw, from Config.BaseURL or the variable env, is
// an http or https URL with a host; example is one that is.
func parseBaseURL(raw, env, example string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("provider: base URL %q (Config.BaseURL or %s) is not an http or https URL, such as %s", clip(raw, 200), env, example)
	}
	return u, nil
}
