package communication_test

import (
	"context"
	"fmt"

	"github.com/samplegen/samplegen/samplegentest"
	"github.com/samplegen/samplegen/templates/communication"
)

// SampleDraftReply asks a model for a draft and returns it typed. Here a
// scripted model answers, its first draft writing the customer's part too,
// which the tool sends back; served with AddTools, the MCP client's model
// answers instead.
func Example() {
	model := samplegentest.Answers(
		`{"subject": "Re: Order 1182", "text": "Hi Dana, your refund is on its way.\n\nCustomer: Thanks!", "language": "en"}`,
		`{"subject": "Re: Order 1182", "text": "Hi Dana,\n\nsorry the mug arrived broken. Your refund of 18 EUR is on its way.\n\nSam", "language": "en"}`,
	)
	reply, err := communication.SampleDraftReply(context.Background(), model, communication.DraftReply{
		Conversation: []communication.Message{
			{Role: communication.Other, Name: "Dana", Text: "My mug from order 1182 arrived broken. Can I get my money back?"},
			{Role: communication.Note, Text: "Refund approved: 18 EUR, no return needed."},
		},
		Goal:   "Confirm the refund",
		Tone:   communication.Apologetic,
		SignAs: "Sam",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(reply.Subject)
	fmt.Println(reply.Text)
	// Output:
	// Re: Order 1182
	// Hi Dana,
	//
	// sorry the mug arrived broken. Your refund of 18 EUR is on its way.
	//
	// Sam
}
