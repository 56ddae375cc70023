package main

import (
	"encoding/json"
	"io"
	"maps"
	"slices"

	"github.com/platypus-tui/platypus/model"
)

type ioWriter = io.Writer

// inspectReport is the JSON of `inspect -o json`; its field names are a
// contract documented in the README.
type inspectReport struct {
	Reference         string            `json:"reference"`
	Digest            string            `json:"digest"`
	MediaType         string            `json:"mediaType"`
	Kind              model.Kind        `json:"kind"`
	Size              int64             `json:"size"`
	ArtifactType      string            `json:"artifactType,omitempty"`
	Annotations       map[string]string `json:"annotations"`
	Platform          string            `json:"platform"`
	PlatformSource    string            `json:"platformSource"`
	Store             string            `json:"store"`
	Selected          *string           `json:"selected"`
	DockerError       string            `json:"dockerError,omitempty"`
	DockerErrorLegacy string            `json:"dockerErrorLegacy,omitempty"`
	Entries           []entryReport     `json:"entries"`
	OtherStore        *storeReport      `json:"otherStore,omitempty"`
	// Targets is every target's verdict; the fields above are the first's.
	Targets []fleetTargetReport `json:"targets"`
}

type storeReport struct {
	Store    string  `json:"store"`
	Selected *string `json:"selected"`
}

type platformReport struct {
	OS           string   `json:"os"`
	Architecture string   `json:"architecture"`
	Variant      string   `json:"variant"`
	OSVersion    string   `json:"os.version"`
	OSFeatures   []string `json:"os.features"`
}

type layerReport struct {
	Digest    string `json:"digest"`
	MediaType string `json:"mediaType"`
	Size      int64  `json:"size"`
	CreatedBy string `json:"createdBy,omitempty"`
}

type entryReport struct {
	Digest         string            `json:"digest"`
	MediaType      string            `json:"mediaType"`
	Size           int64             `json:"size"`
	Kind           model.Kind        `json:"kind"`
	ArtifactType   string            `json:"artifactType,omitempty"`
	Platform       *platformReport   `json:"platform"`
	Annotations    map[string]string `json:"annotations"`
	Match          string            `json:"match"`
	Rank           *int              `json:"rank,omitempty"`
	Reasons        []string          `json:"reasons"`
	Layers         []layerReport     `json:"layers,omitempty"`
	CompressedSize *int64            `json:"compressedSize,omitempty"`
	Created        string            `json:"created,omitempty"`
	SharedLayers   *int              `json:"sharedLayers,omitempty"`
	Error          string            `json:"error,omitempty"`
	// Targets is every target's verdict on this entry, by target name.
	Targets map[string]entryTargetReport `json:"targets"`
}

func toPlatformReport(p *model.Platform) *platformReport {
	if p == nil {
		return nil
	}
	f := p.OSFeatures
	if f == nil {
		f = []string{}
	}
	return &platformReport{OS: p.OS, Architecture: p.Architecture, Variant: p.Variant, OSVersion: p.OSVersion, OSFeatures: f}
}

func emptyMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func buildInspectReport(r model.Reference, t *model.Tree, a model.Analysis, all bool) inspectReport {
	root := t.Root
	rep := inspectReport{
		Reference: r.String(), Digest: root.Digest, MediaType: root.MediaType, Kind: root.Kind, Size: root.Size,
		ArtifactType: root.ArtifactType, Annotations: emptyMap(root.Annotations),
		Platform: a.Target.Platform.Display(), PlatformSource: string(a.Target.Source),
		Store: string(model.StoreContainerd), Entries: []entryReport{},
	}
	sizes := t.Sizes()
	if root.IsIndex() {
		sel := a.Primary
		rep.Store = string(sel.Store)
		if sel.Found() {
			d := sel.Image
			rep.Selected = &d
		}
		rep.DockerError, rep.DockerErrorLegacy = sel.DockerError, sel.Legacy
		if a.Other != nil {
			o := storeReport{Store: string(a.Other.Store)}
			if a.Other.Found() {
				d := a.Other.Image
				o.Selected = &d
			}
			rep.OtherStore = &o
		}
		for i, e := range root.Entries {
			er := entryReport{
				Digest: e.Digest, MediaType: e.MediaType, Size: e.Size, Kind: e.Kind, ArtifactType: e.ArtifactType,
				Platform: toPlatformReport(e.Platform), Annotations: emptyMap(e.Annotations),
			}
			em := sel.Entries[i]
			er.Match, er.Reasons = string(em.Verdict), nonNil(em.Reasons)
			if em.Rank > 0 {
				rk := em.Rank
				er.Rank = &rk
			}
			if err := t.Errors[e.Digest]; err != nil {
				er.Error = err.Error()
			}
			er.CompressedSize = cfgLayers(t.Children[e.Digest])
			if all {
				fillAll(&er, t, e.Digest, sizes)
			}
			rep.Entries = append(rep.Entries, er)
		}
		return rep
	}
	// A single manifest: entries holds that one image.
	er := entryReport{Digest: root.Digest, MediaType: root.MediaType, Size: root.Size, Kind: root.Kind, ArtifactType: root.ArtifactType, Annotations: emptyMap(root.Annotations),
		CompressedSize: cfgLayers(root)}
	if cfg := t.Configs[root.Digest]; cfg != nil {
		p := cfg.Platform
		er.Platform = toPlatformReport(&p)
	}
	if a.Single != nil {
		rep.Store = string(a.SingleStore)
		er.Match, er.Reasons = string(a.Single.Verdict), nonNil(a.Single.Reasons)
		if a.Single.Verdict == model.Selected {
			rk, d := 1, root.Digest
			er.Rank, rep.Selected = &rk, &d
		}
		if o := a.SingleOther; o != nil {
			other := storeReport{Store: string(model.StoreContainerd)}
			if o.Verdict == model.Selected {
				d := root.Digest
				other.Selected = &d
			}
			rep.OtherStore = &other
		}
	}
	if all {
		fillAll(&er, t, root.Digest, sizes)
	}
	rep.Entries = append(rep.Entries, er)
	return rep
}

// cfgLayers is a manifest's config+layers size (sizeHeader); nil for an
// index or a manifest that did not load.
func cfgLayers(m *model.Manifest) *int64 {
	if m == nil || m.Kind == model.KindIndex {
		return nil
	}
	n := model.Image{Manifest: m}.CompressedSize()
	return &n
}

func fillAll(er *entryReport, t *model.Tree, digest string, sizes model.SizeReport) {
	img := t.Image(digest)
	if img.Manifest == nil || img.Manifest.Kind == model.KindIndex {
		return
	}
	shared := sizes.Shared[digest]
	er.SharedLayers = &shared
	er.Layers = []layerReport{}
	for _, row := range img.Rows() {
		if row.Layer == nil {
			continue
		}
		lr := layerReport{Digest: row.Layer.Digest, MediaType: row.Layer.MediaType, Size: row.Layer.Size}
		if row.History != nil {
			lr.CreatedBy = row.History.CreatedBy
		}
		er.Layers = append(er.Layers, lr)
	}
	if img.Config != nil {
		er.Created = model.FormatTime(img.Config.Created)
	}
	if err := t.ConfigErrors[digest]; err != nil {
		er.Error = err.Error()
	}
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

func jsonRaw(b []byte) any { return json.RawMessage(b) }
