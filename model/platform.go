package model

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// ErrInvalidPlatform is returned for a platform string that cannot be parsed.
var ErrInvalidPlatform = errors.New("invalid platform")

// Platform is where an image runs, as an index entry or an image config
// declares it. Fields hold what the registry sent (sanitised), not a
// normalised form; Normalize gives the form Docker compares.
type Platform struct {
	OS           string   `json:"os"`
	Architecture string   `json:"architecture"`
	Variant      string   `json:"variant,omitempty"`
	OSVersion    string   `json:"os.version,omitempty"`
	OSFeatures   []string `json:"os.features,omitempty"`
}

// ParsePlatform parses Docker's `--platform` syntax, "os/arch[/variant]",
// and containerd's "os(version)/arch[/variant]" which carries an os.version:
// "windows(10.0.14393)/amd64". An architecture alone ("arm64") means linux.
func ParsePlatform(s string) (Platform, error) {
	var p Platform
	if s == "" || len(s) > 256 {
		return p, fmt.Errorf("%w %q: empty or too long", ErrInvalidPlatform, s)
	}
	head, tail, slash := strings.Cut(s, "/")
	if slash && tail == "" {
		return p, fmt.Errorf("%w %q: expected os/arch[/variant]", ErrInvalidPlatform, s)
	}
	if open := strings.IndexByte(head, '('); open >= 0 {
		if !strings.HasSuffix(head, ")") {
			return p, fmt.Errorf("%w %q: unclosed os.version", ErrInvalidPlatform, s)
		}
		opt := head[open+1 : len(head)-1]
		head = head[:open]
		ver, feats, _ := strings.Cut(opt, "+")
		v, err := url.PathUnescape(ver)
		if err != nil {
			return p, fmt.Errorf("%w %q: %s", ErrInvalidPlatform, s, err.Error())
		}
		p.OSVersion = v
		if feats != "" {
			for f := range strings.SplitSeq(feats, "+") {
				if f != "" {
					p.OSFeatures = append(p.OSFeatures, f)
				}
			}
		}
	}
	parts := []string{head}
	if tail != "" {
		parts = append(parts, strings.Split(tail, "/")...)
	}
	for _, part := range parts {
		if part == "" || !isPlatformWord(part) {
			return Platform{}, fmt.Errorf("%w %q: expected os/arch[/variant]", ErrInvalidPlatform, s)
		}
	}
	switch len(parts) {
	case 1:
		if p.OSVersion != "" {
			return Platform{}, fmt.Errorf("%w %q: an os.version needs an architecture", ErrInvalidPlatform, s)
		}
		if knownOS(parts[0]) {
			p.OS = strings.ToLower(parts[0])
		} else {
			p.OS, p.Architecture = "linux", strings.ToLower(parts[0])
		}
	case 2, 3:
		p.OS, p.Architecture = strings.ToLower(parts[0]), strings.ToLower(parts[1])
		if len(parts) == 3 {
			p.Variant = strings.ToLower(parts[2])
		}
	default:
		return Platform{}, fmt.Errorf("%w %q: too many parts", ErrInvalidPlatform, s)
	}
	return p, nil
}

func isPlatformWord(s string) bool {
	for _, c := range s {
		ok := c == '_' || c == '-' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		if !ok {
			return false
		}
	}
	return true
}

func knownOS(s string) bool {
	switch strings.ToLower(s) {
	case "linux", "windows", "darwin", "macos", "freebsd", "netbsd", "openbsd", "solaris",
		"illumos", "aix", "android", "ios", "js", "wasip1", "dragonfly", "plan9", "zos":
		return true
	}
	return false
}

// IsZero tells whether no field is set.
func (p Platform) IsZero() bool {
	return p.OS == "" && p.Architecture == "" && p.Variant == "" && p.OSVersion == "" && len(p.OSFeatures) == 0
}

// IsUnknown tells whether the platform is the "unknown/unknown" buildx puts
// on attestation manifests.
func (p Platform) IsUnknown() bool {
	return p.OS == "unknown" && p.Architecture == "unknown"
}

// String returns "os/arch[/variant]", the form `--platform` takes.
func (p Platform) String() string {
	if p.IsZero() {
		return ""
	}
	s := p.OS + "/" + p.Architecture
	if p.Variant != "" {
		s += "/" + p.Variant
	}
	return s
}

// Display returns String followed by the os.version when there is one:
// "windows/amd64 10.0.14393.2068".
func (p Platform) Display() string {
	s := p.String()
	if p.OSVersion != "" {
		s += " " + p.OSVersion
	}
	return s
}

// Equal compares every field; features compare as sets.
func (p Platform) Equal(o Platform) bool {
	if p.OS != o.OS || p.Architecture != o.Architecture || p.Variant != o.Variant || p.OSVersion != o.OSVersion {
		return false
	}
	a, b := slices.Clone(p.OSFeatures), slices.Clone(o.OSFeatures)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}

// ParsePlatformLine reads a platform as a person types one: Docker's
// "os/arch[/variant]" or containerd's "os(version)/arch", optionally
// followed by a space and the os.version ("windows/amd64 10.0.17763") or by
// a colon and the os.version as crane and oras write it
// ("windows/amd64:10.0.17763"). The fields stay as typed (arm64/v8 keeps
// its v8); FlagTarget normalises.
func ParsePlatformLine(s string) (Platform, error) {
	plat, osv, _ := strings.Cut(strings.TrimSpace(s), " ")
	if head, suffix, ok := strings.Cut(plat, ":"); ok {
		if suffix == "" || strings.ContainsAny(suffix, ":/") || strings.TrimSpace(osv) != "" {
			return Platform{}, fmt.Errorf("%w %q: expected os/arch[/variant]:os.version with one os.version", ErrInvalidPlatform, s)
		}
		plat, osv = head, suffix
	}
	p, err := ParsePlatform(plat)
	if err != nil {
		return p, err
	}
	if p.OSVersion != "" && strings.TrimSpace(osv) != "" {
		return Platform{}, fmt.Errorf("%w %q: two os.versions", ErrInvalidPlatform, s)
	}
	if osv = strings.TrimSpace(osv); osv != "" {
		if strings.ContainsAny(osv, " \t") || len(osv) > 64 {
			return Platform{}, fmt.Errorf("%w %q: expected one os.version after the platform", ErrInvalidPlatform, s)
		}
		p.OSVersion = osv
	}
	return p, nil
}
