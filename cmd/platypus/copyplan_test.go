package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/model"
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
