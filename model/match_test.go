package model

import (
	"fmt"
	"strings"
	"testing"
)

func dig(n int) string { return fmt.Sprintf("sha256:%064x", n) }

func img(n int, p *Platform) Entry {
	return Entry{Descriptor: Descriptor{MediaType: MediaOCIManifest, Digest: dig(n), Size: 500, Platform: p}, Kind: KindImage}
}

func pl(s string) *Platform {
	p, err := ParsePlatform(s)
	if err != nil {
		panic(err)
	}
	return &p
}

func win(v string) *Platform { return &Platform{OS: "windows", Architecture: "amd64", OSVersion: v} }

func index(entries ...Entry) *Manifest {
	return &Manifest{Kind: KindIndex, MediaType: MediaOCIIndex, Digest: dig(999), Entries: entries}
}

func target(s, osv string) Target {
	p := *pl(s)
	p.OSVersion = osv
	return FlagTarget(p, SourceFlag)
}

func attestation(n, subject int) Entry {
	return Entry{
		Descriptor: Descriptor{MediaType: MediaOCIManifest, Digest: dig(n), Platform: &Platform{OS: "unknown", Architecture: "unknown"},
			Annotations: map[string]string{AnnotationReferenceType: AttestationManifest, AnnotationReferenceDigest: dig(subject)}},
		Kind: KindAttestation, Subject: dig(subject),
	}
}

// verdicts renders a selection as "V1 V2 …" with ranks: "S C2 I".
func verdicts(s *Selection) string {
	var b []string
	for _, e := range s.Entries {
		switch e.Verdict {
		case Selected:
			b = append(b, "S")
		case Compatible:
			b = append(b, fmt.Sprintf("C%d", e.Rank))
		default:
			b = append(b, "I")
		}
	}
	return strings.Join(b, " ")
}

func TestContainerdSelection(t *testing.T) {
	tests := []struct {
		name   string
		target Target
		idx    *Manifest
		want   string
	}{
		{"exact match wins", target("linux/amd64", ""), index(img(1, pl("linux/arm64")), img(2, pl("linux/amd64"))), "I S"},
		{"amd64 host falls back to 386 after amd64", target("linux/amd64", ""), index(img(1, pl("linux/386")), img(2, pl("linux/amd64"))), "C2 S"},
		{"amd64 host takes 386 alone", target("linux/amd64", ""), index(img(1, pl("linux/386"))), "S"},
		{"arm64 host runs arm/v7 when no arm64", target("linux/arm64/v8", ""), index(img(1, pl("linux/amd64")), img(2, pl("linux/arm/v7"))), "I S"},
		{"arm64 prefers arm64 over arm/v7", target("linux/arm64/v8", ""), index(img(1, pl("linux/arm/v7")), img(2, pl("linux/arm64/v8"))), "C2 S"},
		{"arm/v6 before arm/v5 on arm64", target("linux/arm64", ""), index(img(1, pl("linux/arm/v5")), img(2, pl("linux/arm/v6"))), "C2 S"},
		{"arm/v7 host refuses arm/v8", target("linux/arm/v7", ""), index(img(1, pl("linux/arm/v8"))), "I"},
		{"arm/v7 host refuses arm64", target("linux/arm/v7", ""), index(img(1, pl("linux/arm64"))), "I"},
		{"amd64 v3 ordering", target("linux/amd64/v3", ""), index(img(1, pl("linux/amd64")), img(2, pl("linux/amd64/v2")), img(3, pl("linux/amd64/v3")), img(4, pl("linux/amd64/v4"))), "C3 C2 S I"},
		{"plain amd64 target refuses v2", target("linux/amd64", ""), index(img(1, pl("linux/amd64/v2"))), "I"},
		{"aarch64 normalised", target("linux/arm64/v8", ""), index(img(1, &Platform{OS: "linux", Architecture: "aarch64"})), "S"},
		{"x86_64 normalised", target("linux/amd64", ""), index(img(1, &Platform{OS: "Linux", Architecture: "x86_64"})), "S"},
		{"armhf is arm/v7", target("linux/arm/v7", ""), index(img(1, &Platform{OS: "linux", Architecture: "armhf"})), "S"},
		{"arm without variant is v7", target("linux/arm/v7", ""), index(img(1, pl("linux/arm"))), "S"},
		{"arm64 v8.2 image on v8 host", target("linux/arm64/v8", ""), index(img(1, &Platform{OS: "linux", Architecture: "arm64", Variant: "v8.2"})), "I"},
		{"tie: first listed wins", target("linux/amd64", ""), index(img(1, pl("linux/amd64")), img(2, pl("linux/amd64"))), "S C2"},
		{"no platform ranks last", target("linux/amd64", ""), index(img(1, nil), img(2, pl("linux/386"))), "C2 S"},
		{"no platform kept alone", target("linux/arm64", ""), index(img(1, nil)), "S"},
		{"empty platform object never matches", target("linux/amd64", ""), index(img(1, &Platform{})), "I"},
		{"attestation never selected", target("linux/amd64", ""), index(img(1, pl("linux/amd64")), attestation(2, 1)), "S I"},
		{"featured entry skipped by featureless target", target("linux/amd64", ""), index(img(1, &Platform{OS: "linux", Architecture: "amd64", OSFeatures: []string{"sse4"}}), img(2, pl("linux/amd64"))), "I S"},
		{"os differs", target("linux/amd64", ""), index(img(1, win("10.0.17763.1"))), "I"},
		{"windows: same build, revision ignored", target("windows/amd64", "10.0.14393.2068"), index(img(1, win("10.0.14393.2551"))), "S"},
		{"windows: first listed revision wins", target("windows/amd64", "10.0.17763"), index(img(1, win("10.0.17763.615")), img(2, win("10.0.17763.2000"))), "S C2"},
		{"windows: older build refused below 20348", target("windows/amd64", "10.0.17763"), index(img(1, win("10.0.14393.2068"))), "I"},
		{"windows: stable ABI from 20348", target("windows/amd64", "10.0.26100"), index(img(1, win("10.0.17763.1")), img(2, win("10.0.20348.2582")), img(3, win("10.0.26100.1"))), "I S C2"},
		{"windows: short os.version never matches", target("windows/amd64", "10.0.17763"), index(img(1, win("10.0"))), "I"},
		{"windows: no os.version matches", target("windows/amd64", "10.0.17763"), index(img(1, win(""))), "S"},
		{"windows: win32k feature ignored", target("windows/amd64", "10.0.17763"), index(img(1, &Platform{OS: "windows", Architecture: "amd64", OSVersion: "10.0.17763.1", OSFeatures: []string{"win32k"}})), "S"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := selectContainerd(tt.idx, tt.target.Platform, nil, 0)
			if got := verdicts(s); got != tt.want {
				t.Errorf("verdicts = %q, want %q", got, tt.want)
				for _, e := range s.Entries {
					t.Logf("  %d %s %v", e.Position, e.Verdict, e.Reasons)
				}
			}
			for _, e := range s.Entries {
				if e.Verdict == Incompatible && len(e.Reasons) == 0 {
					t.Errorf("entry %d is incompatible without a reason", e.Position)
				}
			}
		})
	}
}

func TestWindowsStoreSelection(t *testing.T) {
	tests := []struct {
		name   string
		target Target
		idx    *Manifest
		want   string
	}{
		{"older build accepted, same build first", target("windows/amd64", "10.0.16299.248"), index(img(1, pl("linux/amd64")), img(2, win("10.0.14393.2068")), img(3, win("10.0.16299.248"))), "I C2 S"},
		{"no same build: list order", target("windows/amd64", "10.0.17763.1"), index(img(1, win("10.0.14393.2068")), img(2, win("10.0.16299.248"))), "S C2"},
		{"newer build refused", target("windows/amd64", "10.0.14393.2068"), index(img(1, win("10.0.17134.885")), img(2, win("10.0.17763.615"))), "I I"},
		{"architecture must be exact", target("windows/amd64", "10.0.17763"), index(img(1, &Platform{OS: "windows", Architecture: "x86_64", OSVersion: "10.0.17763.1"})), "I"},
		{"no platform skipped", target("windows/amd64", "10.0.17763"), index(img(1, nil)), "I"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := selectWindows(tt.idx, tt.target.Platform)
			if got := verdicts(s); got != tt.want {
				t.Errorf("verdicts = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAnalyzeWindowsReportsBothStores(t *testing.T) {
	idx := index(img(1, win("10.0.14393.2068")), img(2, win("10.0.16299.248")))
	a := Analyze(idx, target("windows/amd64", "10.0.17763"), nil, nil)
	if a.Primary.Store != StoreWindows || a.Primary.Image != dig(1) {
		t.Fatalf("primary = %+v", a.Primary)
	}
	if a.Other == nil || a.Other.Found() {
		t.Fatalf("containerd store should find nothing and be reported: %+v", a.Other)
	}
}

func TestNestedIndexFollowed(t *testing.T) {
	inner := &Manifest{Kind: KindIndex, Digest: dig(50), Entries: []Entry{img(51, pl("linux/amd64")), img(52, pl("linux/arm64"))}}
	nestedEntry := Entry{Descriptor: Descriptor{MediaType: MediaOCIIndex, Digest: dig(50)}, Kind: KindIndex}
	top := index(nestedEntry, img(2, win("10.0.20348.1")))
	a := Analyze(top, target("linux/arm64", ""), map[string]*Manifest{dig(50): inner}, nil)
	if a.Primary.Image != dig(52) || a.Primary.Selected != 0 {
		t.Fatalf("selected %v image %s", a.Primary.Selected, a.Primary.Image)
	}
	a = Analyze(top, target("linux/s390x", ""), map[string]*Manifest{dig(50): inner}, nil)
	if a.Primary.Found() || !strings.Contains(a.Primary.DockerError, "no matching manifest for linux/s390x") {
		t.Fatalf("a nested index without a match must fail the pull: %+v", a.Primary)
	}
}

func TestDockerErrorLines(t *testing.T) {
	idx := index(img(1, pl("linux/amd64")))
	a := Analyze(idx, target("linux/arm64/v8", ""), nil, nil)
	if want := "no matching manifest for linux/arm64/v8 in the manifest list entries: no match for platform in manifest: not found"; a.Primary.DockerError != want {
		t.Errorf("containerd line = %q", a.Primary.DockerError)
	}
	if want := "no matching manifest for linux/arm64/v8 in the manifest list entries"; a.Primary.Legacy != want {
		t.Errorf("legacy line = %q", a.Primary.Legacy)
	}
	w := index(img(1, win("10.0.17134.885")), img(2, win("10.0.17763.615")))
	a = Analyze(w, target("windows/amd64", "10.0.14393.2068"), nil, nil)
	if want := "no matching manifest for windows/amd64 10.0.14393 in the manifest list entries"; a.Primary.Legacy != want {
		t.Errorf("windows legacy line = %q", a.Primary.Legacy)
	}
	if want := "no matching manifest for windows(10.0.14393)/amd64 in the manifest list entries"; a.Primary.DockerError != want {
		t.Errorf("windows line = %q", a.Primary.DockerError)
	}
}

func TestReasonsInPlainWords(t *testing.T) {
	checks := []struct {
		target Target
		entry  Entry
		want   string
	}{
		{target("linux/amd64", ""), img(1, pl("windows/amd64")), "OS is windows; the target runs linux"},
		{target("linux/arm64/v8", ""), img(1, pl("linux/amd64")), "architecture is amd64; a linux/arm64/v8 target runs arm64"},
		{target("linux/arm/v6", ""), img(1, pl("linux/arm/v7")), "variant v7 is too new for this CPU"},
		{target("windows/amd64", "10.0.17763"), img(1, win("10.0.14393.1")), "Hyper-V isolation"},
		{target("windows/amd64", "10.0.14393"), img(1, win("10.0.17763.1")), "newer than the target's"},
		{target("linux/amd64", ""), attestation(1, 2), "attestation manifest"},
		{target("linux/amd64", ""), img(1, &Platform{}), "empty platform object"},
	}
	for _, c := range checks {
		s := selectContainerd(index(c.entry), c.target.Platform, nil, 0)
		got := strings.Join(s.Entries[0].Reasons, " | ")
		if !strings.Contains(got, c.want) {
			t.Errorf("%s on %s: reasons %q lack %q", c.entry.PlatformString(), c.target.Platform.Display(), got, c.want)
		}
	}
}

func TestSingleImage(t *testing.T) {
	m := &Manifest{Kind: KindImage, Digest: dig(1)}
	cfg := &Config{Platform: *pl("linux/amd64")}
	a := Analyze(m, target("linux/amd64", ""), nil, map[string]*Config{dig(1): cfg})
	if a.Single == nil || a.Single.Verdict != Selected {
		t.Fatalf("single = %+v", a.Single)
	}
	a = Analyze(m, target("linux/arm64", ""), nil, map[string]*Config{dig(1): cfg})
	if a.Single.Verdict != Incompatible {
		t.Fatalf("amd64 image for arm64 = %+v", a.Single)
	}
	// A config without os or architecture (crane append makes them) is
	// named as such, and Docker warns: "" is not amd64.
	a = Analyze(m, target("linux/amd64", ""), nil, map[string]*Config{dig(1): {}})
	if a.Single.Verdict != Incompatible || !strings.HasPrefix(a.Single.Reasons[0], "single-platform image for no platform (its config names no os or architecture): ") {
		t.Errorf("no platform: %s %q", a.Single.Verdict, a.Single.Reasons)
	}
}

// Without --platform Docker matches with the CPU's amd64 level but names
// platforms.DefaultString() in its error, which has no amd64 variant; a
// named platform keeps its variant. A Windows target without a build
// prints no empty parentheses.
func TestDockerErrorLineForTheHostAndUnknownBuilds(t *testing.T) {
	idx := index(img(1, pl("linux/arm64")))
	host := Target{Platform: Platform{OS: "linux", Architecture: "amd64", Variant: "v3"}, Source: SourceHost}
	a := Analyze(idx, host, nil, nil)
	if want := "no matching manifest for linux/amd64 in the manifest list entries: no match for platform in manifest: not found"; a.Primary.DockerError != want {
		t.Errorf("host line = %q", a.Primary.DockerError)
	}
	if want := "no matching manifest for linux/amd64 in the manifest list entries"; a.Primary.Legacy != want {
		t.Errorf("host legacy line = %q", a.Primary.Legacy)
	}
	if a = Analyze(idx, target("linux/amd64/v3", ""), nil, nil); !strings.Contains(a.Primary.DockerError, "linux/amd64/v3 ") {
		t.Errorf("named line = %q", a.Primary.DockerError)
	}
	// The host still matches with its level: a v3 entry is pulled.
	if a = Analyze(index(img(1, pl("linux/amd64/v3"))), host, nil, nil); !a.Primary.Found() {
		t.Error("the host's amd64 level no longer matches")
	}
	w := index(img(1, pl("linux/amd64")))
	a = Analyze(w, target("windows/amd64", ""), nil, nil)
	if want := "no matching manifest for windows/amd64 in the manifest list entries"; a.Primary.DockerError != want {
		t.Errorf("windows line without a build = %q", a.Primary.DockerError)
	}
}

// A Windows image alone and the same image in an index get the same
// verdict (the Windows store's), with the containerd store's when it
// differs.
func TestSingleWindowsImageJudgedLikeInAnIndex(t *testing.T) {
	m := &Manifest{Kind: KindImage, MediaType: MediaOCIManifest, Digest: dig(1)}
	cfg := &Config{Platform: Platform{OS: "windows", Architecture: "amd64", OSVersion: "10.0.17134.885"}}
	tg := target("windows/amd64", "10.0.17763.615")
	a := Analyze(m, tg, nil, map[string]*Config{dig(1): cfg})
	in := Analyze(index(img(1, &cfg.Platform)), tg, nil, nil)
	if a.Single.Verdict != Selected || !in.Primary.Found() {
		t.Fatalf("alone %s, in an index found=%v", a.Single.Verdict, in.Primary.Found())
	}
	if a.SingleStore != StoreWindows || a.SingleOther == nil || a.SingleOther.Verdict != Incompatible {
		t.Errorf("store %s, other %+v", a.SingleStore, a.SingleOther)
	}
	// A newer build is refused by both: no second verdict.
	cfg.Platform.OSVersion = "10.0.20348.1"
	if a = Analyze(m, tg, nil, map[string]*Config{dig(1): cfg}); a.Single.Verdict != Incompatible || a.SingleOther != nil {
		t.Errorf("newer build: %s, other %+v", a.Single.Verdict, a.SingleOther)
	}
}
