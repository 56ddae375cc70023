package output

import "github.com/platypus-tui/platypus/model"

// Inspect is `inspect -o json`.
type Inspect struct {
	Reference         string            `json:"reference"`
	Digest            string            `json:"digest"`
	MediaType         string            `json:"mediaType"`
	Kind              string            `json:"kind"`
	Size              int64             `json:"size"`
	ArtifactType      string            `json:"artifactType,omitempty"`
	Annotations       map[string]string `json:"annotations"`
	Platform          string            `json:"platform"`
	PlatformSource    string            `json:"platformSource"`
	Store             string            `json:"store"`
	Selected          *string           `json:"selected"`
	DockerError       string            `json:"dockerError,omitempty"`
	DockerErrorLegacy string            `json:"dockerErrorLegacy,omitempty"`
	Entries           []Entry           `json:"entries"`
	// CompressedSize and UniqueSize are an index's images' config and
	// layers (CFG+LAYERS), summed and each blob once.
	CompressedSize *int64      `json:"compressedSize,omitempty"`
	UniqueSize     *int64      `json:"uniqueSize,omitempty"`
	OtherStore     *OtherStore `json:"otherStore,omitempty"`
	// Targets is every target's verdict; the fields above are the first's.
	Targets []Target `json:"targets"`
}

// OtherStore is what Docker's other image store would select, where the
// two disagree.
type OtherStore struct {
	Store    string  `json:"store"`
	Selected *string `json:"selected"`
}

// Platform is an entry's declared platform.
type Platform struct {
	OS           string   `json:"os"`
	Architecture string   `json:"architecture"`
	Variant      string   `json:"variant"`
	OSVersion    string   `json:"os.version"`
	OSFeatures   []string `json:"os.features"`
}

// Layer is one layer of an entry's image (inspect --all).
type Layer struct {
	Digest    string `json:"digest"`
	MediaType string `json:"mediaType"`
	Size      int64  `json:"size"`
	CreatedBy string `json:"createdBy,omitempty"`
}

// Entry is one entry of an index (or the one image of a manifest) with
// the verdict on it; compose lists its draft's entries so too.
type Entry struct {
	Digest         string            `json:"digest"`
	MediaType      string            `json:"mediaType"`
	Size           int64             `json:"size"`
	Kind           string            `json:"kind"`
	ArtifactType   string            `json:"artifactType,omitempty"`
	Platform       *Platform         `json:"platform"`
	Annotations    map[string]string `json:"annotations"`
	Match          string            `json:"match"`
	Rank           *int              `json:"rank,omitempty"`
	Reasons        []string          `json:"reasons"`
	Layers         []Layer           `json:"layers,omitempty"`
	CompressedSize *int64            `json:"compressedSize,omitempty"`
	Created        string            `json:"created,omitempty"`
	SharedLayers   *int              `json:"sharedLayers,omitempty"`
	Error          string            `json:"error,omitempty"`
	// Targets is every target's verdict on this entry, by target name.
	Targets map[string]EntryTarget `json:"targets"`
}

// PlatformOf is p as entries show it; nil for none.
func PlatformOf(p *model.Platform) *Platform {
	if p == nil {
		return nil
	}
	return &Platform{OS: p.OS, Architecture: p.Architecture, Variant: p.Variant, OSVersion: p.OSVersion, OSFeatures: nonNil(p.OSFeatures)}
}

// BuildInspect is the document for the tree of r judged by a (the first
// target's analysis); all adds each image's layers, shared layers and
// creation.
func BuildInspect(r model.Reference, t *model.Tree, a model.Analysis, all bool) Inspect {
	root := t.Root
	rep := Inspect{
		Reference: r.String(), Digest: root.Digest, MediaType: root.MediaType, Kind: string(root.Kind), Size: root.Size,
		ArtifactType: root.ArtifactType, Annotations: emptyMap(root.Annotations),
		Platform: a.Target.Platform.Display(), PlatformSource: string(a.Target.Source),
		Store: string(model.StoreContainerd), Entries: []Entry{},
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
		rep.CompressedSize, rep.UniqueSize = &sizes.Total, &sizes.Unique
		if a.Other != nil {
			o := OtherStore{Store: string(a.Other.Store)}
			if a.Other.Found() {
				d := a.Other.Image
				o.Selected = &d
			}
			rep.OtherStore = &o
		}
		for i, e := range root.Entries {
			er := Entry{
				Digest: e.Digest, MediaType: e.MediaType, Size: e.Size, Kind: string(e.Kind), ArtifactType: e.ArtifactType,
				Platform: PlatformOf(e.Platform), Annotations: emptyMap(e.Annotations),
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
	er := Entry{Digest: root.Digest, MediaType: root.MediaType, Size: root.Size, Kind: string(root.Kind), ArtifactType: root.ArtifactType, Annotations: emptyMap(root.Annotations),
		CompressedSize: cfgLayers(root)}
	if cfg := t.Configs[root.Digest]; cfg != nil {
		p := cfg.Platform
		er.Platform = PlatformOf(&p)
	}
	if a.Single != nil {
		rep.Store = string(a.SingleStore)
		er.Match, er.Reasons = string(a.Single.Verdict), nonNil(a.Single.Reasons)
		if a.Single.Verdict == model.Selected {
			rk, d := 1, root.Digest
			er.Rank, rep.Selected = &rk, &d
		}
		if o := a.SingleOther; o != nil {
			other := OtherStore{Store: string(model.StoreContainerd)}
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

// cfgLayers is a manifest's config and layers as stored (the tables'
// CFG+LAYERS, the explorer's one size); nil for an index or a manifest
// that did not load.
func cfgLayers(m *model.Manifest) *int64 {
	if m == nil || m.Kind == model.KindIndex {
		return nil
	}
	n := model.Image{Manifest: m}.CompressedSize()
	return &n
}

func fillAll(er *Entry, t *model.Tree, digest string, sizes model.SizeReport) {
	img := t.Image(digest)
	if img.Manifest == nil || img.Manifest.Kind == model.KindIndex {
		return
	}
	shared := sizes.Shared[digest]
	er.SharedLayers = &shared
	er.Layers = []Layer{}
	for _, row := range img.Rows() {
		if row.Layer == nil {
			continue
		}
		lr := Layer{Digest: row.Layer.Digest, MediaType: row.Layer.MediaType, Size: row.Layer.Size}
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
