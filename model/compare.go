package model

import (
	"fmt"
	"slices"
	"strings"
)

// PlatformDiff pairs the entries two indexes hold for one platform.
type PlatformDiff struct {
	Platform string
	A        *string
	B        *string
	// Status is same, changed, added (only in B) or removed (only in A).
	Status string
}

// Statuses of a PlatformDiff.
const (
	DiffSame    = "same"
	DiffChanged = "changed"
	DiffAdded   = "added"
	DiffRemoved = "removed"
)

// ComparePlatforms pairs the runnable entries of two indexes by their
// normalized platform, A's order first; attestations are left out, and
// only the first entry of a platform counts (the one docker pull takes).
func ComparePlatforms(a, b *Manifest) []PlatformDiff {
	key := func(e Entry) (string, bool) {
		if e.Kind == KindAttestation || e.Platform == nil {
			return "", false
		}
		return Normalize(*e.Platform).Display(), true
	}
	out := []PlatformDiff{}
	index := map[string]int{}
	for _, e := range a.Entries {
		if k, ok := key(e); ok {
			if _, dup := index[k]; dup {
				continue
			}
			d := e.Digest
			index[k] = len(out)
			out = append(out, PlatformDiff{Platform: k, A: &d, Status: DiffRemoved})
		}
	}
	for _, e := range b.Entries {
		k, ok := key(e)
		if !ok {
			continue
		}
		d := e.Digest
		i, had := index[k]
		switch {
		case !had:
			index[k] = len(out)
			out = append(out, PlatformDiff{Platform: k, B: &d, Status: DiffAdded})
		case out[i].B != nil:
			continue
		default:
			out[i].B = &d
			out[i].Status = DiffChanged
			if *out[i].A == d {
				out[i].Status = DiffSame
			}
		}
	}
	return out
}

// ConfigDiff is one config field that differs between two images.
type ConfigDiff struct {
	Field string
	A     string
	B     string
}

// CompareConfigs lists the config fields of two images that differ: the
// platform, entrypoint, cmd, working dir, user, ports, volumes, then each
// environment variable and label. Without both configs, only their
// digests are compared.
func CompareConfigs(ma *Manifest, ca *Config, mb *Manifest, cb *Config) []ConfigDiff {
	out := []ConfigDiff{}
	field := func(name, x, y string) {
		if x != y {
			out = append(out, ConfigDiff{Field: name, A: x, B: y})
		}
	}
	if ca == nil || cb == nil {
		field("config", configDigest(ma), configDigest(mb))
		return out
	}
	pa, pb := ca.Platform, cb.Platform
	field("os", pa.OS, pb.OS)
	field("architecture", pa.Architecture, pb.Architecture)
	field("variant", pa.Variant, pb.Variant)
	field("os.version", pa.OSVersion, pb.OSVersion)
	field("entrypoint", quoteList(ca.Entrypoint), quoteList(cb.Entrypoint))
	field("cmd", quoteList(ca.Cmd), quoteList(cb.Cmd))
	field("workingDir", ca.WorkingDir, cb.WorkingDir)
	field("user", ca.User, cb.User)
	field("exposedPorts", strings.Join(ca.ExposedPorts, " "), strings.Join(cb.ExposedPorts, " "))
	field("volumes", strings.Join(ca.Volumes, " "), strings.Join(cb.Volumes, " "))
	envA, envB := envMap(ca.Env), envMap(cb.Env)
	for _, k := range unionKeys(envA, envB) {
		field("env."+k, envA[k], envB[k])
	}
	for _, k := range unionKeys(ca.Labels, cb.Labels) {
		field("labels."+k, ca.Labels[k], cb.Labels[k])
	}
	return out
}

func configDigest(m *Manifest) string {
	if m == nil || m.Config == nil {
		return ""
	}
	return m.Config.Digest
}

func quoteList(s []string) string {
	if len(s) == 0 {
		return ""
	}
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = fmt.Sprintf("%q", v)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func envMap(env []string) map[string]string {
	m := map[string]string{}
	for _, e := range env {
		k, v, _ := strings.Cut(e, "=")
		m[k] = v
	}
	return m
}

func unionKeys(a, b map[string]string) []string {
	keys := make([]string, 0, len(a)+len(b))
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// LayersDiff sorts the layers of two images: those both have (in A's
// order), and those only one has.
type LayersDiff struct {
	Shared []string
	OnlyA  []string
	OnlyB  []string
}

// CompareLayers compares two images' layers by digest.
func CompareLayers(a, b *Manifest) LayersDiff {
	in := func(m *Manifest) map[string]bool {
		s := map[string]bool{}
		for _, l := range m.Layers {
			s[l.Digest] = true
		}
		return s
	}
	sa, sb := in(a), in(b)
	d := LayersDiff{Shared: []string{}, OnlyA: []string{}, OnlyB: []string{}}
	for _, l := range a.Layers {
		if sb[l.Digest] {
			d.Shared = append(d.Shared, l.Digest)
		} else {
			d.OnlyA = append(d.OnlyA, l.Digest)
		}
	}
	for _, l := range b.Layers {
		if !sa[l.Digest] {
			d.OnlyB = append(d.OnlyB, l.Digest)
		}
	}
	return d
}
