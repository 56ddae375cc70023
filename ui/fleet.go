package ui

import (
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/platypus-tui/platypus/model"
)

// SavedFleet is a fleet the picker offers whole, by name: the config's
// targets, the targets the explorer was started with.
type SavedFleet struct {
	Name  string
	Fleet model.Fleet
}

// A screen is in fleet mode while base.fleet is set: every target's
// verdict shows beside the others. Without one the explorer judges
// base.target alone, as it always has.

// fleetGlyph is the CLI matrix's cell (inspect with several targets): ✓
// selected, ~n compatible with rank n, ✗ not pulled; ! selected but the
// entry could not be loaded.
func fleetGlyph(em model.EntryMatch, broken bool) string {
	switch em.Verdict {
	case model.Selected:
		if broken {
			return "!"
		}
		return "✓"
	case model.Compatible:
		if em.Rank > 0 {
			return "~" + strconv.Itoa(em.Rank)
		}
		return "~"
	default: // incompatible, or never pulled (attestations)
	}
	return "✗"
}

// fleetMark is fleetGlyph in one cell: the rank left out.
func fleetMark(em model.EntryMatch, broken bool) string {
	g := fleetGlyph(em, broken)
	if strings.HasPrefix(g, "~") {
		return "~"
	}
	return g
}

func fleetStyle(st styles, em model.EntryMatch, broken bool) lipgloss.Style {
	if broken && em.Verdict == model.Selected {
		return st.Error
	}
	return verdictStyle(st, em.Verdict)
}

// entryVerdict is target v's verdict on the root's entry i.
func entryVerdict(v model.FleetVerdict, i int) model.EntryMatch {
	em, _ := v.Analysis.Entry(i)
	return em
}

// failing are the verdicts of the targets that pull nothing they can run.
func failing(vs []model.FleetVerdict) []model.FleetVerdict {
	var out []model.FleetVerdict
	for _, v := range vs {
		if v.Analysis.Pulls() == "" {
			out = append(out, v)
		}
	}
	return out
}

// fleetNames lists the targets' names, escaped for the screen.
func fleetNames(vs []model.FleetVerdict) string {
	names := make([]string, len(vs))
	for i, v := range vs {
		names[i] = model.Clean(v.Member.Name)
	}
	return strings.Join(names, ", ")
}

// targetLabel is what the header says the explorer judges for, in room
// cells if it can: a fleet's names give way to their count.
func targetLabel(t model.Target, fleet model.Fleet, room int) string {
	if len(fleet) == 0 {
		return "target " + t.Platform.Display() + " (" + string(t.Source) + ")"
	}
	short := plural(len(fleet), "target") + " (" + string(fleet[0].Target.Source) + ")"
	names := make([]string, 0, 3)
	for i, m := range fleet {
		if i == 3 {
			names = append(names, "+"+strconv.Itoa(len(fleet)-3))
			break
		}
		names = append(names, model.Clean(m.Name))
	}
	long := plural(len(fleet), "target") + ": " + strings.Join(names, ", ") + " (" + string(fleet[0].Target.Source) + ")"
	if ansi.StringWidth(long) > room {
		return short
	}
	return long
}

// pullError is the line the target's puller prints when it finds
// nothing: Docker's, or kubelet's event around containerd's error.
func pullError(ref model.Reference, v model.FleetVerdict) string {
	e := v.Analysis.NoMatch()
	switch {
	case e == "":
		return "it selects an entry, but nothing it can run"
	case v.Member.Store == model.FleetContainerd:
		return "kubelet: failed to pull and unpack image \"" + ref.String() + "\": " + e
	}
	return "docker: " + e
}

// describeMember is a target's platform and rules, and its nodes' count.
func describeMember(m model.FleetTarget) string {
	s := m.Target.Platform.Display() + ", " + string(m.Store)
	if len(m.Nodes) > 0 {
		s += ", " + plural(len(m.Nodes), "node")
	}
	return s
}

// targetSaid is the status line after the picker changed the target.
func targetSaid(t model.Target, fleet model.Fleet) string {
	if len(fleet) == 0 {
		return "target: " + t.String()
	}
	names := make([]string, len(fleet))
	for i, m := range fleet {
		names[i] = m.Name
	}
	return "targets: " + strings.Join(names, ", ")
}
