package model

import (
	"errors"
	"testing"
)

func TestParseReference(t *testing.T) {
	dg := "sha256:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	tests := []struct {
		in                       string
		registry, repo, tag, dig string
		familiar                 string
	}{
		{"alpine", "docker.io", "library/alpine", "", "", "alpine"},
		{"alpine:3.20", "docker.io", "library/alpine", "3.20", "", "alpine:3.20"},
		{"docker.io/alpine", "docker.io", "library/alpine", "", "", "alpine"},
		{"index.docker.io/library/alpine:latest", "docker.io", "library/alpine", "latest", "", "alpine:latest"},
		{"yorek/multiarch-hello-world:linux", "docker.io", "yorek/multiarch-hello-world", "linux", "", "yorek/multiarch-hello-world:linux"},
		{"localhost/app", "localhost", "app", "", "", "localhost/app"},
		{"localhost:5000/app:v1", "localhost:5000", "app", "v1", "", "localhost:5000/app:v1"},
		{"127.0.0.1:5000/library/centos:7", "127.0.0.1:5000", "library/centos", "7", "", "127.0.0.1:5000/library/centos:7"},
		{"ghcr.io/org/team/app@" + dg, "ghcr.io", "org/team/app", "", dg, "ghcr.io/org/team/app@" + dg},
		{"mysql:8@" + dg, "docker.io", "library/mysql", "8", dg, "mysql:8@" + dg},
		{"[::1]:5000/x", "[::1]:5000", "x", "", "", "[::1]:5000/x"},
	}
	for _, tt := range tests {
		r, err := ParseReference(tt.in)
		if err != nil {
			t.Errorf("ParseReference(%q): %v", tt.in, err)
			continue
		}
		if r.Registry != tt.registry || r.Repository != tt.repo || r.Tag != tt.tag || r.Digest != tt.dig {
			t.Errorf("ParseReference(%q) = %+v", tt.in, r)
		}
		if got := r.Familiar(); got != tt.familiar {
			t.Errorf("Familiar(%q) = %q, want %q", tt.in, got, tt.familiar)
		}
	}
}

func TestParseReferenceRejects(t *testing.T) {
	for _, in := range []string{
		"", " alpine", "Alpine", "alpine:", "alpine:-x", "a//b", "alpine@sha256:short",
		"http://host/repo", "host:5000/", "repo:tag\x1b[31m", "ocidir://", "UPPER/Repo",
	} {
		if _, err := ParseReference(in); !errors.Is(err, ErrInvalidReference) {
			t.Errorf("ParseReference(%q) = %v, want ErrInvalidReference", in, err)
		}
	}
}

func TestParseOCIDir(t *testing.T) {
	r, err := ParseReference("ocidir://./layout/app:v1")
	if err != nil || r.Path != "./layout/app" || r.Tag != "v1" || !r.IsOCIDir() {
		t.Fatalf("got %+v, %v", r, err)
	}
	if r.String() != "ocidir://./layout/app:v1" {
		t.Errorf("String = %q", r.String())
	}
}

func TestLooksLikeHost(t *testing.T) {
	for in, want := range map[string]bool{
		"localhost": true, "localhost:5000": true, "127.0.0.1:5000": true, "registry.example.com": true,
		"docker.io": true, "myhost/": true, "[::1]:5000": true,
		"alpine": false, "alpine:3": false, "ubuntu:22.04": false, "library/alpine": false, "a.b/c": false,
	} {
		if got := LooksLikeHost(in); got != want {
			t.Errorf("LooksLikeHost(%q) = %v, want %v", in, got, want)
		}
	}
}
