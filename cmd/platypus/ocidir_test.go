package main

import (
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/registry/demo"
)

func TestInspectOCIDir(t *testing.T) {
	dir := t.TempDir()
	if err := demo.Seed(dir); err != nil {
		t.Fatal(err)
	}
	rep := inspectJSON(t, "ocidir://"+dir+"/library/centos:7", "--platform", "linux/arm64/v8")
	if len(rep.Entries) != 5 || rep.Selected == nil || *rep.Selected != rep.Entries[2].Digest {
		t.Fatalf("ocidir inspect: %+v", rep)
	}
	out, _, code := cli(t, "", "tags", "ocidir://"+dir+"/library/mysql")
	if code != 0 || !strings.Contains(out, "5.7") {
		t.Errorf("ocidir tags: %d %s", code, out)
	}
}

func TestPlainHTTPServerAddressedWithTLS(t *testing.T) {
	s, err := demo.Start(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, stderr, code := cli(t, "", "--strict-tls", "inspect", s.Host+"/library/centos:7")
	if code != 1 || !strings.Contains(stderr, "TLS with "+s.Host+" failed: the server speaks plain HTTP") || !strings.Contains(stderr, "--insecure-host "+s.Host) {
		t.Errorf("exit %d stderr %q", code, stderr)
	}
	// Without --strict-tls a loopback host may speak plain HTTP.
	if _, stderr, code := cli(t, "", "inspect", s.Host+"/library/centos:7"); code != 0 {
		t.Errorf("loopback plain HTTP refused: %s", stderr)
	}
}
