package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/check"
	"github.com/platypus-tui/platypus/model/output"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/demo"
)

// The JSON is a contract: these names, this nesting, one object for one
// REF and an array for several.
func TestCheckJSONContract(t *testing.T) {
	isolate(t)
	host := checkDemo(t, nil)
	ref := host + "/" + demo.CheckRepository
	pol := filepath.Join(t.TempDir(), "p.yaml")
	if err := os.WriteFile(pol, []byte("efficiency: {lowest: 0.5}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, _, code := cli(t, "", "check", ref+":mismatch", "-o", "json", "--policy", pol)
	if code != exitCheckFailed {
		t.Fatalf("exit %d", code)
	}
	var obj map[string]any
	if err := json.Unmarshal([]byte(out), &obj); err != nil {
		t.Fatalf("one REF is one object: %v\n%s", err, out)
	}
	keys := func(m map[string]any) []string {
		var k []string
		for key := range m {
			k = append(k, key)
		}
		slices.Sort(k)
		return k
	}
	if got := keys(obj); !slices.Equal(got, []string{"digest", "findings", "passed", "platforms", "reference"}) {
		t.Errorf("top-level fields %v", got)
	}
	f := obj["findings"].([]any)[0].(map[string]any)
	if got := keys(f); !slices.Equal(got, []string{"entry", "message", "platform", "rule", "severity"}) {
		t.Errorf("finding fields %v", got)
	}
	if f["rule"] != check.RulePlatformMismatch || f["severity"] != "error" || f["platform"] != "linux/arm64" || !strings.HasPrefix(f["entry"].(string), "sha256:") {
		t.Errorf("finding %v", f)
	}
	p := obj["platforms"].([]any)[0].(map[string]any)
	if got := keys(p); !slices.Equal(got, []string{"compressedSize", "digest", "efficiency", "platform", "uncompressedSize"}) {
		t.Errorf("platform fields %v (the layers were read: uncompressedSize and efficiency are there)", got)
	}
	// Without an efficiency rule no layer is read, and the fields are absent.
	out, _, _ = cli(t, "", "check", ref+":mismatch", ref+":good", "-o", "json")
	var arr []map[string]any
	if err := json.Unmarshal([]byte(out), &arr); err != nil || len(arr) != 2 {
		t.Fatalf("two REFs are an array of two: %v\n%s", err, out)
	}
	if arr[1]["passed"] != true || len(arr[1]["findings"].([]any)) != 0 {
		t.Errorf("good: %v", arr[1])
	}
	if p := arr[1]["platforms"].([]any)[0].(map[string]any); p["efficiency"] != nil || p["uncompressedSize"] != nil {
		t.Errorf("layers read without a policy asking: %v", p)
	}
	// An index-level finding has no platform and no entry.
	out, _, _ = cli(t, "", "check", ref+":mismatch", "-o", "json", "--policy", writePolicy(t, "signatures: required"))
	var one output.Check
	_ = json.Unmarshal([]byte(out), &one)
	i := slices.IndexFunc(one.Findings, func(f output.Finding) bool { return f.Rule == check.RuleMissingSignature })
	if i < 0 || one.Findings[i].Platform != "" || one.Findings[i].Entry != "" {
		t.Errorf("missing-signature: %+v", one.Findings)
	}
	if !strings.Contains(out, `"findings": [`) || strings.Contains(out, `"findings": null`) {
		t.Errorf("findings must be an array: %s", out)
	}
}

func writePolicy(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "policy.yaml")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCheckExitCodes(t *testing.T) {
	isolate(t)
	host := checkDemo(t, nil)
	ref := host + "/" + demo.CheckRepository
	tests := []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"passes", []string{ref + ":good"}, exitOK, ""},
		{"errors fail", []string{ref + ":mismatch"}, exitCheckFailed, "check failed: 1 of 1 reference has findings at or above error"},
		{"warnings pass by default", []string{ref + ":arm"}, exitOK, ""},
		{"warnings fail on warning", []string{ref + ":arm", "--fail-on", "warning"}, exitCheckFailed, "at or above warning"},
		{"off turns a rule off", []string{ref + ":mismatch", "--policy", writePolicy(t, "rules: {platform-mismatch: off}")}, exitOK, ""},
		{"severity lowered", []string{ref + ":mismatch", "--policy", writePolicy(t, "rules: {platform-mismatch: warning}")}, exitOK, ""},
		{"severity raised", []string{ref + ":arm", "--policy", writePolicy(t, "rules: {arm-variant: error}")}, exitCheckFailed, ""},
		{"not found", []string{ref + ":nope"}, exitFailure, "could not check " + ref + ":nope: not found in " + host + " (1 of 1 reference not checked)"},
		{"one not found among others", []string{ref + ":good", ref + ":nope"}, exitFailure, "check/rules:nope"},
		{"bad --fail-on", []string{ref + ":good", "--fail-on", "info"}, exitUsage, `--fail-on "info": use error or warning`},
		{"no REF", nil, exitUsage, "expected at least one reference"},
		{"bad -o", []string{ref + ":good", "-o", "yaml"}, exitUsage, "unknown output format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, code := cli(t, "", append([]string{"check"}, tt.args...)...)
			if code != tt.code || !strings.Contains(stderr, tt.err) {
				t.Errorf("exit %d, want %d; stderr %q, want %q", code, tt.code, stderr, tt.err)
			}
			if strings.Count(stderr, "\n") > 2 {
				t.Errorf("stderr is more than one message: %q", stderr)
			}
		})
	}
	// A reference that cannot be checked is an object with its error.
	out, _, _ := cli(t, "", "check", ref+":nope", "-o", "json")
	var res output.Check
	if json.Unmarshal([]byte(out), &res) != nil || res.Error == "" || res.Passed {
		t.Errorf("unchecked: %s", out)
	}
}

func TestCheckPolicyErrors(t *testing.T) {
	dir := isolate(t)
	host := checkDemo(t, nil)
	ref := host + "/" + demo.CheckRepository + ":good"
	bad := `platforms:
  requir: [linux/amd64]
  only: maybe
annotation: {require: [x]}
size: {maxCompressed: 500XB}
efficiency: {lowest: 90}
attestations: {provenance: required, sbom: sometimes}
rules: {platform-mismatch: off, no-such-rule: off, arm-variant: loud}
`
	_, stderr, code := cli(t, "", "check", ref, "--policy", writePolicy(t, bad))
	if code != exitUsage {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"platforms.requir: unknown key (did you mean require?)",
		`platforms.only: "maybe" is not one of`,
		"annotation: unknown key (did you mean annotations?)",
		`size.maxCompressed: "500XB" is not a size`,
		"efficiency.lowest: 90 is not a ratio",
		`attestations.sbom: "sometimes" is not one of`,
		"rules.no-such-rule: no such rule",
		`rules.arm-variant: "loud" is not off, warning or error`,
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Count(stderr, "platypus:") != 1 {
		t.Errorf("one message, not several:\n%s", stderr)
	}
	_, stderr, code = cli(t, "", "check", ref, "--policy", filepath.Join(dir, "absent.yaml"))
	if code != exitUsage || !strings.Contains(stderr, "absent.yaml") {
		t.Errorf("missing --policy file: exit %d %s", code, stderr)
	}
	_, stderr, code = cli(t, "", "check", ref, "--policy", writePolicy(t, "platforms: [\n"))
	if code != exitUsage || !strings.Contains(stderr, "policy ") {
		t.Errorf("YAML syntax: exit %d %s", code, stderr)
	}
	// .platypus-check.yaml in the current directory is the default policy.
	if err := os.WriteFile(filepath.Join(dir, check.PolicyFile), []byte("platforms: {require: [linux/s390x]}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, _, code := cli(t, "", "check", ref)
	if code != exitCheckFailed || !strings.Contains(out, "missing-platform") {
		t.Errorf(".platypus-check.yaml not read: exit %d\n%s", code, out)
	}
	if _, _, code := cli(t, "", "check", ref, "--policy", writePolicy(t, "")); code != exitOK {
		t.Errorf("--policy overrides the directory's: exit %d", code)
	}
}

func TestCheckTable(t *testing.T) {
	isolate(t)
	out, _, code := cli(t, "", "--demo", "check", "platypus/webapp:1.1-rc1")
	if code != exitCheckFailed {
		t.Fatalf("exit %d\n%s", code, out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if !strings.Contains(lines[0], "/platypus/webapp:1.1-rc1@sha256:") {
		t.Errorf("header %q", lines[0])
	}
	if last := lines[len(lines)-1]; last != "FAILED: 4 errors, 5 warnings (--fail-on error)" {
		t.Errorf("verdict %q", last)
	}
	// Grouped by platform: each group's heading once, its findings under it.
	var groups []string
	for _, l := range lines[1 : len(lines)-1] {
		if strings.HasPrefix(l, "  ") && !strings.HasPrefix(l, "    ") {
			groups = append(groups, strings.TrimSpace(l))
		}
	}
	if want := []string{"index", "linux/arm64", "linux/amd64", "linux/arm", "windows/amd64"}; !slices.Equal(groups, want) {
		t.Errorf("groups %v, want %v\n%s", groups, want, out)
	}
	for _, want := range []string{
		"    error    platform-mismatch     entry 2 (linux/arm64, ",
		"    error    dangling-attestation  entry 8 (attestation, ",
		"is never pulled: a linux/amd64 target ranks it equal with entry 1 (linux/amd64, ",
		"    warning  arm-variant ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	out, _, code = cli(t, "", "--demo", "check", "platypus/webapp:1.0")
	if code != exitOK || !strings.HasSuffix(out, "PASSED: 0 errors, 0 warnings (--fail-on error)\n") {
		t.Errorf("webapp:1.0: exit %d\n%s", code, out)
	}
}

// What a registry sends is escaped on screen, raw in JSON.
func TestCheckEscapesRegistryText(t *testing.T) {
	isolate(t)
	host := checkDemo(t, nil)
	ref := host + "/" + demo.CheckRepository + ":hostile"
	pol := writePolicy(t, "annotations: {agree: true}")
	out, _, code := cli(t, "", "check", ref, "--policy", pol)
	if code != exitCheckFailed || strings.ContainsAny(out, "\x1b\u202e") || !strings.Contains(out, "annotation-disagrees") {
		t.Errorf("exit %d; control characters must not reach the table: %q", code, out)
	}
	out, _, _ = cli(t, "", "check", ref, "--policy", pol, "-o", "json")
	var res output.Check
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Findings) != 1 || !strings.Contains(res.Findings[0].Message, demo.Hostile[0]+demo.Hostile[8]) {
		t.Errorf("JSON keeps the raw text: %v %+v", err, res.Findings)
	}
	if strings.ContainsAny(out, "\x1b\u202e") {
		t.Errorf("JSON escapes what a terminal would act on: %q", out)
	}
}

// A repository checks every tag (its referrers-schema tags aside), asking
// first as scan does.
func TestCheckRepository(t *testing.T) {
	isolate(t)
	host := checkDemo(t, nil)
	repo := host + "/" + demo.CheckBaseRepository
	out, stderr, code := cli(t, "", "check", repo, "-o", "json")
	var res []output.Check
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != exitOK {
		t.Fatalf("exit %d %v: %s %s", code, err, out, stderr)
	}
	var refs []string
	for _, r := range res {
		refs = append(refs, strings.TrimPrefix(r.Reference, repo))
	}
	if !slices.Equal(refs, []string{":1", ":amd64-only"}) {
		t.Errorf("checked %v", refs)
	}
	// Over scanAsk without --yes: refused when nobody can be asked.
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(cfg, []byte("scanAsk: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, code = cli(t, "", "--config", cfg, "check", repo)
	if code != exitFailure || !strings.Contains(stderr, "pass --yes to check all 2") {
		t.Errorf("over scanAsk: exit %d %s", code, stderr)
	}
	if _, stderr, code := cli(t, "", "--config", cfg, "check", repo, "--yes"); code != exitOK {
		t.Errorf("--yes: exit %d %s", code, stderr)
	}
	// The sha256-… tags of the referrers schema are not checked.
	out, _, _ = cli(t, "", "check", host+"/"+demo.CheckRepository, "--yes", "-o", "json")
	if strings.Contains(out, ":sha256-") || !strings.Contains(out, "check/rules:good") {
		t.Errorf("tags checked:\n%.400s", out)
	}
}

// Cancelling a repository check stops it: every request in flight ends and
// the command says it was interrupted.
func TestCheckRepositoryCancels(t *testing.T) {
	isolate(t)
	var once sync.Once
	blocked := make(chan struct{})
	host := checkDemo(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodHead && strings.Contains(r.URL.Path, "/blobs/") {
				once.Do(func() { close(blocked) })
				<-r.Context().Done() // hangs until the client gives up
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-blocked
		cancel()
	}()
	var out, errb bytes.Buffer
	code := run(ctx, []string{"check", host + "/" + demo.CheckRepository, "--yes"}, strings.NewReader(""), &out, &errb)
	if code != exitFailure || !strings.Contains(errb.String(), "interrupted") {
		t.Errorf("exit %d: %s", code, errb.String())
	}
}

// requestCounter counts a registry's requests by kind.
type requestCounter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *requestCounter) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		kind := "other"
		switch {
		case strings.Contains(r.URL.Path, "/manifests/"):
			kind = "manifest"
		case strings.Contains(r.URL.Path, "/blobs/"):
			kind = "blob"
		case strings.Contains(r.URL.Path, "/referrers/"), strings.HasSuffix(r.URL.Path, "/tags/list"):
			kind = "list"
		}
		c.mu.Lock()
		c.n[r.Method+" "+kind]++
		c.mu.Unlock()
		h.ServeHTTP(w, r)
	})
}

func (c *requestCounter) take() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.n
	c.n = map[string]int{}
	return n
}

// The rules that need manifests and configs cost one expansion: no more
// requests than inspect --all. missing-blob adds one HEAD per distinct
// blob, and only an efficiency rule reads layers.
func TestCheckRequests(t *testing.T) {
	isolate(t)
	rc := &requestCounter{n: map[string]int{}}
	host := checkDemo(t, rc.wrap)
	ref := host + "/" + demo.CheckRepository + ":good"
	if _, _, code := cli(t, "", "inspect", "--all", ref, "--platform", "linux/amd64"); code != 0 {
		t.Fatal(code)
	}
	inspect := rc.take()
	if _, _, code := cli(t, "", "check", ref); code != 0 {
		t.Fatal(code)
	}
	chk := rc.take()
	for _, kind := range []string{"GET manifest", "GET blob", "GET list", "HEAD manifest", "GET other"} {
		if chk[kind] != inspect[kind] {
			t.Errorf("%s: check %d, inspect --all %d", kind, chk[kind], inspect[kind])
		}
	}
	r, _ := model.ParseReference(ref)
	tree, err := registry.New().Expand(context.Background(), r, registry.ExpandOptions{Children: true, Configs: true})
	if err != nil {
		t.Fatal(err)
	}
	blobs := map[string]bool{}
	layers := 0
	for _, e := range tree.Root.Entries {
		m := tree.Children[e.Digest]
		for _, l := range m.Layers {
			blobs[l.Digest] = true
		}
		// A config the expansion fetched needs no HEAD (buildx's
		// attestation manifests may have an image config too).
		if m.Config != nil && tree.Configs[e.Digest] == nil {
			blobs[m.Config.Digest] = true
		}
		if e.Kind == model.KindImage {
			layers += len(m.Layers)
		}
	}
	if chk["HEAD blob"] != len(blobs) {
		t.Errorf("HEAD blob: %d, want one per distinct blob: %d", chk["HEAD blob"], len(blobs))
	}
	rc.take() // the test's own expansion
	// An efficiency rule reads every layer of every image once.
	if _, _, code := cli(t, "", "check", ref, "--policy", writePolicy(t, "efficiency: {lowest: 0.5}")); code != 0 {
		t.Fatal(code)
	}
	eff := rc.take()
	// The layers read need no HEAD: the read tells presence, size and digest.
	if eff["GET manifest"] != inspect["GET manifest"] || eff["HEAD blob"] != len(blobs)-layers {
		t.Errorf("with efficiency: %v, the same expansion and HEADs but for the layers read", eff)
	}
	if eff["GET blob"] != inspect["GET blob"]+layers {
		t.Errorf("with efficiency: %d blob GETs, want configs %d + layers %d", eff["GET blob"], inspect["GET blob"], layers)
	}
}

// Blob checks run in parallel, within --concurrency.
func TestCheckHeadsInParallel(t *testing.T) {
	isolate(t)
	var inFlight, most atomic.Int32
	gate := make(chan struct{})
	var once sync.Once
	host := checkDemo(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodHead && strings.Contains(r.URL.Path, "/blobs/") {
				n := inFlight.Add(1)
				for {
					m := most.Load()
					if n <= m || most.CompareAndSwap(m, n) {
						break
					}
				}
				if n >= 3 {
					once.Do(func() { close(gate) })
				}
				// The first two wait for a third: proof they overlap. Were
				// they sequential, each would wait out the bound and fail.
				select {
				case <-gate:
				case <-time.After(2 * time.Second):
				}
				defer inFlight.Add(-1)
			}
			h.ServeHTTP(w, r)
		})
	})
	if _, stderr, code := cli(t, "", "--concurrency", "3", "check", host+"/"+demo.CheckRepository+":good"); code != 0 {
		t.Fatalf("exit %d %s", code, stderr)
	}
	if m := most.Load(); m != 3 {
		t.Errorf("at most %d HEADs at once, want 3 (--concurrency 3)", m)
	}
}

// The README's walk-through: the composer's edits (the draft model it
// runs on) turn webapp:1.1-rc1 into a 1.1 that passes, with two warnings.
func TestCheckReadmeWalkThrough(t *testing.T) {
	isolate(t)
	srv, err := demo.Start(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	ctx := context.Background()
	c := registry.New(registry.WithPlainHTTP(srv.Host))
	rc, _ := model.ParseReference(srv.Host + "/" + demo.ReleaseCandidate)
	d, _, err := c.StartDraft(ctx, rc, true) // c on the tag
	if err != nil || len(d.Entries) != 8 {
		t.Fatalf("draft: %v %d", err, len(d.Entries))
	}
	gone := d.Entries[7].Digest
	d.Entries = slices.Delete(d.Entries, 1, 3) // x, x: the arm64-declared amd64 build and the second amd64
	d.Entries[1].Platform = &model.Platform{OS: "linux", Architecture: "arm", Variant: "v7"}
	d.Entries[2].Platform = &model.Platform{OS: "windows", Architecture: "amd64", OSVersion: "10.0.17763.6054"}
	if d.Remove(gone) != 1 { // G x
		t.Fatal("the dangling attestation is not last")
	}
	d.Target, d.Base = rc.WithTag("1.1"), "" // t 1.1
	none := ""
	if _, err := c.Push(ctx, d, registry.PushOptions{ExpectPrevious: &none}); err != nil {
		t.Fatal(err)
	}
	out, _, code := cli(t, "", "check", srv.Host+"/platypus/webapp:1.1", "-o", "json")
	var res output.Check
	_ = json.Unmarshal([]byte(out), &res)
	if code != exitOK || !slices.Equal(rulesOf(res.Findings), []string{check.RuleOrphan, check.RuleMixedMediaTypes}) {
		t.Errorf("exit %d, %v", code, rulesOf(res.Findings))
	}
	if _, _, code := cli(t, "", "check", srv.Host+"/platypus/webapp:1.1", "--fail-on", "warning"); code != exitCheckFailed {
		t.Errorf("--fail-on warning: exit %d", code)
	}
}

func rulesOf(fs []output.Finding) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, f.Rule)
	}
	return out
}

// An OCI layout is a REF like any other.
func TestCheckOCILayout(t *testing.T) {
	dir := isolate(t)
	if _, err := demo.SeedCheck(dir, demo.CheckOptions{}); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := cli(t, "", "check", "ocidir://"+filepath.Join(dir, demo.CheckRepository)+":missing-layer", "-o", "json")
	var res output.Check
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != exitCheckFailed || !slices.Equal(rulesOf(res.Findings), []string{check.RuleMissingBlob}) {
		t.Errorf("exit %d %v %s", code, err, stderr+out)
	}
}

// With --demo, a base image named without a registry host is the demo's,
// as a reference on the command line is.
func TestCheckResolvesBasesLikeTheCommandLine(t *testing.T) {
	o := &rootOptions{demoServer: &demo.Server{Host: "127.0.0.1:5999"}}
	for name, want := range map[string]string{
		"check/base:1":               "127.0.0.1:5999/check/base:1",
		"alpine:3.20":                "127.0.0.1:5999/library/alpine:3.20",
		"docker.io/library/alpine:3": "docker.io/library/alpine:3",
		"ghcr.io/o/base@sha256:" + strings.Repeat("a", 64): "ghcr.io/o/base@sha256:" + strings.Repeat("a", 64),
	} {
		r, err := o.resolveBase(name)
		if err != nil || r.String() != want {
			t.Errorf("%s: %s %v, want %s", name, r, err, want)
		}
	}
	if _, err := (&rootOptions{}).resolveBase("registry.example.com"); err == nil {
		t.Error("a host is not an image")
	}
	if r, _ := (&rootOptions{}).resolveBase("alpine:3"); r.String() != "docker.io/library/alpine:3" {
		t.Errorf("without --demo: %s", r)
	}
}
