package model

import (
	"encoding/json"
	"maps"
	"slices"
)

// Rebase moves the draft onto what its tag holds now, theirs (nil: no
// tag any more), keeping on top the edits made to the index the draft
// amends (Raw): entries removed, added, re-declared (platform,
// annotations) or reordered, index annotations set or removed, the media
// type. It is a three-way merge whose base is Raw: a push of the draft
// and an undo of it elsewhere change nothing of the edits, someone else's
// push is taken with the edits on top. theirsEntries are theirs' entries
// as draft entries. What could not be kept is returned as notes; the
// draft then amends theirs.
func (d *Draft) Rebase(theirs *Manifest, theirsEntries []DraftEntry) []string {
	if theirs == nil {
		d.Base = ""
		return []string{"the tag no longer exists: a push creates it with this draft"}
	}
	d.Base = theirs.Digest
	if d.Raw == nil {
		return nil // a new index, not an amendment: it replaces the tag whole
	}
	if !theirs.IsIndex() {
		return []string{"the tag now holds an image, not an index: a push replaces it with this draft"}
	}
	var base struct {
		MediaType   string            `json:"mediaType"`
		Manifests   []json.RawMessage `json:"manifests"`
		Annotations map[string]string `json:"annotations"`
	}
	if json.Unmarshal(d.Raw, &base) != nil {
		return []string{"the index the draft amended cannot be read: the draft replaces the tag whole"}
	}
	baseEntries := map[string]rawDescriptor{}
	var baseOrder []string
	for _, raw := range base.Manifests {
		if rd, ok := rawDescriptorOf(raw); ok {
			if _, dup := baseEntries[rd.Digest]; !dup {
				baseEntries[rd.Digest] = rd
				baseOrder = append(baseOrder, rd.Digest)
			}
		}
	}
	edited := func(e DraftEntry) bool {
		b := baseEntries[e.Digest]
		var bp *Platform
		if b.Platform != nil {
			bp = &Platform{OS: b.Platform.OS, Architecture: b.Platform.Architecture, Variant: b.Platform.Variant, OSVersion: b.Platform.OSVersion, OSFeatures: b.Platform.OSFeatures}
		}
		return !platformsEqual(bp, e.Platform) || !mapsEqual(nonEmpty(b.Annotations), nonEmpty(e.Annotations))
	}
	ours := map[string]DraftEntry{}
	for _, e := range d.Entries {
		if _, dup := ours[e.Digest]; !dup {
			ours[e.Digest] = e
		}
	}
	var notes []string
	inTheirs := map[string]bool{}
	var out []DraftEntry
	for _, t := range theirsEntries {
		inTheirs[t.Digest] = true
		_, wasBase := baseEntries[t.Digest]
		o, kept := ours[t.Digest]
		switch {
		case wasBase && !kept:
			continue // removed in the draft
		case kept && (!wasBase || edited(o)):
			// Re-declared in the draft (or added by both): the draft's
			// platform and annotations over theirs' descriptor.
			t.Platform, t.Annotations = o.Platform, maps.Clone(o.Annotations)
		}
		out = append(out, t)
	}
	for _, e := range d.Entries {
		if _, wasBase := baseEntries[e.Digest]; wasBase && !inTheirs[e.Digest] && edited(e) {
			notes = append(notes, entryLabel(e.Platform, e.Kind, e.Digest)+" was removed underneath: the draft's edit of it is dropped")
		}
	}
	out = keepDraftOrder(out, d.Entries, baseOrder, baseEntries, inTheirs)
	d.Entries = out
	// Index annotations: what the draft set or removed, over theirs'.
	ann := maps.Clone(theirs.Annotations)
	for k := range annotationKeys(base.Annotations, d.Annotations) {
		v, set := d.Annotations[k]
		if bv, had := base.Annotations[k]; set == had && v == bv {
			continue
		}
		if ann == nil {
			ann = map[string]string{}
		}
		if set {
			ann[k] = v
		} else {
			delete(ann, k)
		}
	}
	if len(ann) == 0 {
		ann = nil
	}
	d.Annotations = ann
	if d.MediaType == base.MediaType {
		d.MediaType = theirs.MediaType
	}
	d.Raw = theirs.Raw
	return notes
}

// keepDraftOrder puts the entries the draft has in the draft's order, in
// the places they hold in out (entries added underneath keep theirs), when
// the draft reordered what it amended; it inserts the entries the draft
// added after the entry before them there.
func keepDraftOrder(out, draft []DraftEntry, baseOrder []string, base map[string]rawDescriptor, inTheirs map[string]bool) []DraftEntry {
	rank := map[string]int{}
	for i, e := range draft {
		if _, seen := rank[e.Digest]; !seen {
			rank[e.Digest] = i
		}
	}
	var kept []string // the amended entries the draft kept, in its order
	for _, e := range draft {
		if _, ok := base[e.Digest]; ok && !slices.Contains(kept, e.Digest) {
			kept = append(kept, e.Digest)
		}
	}
	was := slices.DeleteFunc(slices.Clone(baseOrder), func(d string) bool { return !slices.Contains(kept, d) })
	if slices.Equal(was, kept) {
		rank = nil // not reordered: theirs' order stands
	}
	var slots []int
	var shared []DraftEntry
	for i, e := range out {
		if _, ok := rank[e.Digest]; ok {
			slots = append(slots, i)
			shared = append(shared, e)
		}
	}
	if rank == nil {
		slots, shared = nil, nil
	}
	slices.SortStableFunc(shared, func(a, b DraftEntry) int { return rank[a.Digest] - rank[b.Digest] })
	for i, slot := range slots {
		out[slot] = shared[i]
	}
	placed := map[string]bool{}
	for _, e := range out {
		placed[e.Digest] = true
	}
	for i, e := range draft {
		if _, wasBase := base[e.Digest]; wasBase || inTheirs[e.Digest] || placed[e.Digest] {
			continue
		}
		at := 0
		for j := i - 1; j >= 0; j-- {
			if k := slices.IndexFunc(out, func(o DraftEntry) bool { return o.Digest == draft[j].Digest }); k >= 0 {
				at = k + 1
				break
			}
		}
		out = slices.Insert(out, at, e)
		placed[e.Digest] = true
	}
	return out
}

func annotationKeys(ms ...map[string]string) map[string]bool {
	out := map[string]bool{}
	for _, m := range ms {
		for k := range m {
			out[k] = true
		}
	}
	return out
}

// IndexDiff says how the index next differs from prev, as the composer's
// diff does: entries added, removed, re-declared.
func IndexDiff(prev, next *Manifest) DraftDiff {
	d := &Draft{}
	if next != nil {
		if next.IsIndex() {
			for _, e := range next.Entries {
				d.Entries = append(d.Entries, EntryFromIndex(Reference{}, e))
			}
		} else {
			d.Entries = []DraftEntry{{Descriptor: Descriptor{Digest: next.Digest}, Kind: next.Kind}}
		}
	}
	return d.Diff(prev)
}
