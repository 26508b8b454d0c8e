package prompt

import (
	"strings"
	"text/template"
	"text/template/parse"
)

// ListedEnums returns the output's enum paths a prompt lists itself with
// {{enum "path"}} (or {{enum "output:path"}}), in any of its templates. The
// instructions leave those meanings out, so that the model is not told them
// twice: every token of instructions is paid on every ask. A path given by
// anything but a string constant is not counted, so its meanings stay in
// the instructions too; "input:" paths are the input's, never the output's.
func ListedEnums(t *template.Template) map[string]bool {
	listed := map[string]bool{}
	for _, tt := range t.Templates() {
		if tt.Tree != nil {
			walkEnumCalls(tt.Root, listed)
		}
	}
	return listed
}

func walkEnumCalls(n parse.Node, listed map[string]bool) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			walkEnumCalls(c, listed)
		}
	case *parse.ActionNode:
		walkEnumCalls(n.Pipe, listed)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, c := range n.Cmds {
			walkEnumCalls(c, listed)
		}
	case *parse.CommandNode:
		if len(n.Args) == 2 {
			if id, ok := n.Args[0].(*parse.IdentifierNode); ok && id.Ident == "enum" {
				if s, ok := n.Args[1].(*parse.StringNode); ok && !strings.HasPrefix(s.Text, InputPrefix) {
					listed[strings.TrimPrefix(s.Text, OutputPrefix)] = true
				}
			}
		}
		for _, a := range n.Args {
			walkEnumCalls(a, listed)
		}
	case *parse.IfNode:
		walkBranch(&n.BranchNode, listed)
	case *parse.RangeNode:
		walkBranch(&n.BranchNode, listed)
	case *parse.WithNode:
		walkBranch(&n.BranchNode, listed)
	case *parse.TemplateNode:
		walkEnumCalls(n.Pipe, listed)
	}
}

func walkBranch(b *parse.BranchNode, listed map[string]bool) {
	walkEnumCalls(b.Pipe, listed)
	walkEnumCalls(b.List, listed)
	walkEnumCalls(b.ElseList, listed)
}
