package ui

import (
	"context"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/check"
	"github.com/platypus-tui/platypus/registry"
)

// draftCheck is the release check of the draft: `platypus check`'s rules,
// run again after every edit (the last run cancelled). P waits for it;
// its errors block the push until the user confirms a second time, and
// that push is journaled as overriding the check.
type draftCheck struct {
	checkState
	// rev is the draft revision the check ran, or runs, on.
	rev     int64
	started bool
	// k keeps what HEADs of blobs found between the runs of one draft.
	k *registry.Checker
	// waiting: P was pressed while the check ran; it goes on when it ends.
	waiting bool
	// overridden is what the user chose to push past, for the journal.
	overridden string
	// tree is the draft as last checked, and verdicts the fleet's on it
	// (nil without a fleet).
	tree     *model.Tree
	verdicts []model.FleetVerdict
}

// checkDraft starts the check on the draft as it is now, unless it runs
// on this revision already.
func (s *composerScreen) checkDraft() tea.Cmd {
	v := &s.verify
	if s.state != ready || s.draft == nil || (v.started && v.rev == s.rev) || (s.c.Client == nil && s.c.checkFacts == nil) {
		return nil
	}
	v.started, v.rev, v.overridden = true, s.rev, ""
	v.checkState = checkState{running: true}
	v.tree, v.verdicts = nil, nil
	if v.k == nil && s.c.Client != nil {
		v.k = s.c.newChecker()
	}
	ctx, q := s.start(jobCheck, "")
	c, k, d := s.c, v.k, s.draft.Clone()
	return run(ctx, q, func(ctx context.Context) (checkedReply, error) {
		tree, sources, err := c.Client.DraftTree(ctx, d)
		if err != nil {
			return checkedReply{}, err
		}
		r, err := c.runCheck(ctx, k, d.Target.WithDigest(tree.Root.Digest), registry.CheckOptions{Tree: tree, Sources: sources})
		draftFindings(r.result.Findings)
		r.owners, r.tree = nestedOwners(tree), tree
		return r, err
	})
}

// draftFindings adjusts what cannot hold before a push: a draft's digest
// is new, so nobody signed it yet (it is signed once pushed).
func draftFindings(fs []check.Finding) {
	for i, f := range fs {
		if f.Rule == check.RuleMissingSignature {
			fs[i].Severity = model.SevWarning
			fs[i].Message += " (a draft is signed once it is pushed)"
		}
	}
}

// draftChecked takes the check's reply; a P waiting for it goes on.
func (s *composerScreen) draftChecked(r reply[checkedReply]) tea.Cmd {
	s.verify.checkState = checkDone(r)
	s.verify.tree = r.val.tree
	s.judgeFleet()
	if s.verify.waiting {
		s.verify.waiting = false
		return s.pushGate()
	}
	return nil
}

// pushGate is P once the draft validates: the check must have run on this
// revision and passed, or its errors been confirmed past (y), before the
// registry is asked what the tag holds.
func (s *composerScreen) pushGate() tea.Cmd {
	v := &s.verify
	switch {
	case v.running:
		v.waiting = true
		return status("checking the draft first: the push goes on once the check is done", false)
	case v.overridden == "" && (v.err != nil || v.failed()):
		s.mode = modeOverride
		return nil
	}
	return s.check()
}

// overrideKey answers the question whether to push past the check.
func (s *composerScreen) overrideKey(msg tea.KeyPressMsg) tea.Cmd {
	s.mode = modeNone
	if !key.Matches(msg, s.keys.Yes) {
		return status("not pushed: the check's errors stand ("+keyHint(s.keys.Check)+" lists them)", false)
	}
	s.verify.overridden = s.verify.summary()
	return s.check()
}

// summary says what the check found, for the journal: "2 errors
// (duplicate-platform, platform-mismatch)", or why it could not run.
func (v draftCheck) summary() string {
	if v.err != nil {
		return "the check could not run: " + registry.ShortError(v.err)
	}
	errs, _ := check.Count(v.result.Findings)
	var rules []string
	for _, f := range v.result.Findings {
		if f.Severity == model.SevError && !slices.Contains(rules, f.Rule) {
			rules = append(rules, f.Rule)
		}
	}
	slices.Sort(rules)
	return plural(errs, "error") + " (" + strings.Join(rules, ", ") + ")"
}

// overrideLine asks whether to push past the check's errors.
func (s *composerScreen) overrideLine() string {
	what := "the check could not run"
	if s.verify.err == nil {
		errs, _ := check.Count(s.verify.result.Findings)
		what = "the check found " + plural(errs, "error")
	}
	return s.c.styles.Error.Render(fitLine("✗ "+what+" ("+s.c.Keys.Check.Help().Key+" lists them): "+s.keys.Yes.Help().Key+
		" pushes anyway (journaled as overridden), any other key cancels", s.w))
}

// maxCheckLines bounds the findings the footer shows; F lists them all.
const maxCheckLines = 3

// checkFooter is the check's verdict and its first findings, errors first.
func (s *composerScreen) checkFooter() []string {
	st := s.c.styles
	v := s.verify
	line := v.verdict(st, s.c.Keys.Check.Help().Key)
	if line == "" {
		return nil
	}
	lines := []string{fitStyled(line, s.w)}
	if !v.done {
		return lines
	}
	lines = append(lines, s.fleetFooter()...)
	if s.short() {
		return lines
	}
	fs := slices.Clone(v.result.Findings)
	slices.SortStableFunc(fs, func(a, b check.Finding) int {
		return severityRank(a.Severity) - severityRank(b.Severity)
	})
	for i, f := range fs {
		if i == maxCheckLines {
			lines = append(lines, st.Faint.Render("  … "+itoa(len(fs)-maxCheckLines)+" more"))
			break
		}
		mark := "! "
		if f.Severity == model.SevError {
			mark = "✗ "
		}
		lines = append(lines, severityStyle(st, f.Severity).Render(fitLine("  "+mark+f.Rule+": "+f.Message, s.w)))
	}
	return lines
}

func severityRank(sev model.Severity) int {
	if sev == model.SevError {
		return 0
	}
	return 1
}

// openDraftFindings lists the check's findings on the draft; enter opens
// the entry a finding is about where it lives now.
func (s *composerScreen) openDraftFindings() tea.Cmd {
	v := s.verify
	switch {
	case v.running:
		return status("the check is still running", false)
	case v.err != nil:
		return status("the check could not run: "+registry.ShortError(v.err), true)
	case !v.done:
		return nil
	}
	entries, owners := slices.Clone(s.draft.Entries), v.owners
	open := func(f check.Finding) tea.Cmd {
		if o, ok := owners[f.Entry]; ok && o.digest != f.Entry {
			// Inside a nested index: it lives where that entry does.
			for _, e := range entries {
				if e.Digest == o.digest {
					crumb := f.Platform
					if crumb == "" {
						crumb = model.ShortDigest(f.Entry)
					}
					return push(newPartScreen(e.Source.WithDigest(f.Entry), crumb, nil))
				}
			}
		}
		for _, e := range entries {
			if (f.Entry != "" && e.Digest == f.Entry) || (f.Entry == "" && f.Platform != "" && e.Platform != nil && e.Platform.Display() == f.Platform) {
				crumb := model.ShortDigest(e.Digest)
				if e.Platform != nil {
					crumb = e.Platform.String()
				}
				return push(newPartScreen(e.Source.WithDigest(e.Digest), crumb, nil))
			}
		}
		switch {
		case f.Entry != "":
			return status(model.ShortDigest(f.Entry)+" is inside an index the draft holds: "+keyHint(s.keys.Enter)+" on that entry's finding opens it", false)
		case f.Platform != "":
			return status("the draft has no "+f.Platform+" entry: "+keyHint(s.keys.DraftAdd)+" adds one", false)
		}
		return status("this finding is about the index itself: "+keyHint(s.keys.DraftIndexAnnotate)+" edits its annotations, "+keyHint(s.keys.DraftMediaType)+" its media type", false)
	}
	return push(newFindingsScreen("the draft for "+s.dest.String(), v.checkState, open))
}
