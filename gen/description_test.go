package gen

import "testing"

// A doc comment becomes a description a client can show: no Go name at its
// start, no hard line breaks, paragraphs kept.
func TestToolDescription(t *testing.T) {
	for _, tc := range []struct{ doc, name, want string }{
		{"AnalyzeSentiment classifies the sentiment of a short text.\n", "AnalyzeSentiment", "Classifies the sentiment of a short text."},
		{"Triage reads a ticket with the client's model and routes it: urgent\ntickets go to on-call.\n", "Triage", "Reads a ticket with the client's model and routes it: urgent tickets go to on-call."},
		{"Ticket is a support ticket.", "Ticket", "A support ticket."},
		{"Tickets are grouped.", "Tickets", "Grouped."},
		{"Summarize reads a ticket.\n\nIt answers in\none line.", "Summarize", "Reads a ticket.\n\nIt answers in one line."},
		{"Classify a ticket.", "Summarize", "Classify a ticket."},           // another name: kept as written
		{"SummarizeAll reads all.", "Summarize", "SummarizeAll reads all."}, // a longer word is not the name
		{"Summarize", "Summarize", "Summarize"},                             // the name alone stays
		{"Ünicode ärger.", "Ünicode", "Ärger."},
		{"", "X", ""},
		{"  \n\n  ", "X", ""},
	} {
		if got := toolDescription(tc.doc, tc.name); got != tc.want {
			t.Errorf("toolDescription(%q, %q) = %q, want %q", tc.doc, tc.name, got, tc.want)
		}
	}
}
