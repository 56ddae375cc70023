package main

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/check"
	"github.com/platypus-tui/platypus/model/output"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/demo"
	"github.com/platypus-tui/platypus/registry/regtest"
)

// isolate points HOME, the XDG directories and the Docker config at
// temporary directories, and runs the test in an empty directory (no
// .platypus-check.yaml but the test's own).
func isolate(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	for _, v := range []string{"XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "DOCKER_CONFIG"} {
		t.Setenv(v, filepath.Join(home, strings.ToLower(v)))
	}
	t.Setenv("PLATYPUS_CONFIG", "")
	dir := t.TempDir()
	t.Chdir(dir)
	return dir
}

// freeAddr is a loopback address nothing listens on, for a registry whose
// fixtures must name it before it starts.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

// checkDemo starts the demo registry with the check fixtures (sparse:
// what missing-blob needs is left out) behind wrap, if given.
func checkDemo(t *testing.T, wrap func(http.Handler) http.Handler) string {
	t.Helper()
	addr := freeAddr(t)
	srv, err := demo.Start(demo.Options{Addr: addr, Wrap: wrap, Extra: func(root string) error {
		_, err := demo.SeedCheck(root, demo.CheckOptions{BaseHost: addr})
		return err
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv.Host
}

// checkDistribution starts Debian's distribution registry with the check
// fixtures copied in, then deletes what the sparse fixtures lack.
func checkDistribution(t *testing.T) string {
	t.Helper()
	d := regtest.StartDistribution(t, regtest.DistributionOptions{})
	dir := t.TempDir()
	sparse, err := demo.SeedCheck(dir, demo.CheckOptions{BaseHost: d.Host, Complete: true})
	if err != nil {
		t.Fatal(err)
	}
	c := registry.New()
	ctx := context.Background()
	for _, repo := range []string{demo.CheckBaseRepository, demo.CheckRepository} {
		layout, _ := model.ParseReference("ocidir://" + filepath.Join(dir, repo))
		tags, err := c.AllTags(ctx, layout)
		if err != nil {
			t.Fatal(err)
		}
		// The referrers tag schema's tags last: they index what the
		// others' pushes may already have listed there.
		slices.SortStableFunc(tags, func(a, b string) int {
			return boolInt(strings.HasPrefix(a, "sha256-")) - boolInt(strings.HasPrefix(b, "sha256-"))
		})
		for _, tag := range tags {
			dst, _ := model.ParseReference(d.Host + "/" + repo + ":" + tag)
			if _, err := c.Copy(ctx, layout.WithTag(tag), dst, registry.CopyOptions{}); err != nil {
				t.Fatalf("seeding %s: %v", dst, err)
			}
		}
	}
	repo := "http://" + d.Host + "/v2/" + demo.CheckRepository
	for _, u := range []string{repo + "/blobs/" + sparse.Layer, repo + "/blobs/" + sparse.Config, repo + "/manifests/" + sparse.Child} {
		req, _ := http.NewRequest(http.MethodDelete, u, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusAccepted {
			t.Fatalf("DELETE %s: %s", u, resp.Status)
		}
	}
	return d.Host
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// fullPolicy is the README's example policy: "good" passes all of it.
const fullPolicy = `platforms:
  require: [linux/amd64, linux/arm64/v8, linux/arm/v7]
  only: true
annotations:
  require: [org.opencontainers.image.version, org.opencontainers.image.revision, org.opencontainers.image.source]
  agree: true
attestations: {provenance: required, sbom: required}
provenance: {sameSource: true}
signatures: required
base:
  covered: true
  fresh: warning
size: {maxCompressed: 500MB}
efficiency: {lowest: 0.90, highestWasted: 20MB}
`

// ruleCases trip every rule once and show it quiet on a fixture that
// passes: the tag of demo.CheckRepository, the policy, the rule, and
// whether it must be found.
var ruleCases = []struct {
	tag, policy, rule string
	found             bool
}{
	{"mismatch", "", check.RulePlatformMismatch, true},
	{"good", "", check.RulePlatformMismatch, false},
	{"duplicate", "", check.RuleDuplicatePlatform, true},
	{"amd64-levels", "", check.RuleDuplicatePlatform, false},
	{"unreachable", "", check.RuleUnreachableEntry, true},
	{"good", "", check.RuleUnreachableEntry, false}, // its attestations are unknown/unknown
	{"dangling", "", check.RuleDanglingAttestation, true},
	{"good", "", check.RuleDanglingAttestation, false},
	{"orphan", "", check.RuleOrphan, true},
	{"good", "", check.RuleOrphan, false},
	{"missing-layer", "", check.RuleMissingBlob, true},
	{"missing-config", "", check.RuleMissingBlob, true},
	{"missing-child", "", check.RuleMissingBlob, true},
	{"bad-size", "", check.RuleMissingBlob, true},
	{"good", "", check.RuleMissingBlob, false},
	{"mixed", "", check.RuleMixedMediaTypes, true},
	{"good", "", check.RuleMixedMediaTypes, false},
	{"windows", "", check.RuleWindowsOSVersion, true},
	{"mixed", "", check.RuleWindowsOSVersion, false},
	{"arm", "", check.RuleArmVariant, true},
	{"good", "", check.RuleArmVariant, false},

	{"good", "platforms: {require: [linux/s390x]}", check.RuleMissingPlatform, true},
	{"good", "platforms: {require: [linux/amd64, linux/arm64/v8, linux/arm/v7]}", check.RuleMissingPlatform, false},
	{"good", "platforms: {require: [linux/amd64, linux/arm64], only: true}", check.RuleUnexpectedPlatform, true},
	{"good", "platforms: {require: [linux/amd64, linux/arm64, linux/arm/v7], only: true}", check.RuleUnexpectedPlatform, false},
	{"mismatch", "annotations: {require: [org.opencontainers.image.version]}", check.RuleMissingAnnotation, true},
	{"good", "annotations: {require: [org.opencontainers.image.version]}", check.RuleMissingAnnotation, false},
	{"disagree", "annotations: {agree: true}", check.RuleAnnotationDisagrees, true},
	{"good", "annotations: {agree: true}", check.RuleAnnotationDisagrees, false},
	{"orphan", "attestations: {provenance: required}", check.RuleMissingProvenance, true},
	{"good", "attestations: {provenance: required}", check.RuleMissingProvenance, false},
	{"referred", "attestations: {provenance: required}", check.RuleMissingProvenance, false}, // a referrer
	{"orphan", "attestations: {sbom: required}", check.RuleMissingSBOM, true},
	{"good", "attestations: {sbom: required}", check.RuleMissingSBOM, false},
	{"referred", "attestations: {sbom: required}", check.RuleMissingSBOM, false},
	{"two-sources", "provenance: {sameSource: true}", check.RuleProvenanceSource, true},
	{"good", "provenance: {sameSource: true}", check.RuleProvenanceSource, false},
	{"referred", "provenance: {sameSource: true}", check.RuleProvenanceSource, false},
	{"mismatch", "signatures: required", check.RuleMissingSignature, true},
	{"good", "signatures: required", check.RuleMissingSignature, false},     // notation referrer
	{"cosigned", "signatures: required", check.RuleMissingSignature, false}, // cosign's .sig tag
	{"base-gap", "base: {covered: true}", check.RuleBaseNotCovered, true},
	{"good", "base: {covered: true}", check.RuleBaseNotCovered, false},
	{"stale", "base: {fresh: true}", check.RuleBaseMoved, true},
	{"good", "base: {fresh: true}", check.RuleBaseMoved, false},
	{"good", "size: {maxCompressed: 1kB}", check.RuleTooLarge, true},
	{"good", "size: {maxCompressed: 500MB}", check.RuleTooLarge, false},
	{"wasteful", "efficiency: {lowest: 0.9}", check.RuleLowEfficiency, true},
	{"good", "efficiency: {lowest: 0.9}", check.RuleLowEfficiency, false},
	{"wasteful", "efficiency: {highestWasted: 10kB}", check.RuleWastedBytes, true},
	{"good", "efficiency: {highestWasted: 10kB}", check.RuleWastedBytes, false},
	{"good", fullPolicy, "", false}, // no finding at all
}

// runRuleCases checks every case against the registry at host.
func runRuleCases(t *testing.T, host string) {
	dir := isolate(t)
	covered := map[string][2]bool{}
	for i, tc := range ruleCases {
		args := []string{"check", host + "/" + demo.CheckRepository + ":" + tc.tag, "-o", "json"}
		if tc.policy != "" {
			p := filepath.Join(dir, "policy.yaml")
			if err := os.WriteFile(p, []byte(tc.policy), 0o600); err != nil {
				t.Fatal(err)
			}
			args = append(args, "--policy", p)
		}
		out, stderr, code := cli(t, "", args...)
		var res output.Check
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("case %d (%s, %s): exit %d, bad JSON %v: %s %s", i, tc.tag, tc.rule, code, err, out, stderr)
		}
		if res.Error != "" {
			t.Errorf("case %d (%s): not checked: %s", i, tc.tag, res.Error)
			continue
		}
		var found []output.Finding
		for _, f := range res.Findings {
			if f.Rule == tc.rule || tc.rule == "" {
				found = append(found, f)
			}
		}
		if (len(found) > 0) != tc.found {
			t.Errorf("case %d: %s on %s with %q: found %v, want %v\n%s", i, tc.rule, tc.tag, tc.policy, found, tc.found, out)
		}
		wantCode := exitOK
		if slices.ContainsFunc(res.Findings, func(f output.Finding) bool { return f.Severity == string(model.SevError) }) {
			wantCode = exitCheckFailed
		}
		if code != wantCode || res.Passed != (wantCode == exitOK) {
			t.Errorf("case %d (%s): exit %d passed %v, want exit %d: %s", i, tc.tag, code, res.Passed, wantCode, stderr)
		}
		c := covered[tc.rule]
		c[boolInt(tc.found)] = true
		covered[tc.rule] = c
	}
	for _, rule := range check.Rules() {
		if c := covered[rule]; !c[0] || !c[1] {
			t.Errorf("rule %s lacks a fixture that trips it or one that passes", rule)
		}
	}
}

func TestCheckRulesDemo(t *testing.T) {
	runRuleCases(t, checkDemo(t, nil))
}

func TestCheckRulesDistribution(t *testing.T) {
	runRuleCases(t, checkDistribution(t))
}
