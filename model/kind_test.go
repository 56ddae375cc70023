package model

import (
	"strings"
	"testing"
)

func recordedIndexNamed(t *testing.T, name string) recordedIndex {
	t.Helper()
	for _, r := range loadRecordedIndexes(t) {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("no recorded index %s", name)
	return recordedIndex{}
}

// crane index append writes artifactType (the config's media type) on
// every descriptor: the entries are images all the same, each selected
// under its own platform and turned down under the other for its platform,
// never as an artifact (issue 21, defect 1).
func TestCraneIndexEntriesAreImages(t *testing.T) {
	for _, name := range []string{"crane-append", "crane-append-docker"} {
		r := recordedIndexNamed(t, name)
		root, err := DecodeManifest(r.blobs[r.Root], "")
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range root.Entries {
			if e.ArtifactType == "" || e.Kind != KindImage {
				t.Errorf("%s: %s (artifactType %q) is %s", name, e.PlatformString(), e.ArtifactType, e.Kind)
			}
		}
		for _, target := range []string{"linux/amd64", "linux/arm64"} {
			a := Analyze(root, FlagTarget(*pl(target), SourceFlag), nil, nil)
			for i, em := range a.Primary.Entries {
				own := root.Entries[i].Platform.String() == target
				if own != (em.Verdict == Selected) {
					t.Errorf("%s for %s: entry %s is %s", name, target, root.Entries[i].PlatformString(), em.Verdict)
				}
				if why := strings.Join(em.Reasons, "; "); strings.Contains(why, "artifact") || (!own && !strings.Contains(why, "architecture")) {
					t.Errorf("%s for %s: entry %s: %s", name, target, root.Entries[i].PlatformString(), why)
				}
			}
		}
	}
}

const (
	imageManifest = `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
	  "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:` + hex64a + `","size":10},
	  "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:` + hex64b + `","size":20}]}`
	hex64a = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	hex64b = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
)

// A manifest is an image by its config and layers, as containerd's
// unpacker decides: an artifactType beside them changes nothing, a config
// or a layer containerd does not unpack makes it an artifact.
func TestManifestKind(t *testing.T) {
	for _, c := range []struct {
		name, from, to string
		want           Kind
	}{
		{"image", "", "", KindImage},
		{"artifactType on an image", `"config":`, `"artifactType":"application/vnd.example+json","config":`, KindImage},
		{"Docker config", "application/vnd.oci.image.config.v1+json", MediaDockerConfig, KindImage},
		{"zstd layer", "tar+gzip", "tar+zstd", KindImage},
		{"helm chart", "application/vnd.oci.image.config.v1+json", "application/vnd.cncf.helm.config.v1+json", KindArtifact},
		{"in-toto layer (an attestation without its annotation)", "application/vnd.oci.image.layer.v1.tar+gzip", MediaInToto, KindArtifact},
		{"cosign signature", "application/vnd.oci.image.layer.v1.tar+gzip", "application/vnd.dev.cosign.simplesigning.v1+json", KindArtifact},
		{"attestation by annotation", `"layers":`, `"annotations":{"vnd.docker.reference.type":"attestation-manifest"},"layers":`, KindAttestation},
	} {
		m, err := DecodeManifest([]byte(strings.Replace(imageManifest, c.from, c.to, 1)), "")
		if err != nil {
			t.Fatal(err)
		}
		if m.Kind != c.want {
			t.Errorf("%s: %s, want %s", c.name, m.Kind, c.want)
		}
	}
}

// Once the manifests load, they decide their entries' kinds: a descriptor
// that claims an artifact for an image, or says nothing about a chart, is
// corrected; an attestation stays one; nested indexes are settled too.
func TestSettleKinds(t *testing.T) {
	img, _ := DecodeManifest([]byte(imageManifest), "")
	chart, _ := DecodeManifest([]byte(strings.Replace(imageManifest, "application/vnd.oci.image.config.v1+json", "application/vnd.cncf.helm.config.v1+json", 1)), "")
	entry := func(d string, artifactType string, annotations map[string]string) string {
		s := `{"mediaType":"application/vnd.oci.image.manifest.v1+json","size":1,"digest":"` + d + `","platform":{"os":"linux","architecture":"amd64"}`
		if artifactType != "" {
			s += `,"artifactType":"` + artifactType + `"`
		}
		if annotations != nil {
			s += `,"annotations":{"vnd.docker.reference.type":"attestation-manifest"}`
		}
		return s + "}"
	}
	nested, _ := DecodeManifest([]byte(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[`+entry(img.Digest, "application/vnd.example.sbom", nil)+`]}`), "")
	root, _ := DecodeManifest([]byte(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[`+
		entry(img.Digest, "application/vnd.example.sbom", nil)+","+entry(chart.Digest, "", nil)+","+entry(img.Digest, "", map[string]string{})+","+
		`{"mediaType":"application/vnd.oci.image.index.v1+json","size":1,"digest":"`+nested.Digest+`"}]}`), "")
	before := []Kind{KindArtifact, KindImage, KindAttestation, KindIndex}
	for i, e := range root.Entries {
		if e.Kind != before[i] {
			t.Fatalf("entry %d from its descriptor: %s, want %s", i, e.Kind, before[i])
		}
	}
	tr := NewTree(root)
	tr.Children = map[string]*Manifest{img.Digest: img, chart.Digest: chart, nested.Digest: nested}
	tr.SettleKinds()
	for i, want := range []Kind{KindImage, KindArtifact, KindAttestation, KindIndex} {
		if got := root.Entries[i].Kind; got != want {
			t.Errorf("entry %d once loaded: %s, want %s", i, got, want)
		}
	}
	if got := nested.Entries[0].Kind; got != KindImage {
		t.Errorf("nested entry once loaded: %s", got)
	}
}

// Selection looks at the platform alone, in containerd and in Docker on
// Windows: an artifact that matches is chosen, and platypus says that
// Docker pulls it and cannot run it instead of pretending it is skipped.
func TestArtifactMatchingThePlatformIsSelectedWithAWarning(t *testing.T) {
	art := Entry{Descriptor: Descriptor{MediaType: MediaOCIManifest, Digest: dig(1), ArtifactType: "application/vnd.example.sbom", Platform: pl("linux/amd64")}, Kind: KindArtifact}
	m := index(art, img(2, pl("linux/amd64")))
	a := Analyze(m, FlagTarget(*pl("linux/amd64"), SourceFlag), nil, nil)
	if a.Primary.Selected != 0 || a.Primary.Image != dig(1) {
		t.Fatalf("containerd takes the first match, artifact or not: %+v", a.Primary)
	}
	if why := strings.Join(a.Primary.Entries[0].Reasons, "; "); !strings.Contains(why, "cannot run it") || !strings.Contains(why, "application/vnd.example.sbom") {
		t.Errorf("reasons: %s", why)
	}
	winArt := art
	winArt.Platform = &Platform{OS: "windows", Architecture: "amd64", OSVersion: "10.0.17763.1"}
	w := Analyze(index(winArt), FlagTarget(Platform{OS: "windows", Architecture: "amd64", OSVersion: "10.0.17763.1"}, SourceFlag), nil, nil)
	if w.Primary.Store != StoreWindows || w.Primary.Selected != 0 || !strings.Contains(strings.Join(w.Primary.Entries[0].Reasons, "; "), "cannot run it") {
		t.Errorf("Windows store: %+v", w.Primary)
	}
	// A skipped artifact is explained by what it is.
	winArt.Platform = pl("linux/arm64")
	w = Analyze(index(winArt), FlagTarget(Platform{OS: "windows", Architecture: "amd64", OSVersion: "10.0.17763.1"}, SourceFlag), nil, nil)
	if why := strings.Join(w.Primary.Entries[0].Reasons, "; "); !strings.HasPrefix(why, "artifact (application/vnd.example.sbom)") {
		t.Errorf("skipped artifact: %s", why)
	}
}
