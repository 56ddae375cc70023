package main

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/platypus-tui/platypus/model"
)

// yamlError shows a config file's decoding error as the YAML library does
// (the line and a caret under the fault), but about the key, not the Go
// struct field platypus decodes it into ("concurrency: "x" is not a
// whole number", not "Go struct field fileConfig.Concurrency of type
// int").
func yamlError(src []byte, err error) string {
	out := yaml.FormatError(err, false, true)
	var yerr yaml.Error
	if !errors.As(err, &yerr) || yerr.GetToken() == nil {
		return out
	}
	key := keyAt(src, yerr.GetToken().Position.Line, yerr.GetToken().Position.Column)
	msg := yerr.GetMessage()
	var te *yaml.TypeError
	switch {
	case errors.As(err, &te) && key != "":
		return strings.Replace(out, msg, fmt.Sprintf("%s: %q is not %s", key, yerr.GetToken().Value, kindOf(te.DstType)), 1)
	case key != "":
		return strings.Replace(out, msg, key+": "+msg, 1)
	}
	return out
}

// keyAt is the dotted path of the YAML value at line and column ("" when
// none is there).
func keyAt(src []byte, line, column int) string {
	f, err := parser.ParseBytes(src, 0)
	if err != nil {
		return ""
	}
	path := ""
	for _, doc := range f.Docs {
		ast.Walk(visitor(func(n ast.Node) {
			if t := n.GetToken(); t != nil && t.Position.Line == line && t.Position.Column == column && path == "" {
				path = n.GetPath()
			}
		}), doc)
	}
	path = strings.TrimPrefix(strings.TrimPrefix(path, "$"), ".")
	// A list's index is the key's business, not the reader's.
	if i := strings.Index(path, "["); i > 0 {
		path = path[:i]
	}
	return path
}

type visitor func(ast.Node)

func (v visitor) Visit(n ast.Node) ast.Visitor {
	v(n)
	return v
}

func kindOf(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "a mapping"
	default:
		return "text"
	}
}

// checkHost is a problem with an insecure host as written ("" if none):
// HOST or HOST:PORT, as Docker's insecure-registries take them, not a URL.
func checkHost(h string) string {
	if strings.Contains(h, "://") {
		return fmt.Sprintf("%q: a host or host:port, without a scheme", h)
	}
	if _, err := model.ParseHost(h); err != nil || strings.ContainsAny(h, "/ ") {
		return fmt.Sprintf("%q: not a host or host:port", h)
	}
	return ""
}

// keyNames are the names Bubble Tea gives keys that are not characters
// (Key.String): what a key binding must say to ever match.
var keyNames = sync.OnceValue(func() map[string]bool {
	names := map[string]bool{}
	for _, code := range []rune{tea.KeyEnter, tea.KeyTab, tea.KeyBackspace, tea.KeyEscape, tea.KeySpace} {
		names[tea.Key{Code: code}.String()] = true
	}
	// The other keys have codes past Unicode's.
	for code := tea.KeyExtended + 1; code < tea.KeyExtended+1000; code++ {
		if s := (tea.Key{Code: code}).String(); s != "" && utf8.ValidString(s) && !strings.ContainsRune(s, utf8.RuneError) {
			names[s] = true
		}
	}
	return names
})

// keyModifiers are the modifiers Bubble Tea names, in the order it names
// them ("ctrl+alt+x", never "alt+ctrl+x").
var keyModifiers = []string{"ctrl+", "alt+", "shift+", "meta+", "hyper+", "super+"}

// checkKey is a problem with a key as a binding names it ("" if none).
func checkKey(k string) string {
	bare := k
	for _, m := range keyModifiers {
		bare = strings.TrimPrefix(bare, m)
	}
	if r, n := utf8.DecodeRuneInString(bare); n == len(bare) && n > 0 && r != utf8.RuneError && unicode.IsPrint(r) {
		return ""
	}
	if keyNames()[bare] {
		return ""
	}
	return fmt.Sprintf("%q is not a key (a character, ctrl+X, alt+X, enter, esc, tab, space, up, down, left, right, home, end, pgup, pgdown, f1 to f20 …; modifiers in the order ctrl+alt+shift+)", k)
}
