package check

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/model"
)

// fixture builds trees the way a registry's answers decode.
type fixture struct {
	t *model.Tree
	n int
}

func newFixture(mediaType string) *fixture {
	root := &model.Manifest{Digest: digestOf("root"), MediaType: mediaType, Kind: model.KindIndex}
	return &fixture{t: model.NewTree(root)}
}

func digestOf(s string) string { return model.DigestOf([]byte(s)) }

// image adds an entry declared as decl whose config says cfg.
func (f *fixture) image(decl *model.Platform, cfg model.Platform) *model.Manifest {
	f.n++
	m := &model.Manifest{Digest: digestOf(fmt.Sprint("image", f.n)), MediaType: model.MediaOCIManifest, Kind: model.KindImage,
		Config: &model.Descriptor{MediaType: model.MediaOCIConfig, Digest: digestOf(fmt.Sprint("config", f.n)), Size: 2},
		Layers: []model.Descriptor{{MediaType: model.MediaOCILayerGzip, Digest: digestOf(fmt.Sprint("layer", f.n)), Size: 100}}}
	f.t.Children[m.Digest] = m
	f.t.Configs[m.Digest] = &model.Config{Platform: cfg, Raw: []byte("{}")}
	f.t.Root.Entries = append(f.t.Root.Entries, model.Entry{Kind: model.KindImage,
		Descriptor: model.Descriptor{MediaType: m.MediaType, Digest: m.Digest, Size: 500, Platform: decl}})
	return m
}

func (f *fixture) attest(subject string, predicates ...string) {
	f.n++
	m := &model.Manifest{Digest: digestOf(fmt.Sprint("att", f.n)), MediaType: model.MediaOCIManifest, Kind: model.KindImage}
	for _, p := range predicates {
		m.Layers = append(m.Layers, model.Descriptor{MediaType: model.MediaInToto, Digest: digestOf(p + fmt.Sprint(f.n)), Annotations: map[string]string{"in-toto.io/predicate-type": p}})
	}
	f.t.Children[m.Digest] = m
	f.t.Root.Entries = append(f.t.Root.Entries, model.Entry{Kind: model.KindAttestation, Subject: subject,
		Descriptor: model.Descriptor{MediaType: m.MediaType, Digest: m.Digest, Platform: &model.Platform{OS: "unknown", Architecture: "unknown"},
			Annotations: map[string]string{model.AnnotationReferenceDigest: subject, model.AnnotationReferenceType: model.AttestationManifest}}})
}

func plat(s string) *model.Platform {
	p, err := model.ParsePlatformLine(s)
	if err != nil {
		panic(err)
	}
	return &p
}

func (f *fixture) run(p *Policy) []Finding { return Evaluate(&Facts{Tree: f.t}, p).Findings }

func rules(fs []Finding) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, f.Rule)
	}
	return out
}

func TestPlatformMismatchNormalises(t *testing.T) {
	tests := []struct {
		decl, cfg string
		want      bool
	}{
		{"linux/arm64", "linux/arm64/v8", false},
		{"linux/arm64/v8", "linux/arm64", false},
		{"linux/arm/v7", "linux/arm", false}, // containerd takes arm for arm/v7
		{"linux/amd64", "linux/x86_64", false},
		{"linux/arm64", "linux/amd64", true},
		{"linux/arm/v6", "linux/arm/v7", true},
		{"windows/amd64 10.0.17763.6054", "windows/amd64 10.0.20348.2582", true},
		{"windows/amd64", "windows/amd64 10.0.17763.6054", false}, // windows-os-version's finding
		{"linux/amd64", "windows/amd64", true},
	}
	for _, tt := range tests {
		f := newFixture(model.MediaOCIIndex)
		f.image(plat(tt.decl), *plat(tt.cfg))
		got := slices.Contains(rules(f.run(nil)), RulePlatformMismatch)
		if got != tt.want {
			t.Errorf("%s declared, %s in the config: mismatch %v, want %v", tt.decl, tt.cfg, got, tt.want)
		}
	}
}

func TestDuplicatePlatform(t *testing.T) {
	tests := []struct {
		name string
		decl []string
		dups []int // entries (0-based) found duplicate
	}{
		{"same platform", []string{"linux/amd64", "linux/amd64"}, []int{1}},
		{"arm64 and arm64/v8 are one", []string{"linux/arm64", "linux/arm64/v8"}, []int{1}},
		{"amd64 levels differ", []string{"linux/amd64", "linux/amd64/v2"}, nil},
		{"v2 first: a v1 host still gets amd64", []string{"linux/amd64/v2", "linux/amd64"}, nil},
		{"windows revisions are one build", []string{"windows/amd64 10.0.17763.100", "windows/amd64 10.0.17763.6054"}, []int{1}},
		{"windows builds differ", []string{"windows/amd64 10.0.17763.6054", "windows/amd64 10.0.20348.2582"}, nil},
		{"arm variants differ", []string{"linux/arm/v6", "linux/arm/v7"}, nil},
		{"three of a kind", []string{"linux/amd64", "linux/arm64", "linux/amd64", "linux/amd64"}, []int{2, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(model.MediaOCIIndex)
			for _, d := range tt.decl {
				f.image(plat(d), *plat(d))
			}
			var got []int
			for _, fd := range f.run(nil) {
				if fd.Rule == RuleDuplicatePlatform {
					got = append(got, slices.IndexFunc(f.t.Root.Entries, func(e model.Entry) bool { return e.Digest == fd.Entry }))
				}
			}
			if !slices.Equal(got, tt.dups) {
				t.Errorf("duplicates at %v, want %v", got, tt.dups)
			}
		})
	}
}

func TestUnreachableEntry(t *testing.T) {
	tests := []struct {
		platform *model.Platform
		want     string // part of the reason, "" when reachable
	}{
		{&model.Platform{}, "empty object"},
		{&model.Platform{OS: "linux", Architecture: "arm64", Variant: "v7"}, `no arm64 variant "v7"`},
		{&model.Platform{OS: "linux", Architecture: "arm64", Variant: "v9.7"}, ""},
		{&model.Platform{OS: "plan10", Architecture: "amd64"}, `os "plan10"`},
		{&model.Platform{OS: "linux", Architecture: "z80"}, `architecture "z80"`},
		{&model.Platform{OS: "linux"}, "no architecture"},
		{&model.Platform{OS: "windows", Architecture: "amd64", OSVersion: "10.0"}, ""}, // Windows' own store takes it
		{&model.Platform{Architecture: "amd64"}, ""},                                   // the daemon's os fills it
		{&model.Platform{OS: "linux", Architecture: "aarch64"}, ""},
		{nil, ""}, // Docker's last resort
	}
	for _, tt := range tests {
		f := newFixture(model.MediaOCIIndex)
		f.image(tt.platform, model.Platform{OS: "linux", Architecture: "amd64"})
		var reason string
		for _, fd := range f.run(nil) {
			if fd.Rule == RuleUnreachableEntry {
				reason = fd.Message
			}
		}
		if (reason == "") != (tt.want == "") || !strings.Contains(reason, tt.want) {
			t.Errorf("%+v: %q, want %q", tt.platform, reason, tt.want)
		}
	}
	// Attestations are never this, whatever their platform.
	f := newFixture(model.MediaOCIIndex)
	img := f.image(plat("linux/amd64"), *plat("linux/amd64"))
	f.attest(img.Digest, "https://slsa.dev/provenance/v0.2")
	if got := rules(f.run(nil)); len(got) != 0 {
		t.Errorf("an attested image: %v", got)
	}
}

func TestAttestationsAndOrphans(t *testing.T) {
	f := newFixture(model.MediaOCIIndex)
	a := f.image(plat("linux/amd64"), *plat("linux/amd64"))
	f.image(plat("linux/arm64"), *plat("linux/arm64"))
	f.attest(a.Digest, "https://slsa.dev/provenance/v0.2", "https://spdx.dev/Document")
	f.attest(digestOf("gone"), "https://slsa.dev/provenance/v0.2")
	f.attest("")
	got := f.run(&Policy{HighestWasted: -1, Provenance: Level{On: true}, SBOM: Level{On: true, Severity: model.SevWarning}})
	want := []string{RuleOrphan, RuleMissingProvenance, RuleMissingSBOM, RuleDanglingAttestation, RuleDanglingAttestation}
	if !slices.Equal(rules(got), want) {
		t.Fatalf("rules %v, want %v", rules(got), want)
	}
	if got[2].Severity != model.SevWarning || got[1].Severity != model.SevError {
		t.Errorf("severities: %+v", got)
	}
	// A referrer attests as well as an entry does.
	facts := &Facts{Tree: f.t, Referrers: map[string][]Referrer{
		f.t.Root.Entries[1].Digest: {{Descriptor: model.Descriptor{ArtifactType: "application/spdx+json"}}, {Predicates: []string{"https://slsa.dev/provenance/v1"}}},
	}}
	res := Evaluate(facts, &Policy{HighestWasted: -1, Provenance: Level{On: true}, SBOM: Level{On: true}})
	if got := rules(res.Findings); !slices.Equal(got, []string{RuleDanglingAttestation, RuleDanglingAttestation}) {
		t.Errorf("with referrers: %v", got)
	}
}

func TestMixedMediaTypes(t *testing.T) {
	f := newFixture(model.MediaDockerList)
	m := f.image(plat("linux/amd64"), *plat("linux/amd64"))
	m.MediaType = model.MediaDockerManifest
	m.Config.MediaType = model.MediaDockerConfig
	m.Layers[0].MediaType = model.MediaDockerLayerGzip
	if got := rules(f.run(nil)); len(got) != 0 {
		t.Fatalf("all Docker: %v", got)
	}
	w := f.image(plat("windows/amd64 10.0.17763.1"), *plat("windows/amd64 10.0.17763.1"))
	w.MediaType, w.Config.MediaType = model.MediaDockerManifest, model.MediaDockerConfig
	w.Layers = []model.Descriptor{{MediaType: model.MediaDockerForeign}, {MediaType: model.MediaDockerLayerGzip}}
	if got := rules(f.run(nil)); len(got) != 0 {
		t.Fatalf("a foreign layer mixes nothing: %v", got)
	}
	w.Layers[1].MediaType = model.MediaOCILayerGzip
	got := f.run(nil)
	if len(got) != 1 || !strings.Contains(got[0].Message, "Docker manifest, config, OCI layer 1") {
		t.Errorf("mixed inside an image: %+v", got)
	}
	o := f.image(plat("linux/arm64"), *plat("linux/arm64"))
	_ = o
	got = f.run(nil)
	if len(got) != 2 || !strings.Contains(got[1].Message, "is a OCI manifest in a Docker manifest list") && !strings.Contains(got[1].Message, "is an OCI manifest in a Docker manifest list") {
		t.Errorf("an OCI image in a Docker list: %+v", got)
	}
}

func TestMissingBlobs(t *testing.T) {
	f := newFixture(model.MediaOCIIndex)
	a := f.image(plat("linux/amd64"), *plat("linux/amd64"))
	b := f.image(plat("linux/arm64"), *plat("linux/arm64"))
	f.t.Configs[b.Digest].Raw = []byte("{ }") // 3 bytes, the descriptor says 2
	f.t.Root.Entries = append(f.t.Root.Entries, model.Entry{Kind: model.KindImage, Descriptor: model.Descriptor{Digest: digestOf("ghost"), Platform: plat("linux/s390x")}})
	facts := &Facts{Tree: f.t, Missing: map[string]string{a.Layers[0].Digest: "the registry does not have it", digestOf("ghost"): "the registry does not have it"}}
	res := Evaluate(facts, nil)
	var msgs []string
	for _, fd := range res.Findings {
		if fd.Rule == RuleMissingBlob {
			msgs = append(msgs, fd.Platform+": "+fd.Message)
		}
	}
	want := []string{
		"linux/amd64: layer 0 (" + model.ShortDigest(a.Layers[0].Digest) + ", 100B) of entry 1 (linux/amd64, " + model.ShortDigest(a.Digest) + "): the registry does not have it",
		"linux/arm64: the config " + model.ShortDigest(b.Config.Digest) + " of entry 2 (linux/arm64, " + model.ShortDigest(b.Digest) + ") is 3 bytes, its descriptor says 2",
		"linux/s390x: the manifest of entry 3 (linux/s390x, " + model.ShortDigest(digestOf("ghost")) + "): the registry does not have it",
	}
	if !slices.Equal(msgs, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}
	if len(res.Platforms) != 2 {
		t.Errorf("platforms: only images whose manifest arrived: %+v", res.Platforms)
	}
}

func TestWindowsAndArm(t *testing.T) {
	f := newFixture(model.MediaOCIIndex)
	f.image(plat("windows/amd64"), *plat("windows/amd64 10.0.17763.6054"))
	f.image(plat("linux/arm"), *plat("linux/arm/v7"))
	f.image(plat("linux/arm64"), *plat("linux/arm64"))
	got := f.run(nil)
	if !slices.Equal(rules(got), []string{RuleWindowsOSVersion, RuleArmVariant}) {
		t.Fatalf("%v", rules(got))
	}
	if !strings.HasSuffix(got[0].Message, "its config says 10.0.17763.6054") || !strings.HasSuffix(got[1].Message, "its config says v7") {
		t.Errorf("the fix is named: %+v", got)
	}
}

func TestNestedIndexAndSingleImage(t *testing.T) {
	f := newFixture(model.MediaOCIIndex)
	inner := &model.Manifest{Digest: digestOf("inner"), MediaType: model.MediaOCIIndex, Kind: model.KindIndex}
	f.t.Children[inner.Digest] = inner
	outer := f.t.Root
	f.t.Root = inner
	f.image(plat("linux/arm64"), *plat("linux/amd64"))
	f.t.Root = outer
	outer.Entries = append(outer.Entries, model.Entry{Kind: model.KindIndex, Descriptor: model.Descriptor{MediaType: model.MediaOCIIndex, Digest: inner.Digest}})
	got := f.run(nil)
	if len(got) != 1 || got[0].Rule != RulePlatformMismatch || !strings.Contains(got[0].Message, "entry 1.1 (linux/arm64,") {
		t.Errorf("nested: %+v", got)
	}
	single := model.NewTree(&model.Manifest{Digest: digestOf("one"), MediaType: model.MediaOCIManifest, Kind: model.KindImage,
		Config: &model.Descriptor{Digest: digestOf("cfg"), Size: 2}})
	single.Configs[single.Root.Digest] = &model.Config{Platform: *plat("linux/amd64"), Raw: []byte("{}")}
	res := Evaluate(&Facts{Tree: single, Referrers: map[string][]Referrer{}}, &Policy{HighestWasted: -1, Signatures: Level{On: true}, RequirePlatforms: []Required{mustRequired("linux/amd64")}})
	if len(res.Findings) != 1 || res.Findings[0].Rule != RuleMissingSignature || res.Findings[0].Platform != "linux/amd64" || res.Findings[0].Entry != "" {
		t.Errorf("single image: %+v", res.Findings)
	}
	if len(res.Platforms) != 1 || res.Platforms[0].CompressedSize != 2 {
		t.Errorf("single image platforms: %+v", res.Platforms)
	}
}

// crane index append writes an artifactType on every descriptor, so the
// entry alone looks like an artifact: the manifest it points to decides.
func TestCraneArtifactTypeIsAnImage(t *testing.T) {
	f := newFixture(model.MediaOCIIndex)
	f.image(plat("linux/amd64"), *plat("linux/amd64"))
	f.image(plat("linux/amd64"), *plat("linux/amd64"))
	for i := range f.t.Root.Entries {
		f.t.Root.Entries[i].Kind = model.KindArtifact
		f.t.Root.Entries[i].ArtifactType = model.MediaOCIConfig
	}
	if got := rules(f.run(nil)); !slices.Equal(got, []string{RuleDuplicatePlatform}) {
		t.Errorf("%v", got)
	}
}

func mustRequired(s string) Required {
	r, err := ParseRequired(s)
	if err != nil {
		panic(err)
	}
	return r
}

func TestRequiredPlatforms(t *testing.T) {
	f := newFixture(model.MediaOCIIndex)
	f.image(plat("linux/amd64"), *plat("linux/amd64"))
	f.image(plat("linux/arm64/v8"), *plat("linux/arm64"))
	f.image(plat("linux/arm/v6"), *plat("linux/arm/v6"))
	f.image(plat("windows/amd64 10.0.17763.6054"), *plat("windows/amd64 10.0.17763.6054"))
	p := DefaultPolicy()
	for _, s := range []string{"linux/amd64", "linux/arm64", "windows/amd64:10.0.17763", "linux/arm/v7", "windows/amd64:10.0.20348"} {
		p.RequirePlatforms = append(p.RequirePlatforms, mustRequired(s))
	}
	p.OnlyPlatforms = Level{On: true}
	got := f.run(p)
	var msgs []string
	for _, fd := range got {
		msgs = append(msgs, fd.Rule+" "+fd.Platform+": "+fd.Message)
	}
	want := []string{
		"missing-platform linux/arm/v7: no image for linux/arm/v7: a linux/arm/v7 host would pull entry 3 (linux/arm/v6, " + model.ShortDigest(f.t.Root.Entries[2].Digest) + ") instead",
		"missing-platform windows/amd64 10.0.20348: no image for windows/amd64:10.0.20348: a windows/amd64 10.0.20348 host would pull entry 4 (windows/amd64 10.0.17763.6054, " + model.ShortDigest(f.t.Root.Entries[3].Digest) + ") instead",
		"unexpected-platform linux/arm/v6: entry 3 (linux/arm/v6, " + model.ShortDigest(f.t.Root.Entries[2].Digest) + ") is not one of the platforms the policy allows (platforms.only): linux/amd64, linux/arm64, windows/amd64:10.0.17763, linux/arm/v7, windows/amd64:10.0.20348",
	}
	if !slices.Equal(msgs, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}
	// Without a fallback, nothing more is said.
	p.RequirePlatforms = []Required{mustRequired("linux/s390x")}
	p.OnlyPlatforms = Level{}
	got = f.run(p)
	if len(got) != 1 || got[0].Message != "no image for linux/s390x" {
		t.Errorf("no fallback: %+v", got)
	}
}

func TestAnnotations(t *testing.T) {
	f := newFixture(model.MediaOCIIndex)
	a := f.image(plat("linux/amd64"), *plat("linux/amd64"))
	b := f.image(plat("linux/arm64"), *plat("linux/arm64"))
	const v = "org.opencontainers.image.version"
	f.t.Configs[a.Digest].Labels = map[string]string{v: "1.0"}
	f.t.Configs[b.Digest].Labels = map[string]string{v: "1.0"}
	p := DefaultPolicy()
	p.RequireAnnots, p.AgreeAnnots = []string{v}, Level{On: true}
	got := f.run(p)
	if len(got) != 1 || got[0].Rule != RuleMissingAnnotation || !strings.Contains(got[0].Message, "linux/amd64's config label, linux/arm64's config label has it") {
		t.Fatalf("%+v", got)
	}
	f.t.Root.Annotations = map[string]string{v: "1.1"}
	b.Annotations = map[string]string{v: "1.1"}
	got = f.run(p)
	want := []string{
		`org.opencontainers.image.version is "1.0" in linux/amd64's config label but "1.1" in the index`,
		`org.opencontainers.image.version is "1.0" in linux/arm64's config label but "1.1" in the index`,
	}
	var msgs []string
	for _, fd := range got {
		msgs = append(msgs, fd.Message)
	}
	if !slices.Equal(msgs, want) {
		t.Errorf("got %q", msgs)
	}
	// Without an index value the most common one is the reference.
	f.t.Root.Annotations = nil
	got = f.run(&Policy{HighestWasted: -1, AgreeAnnots: Level{On: true}})
	if len(got) != 1 || got[0].Platform != "linux/arm64" || !strings.Contains(got[0].Message, `"1.1" in linux/arm64's manifest`) {
		t.Errorf("majority: %+v", got)
	}
}

func TestProvenanceSameSource(t *testing.T) {
	f := newFixture(model.MediaOCIIndex)
	a := f.image(plat("linux/amd64"), *plat("linux/amd64"))
	b := f.image(plat("linux/arm64"), *plat("linux/arm64"))
	c := f.image(plat("linux/arm/v7"), *plat("linux/arm/v7"))
	p := &Policy{HighestWasted: -1, SameSource: Level{On: true}}
	facts := &Facts{Tree: f.t, Provenance: map[string]Provenance{
		a.Digest: {Source: "https://github.com/x/y", Revision: "abc"},
		b.Digest: {Source: "https://github.com/x/y.git", Revision: "abc"},
		c.Digest: {Source: "https://github.com/x/y", Revision: "def"},
	}}
	got := Evaluate(facts, p).Findings
	if len(got) != 1 || got[0].Platform != "linux/arm/v7" || !strings.Contains(got[0].Message, "at def, but linux/amd64 from https://github.com/x/y at abc") {
		t.Errorf("%+v", got)
	}
	facts.Provenance[c.Digest] = Provenance{From: "attestation x"}
	got = Evaluate(facts, p).Findings
	if len(got) != 1 || !strings.Contains(got[0].Message, "names no source repository and commit") {
		t.Errorf("%+v", got)
	}
}

func TestBases(t *testing.T) {
	f := newFixture(model.MediaOCIIndex)
	a := f.image(plat("linux/amd64"), *plat("linux/amd64"))
	b := f.image(plat("linux/s390x"), *plat("linux/s390x"))
	baseImg := digestOf("base-amd64")
	base := model.NewTree(&model.Manifest{Digest: digestOf("base-index"), Kind: model.KindIndex, MediaType: model.MediaOCIIndex,
		Entries: []model.Entry{{Kind: model.KindImage, Descriptor: model.Descriptor{Digest: baseImg, Platform: plat("linux/amd64")}}}})
	a.Annotations = map[string]string{AnnotationBaseName: "alpine:3", AnnotationBaseDigest: baseImg}
	b.Annotations = map[string]string{AnnotationBaseName: "alpine:3", AnnotationBaseDigest: digestOf("old")}
	facts := &Facts{Tree: f.t, Bases: map[string]Base{"alpine:3": {Tree: base}}}
	got := Evaluate(facts, &Policy{HighestWasted: -1, BaseCovered: Level{On: true}, BaseFresh: Level{On: true, Severity: model.SevWarning}}).Findings
	want := []string{
		RuleBaseNotCovered + " error: the base alpine:3 has no image for linux/s390x (it has linux/amd64)",
		RuleBaseMoved + " warning: the base alpine:3 has moved since entry 2 (linux/s390x, " + model.ShortDigest(b.Digest) + ") was built: it was " + model.ShortDigest(digestOf("old")) + ", it is " + model.ShortDigest(base.Root.Digest) + " now; rebuild to pick up its fixes",
	}
	var msgs []string
	for _, fd := range got {
		msgs = append(msgs, fd.Rule+" "+string(fd.Severity)+": "+fd.Message)
	}
	if !slices.Equal(msgs, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}
	facts.Bases["alpine:3"] = Base{Missing: "the registry does not have it"}
	if got := Evaluate(facts, &Policy{HighestWasted: -1, BaseCovered: Level{On: true}}).Findings; len(got) != 2 || !strings.HasSuffix(got[0].Message, "the registry does not have it") {
		t.Errorf("missing base: %+v", got)
	}
}

func TestSizesAndEfficiency(t *testing.T) {
	f := newFixture(model.MediaOCIIndex)
	a := f.image(plat("linux/amd64"), *plat("linux/amd64"))
	facts := &Facts{Tree: f.t, Layers: map[string]Layers{a.Digest: {Uncompressed: 300, Wasted: 120, Efficiency: 0.6}}}
	p := &Policy{MaxCompressed: 101, LowestEfficiency: 0.9, HighestWasted: 100}
	res := Evaluate(facts, p)
	if got := rules(res.Findings); !slices.Equal(got, []string{RuleTooLarge, RuleLowEfficiency, RuleWastedBytes}) {
		t.Errorf("%v", got)
	}
	if ps := res.Platforms[0]; ps.CompressedSize != 102 || *ps.UncompressedSize != 300 || *ps.Efficiency != 0.6 {
		t.Errorf("%+v", ps)
	}
	p = &Policy{MaxCompressed: 102, LowestEfficiency: 0.6, HighestWasted: 120}
	if got := Evaluate(facts, p).Findings; len(got) != 0 {
		t.Errorf("at the thresholds, nothing: %+v", got)
	}
}

func TestPassed(t *testing.T) {
	w := []Finding{{Severity: model.SevWarning}}
	e := []Finding{{Severity: model.SevError}}
	if !Passed(nil, model.SevWarning) || !Passed(w, model.SevError) || Passed(w, model.SevWarning) || Passed(e, model.SevError) {
		t.Error("Passed")
	}
}
