package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/check"
)

// nestedIndex is the demo's index whose first entry is an index (linux
// amd64 and arm64/v8 inside it), its second a Windows image.
const nestedIndex = "platypus/nested:1.0"

// tooSmall makes every image of the demo fail a rule: findings inside the
// nested index, and beside it.
const tooSmall = "size: {maxCompressed: 10kB}\n"

// findingGroups are the names the findings screen gives its groups.
func findingGroups(f *findingsScreen) string {
	var groups []string
	for i := range f.rows {
		if g, _ := f.cell(i, 0); g != "" {
			groups = append(groups, g)
		}
	}
	return strings.Join(groups, " | ")
}

// Findings inside a nested index are listed under the root entry that
// holds it, and enter goes to the image they are about.
func TestCheckFindingsUnderNestedEntry(t *testing.T) {
	h := policyHarness(t, nestedIndex, tooSmall)
	h.keys("F")
	f, ok := h.top().(*findingsScreen)
	if !ok {
		t.Fatalf("F opened %T", h.top())
	}
	if got, want := findingGroups(f), "entry 1 › linux/amd64 | entry 1 › linux/arm64/v8 | windows/amd64 10.0.20348.2582"; got != want {
		t.Errorf("groups %q, want %q", got, want)
	}
	h.keys("enter")
	img, ok := h.top().(*imageScreen)
	if !ok || img.tree.Root.Config == nil || img.image().Config.Platform.Architecture != "amd64" {
		t.Fatalf("enter opened %T:\n%s", h.top(), h.view())
	}
	if img.check.running || img.check.done {
		t.Error("an entry of a nested index ran a check of its own")
	}
}

// The composer's findings do the same for a draft holding a nested
// index: enter opens the image inside it, where the nested index lives.
func TestComposerFindingsUnderNestedEntry(t *testing.T) {
	h, _ := composeHarness(t, nestedIndex)
	p, err := check.ParsePolicy([]byte(tooSmall))
	if err != nil {
		t.Fatal(err)
	}
	h.c.Policy = p
	h.keys("c", "F")
	f, ok := h.top().(*findingsScreen)
	if !ok {
		t.Fatalf("F opened %T:\n%s", h.top(), h.view())
	}
	if got := findingGroups(f); !strings.HasPrefix(got, "entry 1 › linux/amd64 | entry 1 › linux/arm64/v8 | ") {
		t.Errorf("groups %q", got)
	}
	h.keys("enter")
	r, ok := h.top().Ref()
	if h.top() == screen(f) || !ok || r.Digest != f.rows[0].Entry || h.top().Crumb() != "linux/amd64" {
		t.Errorf("enter: %T %q %s, status %q", h.top(), h.top().Crumb(), r, h.app.status)
	}
}

// A nested linux/amd64 is a group apart from the root's linux/amd64, and
// a finding about the nested index itself heads its entry's group.
func TestGroupFindingsNested(t *testing.T) {
	owners := map[string]nestedOwner{"n": {pos: 2, digest: "n"}, "n1": {pos: 2, digest: "n"}}
	fs := []check.Finding{
		{Rule: "a", Platform: "linux/amd64", Entry: "r1"},
		{Rule: "b", Entry: "n"},
		{Rule: "c", Platform: "linux/amd64", Entry: "n1"},
		{Rule: "d"},
		{Rule: "e", Platform: "linux/amd64", Entry: "r1"},
	}
	var got []string
	for _, f := range groupFindings(fs, owners) {
		got = append(got, f.Rule)
	}
	if strings.Join(got, "") != "daebc" {
		t.Errorf("order %v", got)
	}
	s := &findingsScreen{check: checkState{owners: owners}, rows: groupFindings(fs, owners)}
	s.c = &common{}
	if g := findingGroups(s); g != "index | linux/amd64 | entry 2 | entry 2 › linux/amd64" {
		t.Errorf("groups %q", g)
	}
}

// nestedOwners follows nested indexes as the check does, and leaves a
// digest the root lists itself to the root.
func TestNestedOwners(t *testing.T) {
	inner := &model.Manifest{Kind: model.KindIndex, Digest: "n", Entries: []model.Entry{
		{Descriptor: model.Descriptor{Digest: "i1"}}, {Descriptor: model.Descriptor{Digest: "r"}}}}
	tree := model.NewTree(&model.Manifest{Kind: model.KindIndex, Digest: "root", Entries: []model.Entry{
		{Descriptor: model.Descriptor{Digest: "r"}}, {Descriptor: model.Descriptor{Digest: "n"}}}})
	tree.Children["n"] = inner
	o := nestedOwners(tree)
	if len(o) != 2 || o["i1"] != (nestedOwner{2, "n"}) || o["n"] != (nestedOwner{2, "n"}) {
		t.Errorf("owners %+v", o)
	}
	if e, in, ok := findEntry(tree, "i1"); !ok || in != inner || e.Digest != "i1" {
		t.Errorf("findEntry i1: %v %v", in, ok)
	}
}

// At 60 columns the SEVERITY column gives way: the finding under the
// cursor still says whether it is an error or a warning, in words a
// terminal without colour shows (the composer footer's ✗ and !).
func TestFindingsSeverityWhenNarrow(t *testing.T) {
	h := policyHarness(t, nestedIndex, tooSmall)
	h.send(tea.WindowSizeMsg{Width: 60, Height: 20})
	h.keys("F")
	f, ok := h.top().(*findingsScreen)
	if !ok {
		t.Fatalf("F opened %T", h.top())
	}
	wantOut(t, h.view(), "SEVERITY")
	wantIn(t, h.view(), "  ✗ too-large: entry 1.1")
	for i, r := range f.rows {
		if r.Rule == "mixed-media-types" {
			f.table.SetCursor(i)
		}
	}
	wantIn(t, h.view(), "  ! mixed-media-types: entry 2")
}
