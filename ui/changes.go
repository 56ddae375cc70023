package ui

import (
	"context"
	"os"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry/state"
)

// Screens follow the tag changes the journal records after the explorer
// started: a push from its own composer, an undo, or platypus run in
// another shell. The journal is looked at when a screen comes back on top
// (the composer closed), when the terminal regains focus, and when Run's
// watcher sees the file change; a change no journal records (another
// tool's push) is for r.

// journalWatch is what the explorer knows of the journal.
type journalWatch struct {
	size  int64
	mod   time.Time
	seen  map[string]bool // completed changes, by id
	ready bool            // the baseline was read: what follows is new
}

type (
	// journalPoke asks for a look at the journal (Run's watcher sends it
	// when the file changed).
	journalPoke struct{}
	// journalRead is the journal's changes, read off the UI goroutine.
	journalRead struct {
		size     int64
		mod      time.Time
		changes  []state.Change
		baseline bool
	}
	// tagsChangedMsg tells every screen which tags moved.
	tagsChangedMsg struct{ refs []model.Reference }
)

// lookAtJournal reads the journal when it changed since the last look;
// the baseline look reads it whatever (a missing journal is empty).
func (a *explorer) lookAtJournal(baseline bool) tea.Cmd {
	if a.c.State == nil {
		return nil
	}
	baseline = baseline || !a.watch.ready
	j := a.c.State.Journal()
	size, mod := a.watch.size, a.watch.mod
	return func() tea.Msg {
		fi, err := os.Stat(j.Path())
		switch {
		case err != nil && baseline:
			return journalRead{baseline: true}
		case err != nil, !baseline && fi.Size() == size && fi.ModTime().Equal(mod):
			return nil
		}
		h, err := j.Read("")
		if err != nil {
			return nil // the history screen and undo say what is wrong with it
		}
		return journalRead{size: fi.Size(), mod: fi.ModTime(), changes: h.Changes, baseline: baseline}
	}
}

// journalRead takes what the journal holds: completed changes not seen
// before are news for the screens (none before the baseline was read).
func (a *explorer) journalChanges(m journalRead) tea.Cmd {
	if a.watch.seen == nil {
		a.watch.seen = map[string]bool{}
	}
	quiet := m.baseline
	a.watch.size, a.watch.mod, a.watch.ready = m.size, m.mod, true
	var refs []model.Reference
	var news []string
	for _, c := range m.changes {
		if !c.Done() || a.watch.seen[c.ID] {
			continue
		}
		a.watch.seen[c.ID] = true
		if quiet || a.c.Client == nil {
			continue
		}
		// The demo's tags are journaled by a name of their own (demo://…).
		r, err := a.c.Client.FromJournal(c.Reference)
		if err != nil {
			continue
		}
		refs = append(refs, r)
		news = append(news, changeNews(r, c))
	}
	if len(refs) == 0 {
		return nil
	}
	text := news[len(news)-1] + " (" + plural(len(news), "change") + " journaled)"
	return tea.Batch(a.broadcast(tagsChangedMsg{refs: refs}), status(text, false))
}

// changeNews says what a change did to its tag: an undo of a tag
// platypus created deletes it, and then there is no digest to name.
func changeNews(r model.Reference, c state.Change) string {
	if c.Digest == "" {
		return r.Familiar() + " deleted (it did not exist before)"
	}
	return r.Familiar() + " now holds " + model.ShortDigest(c.Digest)
}

// watchJournal pokes p whenever the journal's file changes, until ctx
// ends: platypus in another shell changed a tag.
func watchJournal(ctx context.Context, path string, p *tea.Program) {
	var size int64
	var mod time.Time
	if fi, err := os.Stat(path); err == nil {
		size, mod = fi.Size(), fi.ModTime()
	}
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		fi, err := os.Stat(path)
		if err != nil || (fi.Size() == size && fi.ModTime().Equal(mod)) {
			continue
		}
		size, mod = fi.Size(), fi.ModTime()
		p.Send(journalPoke{})
	}
}

// sameTag tells whether ref names the same tag as r.
func sameTag(ref, r model.Reference) bool {
	return ref.Tag != "" && ref.Tag == r.Tag && ref.RepoOnly().String() == r.RepoOnly().String()
}
