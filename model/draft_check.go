package model

import (
	"fmt"
	"slices"
	"strings"
)

// Severity says whether an issue blocks a push.
type Severity string

// Severities of draft issues.
const (
	SevError   Severity = "error"   // blocks the push
	SevWarning Severity = "warning" // shown, does not block
)

// DraftIssue is one finding of Validate; Entry is -1 for the index itself.
type DraftIssue struct {
	Severity Severity
	Entry    int
	Message  string
}

// Validate checks a draft the way a careful release engineer would before
// pushing it. Errors block the push; warnings do not.
func (d *Draft) Validate() []DraftIssue {
	var out []DraftIssue
	add := func(sev Severity, i int, format string, a ...any) {
		out = append(out, DraftIssue{Severity: sev, Entry: i, Message: fmt.Sprintf(format, a...)})
	}
	if len(d.Entries) == 0 {
		add(SevError, -1, "the index has no entries")
	}
	if d.MediaType != MediaOCIIndex && d.MediaType != MediaDockerList {
		add(SevError, -1, "media type %q is neither an OCI index nor a Docker manifest list", d.MediaType)
	}
	if d.MediaType == MediaDockerList && (len(d.Annotations) > 0 || slices.ContainsFunc(d.Entries, func(e DraftEntry) bool { return len(e.Annotations) > 0 })) {
		add(SevWarning, -1, "a Docker manifest list has no annotations in its schema: Docker keeps them, some registries and tools drop them (m makes it an OCI index)")
	}
	seen := map[string]int{}
	digests := map[string]bool{}
	for i, e := range d.Entries {
		digests[e.Digest] = true
		if e.Unreachable != "" {
			add(SevError, i, "%s cannot be fetched: %s", ShortDigest(e.Digest), e.Unreachable)
		}
		switch e.Kind {
		case KindImage:
			switch {
			case e.Platform == nil:
				add(SevError, i, "%s has no platform: Docker would only pick it as a last resort", ShortDigest(e.Digest))
			case e.Platform.OS == "" || e.Platform.Architecture == "":
				add(SevError, i, "%s: platform needs both os and architecture (has %q)", ShortDigest(e.Digest), e.Platform.String())
			default:
				key := Normalize(*e.Platform).String() + " " + windowsPrefix(e.Platform.OSVersion) + " " + strings.Join(e.Platform.OSFeatures, "+")
				if j, dup := seen[key]; dup {
					add(SevError, i, "duplicate platform %s (also entry %d): Docker would always pick the first", e.Platform.Display(), j+1)
				} else {
					seen[key] = i
				}
				if cp := e.ConfigPlatform; cp != nil && !cp.IsZero() && Normalize(*cp).String() != Normalize(*e.Platform).String() {
					add(SevWarning, i, "declared %s but the image config says %s", e.Platform.String(), cp.String())
				}
			}
		case KindAttestation:
			if e.Subject == "" {
				add(SevWarning, i, "attestation %s names no subject", ShortDigest(e.Digest))
			}
		default: // nested indexes and artifacts declare what they like
		}
		if !e.Source.SameRepository(d.Target) {
			add(SevWarning, i, "%s lives in %s: it will be copied into %s", ShortDigest(e.Digest), e.Source.RepoOnly(), d.Target.RepoOnly())
		}
		if warn := mediaMismatch(d.MediaType, e.MediaType); warn != "" {
			add(SevWarning, i, "%s", warn)
		}
	}
	for i, e := range d.Entries {
		if e.Kind == KindAttestation && e.Subject != "" && !digests[e.Subject] {
			add(SevWarning, i, "attestation for %s, which is no longer in the index", ShortDigest(e.Subject))
		}
	}
	return out
}

func mediaMismatch(index, child string) string {
	switch {
	case index == MediaDockerList && (child == MediaOCIManifest || child == MediaOCIIndex):
		return "an OCI manifest in a Docker manifest list: old Docker clients may not read it"
	case index == MediaOCIIndex && (child == MediaDockerManifest || child == MediaDockerList):
		return "a Docker v2 manifest in an OCI index: accepted by Docker and containerd, but not pure OCI"
	}
	return ""
}

// Blocking tells whether any issue is an error.
func Blocking(issues []DraftIssue) bool {
	return slices.ContainsFunc(issues, func(i DraftIssue) bool { return i.Severity == SevError })
}

// DraftDiff is what a push changes in the tag: entries added, removed and
// changed (same digest, other platform or annotations).
type DraftDiff struct {
	Added   []string
	Removed []string
	Changed []string
}

// Lines are the diff as a person reads it: "+ added", "- removed",
// "~ changed".
func (d DraftDiff) Lines() []string {
	out := make([]string, 0, len(d.Added)+len(d.Removed)+len(d.Changed))
	for _, a := range d.Added {
		out = append(out, "+ "+a)
	}
	for _, r := range d.Removed {
		out = append(out, "- "+r)
	}
	for _, c := range d.Changed {
		out = append(out, "~ "+c)
	}
	return out
}

// Empty tells whether the push changes nothing.
func (d DraftDiff) Empty() bool { return len(d.Added)+len(d.Removed)+len(d.Changed) == 0 }

// Diff compares the draft with what the tag holds now (nil for a new tag).
func (d *Draft) Diff(current *Manifest) DraftDiff {
	diff := DraftDiff{Added: []string{}, Removed: []string{}, Changed: []string{}}
	old := map[string]Entry{}
	if current != nil {
		if current.IsIndex() {
			for _, e := range current.Entries {
				old[e.Digest] = e
			}
		} else {
			old[current.Digest] = Entry{Descriptor: current.Descriptor()}
		}
	}
	now := map[string]bool{}
	for _, e := range d.Entries {
		now[e.Digest] = true
		label := entryLabel(e.Platform, e.Kind, e.Digest)
		o, had := old[e.Digest]
		switch {
		case !had:
			diff.Added = append(diff.Added, label)
		case !platformsEqual(o.Platform, e.Platform) || !mapsEqual(o.Annotations, e.Annotations):
			diff.Changed = append(diff.Changed, label)
		}
	}
	if current != nil {
		list := current.Entries
		if !current.IsIndex() {
			list = []Entry{{Descriptor: current.Descriptor(), Kind: current.Kind}}
		}
		for _, e := range list {
			if !now[e.Digest] {
				diff.Removed = append(diff.Removed, entryLabel(e.Platform, e.Kind, e.Digest))
			}
		}
	}
	return diff
}

func entryLabel(p *Platform, k Kind, digest string) string {
	name := string(k)
	if p != nil && k != KindAttestation {
		name = p.Display()
	}
	return name + " " + ShortDigest(digest)
}

func platformsEqual(a, b *Platform) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
