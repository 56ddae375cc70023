package model

import (
	"strings"
	"testing"
)

const provenanceV02Fixture = `{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://slsa.dev/provenance/v0.2",
"subject":[{"name":"pkg:docker/app@1","digest":{"sha256":"aa"}}],
"predicate":{"builder":{"id":"https://github.com/actions/runner"},"buildType":"https://mobyproject.org/buildkit@v1",
"invocation":{"configSource":{"uri":"https://github.com/example/app.git#refs/heads/main","digest":{"sha1":"0123abc"},"entryPoint":"Dockerfile"}},
"metadata":{"buildStartedOn":"2024-06-11T09:14:00Z","https://mobyproject.org/buildkit@v1#metadata":{"vcs":{"source":"https://github.com/example/app","revision":"0123abc"}}},
"materials":[{"uri":"pkg:docker/alpine@3.20"}]}}`

// Provenance gives who built what from which source; SBOMs their
// packages, SPDX and CycloneDX alike, sorted.
func TestParseAttestation(t *testing.T) {
	a, err := ParseAttestation([]byte(provenanceV02Fixture))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range a.Fields {
		got[f[0]] = f[1]
	}
	for k, v := range map[string]string{"builder": "https://github.com/actions/runner", "config source": "https://github.com/example/app.git#refs/heads/main",
		"config commit": "0123abc", "source": "https://github.com/example/app", "revision": "0123abc", "material": "pkg:docker/alpine@3.20", "started": "2024-06-11T09:14:00Z"} {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	spdx := `{"predicateType":"https://spdx.dev/Document","predicate":{"spdxVersion":"SPDX-2.3","packages":[{"name":"musl","versionInfo":"1.2.5"},{"name":"busybox","versionInfo":"1.36.1","primaryPackagePurpose":"APPLICATION"}]}}`
	if a, err = ParseAttestation([]byte(spdx)); err != nil || len(a.Packages) != 2 || a.Packages[0] != (Package{"busybox", "1.36.1", "application"}) {
		t.Errorf("spdx: %+v %v", a.Packages, err)
	}
	cdx := `{"predicateType":"https://cyclonedx.org/bom","predicate":{"components":[{"name":"openssl","version":"3.3.1","type":"library"}]}}`
	if a, err = ParseAttestation([]byte(cdx)); err != nil || len(a.Packages) != 1 || a.Packages[0].Name != "openssl" {
		t.Errorf("cyclonedx: %+v %v", a.Packages, err)
	}
	v1 := `{"predicateType":"https://slsa.dev/provenance/v1","predicate":{"buildDefinition":{"buildType":"bt","externalParameters":{"configSource":{"uri":"git+https://x","digest":{"sha1":"beef"}}}},"runDetails":{"builder":{"id":"b"}}}}`
	if a, err = ParseAttestation([]byte(v1)); err != nil || len(a.Fields) < 3 || a.Fields[0] != [2]string{"builder", "b"} {
		t.Errorf("v1: %+v %v", a.Fields, err)
	}
	if _, err = ParseAttestation([]byte(`{"predicateType":"https://spdx.dev/Document","predicate":{"packages":"no"}}`)); err == nil || !strings.Contains(err.Error(), "SPDX SBOM") {
		t.Errorf("a broken SBOM: %v", err)
	}
	if PredicateName("https://example/x") != "https://example/x" {
		t.Error("an unknown predicate type should stay as it is")
	}
}

func FuzzParseAttestation(f *testing.F) {
	f.Add([]byte(provenanceV02Fixture))
	f.Add([]byte(`{"predicateType":"https://spdx.dev/Document","predicate":{"packages":[{"name":"a"}]}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = ParseAttestation(b)
	})
}
