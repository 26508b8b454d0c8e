// Command conformancefixtures is the conformance example server
// (examples/conformance/server: analyze_sentiment and test_sampling, added
// by conformance.AddTools and served by runtime.Serve with the same flags)
// plus the tools that the 2026-07-28 scenarios of the official conformance
// suite (@modelcontextprotocol/conformance 0.2.0-alpha.12, interop's
// "conformance-next") call by name. It exists for interop/conformance_test.go:
// without these tools the scenarios that exercise multi round-trip sampling
// end at "unknown tool" and test nothing of the runtime.
//
// Every fixture is a sampling tool and nothing more: conformance.TestSampling,
// the function behind test_sampling, with the question the scenario's
// description names. The suite asks for elicitation, roots and prompt
// fixtures too; samplegen does sampling only, so those are absent here and
// the scenarios that need them are excluded in conformance_test.go.
//
//   - test_input_required_result_sampling (input-required-result-basic-sampling):
//     round 1 must be an InputRequiredResult holding one sampling/createMessage
//     input request; round 2, with the suite's answer and the requestState, a
//     complete result.
//   - test_input_required_result_tampered_state
//     (input-required-result-tampered-state): round 2 with a requestState the
//     suite altered must be a JSON-RPC error (the runtime's state is
//     HMAC-signed).
//   - test_input_required_result_capabilities
//     (input-required-result-capability-check): for a client declaring
//     sampling only, no elicitation/create input request.
//   - test_missing_capability (server-stateless,
//     sep-2575-server-rejects-undeclared-capability and
//     sep-2575-missing-capability-http-400): called by a client that declares
//     no capability, it must fail with -32021, HTTP 400, and
//     error.data.requiredCapabilities {"sampling": {}}.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"os/signal"
	"syscall"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/samplegen/samplegen/examples/conformance"
	"github.com/samplegen/samplegen/runtime"
)

// noInput is the input of every fixture: the suite calls them with {}.
type noInput struct{}

// fixtures are the tools the 2026-07-28 scenarios call, each with the
// question it asks the client's model.
var fixtures = []struct{ name, question string }{
	{"test_input_required_result_sampling", "What is the capital of France?"},
	{"test_input_required_result_tampered_state", "What is the capital of France?"},
	{"test_input_required_result_capabilities", "What is the capital of France?"},
	{"test_missing_capability", "What is the capital of France?"},
}

func main() {
	serve := runtime.ServeFlags(flag.CommandLine)
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	srv := mcp.NewServer(&mcp.Implementation{Name: "samplegen-conformance", Version: "0.1.0"}, nil)
	if err := conformance.AddTools(srv); err != nil {
		log.Fatal(err)
	}
	in, err := jsonschema.For[noInput](nil)
	if err != nil {
		log.Fatal(err)
	}
	out, err := jsonschema.For[conformance.SamplingOutput](nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range fixtures {
		question := f.question
		err := runtime.AddFunc(srv, &mcp.Tool{
			Name:         f.name,
			Description:  "Conformance fixture: asks the client's model " + question,
			InputSchema:  in,
			OutputSchema: out,
		}, func(ctx context.Context, s runtime.Sampler, _ noInput) (conformance.SamplingOutput, error) {
			return conformance.TestSampling(ctx, s, conformance.SamplingInput{Prompt: question})
		})
		if err != nil {
			log.Fatal(err)
		}
	}
	if err := runtime.Serve(ctx, srv, serve); err != nil {
		log.Fatal(err)
	}
}
