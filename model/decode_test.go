package model

import (
	"errors"
	"strings"
	"testing"
)

const dockerList = `{
   "schemaVersion": 2,
   "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
   "manifests": [
      {"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": 1077,
       "digest": "sha256:96142e1e7fab2c926d904861cc09fa757e2647dd03725df658e39ba5b92c81ed",
       "platform": {"architecture": "amd64", "os": "linux"}},
      {"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": 2338,
       "digest": "sha256:cb9a593dd2c0bde0e6145a432a88bce0b9378951df3396940048f9cdc737128f",
       "platform": {"architecture": "amd64", "os": "windows", "os.version": "10.0.14393.2068"}},
      {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 566,
       "digest": "sha256:7a5870c86a3244b4e553c5e6da193e226178843a1fdab3b66461a4dfeb50bf34",
       "platform": {"architecture": "unknown", "os": "unknown"},
       "annotations": {"vnd.docker.reference.type": "attestation-manifest",
                       "vnd.docker.reference.digest": "sha256:96142e1e7fab2c926d904861cc09fa757e2647dd03725df658e39ba5b92c81ed"}}
   ]
}`

func TestDecodeIndex(t *testing.T) {
	m, err := DecodeManifest([]byte(dockerList), "")
	if err != nil {
		t.Fatal(err)
	}
	if m.Kind != KindIndex || len(m.Entries) != 3 || m.MediaType != MediaDockerList {
		t.Fatalf("decoded %+v", m)
	}
	if m.Entries[1].Platform.OSVersion != "10.0.14393.2068" {
		t.Errorf("os.version lost: %+v", m.Entries[1].Platform)
	}
	if m.Entries[2].Kind != KindAttestation || m.Entries[2].PlatformString() != "attestation" {
		t.Errorf("attestation not recognised: %+v", m.Entries[2])
	}
	if m.Digest != DigestOf([]byte(dockerList)) {
		t.Errorf("digest %s", m.Digest)
	}
}

func TestDecodeImageAndArtifact(t *testing.T) {
	image := `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
	  "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:` + strings.Repeat("a", 64) + `","size":10},
	  "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:` + strings.Repeat("b", 64) + `","size":20}]}`
	m, err := DecodeManifest([]byte(image), "")
	if err != nil || m.Kind != KindImage || m.LayersSize() != 20 {
		t.Fatalf("image: %+v %v", m, err)
	}
	art := strings.Replace(image, `"config":{"mediaType":"application/vnd.oci.image.config.v1+json"`, `"artifactType":"application/vnd.cncf.notary.signature","config":{"mediaType":"application/vnd.oci.empty.v1+json"`, 1)
	m, err = DecodeManifest([]byte(art), "")
	if err != nil || m.Kind != KindArtifact || m.ArtifactType != "application/vnd.cncf.notary.signature" {
		t.Fatalf("artifact: %+v %v", m, err)
	}
	unknown := `{"schemaVersion":2,"mediaType":"application/x-something-new","layers":[]}`
	if m, err = DecodeManifest([]byte(unknown), ""); err != nil || m.Kind != KindArtifact {
		t.Fatalf("unknown media type must be an artifact, got %+v %v", m, err)
	}
}

func TestDecodeRefusesMalformed(t *testing.T) {
	for name, raw := range map[string]string{
		"not json":      `{"schemaVersion":`,
		"bad digest":    `{"manifests":[{"mediaType":"x","digest":"sha256:\u001b[31m","size":1}]}`,
		"negative size": `{"manifests":[{"mediaType":"x","digest":"sha256:` + strings.Repeat("a", 64) + `","size":-5}]}`,
		"wrong type":    `{"manifests":"nope"}`,
		"too large":     `{"a":"` + strings.Repeat("x", MaxManifestSize) + `"}`,
	} {
		if _, err := DecodeManifest([]byte(raw), ""); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err = %v, want ErrMalformed", name, err)
		}
	}
}

// Decoding keeps what the registry sent: an architecture with an escape
// after it is not amd64 (containerd's platforms.Only rejects it too), and
// two keys that differ in a hidden character stay two keys.
func TestDecodeKeepsRawStrings(t *testing.T) {
	raw := `{"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:` + strings.Repeat("a", 64) + `","size":1,
	  "platform":{"os":"linux\u001b]52;c;eHh4\u0007","architecture":"amd64\u009b2J"},
	  "annotations":{"k\u001b[1m":"v\u202e","k":"plain"}}],"annotations":{"title":"\u001b]0;pwned\u0007ok"}}`
	m, err := DecodeManifest([]byte(raw), "")
	if err != nil {
		t.Fatal(err)
	}
	e := m.Entries[0]
	if e.Platform.OS != "linux\x1b]52;c;eHh4\x07" || e.Platform.Architecture != "amd64\u009b2J" || len(e.Annotations) != 2 ||
		e.Annotations["k\x1b[1m"] != "v\u202e" || m.Annotations["title"] != "\x1b]0;pwned\x07ok" {
		t.Errorf("not kept raw: %+v %+v %+v", e.Platform, e.Annotations, m.Annotations)
	}
	a := Analyze(m, FlagTarget(Platform{OS: "linux", Architecture: "amd64"}, SourceFlag), nil, nil)
	if a.Primary.Found() {
		t.Error("linux/amd64 followed by an escape was selected for linux/amd64")
	}
}

func TestDecodeConfigAndAlign(t *testing.T) {
	raw := `{"architecture":"amd64","os":"linux","created":"2019-03-14T21:19:53.361167852Z",
	  "config":{"Env":["PATH=/bin"],"Cmd":["/bin/bash"],"ExposedPorts":{"80/tcp":{},"443/tcp":{}},"Labels":{"a":"b"}},
	  "rootfs":{"type":"layers","diff_ids":["sha256:` + strings.Repeat("1", 64) + `","sha256:` + strings.Repeat("2", 64) + `"]},
	  "history":[{"created_by":"ADD file in /"},{"created_by":"LABEL a=b","empty_layer":true},{"created_by":"RUN make"},{"created_by":"CMD [\"/bin/bash\"]","empty_layer":true}]}`
	c, err := DecodeConfig([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	if c.Platform.String() != "linux/amd64" || len(c.ExposedPorts) != 2 || c.Created == nil || c.Labels["a"] != "b" {
		t.Fatalf("config %+v", c)
	}
	layers := []Descriptor{{Digest: "l1", Size: 10}, {Digest: "l2", Size: 20}}
	rows := AlignLayers(layers, c.DiffIDs, c.History)
	var shape []string
	for _, r := range rows {
		switch {
		case r.Layer == nil:
			shape = append(shape, "empty:"+r.History.CreatedBy)
		case r.History == nil:
			shape = append(shape, r.Layer.Digest+":?")
		default:
			shape = append(shape, r.Layer.Digest+":"+r.History.CreatedBy)
		}
	}
	want := `l1:ADD file in /|empty:LABEL a=b|l2:RUN make|empty:CMD ["/bin/bash"]`
	if got := strings.Join(shape, "|"); got != want {
		t.Errorf("rows = %s\nwant   %s", got, want)
	}
	// More layers than history: the rest still show.
	if rows := AlignLayers(append(layers, Descriptor{Digest: "l3"}), nil, c.History); rows[len(rows)-1].Layer.Digest != "l3" || rows[len(rows)-1].History != nil {
		t.Errorf("extra layer lost: %+v", rows[len(rows)-1])
	}
}

func TestAnalyzeSizesShared(t *testing.T) {
	shared := Descriptor{Digest: "shared", Size: 100}
	a := &Manifest{Digest: "a", Kind: KindImage, Config: &Descriptor{Digest: "ca", Size: 1}, Layers: []Descriptor{{Digest: "la", Size: 10}, shared}}
	b := &Manifest{Digest: "b", Kind: KindImage, Config: &Descriptor{Digest: "cb", Size: 2}, Layers: []Descriptor{{Digest: "lb", Size: 20}, shared}}
	r := AnalyzeSizes(map[string]*Manifest{"a": a, "b": b})
	if r.Compressed["a"] != 111 || r.Compressed["b"] != 122 || r.Shared["a"] != 1 || r.Users["shared"] != 2 {
		t.Errorf("report %+v", r)
	}
	if r.Total != 233 || r.Unique != 133 {
		t.Errorf("total %d unique %d", r.Total, r.Unique)
	}
}
