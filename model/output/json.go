package output

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/platypus-tui/platypus/model"
)

// Write writes v, indented, with the raw values a registry sent; what JSON
// leaves as it is but a terminal would act on is written as \uXXXX escapes.
func Write(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("writing JSON: %w", err)
	}
	if _, err := w.Write(append(model.EscapeJSON(b), '\n')); err != nil {
		return fmt.Errorf("writing JSON: %w", err)
	}
	return nil
}

// Indent encodes v as Write does, for a place indent deep in a document
// written piece by piece.
func Indent(v any, indent string) ([]byte, error) {
	b, err := json.MarshalIndent(v, indent, "  ")
	if err != nil {
		return nil, fmt.Errorf("writing JSON: %w", err)
	}
	return model.EscapeJSON(b), nil
}

// Quote encodes s as a JSON string, escaped as Write escapes it.
func Quote(s string) string { return string(AppendString(nil, s)) }

// AppendString appends s as Write writes a string: as it is, quoted, when
// it is plain (most names are), else through encoding/json.
func AppendString(b []byte, s string) []byte {
	if plain(s) {
		return append(append(append(b, '"'), s...), '"')
	}
	q, _ := json.Marshal(s) // a string always encodes
	return append(b, model.EscapeJSON(q)...)
}

// plain tells whether s needs no escaping in JSON (nor in EscapeJSON).
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}

// nonNil is s, or an empty list: the contract has [] where there is none.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// emptyMap is m, or an empty object.
func emptyMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}
