package registry_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// The package's exported sentinels are its error contract (callers match
// them with errors.Is): they are all declared in errors.go, so one file
// says what can go wrong.
func TestSentinelsInErrorsGo(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	found := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, spec := range gd.Specs {
				for _, id := range spec.(*ast.ValueSpec).Names {
					if !id.IsExported() || !strings.HasPrefix(id.Name, "Err") {
						continue
					}
					found++
					if name != "errors.go" {
						t.Errorf("%s: sentinel %s is declared outside errors.go", fset.Position(id.Pos()), id.Name)
					}
				}
			}
		}
	}
	if found == 0 {
		t.Fatal("no exported Err* variables found: is the test in the registry directory?")
	}
}
