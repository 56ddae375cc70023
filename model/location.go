package model

import "strings"

// LocationKind says what a user-typed location names.
type LocationKind int

// What a location can name.
const (
	LocHost     LocationKind = iota // a registry: list repositories
	LocRepo                         // a repository: list tags
	LocManifest                     // a tag or digest: show it
)

// Location is where the explorer should open.
type Location struct {
	Kind LocationKind
	Host string    // for LocHost
	Ref  Reference // for LocRepo and LocManifest
}

// ParseLocation reads what a user typed: a registry host, a repository, a
// tag or digest, or ocidir://PATH. With demoHost set, names without an
// explicit registry point into the demo registry ("centos:7",
// "library/centos"), as `--demo` promises.
func ParseLocation(s, demoHost string) (Location, error) {
	s = strings.TrimSpace(s)
	if LooksLikeHost(s) {
		h, err := ParseHost(s)
		if err != nil {
			return Location{}, err
		}
		return Location{Kind: LocHost, Host: h}, nil
	}
	r, err := ParseReference(s)
	if err != nil {
		return Location{}, err
	}
	if demoHost != "" && !r.IsOCIDir() && r.Registry == DockerHub && !strings.HasPrefix(s, "docker.io/") && !strings.HasPrefix(s, "index.docker.io/") {
		r.Registry = demoHost
	}
	if r.IsOCIDir() && !r.HasTagOrDigest() {
		return Location{Kind: LocRepo, Ref: r}, nil
	}
	if !r.HasTagOrDigest() {
		return Location{Kind: LocRepo, Ref: r}, nil
	}
	return Location{Kind: LocManifest, Ref: r}, nil
}
