package language_test

import (
	"context"
	"strings"
	"testing"

	"github.com/samplegen/samplegen/samplegentest"
	"github.com/samplegen/samplegen/templates/language"
)

// Served as an MCP server, on either era, the tools take their arguments
// from the client, hold the answers to them and re-ask through the client;
// a target that is not a code is refused by the input schema before any
// model is asked.
func TestServed(t *testing.T) {
	for _, era := range samplegentest.Eras {
		t.Run(string(era), func(t *testing.T) {
			model := samplegentest.Answers(
				`{"translation": "Bonjour {nom}", "source_language": "en"}`,
				`{"translation": "Bonjour {name}", "source_language": "en"}`,
				`{"language": "JA", "confidence": 0.99}`,
				`{"language": "ja", "confidence": 0.99}`,
			).ExpectAllUsed(t)
			sess := samplegentest.Serve(t, language.AddTools, model, era)

			tr, rep := samplegentest.Call[language.Translation](t, sess, "translate", language.Translate{Text: "Hello {name}", Target: language.French})
			if tr.Translation != "Bonjour {name}" || tr.SourceCode() != language.English {
				t.Errorf("translate: %+v", tr)
			}
			if rounds := rep.Samples[0].Rounds; len(rounds) != 2 || !strings.Contains(rounds[0].Error, `"{name}" is missing`) {
				t.Errorf("translate rounds: %+v", rounds)
			}

			det, _ := samplegentest.Call[language.Detection](t, sess, "detect_language", language.DetectLanguage{Text: "明日の会議は午後三時からです。"})
			if det.Code() != language.Japanese {
				t.Errorf("detect_language: %+v", det)
			}

			_, _, err := samplegentest.TryCall[language.Translation](context.Background(), sess, "translate",
				map[string]any{"text": "Hello", "target": "french"})
			if err == nil || !strings.Contains(err.Error(), "target") {
				t.Errorf("translate to %q: %v, want the input refused", "french", err)
			}
		})
	}
}
