package model

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Attestation is what one in-toto statement of an attestation manifest
// says, summarised the way `docker buildx imagetools inspect --format`
// shows it: for provenance, who built what from which source; for an
// SBOM, its packages.
type Attestation struct {
	PredicateType string
	// Fields are the provenance's facts (builder, build type, source,
	// revision, materials…), in a fixed order.
	Fields [][2]string
	// Packages are an SBOM's packages, sorted by name.
	Packages []Package
}

// Package is one package an SBOM lists.
type Package struct {
	Name, Version, Type string
}

// Predicate types platypus knows by name.
var predicateNames = map[string]string{
	"https://slsa.dev/provenance/v0.2":                "SLSA provenance v0.2",
	"https://slsa.dev/provenance/v1":                  "SLSA provenance v1",
	"https://spdx.dev/Document":                       "SPDX SBOM",
	"https://cyclonedx.org/bom":                       "CycloneDX SBOM",
	"https://cyclonedx.org/bom/v1.4":                  "CycloneDX SBOM v1.4",
	"https://in-toto.io/attestation/vulns/v0.1":       "vulnerability scan",
	"https://in-toto.io/attestation/test-result/v0.1": "test results",
}

// PredicateName is a predicate type's common name, or the type itself.
func PredicateName(t string) string {
	if n, ok := predicateNames[t]; ok {
		return n
	}
	return t
}

// Predicates are the predicate types an attestation manifest's layers
// declare (in-toto.io/predicate-type), by their common names.
func (m *Manifest) Predicates() []string {
	var out []string
	for _, l := range m.Layers {
		if t := l.Annotations["in-toto.io/predicate-type"]; t != "" {
			out = append(out, PredicateName(t))
		}
	}
	return out
}

// ParseAttestation reads an in-toto statement.
func ParseAttestation(raw []byte) (Attestation, error) {
	var st struct {
		PredicateType string          `json:"predicateType"`
		Predicate     json.RawMessage `json:"predicate"`
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		return Attestation{}, fmt.Errorf("not an in-toto statement: %w", err)
	}
	a := Attestation{PredicateType: st.PredicateType}
	var err error
	switch {
	case strings.HasPrefix(st.PredicateType, "https://slsa.dev/provenance/v0"):
		a.Fields, err = provenanceV02(st.Predicate)
	case strings.HasPrefix(st.PredicateType, "https://slsa.dev/provenance/v1"):
		a.Fields, err = provenanceV1(st.Predicate)
	case st.PredicateType == "https://spdx.dev/Document":
		a.Packages, err = spdxPackages(st.Predicate)
	case strings.HasPrefix(st.PredicateType, "https://cyclonedx.org/bom"):
		a.Packages, err = cycloneDXComponents(st.Predicate)
	}
	if err != nil {
		return a, fmt.Errorf("%s: %w", PredicateName(st.PredicateType), err)
	}
	slices.SortFunc(a.Packages, func(x, y Package) int {
		if c := strings.Compare(x.Name, y.Name); c != 0 {
			return c
		}
		return strings.Compare(x.Version, y.Version)
	})
	return a, nil
}

// buildkitVCS is where BuildKit writes the source repository and commit.
type buildkitMetadata struct {
	VCS struct {
		Source   string `json:"source"`
		Revision string `json:"revision"`
	} `json:"vcs"`
}

func provenanceV02(raw json.RawMessage) ([][2]string, error) {
	var p struct {
		Builder    struct{ ID string } `json:"builder"`
		BuildType  string              `json:"buildType"`
		Invocation struct {
			ConfigSource struct {
				URI        string            `json:"uri"`
				Digest     map[string]string `json:"digest"`
				EntryPoint string            `json:"entryPoint"`
			} `json:"configSource"`
		} `json:"invocation"`
		Metadata  map[string]json.RawMessage `json:"metadata"`
		Materials []struct {
			URI string `json:"uri"`
		} `json:"materials"`
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, fmt.Errorf("not the expected shape: %w", err)
	}
	var f fields
	f.add("builder", p.Builder.ID)
	f.add("build type", p.BuildType)
	f.add("config source", p.Invocation.ConfigSource.URI)
	f.add("config commit", firstDigest(p.Invocation.ConfigSource.Digest))
	f.add("entry point", p.Invocation.ConfigSource.EntryPoint)
	f.addBuildkit(p.Metadata["https://mobyproject.org/buildkit@v1#metadata"])
	for _, key := range []string{"buildStartedOn", "buildFinishedOn"} {
		var s string
		if json.Unmarshal(p.Metadata[key], &s) == nil {
			f.add(map[string]string{"buildStartedOn": "started", "buildFinishedOn": "finished"}[key], s)
		}
	}
	for _, m := range p.Materials {
		f.add("material", m.URI)
	}
	return f, nil
}

func provenanceV1(raw json.RawMessage) ([][2]string, error) {
	var p struct {
		BuildDefinition struct {
			BuildType            string                     `json:"buildType"`
			ExternalParameters   map[string]json.RawMessage `json:"externalParameters"`
			ResolvedDependencies []struct {
				URI string `json:"uri"`
			} `json:"resolvedDependencies"`
		} `json:"buildDefinition"`
		RunDetails struct {
			Builder  struct{ ID string } `json:"builder"`
			Metadata struct {
				StartedOn  string `json:"startedOn"`
				FinishedOn string `json:"finishedOn"`
			} `json:"metadata"`
		} `json:"runDetails"`
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, fmt.Errorf("not the expected shape: %w", err)
	}
	var f fields
	f.add("builder", p.RunDetails.Builder.ID)
	f.add("build type", p.BuildDefinition.BuildType)
	var cfg struct {
		URI    string            `json:"uri"`
		Digest map[string]string `json:"digest"`
	}
	if json.Unmarshal(p.BuildDefinition.ExternalParameters["configSource"], &cfg) == nil {
		f.add("config source", cfg.URI)
		f.add("config commit", firstDigest(cfg.Digest))
	}
	f.add("started", p.RunDetails.Metadata.StartedOn)
	f.add("finished", p.RunDetails.Metadata.FinishedOn)
	for _, d := range p.BuildDefinition.ResolvedDependencies {
		f.add("material", d.URI)
	}
	return f, nil
}

type fields [][2]string

func (f *fields) add(k, v string) {
	if v != "" {
		*f = append(*f, [2]string{k, v})
	}
}

func (f *fields) addBuildkit(raw json.RawMessage) {
	var m buildkitMetadata
	if raw != nil && json.Unmarshal(raw, &m) == nil {
		f.add("source", m.VCS.Source)
		f.add("revision", m.VCS.Revision)
	}
}

func firstDigest(d map[string]string) string {
	for _, k := range []string{"sha1", "sha256", "gitCommit"} {
		if v := d[k]; v != "" {
			return v
		}
	}
	return ""
}

func spdxPackages(raw json.RawMessage) ([]Package, error) {
	var doc struct {
		Packages []struct {
			Name        string `json:"name"`
			VersionInfo string `json:"versionInfo"`
			Purpose     string `json:"primaryPackagePurpose"`
		} `json:"packages"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("not the expected shape: %w", err)
	}
	out := make([]Package, 0, len(doc.Packages))
	for _, p := range doc.Packages {
		out = append(out, Package{Name: p.Name, Version: p.VersionInfo, Type: strings.ToLower(p.Purpose)})
	}
	return out, nil
}

func cycloneDXComponents(raw json.RawMessage) ([]Package, error) {
	var doc struct {
		Components []struct {
			Name    string `json:"name"`
			Version string `json:"version"`
			Type    string `json:"type"`
		} `json:"components"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("not the expected shape: %w", err)
	}
	out := make([]Package, 0, len(doc.Components))
	for _, c := range doc.Components {
		out = append(out, Package(c))
	}
	return out, nil
}
