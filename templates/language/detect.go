package language

// DetectLanguage tells which language a text is written in, as an ISO
// 639-1 code, with a confidence.
//
//samplegen:tool detect_language
//samplegen:title Detect the language of a text
//samplegen:prompt detect.tmpl
//samplegen:output Detection
//samplegen:params temperature=0 max_tokens=64 retries=2 timeout=30s
type DetectLanguage struct {
	// The text whose language to tell; its first 2000 characters
	// are read.
	Text string `json:"text" jsonschema:"minLength=1,maxLength=100000"`
}

// Detection is a text's language.
type Detection struct {
	// The ISO 639-1 code of the text's language, two lower-case
	// letters such as "en"; for a text in several, the one most of it is
	// written in.
	Language string `json:"language"`
	// How sure the verdict is, from 0 (a guess) to 1 (certain).
	Confidence float64 `json:"confidence" jsonschema:"minimum=0,maximum=1"`
}

// Validate holds the language to the ISO 639-1 list. Models write names
// ("English"), upper case ("EN") or regions
// ("pt-BR"); the re-ask names the code to write.
func (d Detection) Validate() error { return checkCode("/language", d.Language) }

// Code returns the language as a Code.
func (d Detection) Code() Code { return Code(d.Language) }
