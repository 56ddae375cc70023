package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/platypus-tui/platypus/model"
)

// maxFleetLines bounds the image header's lines a target each; the rest
// are counted.
const maxFleetLines = 4

// fleetVerdicts judge the image for every target of the fleet, from what
// the screen loaded (model.JudgeFleet, as the index screen's columns);
// nil without a fleet.
func (s *imageScreen) fleetVerdicts() []model.FleetVerdict {
	if len(s.fleet) == 0 {
		return nil
	}
	return model.JudgeFleet(s.tree.Root, s.fleet, s.tree.Children, s.tree.Configs)
}

// fleetSummary is the verdict for a fleet: whether every target runs the
// image, else which do not; noun says "targets" (not needed on a line
// labelled so).
func (s *imageScreen) fleetSummary(noun bool) string {
	fails := failing(s.verdicts)
	if len(fails) == 0 {
		return "✓ every target runs it (" + plural(len(s.verdicts), "target") + ")"
	}
	of := itoa(len(s.verdicts))
	if noun {
		of = plural(len(s.verdicts), "target")
	}
	return "✗ " + itoa(len(fails)) + " of " + of + " cannot run it: " + fleetNames(fails)
}

// fleetPairs are a line per target for the header: its glyph, as in the
// index screen's columns, and why, in the words of its diagnosis.
func (s *imageScreen) fleetPairs() [][2]string {
	var out [][2]string
	w := 0 // the names' width, so the reasons line up
	for _, v := range s.verdicts {
		w = max(w, ansi.StringWidth(model.Clean(v.Member.Name)))
	}
	for i, v := range s.verdicts {
		if i == maxFleetLines && len(s.verdicts) > maxFleetLines+1 {
			out = append(out, [2]string{"", "… " + plural(len(s.verdicts)-i, "more target")})
			break
		}
		label := ""
		if i == 0 {
			label = "targets"
		}
		out = append(out, [2]string{label, fleetLine(v, w)})
	}
	return out
}

// fleetLine is one target's verdict on a single image: the glyph, its
// name, and for one that cannot run it what differs (else the whole
// reason); a Docker target's other store is said when it would differ.
func fleetLine(v model.FleetVerdict, w int) string {
	em, _ := v.Analysis.Entry(0)
	name := model.Clean(v.Member.Name)
	line := fleetGlyph(em, false) + " " + name + strings.Repeat(" ", max(w-ansi.StringWidth(name), 0))
	switch {
	case em.Verdict == model.Selected:
		line += "  runs it"
	case len(em.Reasons) > 1:
		line += "  " + strings.Join(em.Reasons[1:], "; ")
	case len(em.Reasons) == 1:
		line += "  " + em.Reasons[0]
	}
	if o := v.Analysis.SingleOther; o != nil && (o.Verdict == model.Selected) != (em.Verdict == model.Selected) {
		other := "pulls it"
		if o.Verdict != model.Selected {
			other = "refuses it"
		}
		line += " (Docker's " + string(model.StoreContainerd) + " store " + other + ")"
	}
	return line
}
