package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/platypus-tui/platypus/themes"
)

// Counts agree with their nouns: "1 tag", "1 repository", "an artifact".
func TestCountsAndArticles(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "platypus/charts"), "linux/amd64")
	wantIn(t, h.view(), "1 tag\n")
	wantOut(t, h.view(), "1 tags")

	th, _ := themes.Load("mono")
	st := newStyles(th, true)
	var asked []string
	l := newTestList(t, &asked)
	l.noun = "repository"
	l.add([]string{"library/alpine"}, "", "", 1)
	if got := l.header(st); got != "1 repository  (1 invalid name hidden)" {
		t.Errorf("header %q", got)
	}

	h = newHarness(t, "mono", demoLoc(t, "platypus/charts:0.1.0"), "linux/amd64")
	h.keys("tab") // the Files pane
	wantIn(t, h.view(), "an artifact has no layers")
}

// An artifact's Layers pane lists its blobs: media type, digest and title,
// not a digest under CREATED BY.
func TestArtifactBlobsTable(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "platypus/charts:0.1.0"), "linux/amd64")
	v := h.view()
	wantOut(t, v, "CREATED BY", "sha256:8597")
	wantIn(t, v, "MEDIA TYPE", "DIGEST", "TITLE", "application/vnd.cncf.helm.chart.content.v1.tar+gzip", "859788c0de04")
}

// A message does not take the footer's keys; one too long for the width
// is cut, and ! shows every message in full.
func TestMessagesKeepTheKeysAndTheLog(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/centos"), "linux/amd64")
	h.send(tea.WindowSizeMsg{Width: 60, Height: 20})
	long := "copying to 127.0.0.1:5000/mirror/centos:7: the registry refused the blob upload: quota exceeded for this namespace"
	h.send(statusMsg{text: long, err: true})
	v := h.view()
	requireFits(t, h.app.View().Content, 60, 20)
	lines := strings.Split(v, "\n")
	if foot := lines[len(lines)-1]; !strings.Contains(foot, "enter open") || !strings.Contains(foot, "? help") {
		t.Errorf("the footer lost its keys to the message: %q", foot)
	}
	wantIn(t, v, "✗ copying to", "(! shows all)")
	wantOut(t, v, "namespace")
	h.keys("!")
	v = h.view()
	requireFits(t, h.app.View().Content, 60, 20)
	wantIn(t, v, "Messages", "registry refused", "namespace")
	h.keys("esc")
	wantOut(t, h.view(), "Messages")
	// The message went with the key; the log keeps it.
	wantOut(t, h.view(), "copying to")
	h.keys("!")
	wantIn(t, h.view(), "namespace")
}

// At 60 columns tags of one family are cut in the middle and stay told
// apart; the diagnosis's verdict wraps instead of being cut.
func TestNarrowTerminalKeepsWhatTellsRowsApart(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/hello-world"), "windows/amd64")
	h.send(tea.WindowSizeMsg{Width: 60, Height: 20})
	v := h.view()
	requireFits(t, h.app.View().Content, 60, 20)
	wantIn(t, v, "1803 ", "1809 ", "tsc2022 ", "sac2016 ")

	h = newHarness(t, "mono", demoLoc(t, "library/centos:7"), "linux/arm64/v8")
	h.send(tea.WindowSizeMsg{Width: 60, Height: 30})
	sel := h.top().(*indexScreen).an.Primary.Selected
	digest := h.top().(*indexScreen).tree.Root.Entries[sel].Digest
	h.keys("d")
	v = h.view()
	requireFits(t, h.app.View().Content, 60, 30)
	wantIn(t, v, "can pull this", "("+digest[7:19]+")")
	// The pull command keeps the tag it pulls; the title its target.
	wantIn(t, v, "library/centos:7.6.1810", "Other tags of")
	wantOut(t, v, "linux/arm6…")
}

// A platform reads the same in a diff as in the tag list and the index:
// as the index spells it, though rows pair linux/arm64 with
// linux/arm64/v8.
func TestDiffSpellsPlatformsAsDeclared(t *testing.T) {
	h := newHarness(t, "mono", demoLoc(t, "library/mysql:8"), "linux/amd64")
	h.keys("esc", "M", "up", "=")
	v := h.view()
	wantIn(t, v, "linux/arm64/v8 ")
	h.keys("down", "enter")
	wantIn(t, h.view(), "linux/arm64/v8 is only in A")
}

// Keys typed faster than their commands answer ("MjjjM") have their
// status messages come back in any order, and the last key's is the one
// shown.
func TestNewestStatusWins(t *testing.T) {
	h := newMemHarness(t, memFixture(), memLoc(t, "library/mysql"), "linux/amd64")
	var cmds []tea.Cmd
	for _, k := range "MjjjM" {
		_, cmd := h.app.Update(keyMsg(string(k)))
		cmds = append(cmds, cmd)
	}
	var older, newer []tea.Msg
	for _, m := range runBatch(tea.Batch(cmds...)) {
		if sm, ok := m.(statusMsg); ok && strings.Contains(sm.text, "as A") {
			older = append(older, m)
		} else {
			newer = append(newer, m)
		}
	}
	for _, m := range append(newer, older...) { // the older message last
		h.send(m)
	}
	wantIn(t, h.view(), "marked mysql:8 as B")
	wantOut(t, h.view(), "as A")
}

// A message an earlier key made that arrives after the next key is not
// shown: "press = to compare" stayed on the diff that = opened.
func TestStatusOfAnEarlierKeyArrivingLateIsNotShown(t *testing.T) {
	h := newMemHarness(t, memFixture(), memLoc(t, "library/mysql"), "linux/amd64")
	h.d.Hold(func(m tea.Msg) bool { _, ok := m.(statusMsg); return ok })
	h.keys("M", "down", "down", "down", "M", "=")
	if _, ok := h.top().(*diffScreen); !ok {
		t.Fatalf("top is %T", h.top())
	}
	h.d.Hold(nil)
	for len(h.d.Held()) > 0 {
		h.deliver(0)
	}
	wantOut(t, h.view(), "press = to compare")
	h.keys("!")
	wantIn(t, h.view(), "press = to compare") // kept in the log
}
