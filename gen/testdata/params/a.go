// Package params is a samplegen test case: every key of samplegen:params,
// and samplegen:title.
package params

// Draft drafts a reply.
//
//samplegen:tool draft_reply
//samplegen:title Draft a reply
//samplegen:prompt const=prompt
//samplegen:output Reply
//samplegen:params temperature=0.7 max_tokens=300 truncated_max_tokens=2000
//samplegen:params retries=0 timeout=1m30s
//samplegen:params stop="\n\nUser:","END",`raw, with comma` model=claude-sonnet,gpt-4o
//samplegen:params cost_priority=0.2 speed_priority=0.5 intelligence_priority=1
type Draft struct {
	Message string `json:"message"`
}

// Reply is the draft.
type Reply struct {
	Text string `json:"text"`
}

const prompt = "Draft a reply to {{fence .Message}}"
