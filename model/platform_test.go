package model

import (
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

func TestParsePlatform(t *testing.T) {
	tests := map[string]Platform{
		"linux/amd64":                      {OS: "linux", Architecture: "amd64"},
		"linux/arm64/v8":                   {OS: "linux", Architecture: "arm64", Variant: "v8"},
		"Linux/ARM/v7":                     {OS: "linux", Architecture: "arm", Variant: "v7"},
		"windows/amd64":                    {OS: "windows", Architecture: "amd64"},
		"arm64":                            {OS: "linux", Architecture: "arm64"},
		"windows(10.0.14393.2068)/amd64":   {OS: "windows", Architecture: "amd64", OSVersion: "10.0.14393.2068"},
		"windows(10.0.17763+win32k)/amd64": {OS: "windows", Architecture: "amd64", OSVersion: "10.0.17763", OSFeatures: []string{"win32k"}},
	}
	for in, want := range tests {
		got, err := ParsePlatform(in)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParsePlatform(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "linux/", "/amd64", "linux/amd64/v8/x", "linux/am d64", "windows(10.0/amd64", "linux/\x1b[2J"} {
		if _, err := ParsePlatform(bad); err == nil {
			t.Errorf("ParsePlatform(%q) accepted", bad)
		}
	}
}

func TestPlatformStrings(t *testing.T) {
	p := Platform{OS: "windows", Architecture: "amd64", OSVersion: "10.0.14393.2068"}
	if p.String() != "windows/amd64" || p.Display() != "windows/amd64 10.0.14393.2068" {
		t.Errorf("String %q Display %q", p.String(), p.Display())
	}
}

func TestFlagTargetFollowsDockerParse(t *testing.T) {
	tests := map[string]string{
		"linux/arm64/v8": "linux/arm64/v8",
		"linux/arm64":    "linux/arm64",
		"linux/x86_64":   "linux/amd64",
		"linux/aarch64":  "linux/arm64",
		"linux/armhf":    "linux/arm",
		"linux/arm/v7":   "linux/arm/v7",
	}
	for in, want := range tests {
		p, err := ParsePlatform(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := FlagTarget(p, SourceFlag).Platform.String(); got != want {
			t.Errorf("FlagTarget(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHostTargetIsWhatDockerPullsFor(t *testing.T) {
	h := HostTarget()
	if h.Source != SourceHost || h.Platform.OS != "linux" || h.Platform.Architecture == "" {
		t.Fatalf("host target %+v", h)
	}
	if runtime.GOARCH == "arm64" && h.Platform.Variant != "v8" {
		t.Errorf("arm64 hosts pull as arm64/v8, got %q", h.Platform.Variant)
	}
	if runtime.GOARCH == "amd64" && h.Platform.Variant != "" && h.Platform.Variant != "v2" && h.Platform.Variant != "v3" && h.Platform.Variant != "v4" {
		t.Errorf("amd64 level %q", h.Platform.Variant)
	}
	// Whatever this machine is, its own images are selected for it.
	idx := index(img(1, &Platform{OS: "linux", Architecture: runtime.GOARCH, Variant: h.Platform.Variant}))
	if a := Analyze(idx, h, nil, nil); !a.Primary.Found() {
		t.Errorf("the host cannot pull its own platform: %+v", a.Primary.Entries)
	}
}

func TestParsePlatformLine(t *testing.T) {
	for in, want := range map[string]string{
		"linux/arm64/v8":                 "linux/arm64/v8",
		"windows/amd64 10.0.17763":       "windows/amd64 10.0.17763",
		"windows(10.0.14393)/amd64":      "windows/amd64 10.0.14393",
		"  linux/amd64  ":                "linux/amd64",
		"windows/amd64 10.0.17763 extra": "",
		"linux/arm64/v8/x":               "",
	} {
		p, err := ParsePlatformLine(in)
		if (err != nil) != (want == "") || (err == nil && p.Display() != want) {
			t.Errorf("ParsePlatformLine(%q) = %q, %v; want %q", in, p.Display(), err, want)
		}
	}
}

// crane's and oras's --platform os/arch[/variant]:osversion reads as
// go-containerregistry's v1.ParsePlatform reads it (crane's own parser),
// on random strings of platform words; platypus refuses what ggcr
// silently misreads (a second colon drops the os.version there).
func TestParsePlatformLineColonMatchesCrane(t *testing.T) {
	rng := rand.New(rand.NewPCG(24, 7))
	words := []string{"linux", "windows", "amd64", "arm64", "arm", "v7", "v8", "10.0.17763", "10.0.20348.2582", "386", "x", ""}
	for range 20000 {
		var b strings.Builder
		for i := range 1 + rng.IntN(4) {
			if i > 0 {
				b.WriteString([]string{"/", "/", ":", "/"}[rng.IntN(4)])
			}
			b.WriteString(words[rng.IntN(len(words))])
		}
		s := b.String()
		ours, err := ParsePlatformLine(s)
		if err != nil || !strings.Contains(s, "/") {
			continue // an error, or an architecture alone (linux/ARCH to us, an OS to crane)
		}
		theirs, gerr := v1.ParsePlatform(s)
		if gerr != nil {
			t.Errorf("%q: platypus %+v, crane refuses: %v", s, ours, gerr)
			continue
		}
		if ours.OS != theirs.OS || ours.Architecture != theirs.Architecture || ours.Variant != theirs.Variant || ours.OSVersion != theirs.OSVersion {
			t.Errorf("%q: platypus %+v, crane %+v", s, ours, *theirs)
		}
	}
	for _, s := range []string{"windows/amd64:10.0.17763:1", "windows/amd64:", "arm64:arm64/linux", "windows/amd64:10.0.17763 10.0.17763", "windows(10.0.14393)/amd64:10.0.17763"} {
		if p, err := ParsePlatformLine(s); err == nil {
			t.Errorf("%q accepted: %+v", s, p)
		}
	}
}
