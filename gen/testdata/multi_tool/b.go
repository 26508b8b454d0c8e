package support

// reply drafts a reply to a ticket.
//
//samplegen:tool draft_reply
//samplegen:prompt prompts/reply.tmpl
//samplegen:output draft
//samplegen:params retries=0 timeout=2m
type reply struct {
	Ticket  Triage `json:"ticket"`
	Tone    string `json:"tone,omitempty" jsonschema:"default=friendly"`
	private string
}

type draft struct {
	Text string `json:"text"`
}
