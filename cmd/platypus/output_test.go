package main

import (
	"bytes"
	"testing"
)

// writeNamesJSON writes byte for byte what writeJSON writes, name by name.
func TestWriteNamesJSONMatchesWriteJSON(t *testing.T) {
	for _, names := range [][]string{nil, {}, {"1.0"}, {"a", "b<c>&d", "e\"f", "g\\h", "\x1b[31mred", "bidi\u202e", "ü"}} {
		var want, got bytes.Buffer
		if err := writeJSON(&want, tagsJSON{Repository: "r/é<x>", Tags: nonNil(names)}); err != nil {
			t.Fatal(err)
		}
		if err := writeNamesJSON(&got, "repository", "r/é<x>", "tags", names); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("names %q:\n got %s\nwant %s", names, got.String(), want.String())
		}
	}
}
