package ui

import (
	"strings"

	"github.com/platypus-tui/platypus/model"
)

// judgeFleet judges the draft as last checked for every target of the
// fleet (model.JudgeFleet, as the index screen's columns), from the tree
// the check read: no request more.
func (s *composerScreen) judgeFleet() {
	v := &s.verify
	v.verdicts = nil
	if len(s.fleet) > 0 && v.tree != nil && v.tree.Root != nil {
		v.verdicts = model.JudgeFleet(v.tree.Root, s.fleet, v.tree.Children, v.tree.Configs)
	}
}

// fleetFooter says, under the check's verdict, whether every target of
// the fleet would pull an image of the draft, in the index screen's
// words, and each failing target's puller's error line.
func (s *composerScreen) fleetFooter() []string {
	st := s.c.styles
	vs := s.verify.verdicts
	if len(vs) == 0 {
		return nil
	}
	fails := failing(vs)
	if len(fails) == 0 {
		images := map[string]bool{}
		for _, v := range vs {
			images[v.Analysis.Pulls()] = true
		}
		return []string{st.Success.Render(fitLine("✓ every target pulls an image: "+plural(len(vs), "target")+", "+plural(len(images), "image"), s.w))}
	}
	what := plural(len(fails), "target") + " of " + itoa(len(vs)) + " pull nothing: "
	if len(fails) == 1 {
		what = "1 target of " + itoa(len(vs)) + " pulls nothing: "
	}
	lines := []string{st.Error.Render(fitLine("✗ "+what+fleetNames(fails), s.w))}
	if s.short() {
		return lines
	}
	for i, v := range fails {
		if i == 2 {
			lines = append(lines, st.Faint.Render("  … "+plural(len(fails)-i, "more target")))
			break
		}
		lines = append(lines, st.Error.Render(fitLine("  "+v.Member.Name+": "+pullError(s.dest, v), s.w)))
	}
	return lines
}

// fleetPreview are the preview's comment lines on the fleet: what each
// target would pull from the draft.
func (s *composerScreen) fleetPreview() string {
	vs := s.verify.verdicts
	if len(vs) == 0 || s.verify.rev != s.rev {
		return ""
	}
	var b strings.Builder
	b.WriteString("// fleet, as the draft was last checked:\n")
	for _, v := range vs {
		what := pullError(s.dest, v)
		if d := v.Analysis.Pulls(); d != "" {
			what = "pulls " + model.ShortDigest(d)
		}
		b.WriteString("//   " + model.Clean(v.Member.Name) + ": " + what + "\n")
	}
	return b.String()
}
