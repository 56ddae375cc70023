package model

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

func FuzzParseReference(f *testing.F) {
	for _, s := range []string{"alpine", "localhost:5000/a/b:c@sha256:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "ocidir://x:y", "[::1]/a", "Docker.io/x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseReference(s)
		if err != nil {
			return
		}
		// What parses prints back as something that parses to the same.
		r2, err := ParseReference(r.String())
		if err != nil || r2 != r {
			t.Fatalf("round trip of %q: %q -> %+v, %v", s, r.String(), r2, err)
		}
	})
}

func FuzzParsePlatform(f *testing.F) {
	for _, s := range []string{"linux/amd64", "linux/arm64/v8", "windows(10.0.14393.2068)/amd64", "arm64", "windows(10%2E0+a+b)/amd64"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePlatform(s)
		if err != nil {
			return
		}
		if p.OS == "" || Clean(p.String()) != p.String() {
			t.Fatalf("ParsePlatform(%q) = %+v", s, p)
		}
		_ = FlagTarget(p, SourceFlag)
	})
}

func FuzzDecodeManifest(f *testing.F) {
	f.Add([]byte(dockerList), "")
	f.Add([]byte(`{"schemaVersion":2,"config":{"mediaType":"a","digest":"sha256:`+"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"+`","size":1},"layers":[]}`), "application/vnd.oci.image.manifest.v1+json")
	f.Add([]byte(`{"manifests":[]}`), "text/plain")
	f.Fuzz(func(t *testing.T, raw []byte, mt string) {
		m, err := DecodeManifest(raw, mt)
		if err != nil {
			return
		}
		for _, e := range m.Entries {
			if !ValidDigest(e.Digest) || e.Size < 0 {
				t.Fatalf("accepted a bad descriptor %+v", e)
			}
			if e.Platform != nil {
				if _, bad := FirstControl(Clean(e.Platform.Display())); bad {
					t.Fatalf("Clean left a control in %q", e.Platform.Display())
				}
			}
		}
		_ = Analyze(m, HostTarget(), nil, nil)
	})
}

func FuzzDecodeConfig(f *testing.F) {
	f.Add([]byte(`{"architecture":"amd64","os":"linux","history":[{"created_by":"x","empty_layer":true}],"rootfs":{"diff_ids":[]}}`))
	f.Add([]byte(`{"created":"not a time","config":{"Env":["\u001b[31m"]}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		c, err := DecodeConfig(raw)
		if err != nil {
			return
		}
		for _, s := range append(append([]string{c.Author, c.User, c.WorkingDir}, c.Env...), c.Cmd...) {
			if _, bad := FirstControl(Clean(s)); bad {
				t.Fatalf("Clean left a control in %q", s)
			}
		}
		_ = AlignLayers(nil, c.DiffIDs, c.History)
	})
}

// FuzzValidRepository: the loop that checks repository names agrees with
// the grammar's regular expression (distribution's reference package).
func FuzzValidRepository(f *testing.F) {
	for _, s := range []string{"library/alpine", "a__b", "a___b", "a--b", "a-", "-a", "a.b_c", "A", "a//b", "x/y.z/w", ""} {
		f.Add(s)
	}
	component := regexp.MustCompile(`^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$`)
	f.Fuzz(func(t *testing.T, s string) {
		want := s != "" && len(s) <= 255
		for c := range strings.SplitSeq(s, "/") {
			want = want && component.MatchString(c)
		}
		if got := ValidRepository(s); got != want {
			t.Fatalf("ValidRepository(%q) = %v, the grammar says %v", s, got, want)
		}
		if got := checkRepository(s) == nil; got != want {
			t.Fatalf("checkRepository(%q) ok = %v, the grammar says %v", s, got, want)
		}
	})
}

// FuzzCompareLines: any two texts a registry's files could hold give an
// edit that turns one into the other, with hunks that hold every edit.
func FuzzCompareLines(f *testing.F) {
	f.Add([]byte("a\nb\nc\n"), []byte("a\nx\nc\nd\n"))
	f.Add([]byte(""), []byte("new\r\n\x00\n"))
	f.Add([]byte("same"), []byte("same"))
	f.Fuzz(func(t *testing.T, x, y []byte) {
		a, _ := SplitLines(x)
		b, _ := SplitLines(y)
		ops, _ := CompareLines(a, b)
		gotA, gotB, edits := sides(ops)
		if !slices.Equal(gotA, a) || !slices.Equal(gotB, b) {
			t.Fatalf("the edit does not turn %q into %q", a, b)
		}
		inHunks := 0
		for _, h := range Hunks(ops, 3) {
			for _, l := range h.Lines {
				if l.Kind != ' ' {
					inHunks++
				}
			}
		}
		if inHunks != edits {
			t.Fatalf("hunks hold %d of %d edits", inHunks, edits)
		}
	})
}
