package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/check"
)

// checks tells whether the screen runs the release check: on a manifest
// opened by its own name (a tag, a digest), as `platypus check REF` does;
// an entry of an index or a referrer is covered by the check of what
// holds it.
func (s *imageScreen) checks() bool {
	return !s.part && (s.c.Client != nil || s.c.checkFacts != nil)
}

// startCheck runs the release check on the image in the background, on
// the tree already loaded; leaving the screen cancels it.
func (s *imageScreen) startCheck() tea.Cmd {
	if !s.checks() {
		return nil
	}
	s.check = checkState{running: true}
	return s.checkJob(s.ref.WithDigest(s.tree.Root.Digest), s.tree)
}

// openFindings lists the check's findings.
func (s *imageScreen) openFindings() tea.Cmd {
	if !s.check.done {
		if s.check.err != nil {
			return status("the check could not run: "+keyHint(s.keys.Refresh)+" retries", true)
		}
		return status("the check is still running", false)
	}
	return push(newFindingsScreen(s.ref.WithDigest(s.tree.Root.Digest).String(), s.check, s.findingTarget()))
}

// findingTarget goes to what a finding about the image is about: the
// image's referrers for signatures and attestations, its Files pane for
// what its layers waste, its config for its platform, else its manifest's
// JSON (annotations, media types, blobs, size, base).
func (s *imageScreen) findingTarget() func(check.Finding) tea.Cmd {
	ref, tree, users, compose := s.ref.WithDigest(s.tree.Root.Digest), s.tree, s.users, s.keys.Compose
	return func(f check.Finding) tea.Cmd {
		switch f.Rule {
		case check.RuleMissingSignature, check.RuleMissingProvenance, check.RuleMissingSBOM, check.RuleProvenanceSource:
			return push(newReferrersScreen(ref))
		case check.RuleMissingPlatform:
			return status("a single image is one platform: "+keyHint(compose)+" builds an index with "+model.Clean(f.Platform), false)
		case check.RuleLowEfficiency, check.RuleWastedBytes:
			return push(func(b base) screen {
				return reload(b, opened{ref: ref, crumb: "files", users: users, pane: paneFiles, part: true})
			})
		case check.RulePlatformMismatch, check.RuleWindowsOSVersion, check.RuleArmVariant, check.RuleUnexpectedPlatform:
			if c := tree.Configs[tree.Root.Digest]; c != nil && tree.Root.Config != nil {
				return push(newRawScreen(ref.RepoOnly().WithDigest(tree.Root.Config.Digest), "config", tree.Root.Config.MediaType, c.Raw))
			}
		}
		return push(newRawScreen(ref, "manifest", tree.Root.MediaType, tree.Root.Raw))
	}
}
