package model

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/containerd/errdefs"
	"github.com/containerd/platforms"
	digest "github.com/opencontainers/go-digest"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// The cases of containerd's own Test_PlatformOrder
// (containerd/platforms platform_windows_compat_test.go), which sorts with
// the windowsMatchComparer a Windows node's platforms.Default() is: the
// greatest os.version first, a 2025 host taking 2025 over 2022 whatever
// the order, a host past the last LTSC still taking 2022.
func TestCRIWindowsOrderAsContainerdTests(t *testing.T) {
	linux := amd64Spec("linux", "")
	tests := []struct {
		host  string
		list  []ocispec.Platform
		first string
	}{
		{"10.0.20348.3091", []ocispec.Platform{linux, amd64Spec("windows", "10.0.20348.3091"), amd64Spec("windows", "10.0.26100.2894")}, "10.0.20348.3091"},
		{"10.0.26100.2894", []ocispec.Platform{linux, amd64Spec("windows", "10.0.20348.3091"), amd64Spec("windows", "10.0.26100.2894")}, "10.0.26100.2894"},
		{"10.0.26100.2894", []ocispec.Platform{linux, amd64Spec("windows", "10.0.20348.3091"), amd64Spec("windows", "10.0.26100.3000")}, "10.0.26100.3000"},
		{"10.0.26200.0", []ocispec.Platform{linux, amd64Spec("windows", "10.0.20348.3091")}, "10.0.20348.3091"},
	}
	for _, tt := range tests {
		c := nodeRules(Platform{OS: "windows", Architecture: "amd64", OSVersion: tt.host}).matcher
		sort.SliceStable(tt.list, func(i, j int) bool { return c.Less(tt.list[i], tt.list[j]) })
		if tt.list[0].OSVersion != tt.first || tt.list[0].OS != "windows" {
			t.Errorf("host %s: first %s %s, want %s", tt.host, tt.list[0].OS, tt.list[0].OSVersion, tt.first)
		}
	}
}

func amd64Spec(os, version string) ocispec.Platform {
	return ocispec.Platform{OS: os, Architecture: "amd64", OSVersion: version}
}

// randomIndex writes an index of random entries, with their manifests
// and configs, as blobs containerd can walk: the platforms people push
// (and mistakes: aliases, upper case, an empty platform, a short Windows
// os.version, features, attestations), Windows builds with random
// revisions, sometimes a nested index.
func randomIndex(rng *rand.Rand, name string) recordedIndex {
	r := recordedIndex{Name: name, blobs: map[digest.Digest][]byte{}}
	put := func(v any) ocispec.Descriptor {
		b, _ := json.Marshal(v)
		d := digest.FromBytes(b)
		r.blobs[d] = b
		return ocispec.Descriptor{Digest: d, Size: int64(len(b))}
	}
	pool := []string{
		"linux/amd64", "linux/amd64/v2", "linux/amd64/v3", "linux/386", "linux/arm64", "linux/arm64/v8", "linux/arm64/v8.2",
		"linux/arm/v7", "linux/arm/v6", "linux/arm/v5", "linux/arm", "linux/ppc64le", "linux/s390x", "linux/riscv64",
		"Linux/x86_64", "linux/aarch64", "windows/amd64", "windows/amd64", "windows/amd64", "windows/amd64", "windows/386", "windows/arm64",
	}
	builds := []string{"14393", "16299", "17134", "17763", "17763", "20348", "20348", "26100"}
	image := func(p *ocispec.Platform) ocispec.Descriptor {
		cfgPlat := ocispec.Platform{OS: "linux", Architecture: "amd64"}
		if p != nil {
			cfgPlat = *p
		}
		cfg := put(map[string]any{"architecture": cfgPlat.Architecture, "os": cfgPlat.OS, "rootfs": map[string]any{"type": "layers", "diff_ids": []string{}}, "n": rng.Int()})
		cfg.MediaType = ocispec.MediaTypeImageConfig
		m := put(ocispec.Manifest{Versioned: versioned(), MediaType: ocispec.MediaTypeImageManifest, Config: cfg, Layers: []ocispec.Descriptor{}})
		m.MediaType = ocispec.MediaTypeImageManifest
		m.Platform = p
		return m
	}
	entry := func() ocispec.Descriptor {
		switch rng.IntN(14) {
		case 0:
			return image(&ocispec.Platform{}) // "platform": {}: never matches
		case 1:
			d := image(&ocispec.Platform{OS: "unknown", Architecture: "unknown"})
			d.Annotations = map[string]string{AnnotationReferenceType: AttestationManifest}
			return d
		}
		s := pool[rng.IntN(len(pool))]
		parts := strings.Split(s, "/")
		p := &ocispec.Platform{OS: parts[0], Architecture: parts[1]}
		if len(parts) > 2 {
			p.Variant = parts[2]
		}
		if strings.EqualFold(p.OS, "windows") {
			switch rng.IntN(10) {
			case 0: // no os.version: matches any build
			case 1:
				p.OSVersion = "10.0"
			default:
				p.OSVersion = fmt.Sprintf("10.0.%s.%d", builds[rng.IntN(len(builds))], rng.IntN(4000))
			}
			if rng.IntN(6) == 0 {
				p.OSFeatures = []string{"win32k"}
			}
		} else if rng.IntN(12) == 0 {
			p.OSFeatures = []string{"sse4"}
		}
		return image(p)
	}
	var entries []ocispec.Descriptor
	for range 1 + rng.IntN(7) {
		if rng.IntN(10) == 0 {
			var inner []ocispec.Descriptor
			for range 1 + rng.IntN(3) {
				inner = append(inner, entry())
			}
			d := put(ocispec.Index{Versioned: versioned(), MediaType: ocispec.MediaTypeImageIndex, Manifests: inner})
			d.MediaType = ocispec.MediaTypeImageIndex
			if rng.IntN(2) == 0 {
				d.Platform = inner[0].Platform
			}
			entries = append(entries, d)
			continue
		}
		entries = append(entries, entry())
	}
	root := put(ocispec.Index{Versioned: versioned(), MediaType: ocispec.MediaTypeImageIndex, Manifests: entries})
	r.Root = root.Digest
	return r
}

func versioned() (v struct {
	SchemaVersion int `json:"schemaVersion"`
},
) {
	v.SchemaVersion = 2
	return v
}

// fleetUnderTest is every kind of target: Docker's rules and
// containerd's, Linux and Windows, hosts and nodes.
func fleetUnderTest() Fleet {
	var f Fleet
	add := func(name, plat, osv string, store FleetStore, src TargetSource) {
		p := *pl(plat)
		p.OSVersion = osv
		tg := FlagTarget(p, src)
		if src == SourceNodes {
			tg = Target{Platform: p, Source: src}
		}
		f = append(f, FleetTarget{Name: name, Target: tg, Store: store})
	}
	for _, s := range []FleetStore{FleetDocker, FleetContainerd} {
		for _, p := range []string{"linux/amd64", "linux/amd64/v3", "linux/arm64/v8", "linux/arm/v7", "linux/386"} {
			add(string(s)+" "+p, p, "", s, SourceFlag)
		}
		for _, v := range []string{"10.0.14393.2068", "10.0.16299.248", "10.0.17134.1", "10.0.17763.615", "10.0.20348.2582", "10.0.26100.1"} {
			add(string(s)+" windows "+v, "windows/amd64", v, s, SourceTargets)
		}
	}
	// Nodes as NodeFleet makes them: arm64/v8, arm/v7, Windows builds.
	add("node arm64", "linux/arm64/v8", "", FleetContainerd, SourceNodes)
	add("node 2019", "windows/amd64", "10.0.17763", FleetContainerd, SourceNodes)
	add("node 2022", "windows/amd64", "10.0.20348", FleetContainerd, SourceNodes)
	add("node 2025", "windows/amd64", "10.0.26100", FleetContainerd, SourceNodes)
	add("node arm64 2025", "windows/arm64/v8", "10.0.26100", FleetContainerd, SourceNodes)
	return f
}

// The oracle for a target's verdict: containerd's pull walk and
// images.Manifest with the matcher its puller uses: platforms.Only for
// Docker (Linux targets; Docker on Windows's default store builds only on
// Windows, match_test.go holds its cases) and for containerd on Linux;
// on Windows nodes, platforms.NewMatcher(node) ordered as containerd's
// windowsMatchComparer, which only builds into Windows binaries, so its
// two-line Less is restated (criWindows; TestCRIWindowsOrderAsContainerdTests
// pins it to containerd's own cases).
func oracleFor(ft FleetTarget) (platforms.MatchComparer, bool) {
	spec := toSpec(ft.Target.Platform)
	switch {
	case ft.Store == FleetContainerd && ft.Target.Platform.OS == "windows":
		return criWindows{platforms.NewMatcher(spec)}, true
	case ft.Target.Platform.OS == "windows":
		return nil, false
	}
	return platforms.Only(spec), true
}

// Each target's verdict in a fleet is exactly its verdict alone, and
// what containerd itself pulls, on every recorded index and on random
// ones (seeded: 300 indexes, 27 targets, about 3 s here).
func TestFleetVerdictsAreSingleVerdicts(t *testing.T) {
	fleet := fleetUnderTest()
	indexes := loadRecordedIndexes(t)
	rng := rand.New(rand.NewPCG(24, 2026))
	for i := range 300 {
		indexes = append(indexes, randomIndex(rng, fmt.Sprintf("random-%d", i)))
	}
	for _, r := range indexes {
		tr := r.tree(t)
		verdicts := JudgeFleet(tr.Root, fleet, tr.Children, tr.Configs)
		if len(verdicts) != len(fleet) {
			t.Fatalf("%d verdicts for %d targets", len(verdicts), len(fleet))
		}
		root := r.rootDescriptor(t)
		for i, ft := range fleet {
			alone := AnalyzeFor(tr.Root, ft, tr.Children, tr.Configs)
			if !reflect.DeepEqual(verdicts[i].Analysis, alone) || verdicts[i].Member.Name != ft.Name {
				t.Fatalf("%s, %s: the fleet's verdict differs from the target's alone", r.Name, ft.Name)
			}
			if ft.Store == FleetDocker && !reflect.DeepEqual(alone, Analyze(tr.Root, ft.Target, tr.Children, tr.Configs)) {
				t.Fatalf("%s, %s: Docker's rules are not Analyze's", r.Name, ft.Name)
			}
			m, ok := oracleFor(ft)
			if !ok {
				continue
			}
			want, werr := containerdPull(r, root, m)
			got := alone.Pulls()
			if alone.Primary != nil && alone.Primary.Store == StoreWindows {
				got = alone.Other.Image // compared where it is containerd's
			}
			switch {
			case werr != nil && got != "":
				t.Errorf("%s for %s: platypus pulls %s, containerd nothing (%v)", r.Name, ft.Name, ShortDigest(got), werr)
			case werr != nil && !errdefs.IsNotFound(werr):
				t.Errorf("%s for %s: containerd fails otherwise: %v", r.Name, ft.Name, werr)
			case werr != nil && ft.Store == FleetContainerd && alone.NoMatch() != CRINoMatch:
				t.Errorf("%s for %s: error %q, containerd %q", r.Name, ft.Name, alone.NoMatch(), werr)
			case werr == nil && got != want.String():
				t.Errorf("%s for %s: platypus pulls %q, containerd %s", r.Name, ft.Name, got, ShortDigest(want.String()))
			case werr == nil:
				if err := containerdManifest(r, root, m, want); err != nil {
					t.Errorf("%s for %s: %v", r.Name, ft.Name, err)
				}
			}
		}
	}
}

// On a Windows node, containerd and Docker's containerd store disagree
// where the node's comparer and platforms.Only do: a 2025 node takes the
// 2025 image over a 2022 one listed first, and the greatest os.version
// (as text) among revisions of one build.
func TestWindowsNodeDiffersFromDockerContainerdStore(t *testing.T) {
	node := func(v string) FleetTarget {
		return FleetTarget{Name: "n", Target: Target{Platform: Platform{OS: "windows", Architecture: "amd64", OSVersion: v}, Source: SourceNodes}, Store: FleetContainerd}
	}
	tests := []struct {
		node       string
		idx        *Manifest
		kubelet    string
		dockerCtrd string
	}{
		{"10.0.26100", index(img(1, win("10.0.20348.2582")), img(2, win("10.0.26100.2894"))), "C2 S", "S C2"},
		{"10.0.17763", index(img(1, win("10.0.17763.2000")), img(2, win("10.0.17763.615"))), "C2 S", "S C2"},
		{"10.0.17763", index(img(1, &Platform{OS: "windows", Architecture: "386", OSVersion: "10.0.17763.1"})), "I", "S"},
	}
	for _, tt := range tests {
		a := AnalyzeFor(tt.idx, node(tt.node), nil, nil)
		if got := verdicts(a.Primary); got != tt.kubelet {
			t.Errorf("node %s: %s, want %s", tt.node, got, tt.kubelet)
		}
		if got := verdicts(selectContainerd(tt.idx, node(tt.node).Target.Platform, nil, 0)); got != tt.dockerCtrd {
			t.Errorf("Docker's containerd store on %s: %s, want %s", tt.node, got, tt.dockerCtrd)
		}
	}
}

// A fallback on a node (an arm/v6 board taking arm/v5, an arm64 node
// taking arm/v7) says what containerd 2's transfer service does with it;
// Docker's rules and exact matches say nothing of it.
func TestNodeFallbackNote(t *testing.T) {
	idx := index(img(1, pl("linux/arm/v5")), img(2, pl("linux/arm64")))
	for _, tt := range []struct {
		target, store string
		note          bool
	}{
		{"linux/arm/v6", "containerd", true},
		{"linux/arm/v6", "docker", false},
		{"linux/arm64/v8", "containerd", false},
	} {
		ft := FleetTarget{Name: "t", Target: FlagTarget(*pl(tt.target), SourceTargets), Store: FleetStore(tt.store)}
		a := AnalyzeFor(idx, ft, nil, nil)
		em := a.Primary.Entries[a.Primary.Selected]
		if got := strings.Contains(strings.Join(em.Reasons, " "), "transfer service"); got != tt.note {
			t.Errorf("%s by %s: %q", tt.target, tt.store, em.Reasons)
		}
	}
}
