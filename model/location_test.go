package model

import "testing"

func TestParseLocation(t *testing.T) {
	const demo = "127.0.0.1:9999"
	for _, c := range []struct {
		in, demo string
		kind     LocationKind
		want     string // the host for LocHost, else the reference
	}{
		{"registry.example.com", "", LocHost, "registry.example.com"},
		{" localhost:5000 ", "", LocHost, "localhost:5000"},
		{"127.0.0.1:5000", demo, LocHost, "127.0.0.1:5000"}, // a host is never the demo's
		{"registry-1.docker.io/", "", LocHost, "docker.io"}, // Docker Hub by its API name
		{"ghcr.io/o/r", "", LocRepo, "ghcr.io/o/r"},
		{"centos", "", LocRepo, "docker.io/library/centos"},
		{"centos:7", "", LocManifest, "docker.io/library/centos:7"},
		{"ghcr.io/o/r@" + dig(1), "", LocManifest, "ghcr.io/o/r@" + dig(1)},
		// --demo: short names point into the demo registry...
		{"library/centos", demo, LocRepo, demo + "/library/centos"},
		{"centos:7", demo, LocManifest, demo + "/library/centos:7"},
		// ...but not names that say Docker Hub or another registry.
		{"docker.io/library/centos:7", demo, LocManifest, "docker.io/library/centos:7"},
		{"index.docker.io/library/centos", demo, LocRepo, "docker.io/library/centos"},
		{"ghcr.io/o/r", demo, LocRepo, "ghcr.io/o/r"},
		// An OCI layout is a repository, or with a tag a manifest; never the demo's.
		{"ocidir:///tmp/layout", demo, LocRepo, "ocidir:///tmp/layout"},
		{"ocidir:///tmp/layout:v1", "", LocManifest, "ocidir:///tmp/layout:v1"},
	} {
		l, err := ParseLocation(c.in, c.demo)
		if err != nil {
			t.Errorf("ParseLocation(%q, %q): %v", c.in, c.demo, err)
			continue
		}
		got := l.Ref.String()
		if l.Kind == LocHost {
			got = l.Host
		}
		if l.Kind != c.kind || got != c.want {
			t.Errorf("ParseLocation(%q, %q) = kind %d %q, want kind %d %q", c.in, c.demo, l.Kind, got, c.kind, c.want)
		}
	}
	for _, in := range []string{"", "   ", "https://ghcr.io", "r.example/app:bad tag", "r.example/app@sha256:short"} {
		if l, err := ParseLocation(in, demo); err == nil {
			t.Errorf("ParseLocation(%q) = %+v, want an error", in, l)
		}
	}
}
