package main

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

var updateMan = flag.Bool("update-man", false, "rewrite docs/man from the command tree")

// manDir holds the man pages the packages install, one per command.
const manDir = "../../docs/man"

// TestManPagesMatchTheCommands regenerates the man pages from the command
// tree (cobra/doc) and compares them with docs/man: a command, flag or
// help text changed without `go test ./cmd/platypus -run ManPages
// -update-man` fails here.
func TestManPagesMatchTheCommands(t *testing.T) {
	dir := t.TempDir()
	writeManPages(t, dir)
	if *updateMan {
		old, _ := filepath.Glob(filepath.Join(manDir, "*.1"))
		for _, f := range old {
			_ = os.Remove(f)
		}
		if err := os.MkdirAll(manDir, 0o755); err != nil {
			t.Fatal(err)
		}
		pages, _ := filepath.Glob(filepath.Join(dir, "*.1"))
		for _, p := range pages {
			b, _ := os.ReadFile(p)
			if err := os.WriteFile(filepath.Join(manDir, filepath.Base(p)), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	want, got := pageNames(t, dir), pageNames(t, manDir)
	if !slices.Equal(want, got) {
		t.Fatalf("docs/man has %v, the commands make %v: go test ./cmd/platypus -run ManPages -update-man", got, want)
	}
	for _, name := range want {
		a, _ := os.ReadFile(filepath.Join(dir, name))
		b, _ := os.ReadFile(filepath.Join(manDir, name))
		if !bytes.Equal(a, b) {
			t.Errorf("docs/man/%s is out of date: go test ./cmd/platypus -run ManPages -update-man", name)
		}
	}
}

// writeManPages writes a page per command, completion included, as the
// binary a user runs has them.
func writeManPages(t *testing.T, dir string) {
	t.Helper()
	t.Setenv("HOME", t.TempDir())
	root, _ := newRootCmd(bytes.NewReader(nil), io.Discard, io.Discard)
	root.InitDefaultCompletionCmd()
	root.InitDefaultHelpCmd()
	visit(root, func(c *cobra.Command) { c.DisableAutoGenTag = true })
	// A fixed date: the pages change with the commands, not the calendar.
	date := time.Date(2026, time.December, 1, 0, 0, 0, 0, time.UTC)
	header := &doc.GenManHeader{Section: "1", Date: &date, Source: "platypus", Manual: "platypus manual"}
	if err := doc.GenManTree(root, header, dir); err != nil {
		t.Fatal(err)
	}
}

func pageNames(t *testing.T, dir string) []string {
	t.Helper()
	pages, err := filepath.Glob(filepath.Join(dir, "*.1"))
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range pages {
		pages[i] = filepath.Base(p)
	}
	slices.Sort(pages)
	return pages
}
