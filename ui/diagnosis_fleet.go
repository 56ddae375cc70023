package ui

import (
	"context"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
)

// The diagnosis of a fleet: every target that pulls nothing, with its
// puller's error, each entry's reason and what would run it; then the
// other tags that fit every target.

// judgeFleet gives every target its verdict, when there is a fleet.
func (s *diagnosisScreen) judgeFleet() {
	s.verdicts = nil
	if len(s.fleet) > 0 {
		s.verdicts = model.JudgeFleet(s.tree.Root, s.fleet, s.tree.Children, s.tree.Configs)
	}
}

// fits tells whether a scanned tag is one to list: it fits every target
// of a fleet, or the one target.
func (s *diagnosisScreen) fits(r registry.ScanResult) bool {
	if len(s.fleet) > 0 {
		return r.FitsAll
	}
	return r.Supported
}

// scanTags judges tags for the fleet, or the target: one request per tag
// either way (registry.ScanFleet).
func scanTags(ctx context.Context, client *registry.Client, repo model.Reference, tags []string, target model.Target, fleet model.Fleet, fn func(registry.ScanResult)) {
	if len(fleet) > 0 {
		client.ScanFleet(ctx, repo, tags, fleet, fn)
		return
	}
	client.Scan(ctx, repo, tags, target, fn)
}

// forWhom is who the other tags are listed for.
func (s *diagnosisScreen) forWhom() string {
	if len(s.fleet) > 0 {
		return "that fit all " + plural(len(s.fleet), "target")
	}
	return "for " + s.target.Platform.Display()
}

// noOtherTag is what the list says when the scan found none.
func (s *diagnosisScreen) noOtherTag() string {
	if len(s.fleet) > 0 {
		return "no other tag fits all " + plural(len(s.fleet), "target")
	}
	return "no other tag supports " + s.target.Platform.Display()
}

// fleetLines are the diagnosis of a fleet, above the other tags.
func (s *diagnosisScreen) fleetLines() []string {
	st := s.c.styles
	fails := failing(s.verdicts)
	var lines []string
	var pull []model.FleetVerdict
	for _, v := range s.verdicts {
		if v.Analysis.Pulls() != "" {
			pull = append(pull, v)
		}
	}
	switch {
	case len(fails) == 0:
		return append(lines, st.Success.Render(wrap("✓ all "+plural(len(pull), "target")+" pull an image: "+fleetNames(pull), s.w)))
	case len(pull) > 0:
		lines = append(lines, st.Success.Render(wrap("✓ "+itoa(len(pull))+" of "+plural(len(s.verdicts), "target")+" pull an image: "+fleetNames(pull), s.w)))
	}
	col := 0
	for _, e := range s.tree.Root.Entries {
		col = max(col, ansi.StringWidth(model.Clean(e.PlatformString()+" "+entryOSVersion(e))))
	}
	col = min(col, max(s.w/3, 16))
	for _, v := range fails {
		lines = append(lines, "",
			st.Error.Render(wrap("✗ "+v.Member.Name+" ("+describeMember(v.Member)+") pulls nothing", s.w)),
			st.Faint.Render(wrapIndent("  "+pullError(s.ref, v), s.w, 4)))
		for i, e := range s.tree.Root.Entries {
			em := entryVerdict(v, i)
			reason := strings.Join(em.Reasons, "; ")
			lines = append(lines, wrapIndent("  "+verdictMark(em.Verdict)+" "+padRight(e.PlatformString()+" "+entryOSVersion(e), col)+" "+reason, s.w, col+5))
		}
		for _, a := range model.Advise(s.tree.Root, v.Analysis, s.ref) {
			lines = append(lines, "  • "+st.Text.Render(fitLine(a.Title, s.w-4)))
			if a.Command != "" {
				lines = append(lines, "    "+st.Accent.Render(fitLine("$ "+a.Command, s.w-4)))
			}
		}
	}
	return lines
}

// foundWord counts the tags found in the scan's progress.
func (s *diagnosisScreen) foundWord() string {
	if len(s.fleet) > 0 {
		return " fit all"
	}
	return " supported"
}
