package prompt

import (
	"strings"
	"text/template"
	"text/template/parse"
)

// ListedEnums returns the output's enum paths a prompt surely lists itself
// with {{enum "path"}} (or {{enum "output:path"}}): the instructions leave
// those meanings out, so that the model is not told them twice, since every
// token of instructions is paid on every ask.
//
// Only a call that runs on every render counts: one printed by an action of
// the prompt's main template or of its system block, or of a template they
// call with {{template}} where that call itself always runs, or one in both
// branches of an {{if}} or {{with}}. A call under one branch, in a
// {{range}}, in a template nothing calls, in a condition or assigned to a
// variable is not counted, nor one whose path is not a string constant: the
// meanings stay in the instructions then, told twice at worst rather than
// never. "input:" paths are the input's, never the output's.
func ListedEnums(t *template.Template) map[string]bool {
	w := listWalker{t: t, visiting: map[string]bool{}}
	listed := w.template(t.Name())
	for p := range w.template(SystemTemplate) {
		listed[p] = true
	}
	return listed
}

type listWalker struct {
	t        *template.Template
	visiting map[string]bool // templates being walked, against {{template}} recursion
}

// template returns the paths the template named name always lists.
func (w listWalker) template(name string) map[string]bool {
	listed := map[string]bool{}
	tt := w.t.Lookup(name)
	if tt == nil || tt.Tree == nil || w.visiting[name] {
		return listed
	}
	w.visiting[name] = true
	defer delete(w.visiting, name)
	w.list(tt.Root, listed)
	return listed
}

// list adds to listed the paths n always lists.
func (w listWalker) list(n *parse.ListNode, listed map[string]bool) {
	if n == nil {
		return
	}
	for _, c := range n.Nodes {
		switch c := c.(type) {
		case *parse.ActionNode:
			if len(c.Pipe.Decl) == 0 {
				enumCalls(c.Pipe, listed)
			}
		case *parse.TemplateNode:
			for p := range w.template(c.Name) {
				listed[p] = true
			}
		case *parse.IfNode:
			w.both(&c.BranchNode, listed)
		case *parse.WithNode:
			w.both(&c.BranchNode, listed)
		}
	}
}

// both adds the paths that both branches of b list: one of them runs.
func (w listWalker) both(b *parse.BranchNode, listed map[string]bool) {
	if b.ElseList == nil {
		return
	}
	then, els := map[string]bool{}, map[string]bool{}
	w.list(b.List, then)
	w.list(b.ElseList, els)
	for p := range then {
		if els[p] {
			listed[p] = true
		}
	}
}

// enumCalls adds the constant output paths of the {{enum}} calls in n.
func enumCalls(n parse.Node, listed map[string]bool) {
	switch n := n.(type) {
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, c := range n.Cmds {
			enumCalls(c, listed)
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
			enumCalls(a, listed)
		}
	}
}
