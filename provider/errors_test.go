package provider

import (
	"bufio"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Each way a request can fail without an error status is worded for what
// it is, and says what to check: only a server that cannot be reached is
// "cannot reach". The servers here are small fakes, each failing one way
// (aimock cannot: it always speaks HTTP and JSON); a body that is not the
// API's JSON is aimock's own chaos, in TestOpenAIMalformedAnswer and
// TestAnthropicMalformedAnswer.
func TestTransportFailuresSayWhatHappened(t *testing.T) {
	t.Parallel()
	adapters := []struct{ provider, name, env string }{
		{OpenAI, "OpenAI", EnvOpenAIBaseURL},
		{Anthropic, "Anthropic", EnvAnthropicBaseURL},
	}
	for _, tc := range []struct {
		name    string
		baseURL func(t *testing.T) string
		want    []string // besides the variable that sets the address
	}{
		{"nothing listens", func(t *testing.T) string {
			l, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			l.Close()
			return "http://" + l.Addr().String()
		}, []string{"provider: cannot reach", "check that it runs"}},
		{"closes the connection", func(t *testing.T) string {
			return "http://" + rawServer(t, "")
		}, []string{"took the connection but sent no HTTP answer", "points at"}},
		{"speaks another protocol", func(t *testing.T) string {
			return "http://" + rawServer(t, "SSH-2.0-OpenSSH_9.6\r\n")
		}, []string{"took the connection but sent no HTTP answer", "malformed HTTP response", "points at"}},
		{"plain HTTP behind https", func(t *testing.T) string {
			srv := quietServer(t, false)
			return strings.Replace(srv.URL, "http://", "https://", 1)
		}, []string{"answers plain HTTP to an https request", "http:// address"}},
		{"untrusted certificate", func(t *testing.T) string {
			return quietServer(t, true).URL
		}, []string{"TLS handshake", "failed", "certificate"}},
	} {
		for _, a := range adapters {
			t.Run(tc.name+"/"+a.name, func(t *testing.T) {
				t.Parallel()
				tr := &http.Transport{}
				t.Cleanup(tr.CloseIdleConnections)
				model, err := New(Config{Provider: a.provider, Model: "m", APIKey: "k", BaseURL: tc.baseURL(t), MaxRetries: -1, HTTPClient: &http.Client{Transport: tr}})
				if err != nil {
					t.Fatal(err)
				}
				_, err = model.CreateMessage(t.Context(), ask("hi"))
				var e *Error
				if !errors.As(err, &e) || e.StatusCode != 0 || e.Provider != a.name {
					t.Fatalf("%v, want an *Error from %s with no status", err, a.name)
				}
				for _, want := range append(tc.want, a.env) {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("%q does not say %q", err, want)
					}
				}
				if tc.name != "nothing listens" && strings.Contains(err.Error(), "cannot reach") {
					t.Errorf("%q says the server cannot be reached; it was", err)
				}
			})
		}
	}
}

// rawServer accepts connections on a local port, reads each request's
// head, answers say and closes the connection; it stops when t ends.
func rawServer(t *testing.T, say string) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			// The request is read first, body and all: net/http takes an
			// answer before its request for another error, and a close
			// with unread bytes is a reset, which may lose the answer.
			if req, err := http.ReadRequest(bufio.NewReader(c)); err == nil {
				_, _ = io.Copy(io.Discard, req.Body)
			}
			_, _ = c.Write([]byte(say))
			c.Close()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		<-done
	})
	return l.Addr().String()
}

// quietServer is an HTTP server (https where tls) that answers 404 and
// keeps the handshakes it fails out of the test's output.
func quietServer(t *testing.T, tls bool) *httptest.Server {
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	if tls {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return srv
}
