package model

import (
	"reflect"
	"testing"
)

func TestComparePlatforms(t *testing.T) {
	ref := func(n int) *string { d := dig(n); return &d }
	a := index(
		img(1, pl("linux/amd64")),
		img(2, pl("linux/arm64/v8")),
		img(3, pl("linux/386")),
		img(4, pl("linux/amd64")), // a second amd64: docker pull never takes it
		attestation(5, 1),
		img(6, nil), // no platform: not comparable
	)
	b := index(
		img(11, &Platform{OS: "linux", Architecture: "aarch64"}), // arm64 under another name
		img(1, pl("linux/amd64")),
		img(12, pl("linux/s390x")),
		img(13, pl("linux/s390x")),
		attestation(14, 1),
	)
	want := []PlatformDiff{
		{Platform: "linux/amd64", A: ref(1), B: ref(1), Status: DiffSame},
		{Platform: "linux/arm64", A: ref(2), B: ref(11), Status: DiffChanged},
		{Platform: "linux/386", A: ref(3), Status: DiffRemoved},
		{Platform: "linux/s390x", B: ref(12), Status: DiffAdded},
	}
	if got := ComparePlatforms(a, b); !reflect.DeepEqual(got, want) {
		t.Errorf("ComparePlatforms =\n%s\nwant\n%s", showDiffs(got), showDiffs(want))
	}
	if got := ComparePlatforms(index(), index()); got == nil || len(got) != 0 {
		t.Errorf("two empty indexes: %#v, want an empty, non-nil list", got)
	}
}

func showDiffs(ds []PlatformDiff) string {
	s := ""
	for _, d := range ds {
		or := func(p *string) string {
			if p == nil {
				return "-"
			}
			return (*p)[len(*p)-4:]
		}
		s += d.Platform + " " + or(d.A) + " " + or(d.B) + " " + d.Status + "\n"
	}
	return s
}

func TestCompareConfigs(t *testing.T) {
	ma := &Manifest{Config: &Descriptor{Digest: dig(1)}}
	mb := &Manifest{Config: &Descriptor{Digest: dig(2)}}
	ca := &Config{
		Platform:   Platform{OS: "linux", Architecture: "amd64"},
		Entrypoint: []string{"/bin/sh", "-c"}, Cmd: []string{"run"}, WorkingDir: "/app", User: "app",
		ExposedPorts: []string{"80/tcp"}, Env: []string{"PATH=/bin", "ONLY_A=1", "SAME=x", "EQ=a=b"},
		Labels: map[string]string{"version": "1", "gone": "yes"},
	}
	cb := &Config{
		Platform:   Platform{OS: "linux", Architecture: "arm64", Variant: "v8"},
		Entrypoint: []string{"/bin/sh -c"}, WorkingDir: "/app", User: "root",
		ExposedPorts: []string{"80/tcp", "443/tcp"}, Volumes: []string{"/data"}, Env: []string{"PATH=/usr/bin:/bin", "SAME=x", "EQ=a=c", "ONLY_B=2"},
		Labels: map[string]string{"version": "2"},
	}
	want := []ConfigDiff{
		{"architecture", "amd64", "arm64"},
		{"variant", "", "v8"},
		// One argument with a space is not two arguments.
		{"entrypoint", `["/bin/sh", "-c"]`, `["/bin/sh -c"]`},
		{"cmd", `["run"]`, ""},
		{"user", "app", "root"},
		{"exposedPorts", "80/tcp", "80/tcp 443/tcp"},
		{"volumes", "", "/data"},
		// Variables and labels by name, sorted; a value may hold "=".
		{"env.EQ", "a=b", "a=c"},
		{"env.ONLY_A", "1", ""},
		{"env.ONLY_B", "", "2"},
		{"env.PATH", "/bin", "/usr/bin:/bin"},
		{"labels.gone", "yes", ""},
		{"labels.version", "1", "2"},
	}
	if got := CompareConfigs(ma, ca, mb, cb); !reflect.DeepEqual(got, want) {
		t.Errorf("CompareConfigs =\n%q\nwant\n%q", got, want)
	}
	if got := CompareConfigs(ma, ca, ma, ca); got == nil || len(got) != 0 {
		t.Errorf("an image against itself: %q, want an empty, non-nil list", got)
	}
	// Without both configs only the config digests are compared.
	if got, want := CompareConfigs(ma, ca, mb, nil), []ConfigDiff{{"config", dig(1), dig(2)}}; !reflect.DeepEqual(got, want) {
		t.Errorf("one config missing: %q, want %q", got, want)
	}
	if got, want := CompareConfigs(nil, nil, &Manifest{}, nil), []ConfigDiff{}; !reflect.DeepEqual(got, want) {
		t.Errorf("no configs at all: %q, want %q", got, want)
	}
}

func TestCompareLayers(t *testing.T) {
	layers := func(ns ...int) *Manifest {
		m := &Manifest{Kind: KindImage}
		for _, n := range ns {
			m.Layers = append(m.Layers, Descriptor{Digest: dig(n)})
		}
		return m
	}
	d := func(ns ...int) []string {
		out := []string{}
		for _, n := range ns {
			out = append(out, dig(n))
		}
		return out
	}
	for _, c := range []struct {
		name string
		a, b *Manifest
		want LayersDiff
	}{
		{"a rebuilt top layer", layers(1, 2, 3), layers(1, 2, 4), LayersDiff{Shared: d(1, 2), OnlyA: d(3), OnlyB: d(4)}},
		{"shared in A's order", layers(3, 1), layers(1, 3), LayersDiff{Shared: d(3, 1), OnlyA: d(), OnlyB: d()}},
		{"nothing shared", layers(1), layers(2, 3), LayersDiff{Shared: d(), OnlyA: d(1), OnlyB: d(2, 3)}},
		{"no layers", layers(), layers(), LayersDiff{Shared: d(), OnlyA: d(), OnlyB: d()}},
	} {
		if got := CompareLayers(c.a, c.b); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: CompareLayers = %+v, want %+v", c.name, got, c.want)
		}
	}
}
