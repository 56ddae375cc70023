package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/output"
)

// copy --dry-run says what it would send: -o json keeps "copied" empty
// (nothing was) and lists under "wouldCopy" every manifest and blob the
// target lacks, referrers marked; the text counts them by kind with their
// total size and lists each. Once copied, a dry run finds nothing to send.
func TestCopyDryRunListsWhatItWouldSend(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	srv := startDemoServer(t)
	src, dst := srv.Host+"/platypus/webapp:1.0", srv.Host+"/mirror/webapp:1.0"
	rep := copyJSONOut(t, src, dst, "--dry-run")
	if rep.Copied == nil || len(rep.Copied) != 0 || !rep.DryRun {
		t.Fatalf("a dry run's copied: %+v", rep.Copied)
	}
	kinds := map[string]int{}
	var total int64
	referrers := 0
	for _, w := range rep.WouldCopy {
		kinds[w.Kind]++
		total += w.Size
		if w.Referrer {
			referrers++
		}
		if w.From != srv.Host+"/platypus/webapp" || w.Size <= 0 || !model.ValidDigest(w.Digest) || w.MediaType == "" {
			t.Errorf("wouldCopy item: %+v", w)
		}
	}
	if kinds["index"] != 1 || kinds["manifest"] < 6 || kinds["config"] < 6 || kinds["layer"] < 6 || referrers == 0 {
		t.Fatalf("wouldCopy: %v, %d referrer items", kinds, referrers)
	}
	if none := copyJSONOut(t, src, dst, "--dry-run", "--no-referrers"); len(none.WouldCopy) != len(rep.WouldCopy)-referrers {
		t.Errorf("--no-referrers lists %d items, with referrers %d of which %d are theirs", len(none.WouldCopy), len(rep.WouldCopy), referrers)
	}
	out, stderr, code := cli(t, "", "copy", src, dst, "--dry-run")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	head := fmt.Sprintf("would copy 1 index, %d manifests, %d configs and %d layers: %s in all", kinds["manifest"], kinds["config"], kinds["layer"], model.HumanSize(total))
	if !strings.Contains(out, head) || !strings.Contains(out, "mounted, not sent") || !strings.Contains(out, "dry run: nothing written") {
		t.Errorf("the dry run's text lacks %q:\n%s", head, out)
	}
	for _, w := range rep.WouldCopy {
		if !strings.Contains(out, w.Digest+"  "+fmt.Sprintf("%9s", model.HumanSize(w.Size))) {
			t.Errorf("the text does not list %s %s:\n%s", w.Kind, w.Digest, out)
		}
	}
	if _, stderr, code := cli(t, "", "copy", src, dst); code != 0 {
		t.Fatalf("copy: %d %s", code, stderr)
	}
	if again := copyJSONOut(t, src, dst, "--dry-run"); again.WouldCopy == nil || len(again.WouldCopy) != 0 {
		t.Errorf("after the copy a dry run would copy %+v", again.WouldCopy)
	}
	// The tag already holds the digest: the text says so, as the real
	// copy and the JSON's "unchanged" do, and names no digest it replaces.
	if out, _, _ := cli(t, "", "copy", src, dst, "--dry-run"); !strings.Contains(out, "nothing to copy") ||
		!strings.Contains(out, "unchanged: "+dst+" already holds it") || strings.Contains(out, "replaces") {
		t.Errorf("after the copy:\n%s", out)
	}
	if out, _, _ := cli(t, "", "copy", src, srv.Host+"/mirror/webapp:other", "--dry-run"); !strings.Contains(out, "nothing to copy but the tag") {
		t.Errorf("to a new tag of the same repository:\n%s", out)
	}
	if rep := copyJSONOut(t, src, srv.Host+"/mirror/webapp:again"); rep.WouldCopy != nil {
		t.Errorf("a real copy writes wouldCopy: %+v", rep.WouldCopy)
	}
}

// A real copy's "copied" names the manifests its dry run listed, the new,
// filtered index of a --platform copy too (it is written last, with the
// tag), and the text counts them all. Order aside: children are copied
// side by side.
func TestCopyCountsEveryManifestItWrites(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	srv := startDemoServer(t)
	src := srv.Host + "/platypus/webapp:1.0"
	for _, c := range []struct {
		dst  string
		args []string
	}{
		{srv.Host + "/mirror/webapp:arm", []string{"--platform", "linux/arm64"}},
		{srv.Host + "/mirror/webapp:1.0", nil},
		// The filtered index is already there by digest: only the tag is new.
		{srv.Host + "/mirror/webapp:arm-again", []string{"--platform", "linux/arm64"}},
	} {
		plan := copyJSONOut(t, append([]string{src, c.dst, "--dry-run"}, c.args...)...)
		var want []string
		for _, w := range plan.WouldCopy {
			if (w.Kind == "index" || w.Kind == "manifest") && !w.Referrer {
				want = append(want, w.Digest)
			}
		}
		if len(c.args) > 0 && len(want) > 0 && want[0] != plan.Digest {
			t.Errorf("%s: the dry run lists %v, not the new index %s first", c.dst, want, plan.Digest)
		}
		out, stderr, code := cli(t, "", append([]string{"copy", src, c.dst, "-o", "json"}, c.args...)...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", c.dst, code, stderr)
		}
		var rep output.Copy
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range rep.Copied {
			got = append(got, m.Digest)
			if m.From != srv.Host+"/platypus/webapp" {
				t.Errorf("%s: copied %+v", c.dst, m)
			}
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s %v: copied %v, the dry run listed %v", c.dst, c.args, got, want)
		}
	}
	out, stderr, code := cli(t, "", "copy", src, srv.Host+"/mirror/webapp:arm-text", "--platform", "linux/arm64", "--no-referrers")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, "\n0 manifests written") {
		t.Errorf("every manifest was there, the filtered index too:\n%s", out)
	}
	out, stderr, code = cli(t, "", "copy", src, srv.Host+"/text/webapp:arm", "--platform", "linux/arm64", "--no-referrers")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, "\n3 manifests written, 0 referrers copied") {
		t.Errorf("the image, its attestation and the new index were written:\n%s", out)
	}
}
