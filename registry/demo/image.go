package demo

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"hash/fnv"
	"math/rand/v2"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/platypus-tui/platypus/model"
)

// epoch is the fixed mtime of every file in every demo layer.
var epoch = time.Date(2019, 3, 14, 21, 19, 53, 0, time.UTC)

// step is one line of a Dockerfile: it adds files (a layer) or only
// changes the config (an empty layer).
type step struct {
	createdBy string
	files     map[string]string
	filler    int // bytes of incompressible data, so sizes look like something
	// links are symbolic links (path → target); removes are paths the
	// layer deletes from the layers below (whiteouts).
	links   map[string]string
	removes []string
	empty   bool
	created string
}

// runConfig is the "config" object of an image config.
type runConfig struct {
	User         string              `json:"User,omitempty"`
	ExposedPorts map[string]struct{} `json:"ExposedPorts,omitempty"`
	Env          []string            `json:"Env,omitempty"`
	Entrypoint   []string            `json:"Entrypoint,omitempty"`
	Cmd          []string            `json:"Cmd,omitempty"`
	Volumes      map[string]struct{} `json:"Volumes,omitempty"`
	WorkingDir   string              `json:"WorkingDir,omitempty"`
	Labels       map[string]string   `json:"Labels,omitempty"`
	StopSignal   string              `json:"StopSignal,omitempty"`
}

// imageSpec describes one single-platform image.
type imageSpec struct {
	platform    model.Platform
	docker      bool // Docker media types instead of OCI
	created     string
	author      string
	steps       []step
	config      runConfig
	annotations map[string]string
}

type historyJSON struct {
	Created    string `json:"created,omitempty"`
	CreatedBy  string `json:"created_by,omitempty"`
	Author     string `json:"author,omitempty"`
	EmptyLayer bool   `json:"empty_layer,omitempty"`
}

type configJSON struct {
	Architecture string        `json:"architecture"`
	Author       string        `json:"author,omitempty"`
	Config       runConfig     `json:"config"`
	Created      string        `json:"created,omitempty"`
	History      []historyJSON `json:"history,omitempty"`
	OS           string        `json:"os"`
	OSVersion    string        `json:"os.version,omitempty"`
	OSFeatures   []string      `json:"os.features,omitempty"`
	RootFS       struct {
		Type    string   `json:"type"`
		DiffIDs []string `json:"diff_ids"`
	} `json:"rootfs"`
	Variant string `json:"variant,omitempty"`
}

// image writes the layers, config and manifest of spec and returns the
// manifest's descriptor with its platform set, ready for an index.
func (l *layout) image(spec imageSpec) descriptor {
	cfg := configJSON{
		Architecture: spec.platform.Architecture, OS: spec.platform.OS, Variant: spec.platform.Variant,
		OSVersion: spec.platform.OSVersion, OSFeatures: spec.platform.OSFeatures,
		Author: spec.author, Created: spec.created, Config: spec.config,
	}
	cfg.RootFS.Type = "layers"
	cfg.RootFS.DiffIDs = []string{}
	layerType, configType, manifestType := model.MediaOCILayerGzip, model.MediaOCIConfig, model.MediaOCIManifest
	if spec.docker {
		layerType, configType, manifestType = model.MediaDockerLayerGzip, model.MediaDockerConfig, model.MediaDockerManifest
	}
	var layers []descriptor
	for _, s := range spec.steps {
		created := s.created
		if created == "" {
			created = spec.created
		}
		cfg.History = append(cfg.History, historyJSON{Created: created, CreatedBy: s.createdBy, EmptyLayer: s.empty})
		if s.empty {
			continue
		}
		tarBytes := layerTar(s)
		cfg.RootFS.DiffIDs = append(cfg.RootFS.DiffIDs, model.DigestOf(tarBytes))
		layers = append(layers, l.blob(layerType, gzipBytes(tarBytes)))
	}
	cd := l.json(configType, cfg)
	m := manifestJSON{SchemaVersion: 2, MediaType: manifestType, Config: &cd, Layers: layers, Annotations: spec.annotations}
	d := l.json(manifestType, m)
	p := spec.platform
	d.Platform = &p
	return d
}

// layerTar builds a deterministic tar the way image builders write one:
// each directory before what it holds, then files, links and whiteouts,
// plus filler.
func layerTar(s step) []byte {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	type item struct {
		name string
		hdr  tar.Header
		body []byte
	}
	var items []item
	for n, body := range s.files {
		items = append(items, item{n, tar.Header{Mode: 0o644, Typeflag: tar.TypeReg, Size: int64(len(body))}, []byte(body)})
	}
	for n, target := range s.links {
		items = append(items, item{n, tar.Header{Mode: 0o777, Typeflag: tar.TypeSymlink, Linkname: target}, nil})
	}
	for _, n := range s.removes {
		items = append(items, item{path.Join(path.Dir(n), ".wh."+path.Base(n)), tar.Header{Mode: 0o644, Typeflag: tar.TypeReg}, nil})
	}
	names := make([]string, 0, len(s.files))
	for n := range s.files {
		names = append(names, n)
	}
	slices.Sort(names)
	if s.filler > 0 {
		body := filler(s.createdBy+names0(names), s.filler)
		items = append(items, item{"usr/share/platypus-demo/filler.bin", tar.Header{Mode: 0o644, Typeflag: tar.TypeReg, Size: int64(len(body))}, body})
	}
	slices.SortFunc(items, func(a, b item) int { return strings.Compare(a.name, b.name) })
	dirs := map[string]bool{}
	for _, it := range items {
		var parents []string
		for d := path.Dir(it.name); d != "." && !dirs[d]; d = path.Dir(d) {
			dirs[d] = true
			parents = append(parents, d)
		}
		slices.Reverse(parents)
		for _, d := range parents {
			_ = tw.WriteHeader(&tar.Header{Name: d + "/", Mode: 0o755, ModTime: epoch, Typeflag: tar.TypeDir, Format: tar.FormatPAX})
		}
		h := it.hdr
		h.Name, h.ModTime, h.Format = it.name, epoch, tar.FormatPAX
		_ = tw.WriteHeader(&h)
		_, _ = tw.Write(it.body)
	}
	_ = tw.Close()
	return buf.Bytes()
}

func names0(n []string) string {
	if len(n) == 0 {
		return ""
	}
	return n[0]
}

// filler returns n bytes of incompressible but deterministic data.
func filler(seed string, n int) []byte {
	h := fnv.New64a()
	_, _ = h.Write([]byte(seed))
	s := h.Sum64()
	r := rand.New(rand.NewPCG(s, s^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := 0; i+8 <= n; i += 8 {
		v := r.Uint64()
		for j := range 8 {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	return b
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Bytes()
}

// index writes an index (OCI) or manifest list (Docker) of the entries.
func (l *layout) index(docker bool, entries []descriptor, annotations map[string]string) descriptor {
	mt := model.MediaOCIIndex
	if docker {
		mt = model.MediaDockerList
	}
	m := manifestJSON{SchemaVersion: 2, MediaType: mt, Manifests: entries, Annotations: annotations}
	return l.json(mt, m)
}
