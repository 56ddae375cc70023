package demo

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/platypus-tui/platypus/model"
)

// ReleaseCandidate is the tag of the demo's web app that `platypus check`
// fails: the README walks through fixing it in the composer.
const ReleaseCandidate = "platypus/webapp:1.1-rc1"

// CheckRepository and CheckBaseRepository are where SeedCheck puts one
// fixture per rule of `platypus check`, and the base images they name.
const (
	CheckRepository     = "check/rules"
	CheckBaseRepository = "check/base"
)

const (
	releaseSource = "https://github.com/example/app"
	revisionA     = "9c1e4b7a2f6d8e0c3b5a7f9d1e2c4b6a8f0d2e4c"
	revisionB     = "5d7f9b1c3e5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e"
	mediaCosign   = "application/vnd.dev.cosign.simplesigning.v1+json"
)

// releaseImage is a build of the web app's next version: 1.0's layers
// (they did not change), a new version label and the CI build number.
func releaseImage(p model.Platform, build string) imageSpec {
	s := webappImage(p)
	s.config.Labels = map[string]string{"org.opencontainers.image.source": "https://github.com/example/webapp", "org.opencontainers.image.version": "1.1-rc1"}
	s.config.Env = append(slices.Clone(s.config.Env), "BUILD="+build)
	return s
}

// seedRelease adds 1.1-rc1 to platypus/webapp (after seedWebapp): what a
// hurried CI job pushed. Its arm64 entry runs amd64 (built without
// --platform), a second amd64 build follows the first, the arm entry
// lacks its variant, the Windows entry its build, and one attestation
// describes an image no longer in the index.
func seedRelease(l *layout) {
	amd := l.image(releaseImage(linux("amd64", ""), "41"))
	wrongArch := l.image(releaseImage(linux("amd64", ""), "42"))
	wrongArch.Platform = &model.Platform{OS: "linux", Architecture: "arm64"}
	rebuilt := l.image(releaseImage(linux("amd64", ""), "43"))
	arm := l.image(releaseImage(linux("arm", "v7"), "41"))
	arm.Platform = &model.Platform{OS: "linux", Architecture: "arm"}
	win := l.image(helloWindows("10.0.17763.6054", "1809"))
	win.Platform = &model.Platform{OS: "windows", Architecture: "amd64"}
	gone := l.image(releaseImage(linux("arm64", ""), "40"))
	const src, rev = "https://github.com/example/webapp", "7b2e9d4f1a3c5e7092b4d6f8a0c2e4b6d8f0a2c4"
	entries := []descriptor{amd, wrongArch, rebuilt, arm, win,
		l.attest(amd, src, rev, true, true), l.attest(arm, src, rev, true, true), l.attest(gone, src, rev, true, true)}
	l.tag("1.1-rc1", l.index(false, entries, map[string]string{
		model.AnnotationCreated:            created2024,
		"org.opencontainers.image.source":  src,
		"org.opencontainers.image.version": "1.1-rc1",
	}))
}

// attest writes a buildx-style attestation manifest for subject with a
// provenance naming source at revision and an SPDX SBOM, as asked.
func (l *layout) attest(subject descriptor, source, revision string, provenance, sbom bool) descriptor {
	hex := subject.Digest[len("sha256:"):]
	var layers []descriptor
	if provenance {
		prov := l.blob(model.MediaInToto, provenanceStatement(hex, source, revision))
		prov.Annotations = map[string]string{"in-toto.io/predicate-type": "https://slsa.dev/provenance/v0.2"}
		layers = append(layers, prov)
	}
	if sbom {
		doc := l.blob(model.MediaInToto, fmt.Appendf(nil, `{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://spdx.dev/Document","subject":[{"name":"image","digest":{"sha256":%q}}],"predicate":{"spdxVersion":"SPDX-2.3","name":"sbom","packages":[{"name":"busybox","versionInfo":"1.36.1-r29"}]}}`, hex))
		doc.Annotations = map[string]string{"in-toto.io/predicate-type": "https://spdx.dev/Document"}
		layers = append(layers, doc)
	}
	ids := make([]string, len(layers))
	for i, d := range layers {
		ids[i] = d.Digest
	}
	cfg := l.json(model.MediaOCIConfig, map[string]any{
		"architecture": "unknown", "os": "unknown", "config": map[string]any{},
		"rootfs": map[string]any{"type": "layers", "diff_ids": ids},
	})
	d := l.json(model.MediaOCIManifest, manifestJSON{SchemaVersion: 2, MediaType: model.MediaOCIManifest, Config: &cfg, Layers: layers})
	d.Platform = &model.Platform{OS: "unknown", Architecture: "unknown"}
	d.Annotations = map[string]string{model.AnnotationReferenceDigest: subject.Digest, model.AnnotationReferenceType: model.AttestationManifest}
	return d
}

func provenanceStatement(subjectHex, source, revision string) []byte {
	return fmt.Appendf(nil, `{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://slsa.dev/provenance/v0.2","subject":[{"name":"image","digest":{"sha256":%q}}],"predicate":{"builder":{"id":"https://github.com/example/app/actions/runs/1"},"buildType":"https://mobyproject.org/buildkit@v1",`+
		`"invocation":{"configSource":{"uri":%q,"digest":{"sha1":%q},"entryPoint":"Dockerfile"}},`+
		`"metadata":{"https://mobyproject.org/buildkit@v1#metadata":{"vcs":{"source":%q,"revision":%q}}}}}`, subjectHex, source+".git#refs/heads/main", revision, source, revision)
}

// CheckOptions tune SeedCheck.
type CheckOptions struct {
	// BaseHost is the registry the fixtures' base-image annotations name;
	// "" leaves the host out, which --demo resolves into the demo registry.
	BaseHost string
	// Complete keeps every blob, for copying into a registry that refuses
	// manifests whose blobs it lacks (the test deletes them there).
	Complete bool
}

// CheckSparse are the blobs and manifests SeedCheck leaves out unless
// Complete, by tag: the layer of "missing-layer", the config of
// "missing-config" and the child manifest of "missing-child".
type CheckSparse struct{ Layer, Config, Child string }

// SeedCheck writes CheckRepository and CheckBaseRepository: for every
// rule of `platypus check` a tag that trips it, and "good", which passes
// every rule of the policy example in the README (with its signature,
// attestations, annotations and fresh base). It returns what it left out
// (or would have).
func SeedCheck(root string, o CheckOptions) (CheckSparse, error) {
	var sparse CheckSparse
	base := newLayout(root, CheckBaseRepository)
	var baseImgs []descriptor
	for _, p := range []model.Platform{linux("amd64", ""), linux("arm64", ""), linux("arm", "v7")} {
		baseImgs = append(baseImgs, base.image(tinyImage(p, created2024, "ADD base-"+p.Architecture+".tar / # buildkit", "base", false)))
	}
	oldBase := base.index(false, baseImgs[:2], map[string]string{"org.opencontainers.image.version": "0.9"})
	base.keep(oldBase)
	curBase := base.index(false, baseImgs, nil)
	base.tag("1", curBase)
	base.tag("amd64-only", baseImgs[0])
	if err := base.write(); err != nil {
		return sparse, err
	}
	baseName := CheckBaseRepository + ":1"
	if o.BaseHost != "" {
		baseName = o.BaseHost + "/" + baseName
	}

	l := newLayout(root, CheckRepository)
	annots := func(version string) map[string]string {
		return map[string]string{"org.opencontainers.image.version": version, "org.opencontainers.image.revision": revisionA, "org.opencontainers.image.source": releaseSource}
	}
	img := func(p model.Platform, build string, baseDigest string, docker bool) descriptor {
		s := tinyImage(p, created2024, "ADD rootfs-"+p.Architecture+p.Variant+"-"+build+".tar / # buildkit", "check "+build, docker)
		s.config.Labels = annots("1.0")
		s.annotations = map[string]string{}
		if baseDigest != "" {
			s.annotations = map[string]string{"org.opencontainers.image.base.name": baseName, "org.opencontainers.image.base.digest": baseDigest}
		}
		return l.image(s)
	}
	amd := img(linux("amd64", ""), "good", baseImgs[0].Digest, false)
	arm64 := img(linux("arm64", ""), "good", baseImgs[1].Digest, false)
	armv7 := img(linux("arm", "v7"), "good", baseImgs[2].Digest, false)
	good := l.index(false, []descriptor{amd, arm64, armv7,
		l.attest(amd, releaseSource, revisionA, true, true), l.attest(arm64, releaseSource, revisionA, true, true), l.attest(armv7, releaseSource, revisionA, true, true)},
		annots("1.0"))
	l.tag("good", good)
	notation := l.artifact(&good, mediaNotarySig, mediaJOSE, []byte(`{"payload":"e30","protected":"e30","signature":"c2ln"}`), nil)
	l.referrers(good, notation)
	l.keep(notation)

	plain := func(p model.Platform, build string, docker bool) descriptor { return img(p, build, "", docker) }
	pAmd, pArm64 := plain(linux("amd64", ""), "plain", false), plain(linux("arm64", ""), "plain", false)

	// Built-in rules, each tripped once.
	mism := plain(linux("amd64", ""), "mismatch", false)
	mism.Platform = &model.Platform{OS: "linux", Architecture: "arm64"}
	l.tag("mismatch", l.index(false, []descriptor{pAmd, mism}, nil))
	arm64v8 := plain(linux("arm64", "v8"), "v8", false)
	l.tag("duplicate", l.index(false, []descriptor{pArm64, arm64v8}, nil))
	l.tag("amd64-levels", l.index(false, []descriptor{pAmd, plain(linux("amd64", "v2"), "v2", false)}, nil))
	empty := plain(linux("amd64", ""), "empty", false)
	empty.Platform = &model.Platform{}
	l.tag("unreachable", l.index(false, []descriptor{pAmd, empty}, nil))
	l.tag("dangling", l.index(false, []descriptor{pAmd, l.attest(pArm64, releaseSource, revisionA, true, true)}, nil))
	l.tag("orphan", l.index(false, []descriptor{pAmd, pArm64, l.attest(pAmd, releaseSource, revisionA, true, true)}, nil))
	winDocker := plain(windows("10.0.17763.6054"), "win", true)
	l.tag("mixed", l.index(false, []descriptor{pAmd, winDocker}, nil))
	winBare := plain(windows("10.0.17763.6054"), "win-oci", false)
	winBare.Platform = &model.Platform{OS: "windows", Architecture: "amd64"}
	l.tag("windows", l.index(false, []descriptor{winBare}, nil))
	armBare := plain(linux("arm", "v7"), "arm", false)
	armBare.Platform = &model.Platform{OS: "linux", Architecture: "arm"}
	l.tag("arm", l.index(false, []descriptor{pAmd, armBare}, nil))

	// missing-blob: a layer, a config and a child manifest the registry
	// lacks, and a descriptor whose size is not the manifest's.
	holed := plain(linux("arm64", ""), "missing-layer", false)
	l.tag("missing-layer", l.index(false, []descriptor{pAmd, holed}, nil))
	noCfg := plain(linux("arm64", ""), "missing-config", false)
	l.tag("missing-config", l.index(false, []descriptor{pAmd, noCfg}, nil))
	ghost := plain(linux("arm64", ""), "missing-child", false)
	l.tag("missing-child", l.index(false, []descriptor{pAmd, ghost}, nil))
	bad := pArm64
	bad.Size += 7
	l.tag("bad-size", l.index(false, []descriptor{pAmd, bad}, nil))

	// Policy rules.
	disagree := l.index(false, []descriptor{amd, arm64}, annots("1.1"))
	l.tag("disagree", disagree)
	l.tag("two-sources", l.index(false, []descriptor{pAmd, pArm64,
		l.attest(pAmd, releaseSource, revisionA, true, true), l.attest(pArm64, releaseSource, revisionB, true, true)}, annots("1.0")))
	referred := l.index(false, []descriptor{pAmd}, annots("1.0"))
	l.tag("referred", referred)
	prov := l.artifact(&pAmd, model.MediaInToto, model.MediaInToto, provenanceStatement(pAmd.Digest[7:], releaseSource, revisionA), nil)
	sbom := l.artifact(&pAmd, mediaSPDX, mediaSPDX, []byte(`{"spdxVersion":"SPDX-2.3","name":"plain","packages":[]}`), nil)
	l.referrers(pAmd, prov, sbom)
	l.keep(prov)
	l.keep(sbom)
	cosigned := l.index(false, []descriptor{pAmd, pArm64}, nil)
	l.tag("cosigned", cosigned)
	sig := l.blob(mediaCosign, fmt.Appendf(nil, `{"critical":{"image":{"docker-manifest-digest":%q},"type":"cosign container image signature"}}`, cosigned.Digest))
	sig.Annotations = map[string]string{"dev.cosignproject.cosign/signature": "MEUCIQ=="}
	empty2 := l.blob("application/vnd.oci.image.config.v1+json", []byte(`{"architecture":"","os":"","config":{},"rootfs":{"type":"layers","diff_ids":[]}}`))
	l.tag(strings.Replace(cosigned.Digest, ":", "-", 1)+".sig", l.json(model.MediaOCIManifest, manifestJSON{SchemaVersion: 2, MediaType: model.MediaOCIManifest, Config: &empty2, Layers: []descriptor{sig}}))
	s390 := img(linux("s390x", ""), "s390x", baseImgs[0].Digest, false)
	l.tag("base-gap", l.index(false, []descriptor{amd, s390}, annots("1.0")))
	staleAmd := img(linux("amd64", ""), "stale", oldBase.Digest, false)
	l.tag("stale", l.index(false, []descriptor{staleAmd}, annots("1.0")))
	l.tag("wasteful", l.index(false, []descriptor{l.image(wastefulImage())}, nil))
	l.tag("single", pAmd)
	l.tag("hostile", l.index(false, []descriptor{amd}, map[string]string{"org.opencontainers.image.version": Hostile[0] + Hostile[8]}))

	if err := l.write(); err != nil {
		return sparse, err
	}
	sparse = CheckSparse{Layer: firstLayer(l, holed), Config: configOf(l, noCfg), Child: ghost.Digest}
	if !o.Complete {
		for _, d := range []string{sparse.Layer, sparse.Config, sparse.Child} {
			if err := os.Remove(l.blobPath(d)); err != nil {
				return sparse, fmt.Errorf("demo layout %s: %w", l.dir, err)
			}
		}
	}
	return sparse, nil
}

// wastefulImage rewrites and removes in its second layer what its first
// wrote: dive's efficiency is about a third.
func wastefulImage() imageSpec {
	big := strings.Repeat("platypus ", 4000)
	return imageSpec{
		platform: linux("amd64", ""), created: created2024,
		steps: []step{
			{createdBy: "COPY data /data # buildkit", files: map[string]string{"data/a.txt": big, "data/b.txt": big}},
			{createdBy: "RUN rewrite /data # buildkit", files: map[string]string{"data/a.txt": big + "v2"}, removes: []string{"data/b.txt"}},
		},
		config: runConfig{Cmd: []string{"/bin/sh"}},
	}
}

func (l *layout) blobPath(digest string) string {
	return filepath.Join(l.dir, "blobs", "sha256", strings.TrimPrefix(digest, "sha256:"))
}

// firstLayer and configOf read back what an image manifest written by l
// points to.
func firstLayer(l *layout, d descriptor) string {
	m := readManifest(l, d)
	if m == nil || len(m.Layers) == 0 {
		return ""
	}
	return m.Layers[0].Digest
}

func configOf(l *layout, d descriptor) string {
	m := readManifest(l, d)
	if m == nil || m.Config == nil {
		return ""
	}
	return m.Config.Digest
}

func readManifest(l *layout, d descriptor) *model.Manifest {
	raw, err := os.ReadFile(l.blobPath(d.Digest))
	if err != nil {
		return nil
	}
	m, err := model.DecodeManifest(raw, d.MediaType)
	if err != nil {
		return nil
	}
	return m
}
