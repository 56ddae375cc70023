package check

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/model"
)

// The example policy, as written there.
const examplePolicy = `platforms:
  require: [linux/amd64, linux/arm64, linux/arm/v7, windows/amd64:10.0.17763]  # normalised as Docker does
  only: false              # true: any other platform is an error
annotations:
  require: [org.opencontainers.image.version, org.opencontainers.image.revision, org.opencontainers.image.source]
  agree: true              # one value across the index, its descriptors, every manifest and config label
attestations: {provenance: required, sbom: required}   # per platform: buildx-style entries or referrers
provenance: {sameSource: true}   # every platform built from the same source repository and commit
signatures: required       # a signature referrer (cosign, notation) on the index
base:
  covered: true            # org.opencontainers.image.base.name/.digest: the base has every platform we ship
  fresh: warning           # the base tag has moved since this image was built
size: {maxCompressed: 500MB}     # per platform
efficiency: {lowest: 0.90, highestWasted: 20MB}   # dive's CI thresholds, per platform (reads the layers)
`

func TestParseExamplePolicy(t *testing.T) {
	p, err := ParsePolicy([]byte(examplePolicy))
	if err != nil {
		t.Fatal(err)
	}
	var reqs []string
	for _, r := range p.RequirePlatforms {
		reqs = append(reqs, r.Platform.Display())
	}
	if !slices.Equal(reqs, []string{"linux/amd64", "linux/arm64", "linux/arm/v7", "windows/amd64 10.0.17763"}) {
		t.Errorf("require %v", reqs)
	}
	if p.OnlyPlatforms.On || !p.AgreeAnnots.On || len(p.RequireAnnots) != 3 || !p.Provenance.On || !p.SBOM.On || !p.SameSource.On ||
		!p.Signatures.On || !p.BaseCovered.On || p.BaseFresh != (Level{On: true, Severity: model.SevWarning}) ||
		p.MaxCompressed != 500e6 || p.LowestEfficiency != 0.9 || p.HighestWasted != 20e6 {
		t.Errorf("%+v", p)
	}
	if sev, on := p.Severity(RuleBaseMoved); !on || sev != model.SevWarning {
		t.Errorf("base-moved: %s %v", sev, on)
	}
	want := Needs{Blobs: true, Referrers: true, Signatures: true, Provenance: true, Base: true, Layers: true}
	if p.Needs() != want {
		t.Errorf("needs %+v", p.Needs())
	}
}

func TestDefaultPolicyNeedsOnlyBlobHeads(t *testing.T) {
	p, err := ParsePolicy(nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.Needs() != (Needs{Blobs: true}) {
		t.Errorf("needs %+v", p.Needs())
	}
	for _, r := range Rules() {
		if _, on := p.Severity(r); on != BuiltIn(r) {
			t.Errorf("%s on %v", r, on)
		}
	}
	p, _ = ParsePolicy([]byte("rules: {missing-blob: off}\n"))
	if p.Needs() != (Needs{}) {
		t.Errorf("missing-blob off still HEADs: %+v", p.Needs())
	}
	// rules: overrides what the section says, both ways.
	p, _ = ParsePolicy([]byte("signatures: warning\nrules: {missing-signature: error, orphan: off}\n"))
	if sev, on := p.Severity(RuleMissingSignature); !on || sev != model.SevError {
		t.Errorf("missing-signature %s %v", sev, on)
	}
	if _, on := p.Severity(RuleOrphan); on {
		t.Error("orphan still on")
	}
	p, _ = ParsePolicy([]byte("rules: {missing-sbom: warning}\n"))
	if _, on := p.Severity(RuleMissingSBOM); on {
		t.Error("a severity alone does not turn a policy rule on")
	}
}

func TestParsePolicyProblems(t *testing.T) {
	_, err := ParsePolicy([]byte(`platform: {}
platforms: {require: [linux/amd64, "x/y/z/w", 3], only: maybe}
annotations: {require: linux, agree: 1}
base: [covered]
size: {maxCompressed: -3}
efficiency: {lowest: 1.5, highestWasted: lots, wasted: 1}
rules: {orphans: off, missing-blob: never}
`))
	var pe *PolicyError
	if !errors.As(err, &pe) {
		t.Fatalf("%v", err)
	}
	want := []string{
		"annotations.agree: 1 is not one of true, false, required, error, warning, off",
		"annotations.require: expected a list, got \"linux\"",
		"base: expected a mapping of keys, got a list",
		"efficiency.highestWasted: \"lots\" is not a size such as 500MB, 1.5GiB or a number of bytes",
		"efficiency.lowest: 1.5 is not a ratio above 0 and at most 1 (dive's lowestEfficiency, e.g. 0.9)",
		"efficiency.wasted: unknown key (known: lowest, highestWasted)",
		"platform: unknown key (did you mean platforms?)",
		"platforms.only: \"maybe\" is not one of true, false, required, error, warning, off",
		"platforms.require[1]: invalid platform \"x/y/z/w\": too many parts",
		"platforms.require[2]: expected a non-empty string, got 3",
		"rules.missing-blob: \"never\" is not off, warning or error",
		"rules.orphans: no such rule (did you mean orphan?)",
		"size.maxCompressed: -3 is not a size such as 500MB, 1.5GiB or a number of bytes",
	}
	if !slices.Equal(pe.Problems, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(pe.Problems, "\n"), strings.Join(want, "\n"))
	}
	for _, bad := range []string{"- a list\n", "platforms: [\n", "42\n"} {
		if _, err := ParsePolicy([]byte(bad)); !errors.As(err, &pe) || len(pe.Problems) == 0 {
			t.Errorf("%q: %v", bad, err)
		}
	}
	_, err = ParsePolicy([]byte("platforms: {only: true}\n"))
	if !errors.As(err, &pe) || pe.Problems[0] != "platforms.only: needs platforms.require (the platforms allowed)" {
		t.Errorf("only without require: %v", err)
	}
}

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   any
		want int64
		ok   bool
	}{
		{"500MB", 500e6, true}, {"20MB", 20e6, true}, {"1.5GiB", 3 << 29, true}, {"10kB", 10e3, true}, {"10KB", 10e3, true},
		{"512", 512, true}, {uint64(1024), 1024, true}, {"2 MiB", 2 << 20, true}, {"0", 0, true},
		{"5XB", 0, false}, {"MB", 0, false}, {"-1MB", 0, false}, {1.5, 0, false}, {true, 0, false}, {"1e30TB", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseSize(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("%v: %d %v", tt.in, got, err)
		}
	}
}

func TestParseRequired(t *testing.T) {
	tests := []struct{ in, want string }{
		{"linux/arm64/v8", "linux/arm64/v8"},
		{"windows/amd64:10.0.17763", "windows/amd64 10.0.17763"},
		{"windows/amd64 10.0.17763", "windows/amd64 10.0.17763"},
		{"windows(10.0.20348)/amd64", "windows/amd64 10.0.20348"},
		{"arm64", "linux/arm64"},
		{"linux/amd64:10.0.1", ""},
		{"windows/amd64:10", ""},
		{"linux/", ""},
	}
	for _, tt := range tests {
		r, err := ParseRequired(tt.in)
		if (err == nil) != (tt.want != "") || (err == nil && r.Platform.Display() != tt.want) {
			t.Errorf("%q: %q %v", tt.in, r.Platform.Display(), err)
		}
	}
}

func FuzzParsePolicy(f *testing.F) {
	f.Add([]byte(examplePolicy))
	f.Add([]byte("rules: {orphan: off}\nplatforms: {require: [linux/amd64], only: true}\n"))
	f.Add([]byte("size: {maxCompressed: 1e400}\nefficiency: {lowest: .NaN}\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParsePolicy(b)
		if (p == nil) == (err == nil) {
			t.Fatalf("policy %v and error %v", p, err)
		}
		if p != nil {
			_ = p.Needs()
			if !(p.LowestEfficiency >= 0 && p.LowestEfficiency <= 1) || p.MaxCompressed < 0 {
				t.Fatalf("out of range: %+v", p)
			}
		}
	})
}
