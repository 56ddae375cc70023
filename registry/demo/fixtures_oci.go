package demo

import (
	"fmt"

	"github.com/platypus-tui/platypus/model"
)

const (
	mediaHelmConfig = "application/vnd.cncf.helm.config.v1+json"
	mediaHelmChart  = "application/vnd.cncf.helm.chart.content.v1.tar+gzip"
	mediaNotarySig  = "application/vnd.cncf.notary.signature"
	mediaJOSE       = "application/jose+json"
	mediaSPDX       = "application/spdx+json"
	created2024     = "2024-06-11T09:15:00Z"
)

// webappImage is built the way buildx builds: an OCI image whose static
// files layer is byte-identical on every platform (so it is shared).
func webappImage(p model.Platform) imageSpec {
	return imageSpec{
		platform: p, created: created2024,
		steps: []step{
			{createdBy: "ADD alpine-minirootfs-3.20.0-" + p.Architecture + ".tar.gz / # buildkit", files: map[string]string{
				"etc/alpine-release": "3.20.0\n", "lib/ld-musl.so.1": p.String(), "bin/busybox": "busybox for " + p.String(),
				"var/cache/apk/APKINDEX.tar.gz": "index of " + p.String(),
			}, links: map[string]string{"bin/sh": "/bin/busybox"}, filler: 30000},
			{createdBy: "CMD [\"/bin/sh\"]", empty: true},
			{createdBy: "RUN /bin/sh -c apk add nginx && rm -rf /var/cache/apk/* # buildkit", files: map[string]string{"usr/sbin/nginx": "nginx for " + p.String()},
				removes: []string{"var/cache/apk/APKINDEX.tar.gz"}, filler: 12000},
			{createdBy: "COPY html /usr/share/nginx/html # buildkit", files: map[string]string{"usr/share/nginx/html/index.html": "<h1>platypus demo</h1>\n"}, filler: 5000},
			{createdBy: "EXPOSE map[80/tcp:{}]", empty: true},
			{createdBy: "USER nginx", empty: true},
			{createdBy: "WORKDIR /usr/share/nginx/html", empty: true},
			{createdBy: "CMD [\"nginx\" \"-g\" \"daemon off;\"]", empty: true},
		},
		config: runConfig{
			Env: []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}, Cmd: []string{"nginx", "-g", "daemon off;"},
			User: "nginx", WorkingDir: "/usr/share/nginx/html", ExposedPorts: map[string]struct{}{"80/tcp": {}},
			StopSignal: "SIGQUIT",
			Labels: map[string]string{
				"org.opencontainers.image.source": "https://github.com/example/webapp", "org.opencontainers.image.version": "1.0",
			},
		},
	}
}

// attestation writes a buildx-style attestation manifest for subject.
func (l *layout) attestation(subject descriptor) descriptor {
	subjectPlatform := ""
	if subject.Platform != nil {
		subjectPlatform = subject.Platform.String()
	}
	prov := l.blob(model.MediaInToto, fmt.Appendf(nil, `{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://slsa.dev/provenance/v0.2","subject":[{"name":"pkg:docker/platypus/webapp@1.0","digest":{"sha256":%q}}],"predicate":{"builder":{"id":"https://github.com/example/webapp/actions/runs/9461"},"buildType":"https://mobyproject.org/buildkit@v1",`+
		`"invocation":{"configSource":{"uri":"https://github.com/example/webapp.git#refs/tags/v1.0","digest":{"sha1":"3f8a61c0d2e94b7a5c1e08f6b2d9a4c7e5f10b23"},"entryPoint":"Dockerfile"}},`+
		`"metadata":{"buildStartedOn":"2024-06-11T09:13:02Z","buildFinishedOn":"2024-06-11T09:14:48Z","https://mobyproject.org/buildkit@v1#metadata":{"vcs":{"source":"https://github.com/example/webapp","revision":"3f8a61c0d2e94b7a5c1e08f6b2d9a4c7e5f10b23"}}},`+
		`"materials":[{"uri":"pkg:docker/alpine@3.20?platform=`+subjectPlatform+`","digest":{"sha256":"aaf6b4a3f2d8"}}]}}`, subject.Digest[7:]))
	prov.Annotations = map[string]string{"in-toto.io/predicate-type": "https://slsa.dev/provenance/v0.2"}
	sbom := l.blob(model.MediaInToto, fmt.Appendf(nil, `{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://spdx.dev/Document","subject":[{"name":"pkg:docker/platypus/webapp@1.0","digest":{"sha256":%q}}],"predicate":{"spdxVersion":"SPDX-2.3","name":"sbom","packages":[`+
		`{"name":"alpine-baselayout","versionInfo":"3.6.5-r0","primaryPackagePurpose":"OPERATING-SYSTEM"},{"name":"busybox","versionInfo":"1.36.1-r29"},`+
		`{"name":"musl","versionInfo":"1.2.5-r0"},{"name":"nginx","versionInfo":"1.26.1-r0"},{"name":"pcre2","versionInfo":"10.43-r0"},{"name":"zlib","versionInfo":"1.3.1-r1"}]}}`, subject.Digest[7:]))
	sbom.Annotations = map[string]string{"in-toto.io/predicate-type": "https://spdx.dev/Document"}
	cfg := l.json(model.MediaOCIConfig, map[string]any{
		"architecture": "unknown", "os": "unknown", "config": map[string]any{},
		"rootfs": map[string]any{"type": "layers", "diff_ids": []string{prov.Digest, sbom.Digest}},
	})
	d := l.json(model.MediaOCIManifest, manifestJSON{SchemaVersion: 2, MediaType: model.MediaOCIManifest, Config: &cfg, Layers: []descriptor{prov, sbom}})
	d.Platform = &model.Platform{OS: "unknown", Architecture: "unknown"}
	d.Annotations = map[string]string{
		model.AnnotationReferenceDigest: subject.Digest,
		model.AnnotationReferenceType:   model.AttestationManifest,
	}
	return d
}

// referrers attaches artifacts to subject through the referrers tag schema
// ("sha256-<hex>"), which the demo registry turns into referrers API answers and
// which regclient reads from OCI layouts.
func (l *layout) referrers(subject descriptor, artifacts ...descriptor) {
	l.tag("sha256-"+subject.Digest[7:], l.index(false, artifacts, nil))
}

// artifact writes an artifact manifest with a subject and returns its
// descriptor with artifactType and annotations pulled up, as referrers
// lists carry them.
func (l *layout) artifact(subject *descriptor, artifactType, layerType string, body []byte, annotations map[string]string) descriptor {
	empty := l.blob(model.MediaOCIEmpty, []byte("{}"))
	layer := l.blob(layerType, body)
	var subj *descriptor
	if subject != nil {
		s := *subject
		s.Platform, s.Annotations = nil, nil
		subj = &s
	}
	m := manifestJSON{SchemaVersion: 2, MediaType: model.MediaOCIManifest, ArtifactType: artifactType, Config: &empty, Layers: []descriptor{layer}, Subject: subj, Annotations: annotations}
	d := l.json(model.MediaOCIManifest, m)
	d.ArtifactType, d.Annotations = artifactType, annotations
	return d
}

func seedWebapp(l *layout) {
	amd := l.image(webappImage(linux("amd64", "")))
	arm := l.image(webappImage(linux("arm64", "")))
	armv7 := l.image(webappImage(linux("arm", "v7")))
	entries := []descriptor{amd, arm, armv7, l.attestation(amd), l.attestation(arm), l.attestation(armv7)}
	idx := l.index(false, entries, map[string]string{
		model.AnnotationCreated:            created2024,
		"org.opencontainers.image.source":  "https://github.com/example/webapp",
		"org.opencontainers.image.version": "1.0",
	})
	l.tag("1.0", idx)
	l.tag("latest", idx)
	sig := l.artifact(&idx, mediaNotarySig, mediaJOSE, []byte(`{"payload":"eyJ0YXJnZXRBcnRpZmFjdCI6e319","protected":"e30","signature":"c2ln"}`), map[string]string{"org.opencontainers.image.created": created2024})
	l.referrers(idx, sig)
	l.keep(sig)
	// An SBOM attached to the amd64 image itself, as syft attach does.
	sbom := l.artifact(&amd, "application/spdx+json", "application/spdx+json",
		[]byte(`{"spdxVersion":"SPDX-2.3","name":"webapp-amd64","packages":[{"name":"busybox","versionInfo":"1.36.1"}]}`),
		map[string]string{"org.opencontainers.image.created": created2024})
	l.referrers(amd, sbom)
	l.keep(sbom)
}

func seedNested(l *layout) {
	inner := l.index(false, []descriptor{l.image(webappImage(linux("amd64", ""))), l.image(webappImage(linux("arm64", "v8")))}, nil)
	inner.Platform = nil
	win := l.image(helloWindows("10.0.20348.2582", "ltsc2022"))
	l.tag("1.0", l.index(false, []descriptor{inner, win}, map[string]string{"org.opencontainers.image.description": "an index whose first entry is an index"}))
}

func seedCharts(l *layout) {
	cfg := l.blob(mediaHelmConfig, []byte(`{"name":"webapp","version":"0.1.0","description":"The demo web app","apiVersion":"v2","appVersion":"1.0","type":"application"}`))
	chart := l.blob(mediaHelmChart, gzipBytes(layerTar(step{createdBy: "chart", files: map[string]string{"webapp/Chart.yaml": "apiVersion: v2\nname: webapp\nversion: 0.1.0\n"}})))
	chart.Annotations = map[string]string{"org.opencontainers.image.title": "webapp-0.1.0.tgz"}
	m := l.json(model.MediaOCIManifest, manifestJSON{SchemaVersion: 2, MediaType: model.MediaOCIManifest, Config: &cfg, Layers: []descriptor{chart},
		Annotations: map[string]string{model.AnnotationCreated: created2024, "org.opencontainers.image.description": "The demo web app"}})
	l.tag("0.1.0", m)
	sig := l.artifact(&m, mediaNotarySig, mediaJOSE, []byte(`{"payload":"eyJ0YXJnZXRBcnRpZmFjdCI6e319","protected":"e30","signature":"c2ln"}`), map[string]string{model.AnnotationCreated: created2024})
	sbom := l.artifact(&m, mediaSPDX, mediaSPDX, []byte(`{"spdxVersion":"SPDX-2.3","name":"webapp-0.1.0","packages":[{"name":"webapp","versionInfo":"0.1.0"}]}`), map[string]string{model.AnnotationCreated: created2024, "org.opencontainers.image.description": "SPDX SBOM"})
	l.referrers(m, sig, sbom)
	l.keep(sig)
	l.keep(sbom)
}

// seedManyTags writes a repository with ManyTagsCount tags over a few
// manifests, for scale: 1.0.0 … 1.59.49.
func seedManyTags(l *layout) {
	var images []descriptor
	for i := range 4 {
		spec := tinyImage(linux("amd64", ""), created2024, fmt.Sprintf("ADD rootfs-%d.tar / # buildkit", i), "echo build "+fmt.Sprint(i), false)
		images = append(images, l.image(spec))
	}
	armImg := l.image(tinyImage(linux("arm64", ""), created2024, "ADD rootfs-arm64.tar / # buildkit", "echo arm64", false))
	multi := l.index(false, []descriptor{images[0], armImg}, nil)
	for i := range ManyTagsCount {
		minor, patch := i/50, i%50
		d := images[i%len(images)]
		if patch%10 == 0 {
			d = multi
		}
		l.tag(fmt.Sprintf("1.%d.%d", minor, patch), d)
	}
}
