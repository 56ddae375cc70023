//go:build unix

package state

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/platypus-tui/platypus/model"
)

// Every state file is opened without following a link planted at its
// name: the link is refused, naming the path, and what it points at is
// left as it was.
func TestStateFilesRefuseSymbolicLinks(t *testing.T) {
	for _, name := range []string{"journal.jsonl", "journal.jsonl.lock", "journal.jsonl.append.lock", "recent.json"} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "state")
			d, err := Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			victim := filepath.Join(t.TempDir(), "victim")
			if err := os.WriteFile(victim, []byte("precious\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			link := filepath.Join(dir, name)
			if err := os.Symlink(victim, link); err != nil {
				t.Fatal(err)
			}
			j := d.Journal()
			var errs []error
			errs = append(errs, j.Append(rec("a", Intended, "r/x:1", "", "sha256:1")))
			unlock, lerr := j.Lock(context.Background())
			if lerr == nil {
				unlock()
			}
			errs = append(errs, lerr)
			_, rerr := j.Read("")
			errs = append(errs, rerr)
			_, rerr = d.Recent(false)
			errs = append(errs, rerr)
			_ = d.Remember("r/x:1", false)
			if _, err := Open(dir); err == nil && name != "recent.json" {
				t.Error("Open took a linked journal file")
			}
			refused := false
			for _, err := range errs {
				if err != nil && errors.Is(err, ErrLink) && strings.Contains(err.Error(), link) {
					refused = true
				} else if err != nil && !strings.Contains(err.Error(), link) {
					t.Errorf("an error that does not name %s: %v", link, err)
				}
			}
			if !refused {
				t.Errorf("the link was never refused: %v", errs)
			}
			if b, _ := os.ReadFile(victim); string(b) != "precious\n" {
				t.Errorf("the link's target was written through: %q", b)
			}
			if fi, _ := os.Stat(victim); fi.Mode().Perm() != 0o644 {
				t.Errorf("the link's target was chmodded: %v", fi.Mode().Perm())
			}
		})
	}
}

// State files are created 0600 whatever the umask, and a journal others
// could read (0666, from an older version or another tool) is made
// private when the directory is opened and when it is appended to.
func TestStateFilesArePrivate(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	dir := filepath.Join(t.TempDir(), "state")
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	j := d.Journal()
	mustAppend(t, j, rec("a", Intended, "r/x:1", "", "sha256:1"))
	unlock, err := j.Lock(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	unlock()
	if err := d.Remember("r/x:1", false); err != nil {
		t.Fatal(err)
	}
	if err := d.SaveDraft(model.Reference{Registry: "r", Repository: "x", Tag: "1"}, d.Revision(), []byte("{}")); err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			fi, _ := e.Info()
			if fi.Mode().IsRegular() && fi.Mode().Perm() != 0o600 {
				t.Errorf("%s: %s is %v, want 0600", when, e.Name(), fi.Mode().Perm())
			}
		}
	}
	check("created")
	for _, f := range []string{"journal.jsonl", "journal.jsonl.lock", "journal.jsonl.append.lock"} {
		_ = os.Chmod(filepath.Join(dir, f), 0o666)
	}
	if _, err := Open(dir); err != nil {
		t.Fatal(err)
	}
	check("reopened")
	_ = os.Chmod(filepath.Join(dir, "journal.jsonl"), 0o666)
	mustAppend(t, j, rec("a", Completed, "r/x:1", "", "sha256:1"))
	check("appended")
}

// A FIFO at the journal's name does not hang an append or a read.
func TestJournalFIFODoesNotBlock(t *testing.T) {
	p := filepath.Join(t.TempDir(), "journal.jsonl")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skip(err)
	}
	j := OpenJournal(p)
	if err := j.Append(rec("a", Intended, "r/x:1", "", "sha256:1")); !errors.Is(err, ErrDamaged) {
		t.Errorf("append to a FIFO: %v", err)
	}
	if _, err := j.Read(""); !errors.Is(err, ErrDamaged) {
		t.Errorf("read of a FIFO: %v", err)
	}
}
