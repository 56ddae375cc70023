package main

import (
	"bytes"
	"context"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestDemoServeWorksWithSkopeo: `platypus demo serve` is a registry another
// OCI client can list and pull from.
func TestDemoServeWorksWithSkopeo(t *testing.T) {
	if _, err := exec.LookPath("skopeo"); err != nil {
		t.Skip("skopeo not installed (apt-get install skopeo)")
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out bytes.Buffer
	done := make(chan int)
	go func() { done <- run(ctx, []string{"demo", "serve", "--addr", addr}, nil, &out, &bytes.Buffer{}) }()
	for i := 0; ; i++ {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			break
		}
		if i > 100 {
			t.Fatal("demo serve did not listen")
		}
		time.Sleep(20 * time.Millisecond)
	}
	tags, err := exec.Command("skopeo", "list-tags", "--tls-verify=false", "docker://"+addr+"/library/centos").CombinedOutput()
	if err != nil || !strings.Contains(string(tags), "7.6.1810") {
		t.Fatalf("skopeo list-tags: %v\n%s", err, tags)
	}
	dir := t.TempDir()
	cp, err := exec.Command("skopeo", "copy", "--src-tls-verify=false", "--override-arch", "arm64",
		"docker://"+addr+"/library/centos:7", "oci:"+dir+":c7").CombinedOutput()
	if err != nil {
		t.Fatalf("skopeo copy: %v\n%s", err, cp)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("demo serve exited %d", code)
	}
	if !strings.Contains(out.String(), "demo registry serving on "+addr) {
		t.Errorf("demo serve printed %q", out.String())
	}
}

// The demo registry says 404 for a repository it does not have, as a real
// registry does, so platypus says "not found" instead of listing no tags.
func TestDemoMissingRepositoryIsNotFound(t *testing.T) {
	for _, args := range [][]string{{"--demo", "tags", "nobody/here"}, {"--demo", "inspect", "nobody/here:1"}} {
		out, stderr, code := cli(t, "", args...)
		if code != 1 || out != "" || !strings.Contains(stderr, "/nobody/here") || !strings.Contains(stderr, "not found") {
			t.Errorf("%v: exit %d, out %q, %s", args, code, out, stderr)
		}
	}
}
