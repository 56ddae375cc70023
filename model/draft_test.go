package model

import (
	"slices"
	"strings"
	"testing"
)

func repoRef(s string) Reference {
	r, err := ParseReference(s)
	if err != nil {
		panic(err)
	}
	return r
}

func dentry(n int, p *Platform, mt string) DraftEntry {
	return DraftEntry{Source: repoRef("r.example/app").WithDigest(dig(n)), Descriptor: Descriptor{MediaType: mt, Digest: dig(n), Size: 500, Platform: p}, Kind: KindImage}
}

func draftOf(entries ...DraftEntry) *Draft {
	return &Draft{Target: repoRef("r.example/app:1"), MediaType: MediaOCIIndex, Entries: entries}
}

// issuesOf renders issues as "sev@entry:first words" for comparison.
func issuesOf(is []DraftIssue) []string {
	var out []string
	for _, i := range is {
		words := strings.Fields(i.Message)
		out = append(out, string(i.Severity)[:1]+"@"+itoa(i.Entry)+":"+strings.Join(words[:min(2, len(words))], " "))
	}
	return out
}

func itoa(n int) string {
	if n < 0 {
		return "-" + itoa(-n)
	}
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + itoa(n%10)
}

func TestValidate(t *testing.T) {
	amd, arm := pl("linux/amd64"), pl("linux/arm64")
	other := dentry(5, arm, MediaOCIManifest)
	other.Source = repoRef("r.example/other").WithDigest(dig(5))
	noArch := dentry(6, &Platform{OS: "linux"}, MediaOCIManifest)
	unreachable := dentry(7, amd, MediaOCIManifest)
	unreachable.Unreachable = "not found"
	declared := dentry(8, arm, MediaOCIManifest)
	declared.ConfigPlatform = pl("linux/amd64")
	att := DraftEntry{Descriptor: Descriptor{Digest: dig(9), MediaType: MediaOCIManifest}, Kind: KindAttestation, Subject: dig(99), Source: repoRef("r.example/app").WithDigest(dig(9))}
	orphan := att
	orphan.Subject = ""
	for _, c := range []struct {
		name string
		d    *Draft
		want []string
	}{
		{"empty", draftOf(), []string{"e@-1:the index"}},
		{"valid", draftOf(dentry(1, amd, MediaOCIManifest), dentry(2, arm, MediaOCIManifest)), nil},
		{"bad media type", &Draft{Target: repoRef("r.example/app:1"), MediaType: "text/plain", Entries: []DraftEntry{dentry(1, amd, MediaOCIManifest)}}, []string{"e@-1:media type"}},
		{"duplicate platform", draftOf(dentry(1, amd, MediaOCIManifest), dentry(2, pl("linux/x86_64"), MediaOCIManifest)), []string{"e@1:duplicate platform"}},
		{"arm64 and arm64/v8 are one platform", draftOf(dentry(1, arm, MediaOCIManifest), dentry(2, pl("linux/arm64/v8"), MediaOCIManifest)), []string{"e@1:duplicate platform"}},
		{"windows builds differ", draftOf(dentry(1, win("10.0.17763.1"), MediaOCIManifest), dentry(2, win("10.0.20348.1"), MediaOCIManifest)), nil},
		{"no platform", draftOf(dentry(1, nil, MediaOCIManifest)), []string{"e@0:" + ShortDigest(dig(1)) + " has"}},
		{"no architecture", draftOf(noArch), []string{"e@0:" + ShortDigest(dig(6)) + ": platform"}},
		{"unreachable", draftOf(unreachable), []string{"e@0:" + ShortDigest(dig(7)) + " cannot"}},
		{"config disagrees", draftOf(declared), []string{"w@0:declared linux/arm64"}},
		{"copied from elsewhere", draftOf(other), []string{"w@0:" + ShortDigest(dig(5)) + " lives"}},
		{"docker child in OCI index", draftOf(dentry(1, amd, MediaDockerManifest)), []string{"w@0:a Docker"}},
		{"attestation without subject", draftOf(dentry(1, amd, MediaOCIManifest), orphan), []string{"w@1:attestation " + ShortDigest(dig(9))}},
		{"attestation of a removed image", draftOf(dentry(1, amd, MediaOCIManifest), att), []string{"w@1:attestation for"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := issuesOf(c.d.Validate()); !slices.Equal(got, c.want) {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
	if Blocking([]DraftIssue{{Severity: SevWarning}}) || !Blocking([]DraftIssue{{Severity: SevWarning}, {Severity: SevError}}) {
		t.Error("Blocking: only errors block")
	}
}

func TestDiff(t *testing.T) {
	amd, arm := pl("linux/amd64"), pl("linux/arm64")
	cur := index(img(1, amd), img(2, arm))
	changed := dentry(2, pl("linux/arm64/v8"), MediaOCIManifest)
	annotated := dentry(1, amd, MediaOCIManifest)
	annotated.Annotations = map[string]string{"k": "v"}
	for _, c := range []struct {
		name    string
		d       *Draft
		current *Manifest
		want    []string
	}{
		{"new tag", draftOf(dentry(1, amd, MediaOCIManifest)), nil, []string{"+ linux/amd64 " + ShortDigest(dig(1))}},
		{"same", draftOf(dentry(1, amd, MediaOCIManifest), dentry(2, arm, MediaOCIManifest)), cur, []string{}},
		{"removed and added", draftOf(dentry(1, amd, MediaOCIManifest), dentry(3, pl("linux/s390x"), MediaOCIManifest)), cur,
			[]string{"+ linux/s390x " + ShortDigest(dig(3)), "- linux/arm64 " + ShortDigest(dig(2))}},
		{"platform changed", draftOf(dentry(1, amd, MediaOCIManifest), changed), cur, []string{"~ linux/arm64/v8 " + ShortDigest(dig(2))}},
		{"annotation changed", draftOf(annotated, dentry(2, arm, MediaOCIManifest)), cur, []string{"~ linux/amd64 " + ShortDigest(dig(1))}},
		{"over a single image", draftOf(dentry(1, amd, MediaOCIManifest)), &Manifest{Kind: KindImage, Digest: dig(50)},
			[]string{"+ linux/amd64 " + ShortDigest(dig(1)), "- image " + ShortDigest(dig(50))}},
	} {
		t.Run(c.name, func(t *testing.T) {
			diff := c.d.Diff(c.current)
			if got := diff.Lines(); !slices.Equal(got, c.want) {
				t.Errorf("got %q, want %q", got, c.want)
			}
			if diff.Empty() != (len(c.want) == 0) {
				t.Errorf("Empty() = %v", diff.Empty())
			}
		})
	}
}

func TestMoveAndRemove(t *testing.T) {
	// Digests that differ from their first hex digit on.
	hashed := func(n int, p *Platform) DraftEntry {
		e := dentry(n, p, MediaOCIManifest)
		e.Digest = DigestOf([]byte{byte(n)})
		return e
	}
	one, three := hashed(1, pl("linux/amd64")), hashed(3, win("10.0.17763.1"))
	d := draftOf(one, hashed(2, pl("linux/arm64/v8")), three)
	if j := d.Move(0, 1); j != 1 || d.Entries[1].Digest != one.Digest {
		t.Errorf("Move(0, 1) = %d, order %v", j, d.Entries)
	}
	if j := d.Move(0, -1); j != 0 {
		t.Errorf("Move off the top = %d", j)
	}
	if j := d.Move(2, 1); j != 2 {
		t.Errorf("Move off the end = %d", j)
	}
	for _, c := range []struct {
		what string
		want int
	}{
		{"linux/s390x", 0},
		{"abc", 0},                         // too short to be a digest
		{"linux/arm64", 1},                 // matches arm64/v8 as Docker normalises
		{"windows(10.0.20348.1)/amd64", 0}, // the os.version must match when given
		{ShortDigest(three.Digest), 1},     // a short digest
		{strings.TrimPrefix(one.Digest, "sha256:")[:20], 0}, // a bare hex prefix is not a digest
		{one.Digest[:20], 1}, // a digest prefix
	} {
		if got := d.Remove(c.what); got != c.want {
			t.Errorf("Remove(%q) = %d, want %d", c.what, got, c.want)
		}
	}
	if len(d.Entries) != 0 {
		t.Errorf("%d entries left", len(d.Entries))
	}
}

func TestInferMediaType(t *testing.T) {
	for _, c := range []struct {
		mts  []string
		want string
	}{
		{nil, MediaOCIIndex},
		{[]string{MediaDockerManifest, MediaDockerManifest}, MediaDockerList},
		{[]string{MediaDockerManifest, MediaDockerList}, MediaDockerList},
		{[]string{MediaDockerManifest, MediaOCIManifest}, MediaOCIIndex},
		{[]string{MediaOCIManifest}, MediaOCIIndex},
	} {
		var es []DraftEntry
		for i, mt := range c.mts {
			es = append(es, dentry(i, pl("linux/amd64"), mt))
		}
		if got := InferMediaType(es); got != c.want {
			t.Errorf("%v: %s, want %s", c.mts, got, c.want)
		}
	}
}

func TestDraftEditsAndClone(t *testing.T) {
	d := draftOf(dentry(1, pl("linux/amd64"), MediaOCIManifest))
	c := d.Clone()
	d.SetAnnotation(-1, "a", "1")
	d.SetAnnotation(0, "b", "2")
	d.Entries[0].Platform.Variant = "v3"
	if c.Annotations != nil || c.Entries[0].Annotations != nil || c.Entries[0].Platform.Variant != "" {
		t.Errorf("the clone shares state: %+v", c.Entries[0])
	}
	d.SetAnnotation(-1, "a", "")
	if d.Annotations != nil {
		t.Errorf("removing the last annotation left %v", d.Annotations)
	}
	for in, ok := range map[string]bool{"k=v": true, "k=": true, "k=v=w": true, "=v": false, "k": false, " =v": false} {
		if _, _, err := ParseAnnotation(in); (err == nil) != ok {
			t.Errorf("ParseAnnotation(%q): %v", in, err)
		}
	}
}
