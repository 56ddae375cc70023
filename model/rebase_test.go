package model

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// child is a made-up image of an index: its digest from its name.
func rbChild(name string) string { return DigestOf([]byte(name)) }

type ent struct {
	name, platform string
	ann            map[string]string
}

// index builds an OCI index the way a registry would hold it, decoded as
// platypus reads it, with its entries as draft entries.
func rbIndex(t *testing.T, ann map[string]string, entries ...ent) (*Manifest, []DraftEntry) {
	t.Helper()
	var ms []map[string]any
	for _, e := range entries {
		p, err := ParsePlatform(e.platform)
		if err != nil {
			t.Fatal(err)
		}
		d := map[string]any{"mediaType": MediaOCIManifest, "digest": rbChild(e.name), "size": 100, "platform": p}
		if e.ann != nil {
			d["annotations"] = e.ann
		}
		ms = append(ms, d)
	}
	top := map[string]any{"schemaVersion": 2, "mediaType": MediaOCIIndex, "manifests": ms}
	if ann != nil {
		top["annotations"] = ann
	}
	raw, _ := json.MarshalIndent(top, "", "   ")
	m, err := DecodeManifest(raw, MediaOCIIndex)
	if err != nil {
		t.Fatal(err)
	}
	var des []DraftEntry
	for _, e := range m.Entries {
		des = append(des, EntryFromIndex(Reference{}, e))
	}
	return m, des
}

// amending starts a draft that amends m, as the composer does.
func amending(m *Manifest, entries []DraftEntry) *Draft {
	d := &Draft{MediaType: m.MediaType, Base: m.Digest, Raw: m.Raw, Annotations: cloneMap(m.Annotations)}
	for _, e := range entries {
		c := e
		c.Annotations = cloneMap(e.Annotations)
		d.Entries = append(d.Entries, c)
	}
	return d
}

func cloneMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := map[string]string{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

func rbPlatforms(d *Draft) string {
	var out []string
	for _, e := range d.Entries {
		s := e.Platform.String()
		if len(e.Annotations) > 0 {
			s += fmt.Sprint(e.Annotations)
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

var base3 = []ent{{"amd64", "linux/amd64", nil}, {"386", "linux/386", nil}, {"arm64", "linux/arm64/v8", nil}}

// Without edits, a draft reloaded is exactly what the tag holds now.
func TestRebaseWithoutEditsIsTheirs(t *testing.T) {
	base, be := rbIndex(t, nil, base3...)
	theirs, te := rbIndex(t, map[string]string{"by": "them"}, ent{"amd64", "linux/amd64", nil}, ent{"s390x", "linux/s390x", nil}, ent{"arm64", "linux/arm64/v8", nil})
	d := amending(base, be)
	if notes := d.Rebase(theirs, te); len(notes) > 0 {
		t.Errorf("notes: %v", notes)
	}
	if d.Digest() != theirs.Digest || d.Base != theirs.Digest {
		t.Errorf("rebased %s, theirs %s", d.Digest(), theirs.Digest)
	}
}

// Edits stay on top of someone else's push: a removal, a re-declared
// entry, an added one after the entry it followed, an index annotation,
// and the draft's order.
func TestRebaseKeepsTheEditsOnTop(t *testing.T) {
	base, be := rbIndex(t, map[string]string{"keep": "1", "drop": "1"}, base3...)
	d := amending(base, be)
	d.Remove("linux/386")
	d.SetAnnotation(0, "note", "mine")
	d.Move(1, -1) // arm64 first
	_, extra := rbIndex(t, nil, ent{"ppc", "linux/ppc64le", nil})
	d.Entries = append(d.Entries[:1], append([]DraftEntry{extra[0]}, d.Entries[1:]...)...) // after arm64
	d.SetAnnotation(-1, "v", "2")
	d.SetAnnotation(-1, "drop", "")
	theirs, te := rbIndex(t, map[string]string{"keep": "1", "drop": "1", "theirs": "x"},
		ent{"amd64", "linux/amd64", nil}, ent{"386", "linux/386", nil}, ent{"arm64", "linux/arm64/v8", nil}, ent{"s390x", "linux/s390x", nil})
	if notes := d.Rebase(theirs, te); len(notes) > 0 {
		t.Errorf("notes: %v", notes)
	}
	if got, want := rbPlatforms(d), "linux/arm64/v8 linux/ppc64le linux/amd64map[note:mine] linux/s390x"; got != want {
		t.Errorf("entries %s, want %s", got, want)
	}
	if d.Annotations["v"] != "2" || d.Annotations["theirs"] != "x" || d.Annotations["keep"] != "1" || d.Annotations["drop"] != "" || len(d.Annotations) != 3 {
		t.Errorf("annotations %v", d.Annotations)
	}
	if d.Base != theirs.Digest || string(d.Raw) != string(theirs.Raw) {
		t.Errorf("the draft does not amend theirs now")
	}
	// An entry the draft re-declared and someone else removed is noted.
	d2 := amending(base, be)
	d2.SetAnnotation(1, "note", "mine")
	gone, ge := rbIndex(t, nil, ent{"amd64", "linux/amd64", nil})
	if notes := d2.Rebase(gone, ge); len(notes) != 1 || !strings.Contains(notes[0], "linux/386") || rbPlatforms(d2) != "linux/amd64" {
		t.Errorf("an edited entry removed underneath: %v, %s", notes, rbPlatforms(d2))
	}
}

// Random edits, then the tag going back to what the draft amended (an
// undo elsewhere after the draft was pushed): the draft is unchanged. And
// an unedited draft always becomes what the tag holds.
func TestRebaseOntoItsOwnBaseKeepsTheDraft(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 22))
	base, be := rbIndex(t, map[string]string{"a": "1"}, base3...)
	_, extra := rbIndex(t, nil, ent{"ppc", "linux/ppc64le", nil}, ent{"s390x", "linux/s390x", nil}, ent{"riscv", "linux/riscv64", nil})
	for round := range 500 {
		d := amending(base, be)
		for range 1 + r.IntN(5) {
			n := len(d.Entries)
			switch op := r.IntN(5); {
			case op == 0 && n > 0:
				i := r.IntN(n)
				d.Entries = slices.Delete(d.Entries, i, i+1)
			case op == 1 && n > 0:
				d.SetAnnotation(r.IntN(n), "k", fmt.Sprint(r.IntN(3)))
			case op == 2 && n > 1:
				d.Move(r.IntN(n), 1-2*r.IntN(2))
			case op == 3:
				e := extra[r.IntN(len(extra))]
				if !slices.ContainsFunc(d.Entries, func(x DraftEntry) bool { return x.Digest == e.Digest }) {
					d.Entries = slices.Insert(d.Entries, r.IntN(n+1), e)
				}
			default:
				d.SetAnnotation(-1, "a", []string{"", "1", "2"}[r.IntN(3)])
			}
		}
		// Someone else's index, any subset and order of five platforms.
		pool := append(slices.Clone(base3), ent{"ppc", "linux/ppc64le", nil}, ent{"s390x", "linux/s390x", map[string]string{"x": "y"}})
		r.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
		theirs, te := rbIndex(t, map[string]string{"b": fmt.Sprint(r.IntN(2))}, pool[:1+r.IntN(len(pool))]...)
		if clean := amending(base, be); len(clean.Rebase(theirs, te)) > 0 || clean.Digest() != theirs.Digest {
			t.Fatalf("round %d: an unedited draft rebased is not theirs", round)
		}
		before, shown := d.Digest(), rbPlatforms(d)+fmt.Sprint(d.Annotations)
		if notes := d.Rebase(base, be); len(notes) > 0 || d.Digest() != before {
			t.Fatalf("round %d: %s became %s (%v): %s -> %s", round, before, d.Digest(), notes, shown, rbPlatforms(d)+fmt.Sprint(d.Annotations))
		}
	}
}

func TestRebaseOntoNothingOrAnImage(t *testing.T) {
	base, be := rbIndex(t, nil, base3...)
	d := amending(base, be)
	d.Remove("linux/386")
	want := d.Digest()
	if notes := d.Rebase(nil, nil); d.Base != "" || len(notes) != 1 || d.Digest() != want {
		t.Errorf("onto nothing: base %q, %v", d.Base, notes)
	}
	img := &Manifest{MediaType: MediaOCIManifest, Digest: rbChild("img"), Kind: KindImage}
	if notes := d.Rebase(img, nil); d.Base != img.Digest || len(notes) != 1 || d.Digest() != want {
		t.Errorf("onto an image: base %q, %v", d.Base, notes)
	}
}
