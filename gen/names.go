package gen

import (
	"go/token"
	"slices"
	"unicode"
	"unicode/utf8"
)

// The names the generated file declares at package level come from here
// alone: the emitter declares them, and the loader claims them beforehand,
// so that a name the package already declares is an error at the tool, not
// a compile error in the generated file. (samplegenSameFields, declared once
// for the stale check, is stale.go's.)

// addToolsName is the package-level function that adds every tool.
const addToolsName = "AddTools"

// toolNames are the package-level names the code of one tool declares.
type toolNames struct {
	spec    string // the runtime tool, samplegenT
	sample  string // SampleT; empty for a function tool, which has none
	mcpTool string // TTool, its MCP description
	add     string // AddT
}

// namesOf returns the names the code of t declares. They are built from the
// Go name, exported: the generated functions of an unexported input type are
// exported all the same.
func namesOf(t tool) toolNames {
	n := exported(t.GoName)
	names := toolNames{spec: "samplegen" + n, mcpTool: n + "Tool", add: "Add" + n}
	if !t.Func {
		names.sample = "Sample" + n
	}
	return names
}

// list returns the names in the order they are emitted.
func (n toolNames) list() []string {
	if n.sample == "" {
		return []string{n.spec, n.mcpTool, n.add}
	}
	return []string{n.spec, n.sample, n.mcpTool, n.add}
}

// exported is name with its first letter upper case.
func exported(name string) string {
	r, size := utf8.DecodeRuneInString(name)
	return string(unicode.ToUpper(r)) + name[size:]
}

// claimNames records the package-level names the tool's generated code
// declares and reports those the package already uses.
func (l *pkgLoader) claimNames(t tool, at token.Pos) {
	names := namesOf(t).list()
	if len(l.generated) == 0 {
		names = append(names, addToolsName)
	}
	for _, name := range names {
		if obj := l.p.Types.Scope().Lookup(name); obj != nil {
			l.errorf(at, "tool %s generates %s, which %s already declares", t.Name, name, shortPosition(l.pos(obj.Pos())))
			continue
		}
		if prev, dup := l.generated[name]; dup {
			l.errorf(at, "tool %s generates %s, as the tool at %s does", t.Name, name, shortPosition(l.pos(prev)))
			continue
		}
		l.generated[name] = at
	}
}

// freeName is name with "_" appended while it is a Go keyword or one of
// taken: the name of a generated parameter, which must parse and must not
// hide a name its function uses (a receiver of type Map is map_).
func freeName(name string, taken ...string) string {
	for token.IsKeyword(name) || slices.Contains(taken, name) {
		name += "_"
	}
	return name
}
