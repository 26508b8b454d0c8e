package gen

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Doc comments become the text clients and the model read: a tool's
// description, a field's description, a constant's meaning.

// toolDescription makes a type's or function's doc comment the description
// a client shows for its tool, as MCP clients expect it: sentences, not Go.
// The Go name that opens a Go doc comment goes ("AnalyzeSentiment
// classifies ..." becomes "Classifies ...", "Ticket is a ..." becomes "A
// ..."), and the comment's hard line breaks go too, keeping its paragraphs.
func toolDescription(doc, goName string) string {
	var paras []string
	for _, p := range strings.Split(strings.TrimSpace(doc), "\n\n") {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			paras = append(paras, p)
		}
	}
	if len(paras) == 0 {
		return ""
	}
	first := paras[0]
	if rest, ok := strings.CutPrefix(first, goName+" "); ok && rest != "" {
		for _, verb := range []string{"is ", "are "} {
			if r, ok := strings.CutPrefix(rest, verb); ok && r != "" {
				rest = r
				break
			}
		}
		r, size := utf8.DecodeRuneInString(rest)
		paras[0] = string(unicode.ToUpper(r)) + rest[size:]
	}
	return strings.Join(paras, "\n\n")
}

// maxFieldDoc bounds the description a field's comment gives: a comment is
// documentation for people first, and every call sends the schema.
const maxFieldDoc = 1000

// fieldDoc is the description the comment of the struct field f gives: its
// doc comment, else its line comment, as invopop's AddGoComments reads
// them, on one line and at most maxFieldDoc bytes. Only fields of the
// package's named struct types have one: those of anonymous struct types
// belong to no type a comment map can name, and other packages' comments
// are about their Go API.
func (b *schemaBuilder) fieldDoc(f *types.Var) string {
	if f.Pkg() != b.l.p.Types {
		return ""
	}
	if b.fieldDocs == nil {
		b.fieldDocs = map[token.Pos]string{}
		for _, file := range b.l.p.Syntax {
			for _, decl := range file.Decls {
				d, ok := decl.(*ast.GenDecl)
				if !ok || d.Tok != token.TYPE {
					continue
				}
				for _, spec := range d.Specs {
					ts := spec.(*ast.TypeSpec)
					st, ok := ts.Type.(*ast.StructType)
					if !ok || ts.Assign.IsValid() {
						continue
					}
					for _, field := range st.Fields.List {
						doc := commentText(field.Doc)
						if doc == "" {
							doc = commentText(field.Comment)
						}
						for _, name := range field.Names {
							if doc != "" {
								b.fieldDocs[name.Pos()] = clipText(doc, maxFieldDoc)
							}
						}
					}
				}
			}
		}
	}
	return b.fieldDocs[f.Pos()]
}

// clipText cuts s to at most n bytes at a space, marking the cut.
func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n-len(" ...")+1], ' ')
	if cut <= 0 {
		cut = n - len(" ...")
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
	}
	return s[:cut] + " ..."
}

// commentText is the text of a comment group on one line.
func commentText(cg *ast.CommentGroup) string {
	if cg == nil {
		return ""
	}
	return strings.Join(strings.Fields(cg.Text()), " ")
}
