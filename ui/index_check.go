package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/check"
)

// startCheck runs the release check on the index in the background, on the
// tree already loaded (no fetch twice); leaving the screen cancels it.
func (s *indexScreen) startCheck() tea.Cmd {
	if s.c.Client == nil && s.c.checkFacts == nil {
		return nil
	}
	s.check = checkState{running: true}
	s.updateKeys()
	s.layout()
	return s.checkJob(s.ref.WithDigest(s.tree.Root.Digest), s.tree)
}

// checked takes the check's reply.
func (s *indexScreen) checked(r reply[checkedReply]) {
	s.check = checkDone(r)
}

// checkLine is the verdict in the header: on the reference's line when
// both fit, else a line of its own ("" before the check ran).
func (s *indexScreen) checkLine() string {
	return s.check.verdict(s.c.styles, s.keys.Check.Help().Key)
}

// openFindings lists the check's findings.
func (s *indexScreen) openFindings() tea.Cmd {
	if !s.check.done {
		if s.check.err != nil {
			return status("the check could not run: "+keyHint(s.keys.Refresh)+" retries", true)
		}
		return status("the check is still running", false)
	}
	return push(newFindingsScreen(s.ref.String(), s.check, s.findingTarget()))
}

// findingTarget goes to what a finding is about: the referrers of its
// subject for rules about signatures and attestations, else the entry it
// names (its image, attestation or nested index), else the image of the
// platform it names, else the index's own JSON (annotations, media types).
func (s *indexScreen) findingTarget() func(check.Finding) tea.Cmd {
	ref, tree, users := s.ref, s.tree, s.sizes.Users
	return func(f check.Finding) tea.Cmd {
		switch f.Rule {
		case check.RuleMissingSignature, check.RuleMissingProvenance, check.RuleMissingSBOM, check.RuleProvenanceSource:
			subject := f.Entry
			if subject == "" {
				subject = tree.Root.Digest
			}
			return push(newReferrersScreen(ref.WithDigest(subject)))
		}
		if f.Entry != "" {
			// In the root or in an index nested in it.
			if e, in, ok := findEntry(tree, f.Entry); ok {
				return openIndexEntry(ref, tree, in, e, users)
			}
			return push(newPartScreen(ref.WithDigest(f.Entry), model.ShortDigest(f.Entry), users))
		}
		if f.Platform != "" {
			for _, e := range tree.Root.Entries {
				if e.Kind != model.KindAttestation && e.Platform != nil && e.Platform.Display() == f.Platform {
					return openIndexEntry(ref, tree, tree.Root, e, users)
				}
			}
			return status("the index has no "+f.Platform+" entry: the composer (c) adds one", false)
		}
		return push(newRawScreen(ref.WithDigest(tree.Root.Digest), "manifest", tree.Root.MediaType, tree.Root.Raw))
	}
}

// openIndexEntry opens an entry of index in (the root or one nested in
// it) as enter on its row does: an attestation on its own screen,
// anything else by its digest.
func openIndexEntry(ref model.Reference, tree *model.Tree, in *model.Manifest, e model.Entry, users map[string]int) tea.Cmd {
	if child := tree.Children[e.Digest]; e.Kind == model.KindAttestation && child != nil {
		return push(newAttestationScreen(ref.WithDigest(e.Digest), child, subjectLabel(in, e.Subject)))
	}
	return push(newPartScreen(ref.WithDigest(e.Digest), e.PlatformString(), users))
}

// subjectPlatform names the entry of index in an attestation is about by
// its platform.
// subjectLabel names an attestation's image for its screen: the
// platform and digest, or the digest alone when in does not hold it.
func subjectLabel(in *model.Manifest, subject string) string {
	short := model.ShortDigest(subject)
	if p := subjectPlatform(in, subject); p != short {
		return p + " (" + short + ")"
	}
	return short + ", not in the index"
}

func subjectPlatform(in *model.Manifest, subject string) string {
	for _, e := range in.Entries {
		if e.Digest == subject {
			return e.PlatformString()
		}
	}
	return model.ShortDigest(subject)
}
