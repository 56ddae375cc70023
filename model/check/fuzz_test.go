package check

import (
	"testing"

	"github.com/platypus-tui/platypus/model"
)

// Registry data is untrusted: whatever an index, its children and their
// configs say, Evaluate neither panics nor invents a rule.
func FuzzEvaluate(f *testing.F) {
	f.Add([]byte(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[`+
		`{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:1111111111111111111111111111111111111111111111111111111111111111","size":9,"platform":{"os":"linux","architecture":"arm"}},`+
		`{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:2222222222222222222222222222222222222222222222222222222222222222","size":9,"platform":{}},`+
		`{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:3333333333333333333333333333333333333333333333333333333333333333","size":9,"annotations":{"vnd.docker.reference.type":"attestation-manifest","vnd.docker.reference.digest":"sha256:1111111111111111111111111111111111111111111111111111111111111111"},"platform":{"os":"unknown","architecture":"unknown"}}]}`),
		[]byte(`{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"sha256:4444444444444444444444444444444444444444444444444444444444444444","size":3},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:5555555555555555555555555555555555555555555555555555555555555555","size":7,"annotations":{"in-toto.io/predicate-type":"https://slsa.dev/provenance/v1"}}],"annotations":{"org.opencontainers.image.base.name":"alpine:3"}}`),
		[]byte(`{"architecture":"arm64","os":"windows","os.version":"10.0","config":{"Labels":{"org.opencontainers.image.version":"2"}}}`))
	pol, err := ParsePolicy([]byte(examplePolicy + "platforms: {require: [linux/amd64], only: true}\n"))
	if err != nil {
		pol, _ = ParsePolicy([]byte(examplePolicy))
	}
	f.Fuzz(func(t *testing.T, index, child, config []byte) {
		root, err := model.DecodeManifest(index, "")
		if err != nil {
			return
		}
		tree := model.NewTree(root)
		facts := &Facts{Tree: tree, Missing: map[string]string{}, Referrers: map[string][]Referrer{}, Provenance: map[string]Provenance{},
			Bases: map[string]Base{}, Layers: map[string]Layers{}, SignatureTags: map[string]bool{}}
		m, _ := model.DecodeManifest(child, "")
		cfg, _ := model.DecodeConfig(config)
		for i, e := range root.Entries {
			switch i % 3 {
			case 0:
				if m != nil {
					tree.Children[e.Digest] = m
					if cfg != nil {
						tree.Configs[e.Digest] = cfg
					}
					facts.Layers[m.Digest] = Layers{Efficiency: 0.5}
					facts.Provenance[e.Digest] = Provenance{Source: string(config)}
				}
			case 1:
				facts.Missing[e.Digest] = "gone"
			default:
				tree.Children[e.Digest] = root // a cycle, as a hostile registry may serve
			}
		}
		if m != nil && cfg != nil && !root.IsIndex() {
			tree.Configs[root.Digest] = cfg
		}
		facts.Bases["alpine:3"] = Base{Tree: tree}
		res := Evaluate(facts, pol)
		for _, fd := range res.Findings {
			if _, known := defaults[fd.Rule]; !known || (fd.Severity != model.SevError && fd.Severity != model.SevWarning) || fd.Message == "" {
				t.Fatalf("finding %+v", fd)
			}
		}
		_ = Images(tree)
		_ = AttestationManifests(tree)
	})
}
