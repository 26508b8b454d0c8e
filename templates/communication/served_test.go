package communication_test

import (
	"context"
	"strings"
	"testing"

	"github.com/samplegen/samplegen/samplegentest"
	"github.com/samplegen/samplegen/templates/communication"
)

// Served as an MCP server, on either era, draft_reply takes its
// conversation from the client, re-asks through it when a chat reply has a
// subject, and reports both rounds.
func TestServed(t *testing.T) {
	for _, era := range samplegentest.Eras {
		t.Run(string(era), func(t *testing.T) {
			model := samplegentest.Answers(
				`{"subject": "Your refund", "text": "Hi Dana, your refund of 18 EUR is on its way!", "language": "en"}`,
				`{"text": "Hi Dana, your refund of 18 EUR is on its way!", "language": "en"}`,
			).ExpectAllUsed(t)
			sess := samplegentest.Serve(t, communication.AddTools, model, era)
			in := refund
			in.Channel = communication.Chat
			reply, rep := samplegentest.Call[communication.Reply](t, sess, "draft_reply", in)
			if reply.Subject != "" || reply.Text != "Hi Dana, your refund of 18 EUR is on its way!" {
				t.Errorf("reply: %+v", reply)
			}
			if rounds := rep.Samples[0].Rounds; len(rounds) != 2 || !strings.Contains(rounds[0].Error, "a chat reply has no subject") {
				t.Errorf("rounds: %+v", rounds)
			}
		})
	}
}

// The input schema refuses an empty conversation before the model is asked: the
// script holds no answer, and would fail the test if asked.
func TestServedRefusesBadInput(t *testing.T) {
	for _, era := range samplegentest.Eras {
		t.Run(string(era), func(t *testing.T) {
			model := samplegentest.Answers().ExpectAllUsed(t)
			sess := samplegentest.Serve(t, communication.AddTools, model, era)
			_, _, err := samplegentest.TryCall[communication.Reply](context.Background(), sess, "draft_reply", communication.DraftReply{Conversation: []communication.Message{}})
			if err == nil || !strings.Contains(err.Error(), "invalid arguments: /conversation") {
				t.Errorf("err = %v, want the input's conversation refused", err)
			}
		})
	}
}
