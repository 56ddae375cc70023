package model

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/containerd/platforms"
	specs "github.com/opencontainers/image-spec/specs-go/v1"
)

// containerdReads tells whether containerd's matcher read v as a version:
// one it cannot read matches every os.version, so of two entries with
// different builds below 20348 it then matches both; a version it reads
// matches at most one of them.
func containerdReads(v string) bool {
	m := platforms.NewMatcher(specs.Platform{OS: "windows", Architecture: "amd64", OSVersion: v})
	a := m.Match(specs.Platform{OS: "windows", Architecture: "amd64", OSVersion: "0.0.1"})
	b := m.Match(specs.Platform{OS: "windows", Architecture: "amd64", OSVersion: "0.0.2"})
	return !a || !b
}

// The oracle is containerd's platforms package, which Docker's containerd
// store matches with; moby's graphdriver store only ever sees the host's
// own version, which is always well formed.
func TestTargetOSVersionAsContainerdReadsIt(t *testing.T) {
	cases := []string{"foo", "", "10", "10.0", "10.0.17763", "10.0.17763.1234", "10.0.17763.x", "10.0.x", "256.0.1", "255.255.65535",
		"10.0.65536", "0.0.0", "0.0.1", "00.0.00017763", "+10.0.1", "10.-1.1", " 10.0.1", "10..1", "10.0.1.", "1e1.0.1", "10.0.17763.1.2.3"}
	r := rand.New(rand.NewPCG(22, 1))
	alphabet := "0123456789.x+- "
	for range 3000 {
		var b strings.Builder
		for range r.IntN(14) {
			b.WriteByte(alphabet[r.IntN(len(alphabet))])
		}
		cases = append(cases, b.String())
	}
	for _, v := range cases {
		if got, want := CheckTargetOSVersion(v) == nil, containerdReads(v); got != want {
			t.Errorf("%q: platypus accepts %v, containerd reads it %v", v, got, want)
		}
	}
}
