// Package model holds platypus's domain: references, platforms, indexes,
// images and the analyses run on them. It has no UI or network imports, so
// the CLI and the TUI share every rule and most tests live here.
package model

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Docker Hub names, as `docker pull` normalises them.
const (
	DockerHub        = "docker.io"
	dockerHubLegacy  = "index.docker.io"
	dockerHubLibrary = "library"
	DefaultTag       = "latest"
	// SchemeOCIDir marks a reference to an OCI layout directory.
	SchemeOCIDir = "ocidir"
)

// ErrInvalidReference is returned for a string that is not a valid reference.
var ErrInvalidReference = errors.New("invalid reference")

var (
	tagRE    = regexp.MustCompile(`^[\w][\w.-]{0,127}$`)
	digestRE = regexp.MustCompile(`^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$`)
	hostRE   = regexp.MustCompile(`^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[a-fA-F0-9:]+\])(?::[0-9]{1,5})?$`)
)

// Reference names a registry, a repository, a tag or a digest, or the same
// inside an OCI layout directory (Scheme "ocidir", Path set, Registry empty).
// Tag and Digest stay empty when the user did not give them, so a repository
// can be told apart from "repository:latest".
type Reference struct {
	Scheme     string // "" for a registry, "ocidir" for an OCI layout
	Registry   string // host[:port], e.g. "docker.io"
	Path       string // directory of an OCI layout
	Repository string // e.g. "library/alpine"
	Tag        string
	Digest     string
}

// ParseReference parses a reference the way `docker pull` does: "alpine" is
// docker.io/library/alpine, "index.docker.io" is "docker.io", and a first
// path component is a host only when it has a dot, a port or is localhost.
// "ocidir://PATH[:TAG|@DIGEST]" names an OCI layout directory.
func ParseReference(s string) (Reference, error) {
	if s != strings.TrimSpace(s) || s == "" {
		return Reference{}, fmt.Errorf("%w %q: empty or surrounded by spaces", ErrInvalidReference, s)
	}
	if rest, ok := strings.CutPrefix(s, SchemeOCIDir+"://"); ok {
		return parseOCIDir(rest)
	}
	if strings.Contains(s, "://") {
		return Reference{}, fmt.Errorf("%w %q: only ocidir:// is a supported scheme", ErrInvalidReference, s)
	}
	r := Reference{}
	name, dig, hasDigest := strings.Cut(s, "@")
	if hasDigest {
		if !digestRE.MatchString(dig) {
			return Reference{}, fmt.Errorf("%w %q: malformed digest", ErrInvalidReference, s)
		}
		r.Digest = dig
	}
	// A tag follows the last colon that comes after the last slash.
	if i := strings.LastIndex(name, ":"); i > strings.LastIndex(name, "/") {
		r.Tag = name[i+1:]
		name = name[:i]
		if !tagRE.MatchString(r.Tag) {
			return Reference{}, fmt.Errorf("%w %q: malformed tag", ErrInvalidReference, s)
		}
	}
	host, repo := splitHost(name)
	if !hostRE.MatchString(host) {
		return Reference{}, fmt.Errorf("%w %q: malformed registry host", ErrInvalidReference, s)
	}
	if err := checkRepository(repo); err != nil {
		return Reference{}, fmt.Errorf("%w %q: %s", ErrInvalidReference, s, err.Error())
	}
	if host == DockerHub && !strings.Contains(repo, "/") {
		repo = dockerHubLibrary + "/" + repo
		if len(repo) > 255 { // counted as Docker counts it: normalised
			return Reference{}, fmt.Errorf("%w %q: repository name longer than 255 characters", ErrInvalidReference, s)
		}
	}
	r.Registry, r.Repository = host, repo
	return r, nil
}

func parseOCIDir(rest string) (Reference, error) {
	r := Reference{Scheme: SchemeOCIDir}
	if p, dig, ok := strings.Cut(rest, "@"); ok {
		if !digestRE.MatchString(dig) {
			return Reference{}, fmt.Errorf("%w %q: malformed digest", ErrInvalidReference, rest)
		}
		rest, r.Digest = p, dig
	}
	if i := strings.LastIndex(rest, ":"); i > strings.LastIndex(rest, "/") {
		r.Tag = rest[i+1:]
		rest = rest[:i]
		if !tagRE.MatchString(r.Tag) {
			return Reference{}, fmt.Errorf("%w %q: malformed tag", ErrInvalidReference, rest)
		}
	}
	if rest == "" {
		return Reference{}, fmt.Errorf("%w: ocidir:// needs a directory", ErrInvalidReference)
	}
	r.Path = rest
	return r, nil
}

// splitHost separates a registry host from a repository path using Docker's
// rule, lower-casing nothing: "Foo/bar" is a host only if it looks like one.
func splitHost(name string) (string, string) {
	first, rest, ok := strings.Cut(name, "/")
	if !ok {
		return DockerHub, name
	}
	if first == "localhost" || strings.ContainsAny(first, ".:") || strings.ToLower(first) != first {
		if first == dockerHubLegacy {
			first = DockerHub
		}
		return first, rest
	}
	return DockerHub, name
}

func checkRepository(repo string) error {
	if repo == "" {
		return errors.New("missing repository name")
	}
	if len(repo) > 255 {
		return errors.New("repository name longer than 255 characters")
	}
	if strings.ToLower(repo) != repo {
		return errors.New("repository name must be lowercase")
	}
	for c := range strings.SplitSeq(repo, "/") {
		if !validComponent(c) {
			return fmt.Errorf("malformed repository component %q", c)
		}
	}
	return nil
}

// validComponent tells whether c is one component of a repository path:
// [a-z0-9]+ runs joined by ".", "_", "__" or dashes. A loop, not a
// regular expression: a catalog can hold a million names.
func validComponent(c string) bool {
	i, n := 0, len(c)
	for {
		start := i
		for i < n && (c[i] >= 'a' && c[i] <= 'z' || c[i] >= '0' && c[i] <= '9') {
			i++
		}
		if i == start {
			return false
		}
		if i == n {
			return true
		}
		switch c[i] {
		case '.':
			i++
		case '_':
			i++
			if i < n && c[i] == '_' {
				i++
			}
		case '-':
			for i < n && c[i] == '-' {
				i++
			}
		default:
			return false
		}
	}
}

// ParseHost checks a bare registry host such as "127.0.0.1:5000" or
// "registry.example.com". "index.docker.io" becomes "docker.io".
func ParseHost(s string) (string, error) {
	s = strings.TrimSuffix(s, "/")
	if !hostRE.MatchString(s) {
		return "", fmt.Errorf("%w %q: not a registry host", ErrInvalidReference, s)
	}
	if s == dockerHubLegacy || s == "registry-1.docker.io" {
		return DockerHub, nil
	}
	return s, nil
}

// LooksLikeHost tells whether a string the user typed names a registry rather
// than a repository: "localhost", "host.name", "10.0.0.1:5000", or anything
// ending in "/". "alpine:3" and "ubuntu" are repositories.
func LooksLikeHost(s string) bool {
	if strings.HasSuffix(s, "/") {
		s = strings.TrimSuffix(s, "/")
		return hostRE.MatchString(s)
	}
	if strings.Contains(s, "/") || strings.Contains(s, "@") || !hostRE.MatchString(s) {
		return false
	}
	h := s
	if strings.HasPrefix(h, "[") {
		return true
	}
	if i := strings.LastIndex(h, ":"); i >= 0 {
		h = h[:i]
	}
	return h == "localhost" || strings.Contains(h, ".")
}

// IsOCIDir tells whether the reference points into an OCI layout directory.
func (r Reference) IsOCIDir() bool { return r.Scheme == SchemeOCIDir }

// Host returns the registry host, or "ocidir://PATH" for a layout.
func (r Reference) Host() string {
	if r.IsOCIDir() {
		return SchemeOCIDir + "://" + r.Path
	}
	return r.Registry
}

// Repo returns the repository part with its host: "docker.io/library/alpine".
func (r Reference) Repo() string {
	if r.IsOCIDir() {
		return SchemeOCIDir + "://" + r.Path
	}
	return r.Registry + "/" + r.Repository
}

// String returns the full reference: host, repository, then tag and digest
// when they are set.
func (r Reference) String() string {
	s := r.Repo()
	if r.Tag != "" {
		s += ":" + r.Tag
	}
	if r.Digest != "" {
		s += "@" + r.Digest
	}
	return s
}

// Familiar returns the short form Docker prints: "alpine:latest" for
// docker.io/library/alpine:latest, the full form elsewhere.
func (r Reference) Familiar() string {
	if r.IsOCIDir() || r.Registry != DockerHub {
		return r.String()
	}
	s := strings.TrimPrefix(r.Repository, dockerHubLibrary+"/")
	if r.Tag != "" {
		s += ":" + r.Tag
	}
	if r.Digest != "" {
		s += "@" + r.Digest
	}
	return s
}

// HasTagOrDigest tells whether the reference names one manifest.
func (r Reference) HasTagOrDigest() bool { return r.Tag != "" || r.Digest != "" }

// WithTag returns the reference with tag t and no digest.
func (r Reference) WithTag(t string) Reference {
	r.Tag, r.Digest = t, ""
	return r
}

// WithDigest returns the reference with digest d, keeping the tag for display.
func (r Reference) WithDigest(d string) Reference {
	r.Digest = d
	return r
}

// RepoOnly returns the repository without tag or digest.
func (r Reference) RepoOnly() Reference {
	r.Tag, r.Digest = "", ""
	return r
}

// Pullable returns the reference `docker pull` would fetch: ":latest" when
// neither a tag nor a digest was given.
func (r Reference) Pullable() Reference {
	if !r.HasTagOrDigest() {
		r.Tag = DefaultTag
	}
	return r
}

// SameRepository tells whether two references live in the same repository.
func (r Reference) SameRepository(o Reference) bool {
	return r.Scheme == o.Scheme && r.Registry == o.Registry && r.Path == o.Path && r.Repository == o.Repository
}

// ValidTag tells whether s is a well-formed tag: [A-Za-z0-9_][A-Za-z0-9_.-]
// up to 128 characters (tagRE, without a regexp: lists of a million tags
// are checked one by one).
func ValidTag(s string) bool {
	if len(s) == 0 || len(s) > 128 || s[0] == '.' || s[0] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-'
		if !ok {
			return false
		}
	}
	return true
}

// ValidRepository tells whether s is a well-formed repository path.
func ValidRepository(s string) bool {
	if s == "" || len(s) > 255 {
		return false
	}
	for c := range strings.SplitSeq(s, "/") {
		if !validComponent(c) {
			return false
		}
	}
	return true
}

// ReferrersTagSubject reads a tag of the OCI referrers tag schema,
// "sha256-" and 64 hex digits, which registries without the referrers
// API use to list what refers to a manifest: it returns that manifest's
// digest.
func ReferrersTagSubject(tag string) (string, bool) {
	hexPart, ok := strings.CutPrefix(tag, "sha256-")
	if !ok || len(hexPart) != 64 {
		return "", false
	}
	for i := 0; i < len(hexPart); i++ {
		c := hexPart[i]
		if hex := c >= '0' && c <= '9' || c >= 'a' && c <= 'f'; !hex {
			return "", false
		}
	}
	return "sha256:" + hexPart, true
}
