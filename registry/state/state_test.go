package state

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/platypus-tui/platypus/model"
)

func rec(id, state, ref, prev, digest string) Record {
	return Record{ID: id, Time: time.Unix(0, 0).UTC(), State: state, Action: "push", Reference: ref, PreviousDigest: prev, Digest: digest}
}

func mustAppend(t *testing.T, j *Journal, rs ...Record) {
	t.Helper()
	for _, r := range rs {
		if err := j.Append(r); err != nil {
			t.Fatal(err)
		}
	}
}

func TestJournalMergesRecordsIntoChanges(t *testing.T) {
	j := OpenJournal(filepath.Join(t.TempDir(), "journal.jsonl"))
	const tag = "r.example/app:1"
	mustAppend(t, j,
		rec("a", Intended, tag, "", "sha256:1"), rec("a", Completed, tag, "", "sha256:1"),
		rec("b", Intended, tag, "sha256:1", "sha256:2"),
		rec("c", Intended, "r.example/other:1", "", "sha256:9"),
		rec("b", Failed, tag, "sha256:1", "sha256:2"),
	)
	undo := rec("u", Completed, tag, "sha256:2", "sha256:1")
	undo.Action, undo.Reverts = "undo", []string{"a"}
	mustAppend(t, j, undo)
	h, err := j.Read(tag)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Changes) != 3 || len(h.Damage) != 0 {
		t.Fatalf("changes %+v, damage %v", h.Changes, h.Damage)
	}
	if a := h.Changes[0]; !a.Done() || a.RevertedBy != "u" {
		t.Errorf("a = %+v", a)
	}
	if b := h.Changes[1]; b.State != Failed || b.Done() {
		t.Errorf("b = %+v", b)
	}
	all, _ := j.Read("")
	if len(all.Changes) != 4 {
		t.Errorf("all tags: %d changes", len(all.Changes))
	}
}

// A push past a failing release check says so on every later reading,
// though only its intended record carries the findings.
func TestJournalKeepsACheckOverride(t *testing.T) {
	j := OpenJournal(filepath.Join(t.TempDir(), "journal.jsonl"))
	const tag = "r.example/app:1"
	pushed := rec("p", Intended, tag, "sha256:1", "sha256:2")
	pushed.CheckOverridden = "1 error (platform-mismatch)"
	mustAppend(t, j, pushed, rec("p", Completed, tag, "sha256:1", "sha256:2"))
	h, err := j.Read(tag)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Changes) != 1 || h.Changes[0].CheckOverridden != "1 error (platform-mismatch)" {
		t.Fatalf("changes %+v", h.Changes)
	}
	if got := h.Changes[0].Row()[4]; got != "completed, check overridden: 1 error (platform-mismatch)" {
		t.Errorf("state column %q", got)
	}
}

// A journal line over any record's size (NUL blocks left by a crash) is
// reported where it is, and does not hide the records after it.
func TestJournalReportsDamageAndReadsOn(t *testing.T) {
	p := filepath.Join(t.TempDir(), "journal.jsonl")
	j := OpenJournal(p)
	mustAppend(t, j, rec("a", Completed, "r/x:1", "", "sha256:1"))
	f, _ := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0o600)
	_, _ = f.Write(append(bytes.Repeat([]byte{0}, 2<<20), '\n'))
	_, _ = f.Write([]byte("not json\n"))
	_ = f.Close()
	mustAppend(t, j, rec("b", Completed, "r/x:1", "sha256:1", "sha256:2"))
	h, err := j.Read("r/x:1")
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Changes) != 2 || h.Changes[1].ID != "b" {
		t.Fatalf("records after the damage were lost: %+v", h.Changes)
	}
	if len(h.Damage) != 2 || h.Damage[0].Line != 2 || !strings.Contains(h.Damage[0].What, "2097152 bytes") || !strings.Contains(h.Damage[0].What, "NUL") {
		t.Fatalf("damage = %+v", h.Damage)
	}
	if !h.Suspect() {
		t.Error("damage before the last record must make the history suspect")
	}
}

// A torn last line (a crash mid-write) is damage after the last good
// record: reported, not suspect; the next append starts on its own line.
func TestJournalTornLastLine(t *testing.T) {
	p := filepath.Join(t.TempDir(), "journal.jsonl")
	j := OpenJournal(p)
	mustAppend(t, j, rec("a", Completed, "r/x:1", "", "sha256:1"))
	f, _ := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0o600)
	_, _ = f.Write([]byte(`{"id":"b","state":"inten`))
	_ = f.Close()
	h, _ := j.Read("r/x:1")
	if len(h.Damage) != 1 || !strings.Contains(h.Damage[0].What, "truncated last line") || h.Suspect() {
		t.Fatalf("damage = %+v, suspect %v", h.Damage, h.Suspect())
	}
	mustAppend(t, j, rec("c", Completed, "r/x:1", "sha256:1", "sha256:3"))
	h, _ = j.Read("r/x:1")
	if len(h.Changes) != 2 || h.Changes[1].ID != "c" {
		t.Errorf("the record after a torn line was lost: %+v", h.Changes)
	}
}

func TestJournalThatIsNotAFile(t *testing.T) {
	dir := t.TempDir()
	if _, err := OpenJournal(dir).Read(""); !errors.Is(err, ErrDamaged) {
		t.Errorf("a directory as journal: %v", err)
	}
	h, err := OpenJournal(filepath.Join(dir, "missing")).Read("")
	if err != nil || len(h.Changes) != 0 {
		t.Errorf("a missing journal is empty: %+v %v", h, err)
	}
}

// Old journals (before records had ids and states) read as completed
// changes.
func TestJournalReadsTheOldFormat(t *testing.T) {
	p := filepath.Join(t.TempDir(), "journal.jsonl")
	_ = os.WriteFile(p, []byte(`{"time":"2026-01-01T00:00:00Z","action":"push","reference":"r/x:1","previousDigest":"sha256:1","digest":"sha256:2"}`+"\n"), 0o600)
	h, err := OpenJournal(p).Read("r/x:1")
	if err != nil || len(h.Changes) != 1 || !h.Changes[0].Done() {
		t.Errorf("old record: %+v %v", h.Changes, err)
	}
}

// The lock keeps a second holder out until the first lets go, and a
// waiter gives up when its context ends.
func TestJournalLock(t *testing.T) {
	j := OpenJournal(filepath.Join(t.TempDir(), "journal.jsonl"))
	unlock, err := j.Lock(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := j.Lock(ctx); !errors.Is(err, ErrLocked) {
		t.Fatalf("second lock: %v", err)
	}
	got := make(chan error, 1)
	go func() {
		u, err := j.Lock(context.Background())
		if err == nil {
			u()
		}
		got <- err
	}()
	unlock()
	if err := <-got; err != nil {
		t.Errorf("lock after release: %v", err)
	}
}

// Appends from many writers at once all land, each on its own line.
func TestJournalConcurrentAppends(t *testing.T) {
	j := OpenJournal(filepath.Join(t.TempDir(), "journal.jsonl"))
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = j.Append(rec(NewID(), Completed, "r/x:1", "", "sha256:"+strings.Repeat("a", i+1)))
		}()
	}
	wg.Wait()
	h, _ := j.Read("")
	if len(h.Changes) != 50 || len(h.Damage) != 0 {
		t.Errorf("%d changes, damage %v", len(h.Changes), h.Damage)
	}
}

func TestOpenRefusesWhatIsNotPrivate(t *testing.T) {
	if _, err := Open(""); !errors.Is(err, ErrNoState) {
		t.Errorf("no path: %v", err)
	}
	if _, err := Open("relative/dir"); !errors.Is(err, ErrNoState) {
		t.Errorf("relative path: %v", err)
	}
	file := filepath.Join(t.TempDir(), "file")
	_ = os.WriteFile(file, nil, 0o600)
	if _, err := Open(file); err == nil {
		t.Error("a file as state directory")
	}
	if runtime.GOOS == "windows" {
		return
	}
	open := filepath.Join(t.TempDir(), "open")
	_ = os.Mkdir(open, 0o755)
	if _, err := Open(open); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(open); fi.Mode().Perm() != 0o700 {
		t.Errorf("mode %v, want 0700", fi.Mode().Perm())
	}
}

func TestDraftsSaveInOrderAndReportDamage(t *testing.T) {
	d, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	target, _ := model.ParseReference("r.example/app:1")
	save := func(rev int64, n int) {
		dr := &model.Draft{Target: target, MediaType: model.MediaOCIIndex, Entries: make([]model.DraftEntry, n)}
		b, _ := EncodeDraft(dr)
		if err := d.SaveDraft(target, rev, b); err != nil {
			t.Fatal(err)
		}
	}
	r1, r2 := d.Revision(), d.Revision()
	save(r2, 2)
	save(r1, 1) // finished late: skipped
	got, err := d.LoadDraft(target)
	if err != nil || len(got.Entries) != 2 {
		t.Fatalf("loaded %+v, %v", got, err)
	}
	if err := d.DropDraft(target, r2); err != nil {
		t.Fatal(err)
	}
	save(r2, 2) // a save of the pushed revision still in flight
	if got, _ := d.LoadDraft(target); got != nil {
		t.Error("a dropped draft came back")
	}
	save(d.Revision(), 3) // an edit after the push is saved
	if got, _ := d.LoadDraft(target); got == nil || len(got.Entries) != 3 {
		t.Error("an edit after a drop was not saved")
	}
	// A truncated draft is damaged, reported, and moved aside.
	p := d.draftPath(target)
	b, _ := os.ReadFile(p)
	_ = os.WriteFile(p, b[:len(b)/2], 0o600)
	if _, err := d.LoadDraft(target); !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), ".damaged") {
		t.Errorf("truncated draft: %v", err)
	}
	if _, err := os.Stat(p + ".damaged"); err != nil {
		t.Error("the damaged draft was not kept")
	}
}

func TestRecent(t *testing.T) {
	d, _ := Open(t.TempDir())
	for _, r := range []string{"a", "b", "a"} {
		if err := d.Remember(r, false); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := d.Recent(false); strings.Join(got, ",") != "a,b" {
		t.Errorf("recent = %v", got)
	}
	_ = os.WriteFile(d.recentPath(false), []byte("{"), 0o600)
	if _, err := d.Recent(false); !errors.Is(err, ErrDamaged) {
		t.Errorf("damaged recent: %v", err)
	}
	if err := d.Remember("c", false); err != nil {
		t.Fatal(err)
	}
	if got, _ := d.Recent(false); strings.Join(got, ",") != "c" {
		t.Errorf("after a damaged list: %v", got)
	}
	// The demo registry's references are a list of their own.
	if err := d.Remember("library/centos:7", true); err != nil {
		t.Fatal(err)
	}
	if got, _ := d.Recent(false); strings.Join(got, ",") != "c" {
		t.Errorf("a demo reference reached the real list: %v", got)
	}
	if got, _ := d.Recent(true); strings.Join(got, ",") != "library/centos:7" {
		t.Errorf("demo list: %v", got)
	}
}
