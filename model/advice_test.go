package model

import (
	"fmt"
	"strings"
	"testing"
)

func TestAdvise(t *testing.T) {
	ref := repoRef("docker.io/library/mysql:5.7")
	amdOnly := index(img(1, pl("linux/amd64")))
	armV7 := index(img(1, pl("linux/s390x")), img(2, pl("linux/arm64")))
	winOld := index(img(1, win("10.0.14393.2068")))
	winNew := index(img(1, win("10.0.20348.1")))
	linuxOnWin := index(img(1, pl("linux/amd64")))
	for _, c := range []struct {
		name   string
		m      *Manifest
		target Target
		want   []string // titles, then a word each detail must hold
	}{
		{"apple silicon runs amd64 under rosetta", amdOnly, target("linux/arm64/v8", ""), []string{"Run the linux/amd64 image under emulation", "Rosetta"}},
		{"a raspberry pi is told of QEMU, not Rosetta", armV7, target("linux/arm/v7", ""), []string{"Run the linux/arm64 image under emulation", "binfmt"}},
		{"a native pull needs no advice", amdOnly, target("linux/amd64", ""), nil},
		{"an older windows build runs under hyper-v", winOld, target("windows/amd64", "10.0.17763.1"), []string{"Run the 14393 (Windows Server 2016 / 1607) image with Hyper-V isolation", "Hyper-V"}},
		{"a newer windows build needs a newer host", winNew, target("windows/amd64", "10.0.17763.1"), []string{"Use a newer Windows host", "newer"}},
		{"linux images on a windows target", linuxOnWin, target("windows/amd64", "10.0.17763.1"), []string{"This tag has Linux images (linux/amd64)", "Linux-containers"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := Advise(c.m, Analyze(c.m, c.target, nil, nil), ref)
			if len(c.want) == 0 {
				if len(got) != 0 {
					t.Errorf("advice %+v", got)
				}
				return
			}
			if len(got) == 0 || got[0].Title != c.want[0] || !strings.Contains(got[0].Detail, c.want[1]) {
				t.Errorf("got %+v, want %q", got, c.want)
			}
			if c.want[1] == "binfmt" && strings.Contains(got[0].Detail, "Rosetta") {
				t.Errorf("Rosetta offered for %s: %s", c.target.Platform, got[0].Detail)
			}
		})
	}
	if Advise(&Manifest{Kind: KindImage}, Analysis{}, ref) != nil {
		t.Error("a single image gets no index advice")
	}
}

// Advice never suggests emulation when the target pulls natively, and
// names Rosetta only for amd64 images on an arm64 host.
func TestAdviceEmulationOnlyWhenNeeded(t *testing.T) {
	ref := Reference{Registry: "docker.io", Repository: "library/x", Tag: "1"}
	both := index(img(1, pl("linux/amd64")), img(2, pl("linux/arm/v7")))
	for _, tc := range []struct {
		target, want, not string
	}{
		{"linux/arm64", "", ""},             // arm64 runs arm/v7 natively: no advice
		{"linux/arm/v7", "", ""},            // pulls its own
		{"linux/arm/v6", "QEMU", "Rosetta"}, // arm/v6 cannot run v7: amd64 under QEMU
		{"linux/s390x", "QEMU", "Rosetta"},  // nothing native
	} {
		a := Analyze(both, target(tc.target, ""), nil, nil)
		adv := Advise(both, a, ref)
		text := fmt.Sprint(adv)
		if tc.want == "" && len(adv) != 0 {
			t.Errorf("%s pulls natively, yet: %s", tc.target, text)
		}
		if tc.want != "" && (!strings.Contains(text, tc.want) || strings.Contains(text, tc.not)) {
			t.Errorf("%s: %s", tc.target, text)
		}
	}
	amdOnly := index(img(1, pl("linux/amd64")))
	if adv := fmt.Sprint(Advise(amdOnly, Analyze(amdOnly, target("linux/arm64", ""), nil, nil), ref)); !strings.Contains(adv, "Rosetta") {
		t.Errorf("arm64 host, amd64 image: %s", adv)
	}
}

func TestCount(t *testing.T) {
	for _, c := range []struct {
		n          int
		noun, want string
	}{{1, "layer", "1 layer"}, {0, "tag", "0 tags"}, {3, "entry", "3 entries"}, {2, "child", "2 children"},
		{999, "file", "999 files"}, {1000, "file", "1,000 files"}, {1998000, "file", "1,998,000 files"}, {-12345, "byte", "-12,345 bytes"}} {
		if got := Count(c.n, c.noun); got != c.want {
			t.Errorf("Count(%d, %q) = %q", c.n, c.noun, got)
		}
	}
}
