package ui

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/check"
	"github.com/platypus-tui/platypus/model/fstree"
	"github.com/platypus-tui/platypus/registry"
)

// memHost is the registry a memRegistry answers for.
const memHost = "registry.test"

// memRegistry is the explorer's Registry in memory, for tests of screens
// that need data and not a registry: manifests and configs by digest,
// tags by repository, referrers by subject, layers made up. It only
// reads; what it cannot answer (files, writes) is an error, not a panic.
type memRegistry struct {
	mu        sync.Mutex
	blobs     map[string][]byte // manifests and configs, by digest
	media     map[string]string // a manifest's media type, by digest
	repos     []string          // in catalog order
	tags      map[string][]string
	at        map[string]string // "repo:tag" to digest
	referrers map[string][]model.Descriptor
	// unpacked is the size of each layer ImageLayers read.
	unpacked map[string]int64
	// gate, when set, runs first in every call that takes a context: it
	// may wait (on ctx), or fail the call.
	gate func(ctx context.Context, op string, r model.Reference) error
	// stream, when set, sends the tag lists instead.
	stream func(ctx context.Context, r model.Reference, emit registry.Emit) (registry.Page, error)
}

var _ Registry = (*memRegistry)(nil)

var errMemUnsupported = errors.New("not held by the in-memory registry")

func newMemRegistry() *memRegistry {
	return &memRegistry{blobs: map[string][]byte{}, media: map[string]string{}, tags: map[string][]string{}, at: map[string]string{}, referrers: map[string][]model.Descriptor{}, unpacked: map[string]int64{}}
}

// What the fixtures write: the JSON of manifests and configs (not model's
// types, whose JSON is the CLI's).
type (
	memPlatform struct {
		OS           string `json:"os"`
		Architecture string `json:"architecture"`
		Variant      string `json:"variant,omitempty"`
	}
	memDesc struct {
		MediaType    string       `json:"mediaType"`
		Digest       string       `json:"digest"`
		Size         int64        `json:"size"`
		ArtifactType string       `json:"artifactType,omitempty"`
		Platform     *memPlatform `json:"platform,omitempty"`
	}
	memManifest struct {
		SchemaVersion int       `json:"schemaVersion"`
		MediaType     string    `json:"mediaType"`
		ArtifactType  string    `json:"artifactType,omitempty"`
		Config        *memDesc  `json:"config,omitempty"`
		Layers        []memDesc `json:"layers,omitempty"`
		Manifests     []memDesc `json:"manifests,omitempty"`
		Subject       *memDesc  `json:"subject,omitempty"`
	}
	memConfig struct {
		OS           string `json:"os"`
		Architecture string `json:"architecture"`
		Variant      string `json:"variant,omitempty"`
		Created      string `json:"created"`
		Config       struct {
			Cmd []string `json:"Cmd"`
		} `json:"config"`
		RootFS struct {
			Type    string   `json:"type"`
			DiffIDs []string `json:"diff_ids"`
		} `json:"rootfs"`
	}
)

const (
	memIndexType    = "application/vnd.oci.image.index.v1+json"
	memManifestType = "application/vnd.oci.image.manifest.v1+json"
	memConfigType   = "application/vnd.oci.image.config.v1+json"
	memLayerType    = "application/vnd.oci.image.layer.v1.tar+gzip"
)

// put keeps b and returns its descriptor.
func (m *memRegistry) put(mediaType string, v any) memDesc {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // the fixtures' own types
	}
	d := memDesc{MediaType: mediaType, Digest: model.DigestOf(b), Size: int64(len(b))}
	m.mu.Lock()
	m.blobs[d.Digest], m.media[d.Digest] = b, mediaType
	m.mu.Unlock()
	return d
}

// tag points repo:tag at d, listing the repository and the tag.
func (m *memRegistry) tag(repo, tag string, d memDesc) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !slices.Contains(m.repos, repo) {
		m.repos = append(m.repos, repo)
	}
	if !slices.Contains(m.tags[repo], tag) {
		m.tags[repo] = append(m.tags[repo], tag)
	}
	m.at[repo+":"+tag] = d.Digest
}

// image writes an image for platform p ("linux/arm64/v8") with n layers;
// name makes its content its own.
func (m *memRegistry) image(p, name string, n int) memDesc {
	plat, err := model.ParsePlatform(p)
	if err != nil {
		panic(err)
	}
	cfg := memConfig{OS: plat.OS, Architecture: plat.Architecture, Variant: plat.Variant, Created: "2024-05-01T00:00:00Z"}
	cfg.Config.Cmd = []string{"/bin/sh", "-c", name}
	cfg.RootFS.Type = "layers"
	man := memManifest{SchemaVersion: 2, MediaType: memManifestType}
	for i := range n {
		layer := fmt.Sprintf("%s layer %d", name, i)
		cfg.RootFS.DiffIDs = append(cfg.RootFS.DiffIDs, model.DigestOf([]byte(layer+" tar")))
		man.Layers = append(man.Layers, memDesc{MediaType: memLayerType, Digest: model.DigestOf([]byte(layer)), Size: int64(1000 * (i + 1))})
	}
	c := m.put(memConfigType, cfg)
	man.Config = &c
	d := m.put(memManifestType, man)
	d.Platform = &memPlatform{OS: plat.OS, Architecture: plat.Architecture, Variant: plat.Variant}
	return d
}

// index writes an index of images, one per platform.
func (m *memRegistry) index(name string, platforms ...string) memDesc {
	idx := memManifest{SchemaVersion: 2, MediaType: memIndexType}
	for _, p := range platforms {
		idx.Manifests = append(idx.Manifests, m.image(p, name+" "+p, 2))
	}
	return m.put(memIndexType, idx)
}

// artifact writes an artifact that refers to subject, and lists it
// among subject's referrers.
func (m *memRegistry) artifact(subject memDesc, artifactType string) memDesc {
	empty := m.put("application/vnd.oci.empty.v1+json", struct{}{})
	s := subject
	s.Platform = nil
	d := m.put(memManifestType, memManifest{SchemaVersion: 2, MediaType: memManifestType, ArtifactType: artifactType, Config: &empty, Subject: &s})
	m.mu.Lock()
	m.referrers[subject.Digest] = append(m.referrers[subject.Digest], model.Descriptor{MediaType: d.MediaType, Digest: d.Digest, Size: d.Size, ArtifactType: artifactType})
	m.mu.Unlock()
	return d
}

// memFixture is a small registry: indexes, tags and a referrer.
func memFixture() *memRegistry {
	m := newMemRegistry()
	for _, tag := range []string{"6.6", "7", "8", "latest"} {
		m.tag("library/centos", tag, m.index("centos "+tag, "linux/amd64", "linux/arm64/v8"))
	}
	m.tag("library/hello-world", "latest", m.index("hello latest", "linux/amd64", "linux/arm/v7"))
	m.tag("library/hello-world", "linux", m.index("hello linux", "linux/amd64"))
	m.tag("library/mysql", "5.7", m.index("mysql 5.7", "linux/amd64"))
	m.tag("library/mysql", "8", m.index("mysql 8", "linux/amd64", "linux/arm64/v8"))
	charts := m.index("charts 0.1.0", "linux/amd64")
	m.tag("platypus/charts", "0.1.0", charts)
	m.artifact(charts, "application/vnd.dev.sigstore.bundle.v0.3+json")
	return m
}

// memLoc is a location of memHost ("library/centos:7", or "" for the
// host).
func memLoc(t testing.TB, s string) *model.Location {
	t.Helper()
	if s != "" {
		s = "/" + s
	}
	loc, err := model.ParseLocation(memHost+s, "")
	if err != nil {
		t.Fatal(err)
	}
	return &loc
}

// openMemImage opens the linux/amd64 image of memFixture's
// library/centos:7.
func openMemImage(t *testing.T) *harness {
	t.Helper()
	h := newMemHarness(t, memFixture(), memLoc(t, "library/centos:7"), "linux/amd64")
	h.keys("enter")
	if _, ok := h.top().(*imageScreen); !ok {
		t.Fatalf("enter did not open the image:\n%s", h.view())
	}
	return h
}

// newMemHarness is a harness on m, opened at loc (nil: the start screen).
// The release check gathers its facts from m too: the harness opens on
// the start screen, which asks nothing, and goes to loc once they are.
func newMemHarness(t testing.TB, m *memRegistry, loc *model.Location, target string) *harness {
	t.Helper()
	h := newHarnessWith(t, m, "", "mono", nil, target)
	h.c.checkFacts = m.checkFacts
	if loc != nil {
		h.send(resetMsg{screens: screensFor(*loc)})
	}
	return h
}

// checkFacts are the release check's facts, from memory: the tree and
// the referrers; nothing is missing and no layer was read.
func (m *memRegistry) checkFacts(ctx context.Context, r model.Reference, o registry.CheckOptions) (*check.Facts, error) {
	if err := m.wait(ctx, "check", r); err != nil {
		return nil, err
	}
	tree := o.Tree
	if tree == nil {
		var err error
		if tree, err = m.expand(r, registry.ExpandOptions{Children: true, Configs: true}); err != nil {
			return nil, err
		}
	}
	f := &check.Facts{Tree: tree, Referrers: map[string][]check.Referrer{}}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, d := range append([]string{tree.Root.Digest}, slices.Collect(maps.Keys(tree.Children))...) {
		for _, ref := range m.referrers[d] {
			f.Referrers[d] = append(f.Referrers[d], check.Referrer{Descriptor: ref})
		}
	}
	return f, nil
}

func (m *memRegistry) wait(ctx context.Context, op string, r model.Reference) error {
	if m.gate != nil {
		if err := m.gate(ctx, op, r); err != nil {
			return err
		}
	}
	return ctx.Err()
}

func notFound(op string, r model.Reference) error {
	return &registry.Error{Op: op, Target: r.String(), Host: r.Registry, Kind: registry.ErrNotFound}
}

// manifest is the manifest r names, by digest or tag.
func (m *memRegistry) manifest(r model.Reference) (*model.Manifest, error) {
	m.mu.Lock()
	digest := r.Digest
	if digest == "" {
		digest = m.at[r.Repository+":"+r.Pullable().Tag]
	}
	raw, ok := m.blobs[digest]
	mt := m.media[digest]
	m.mu.Unlock()
	if !ok || (mt != memIndexType && mt != memManifestType) {
		return nil, notFound("get manifest", r)
	}
	man, err := model.DecodeManifest(raw, mt)
	if err != nil {
		return nil, err
	}
	man.Ref = r
	return man, nil
}

func (m *memRegistry) config(d *model.Descriptor) (*model.Config, error) {
	m.mu.Lock()
	raw, ok := m.blobs[d.Digest]
	m.mu.Unlock()
	if !ok {
		return nil, errMemUnsupported
	}
	return model.DecodeConfig(raw)
}

func (m *memRegistry) Expand(ctx context.Context, r model.Reference, o registry.ExpandOptions) (*model.Tree, error) {
	if err := m.wait(ctx, "expand", r); err != nil {
		return nil, err
	}
	return m.expand(r, o)
}

func (m *memRegistry) expand(r model.Reference, o registry.ExpandOptions) (*model.Tree, error) {
	root, err := m.manifest(r)
	if err != nil {
		return nil, err
	}
	t := model.NewTree(root)
	images := []*model.Manifest{root}
	if root.IsIndex() && o.Children {
		for _, e := range root.Entries {
			c, err := m.manifest(r.WithDigest(e.Digest))
			if err != nil {
				t.Errors[e.Digest] = err
				continue
			}
			t.Children[e.Digest] = c
			images = append(images, c)
		}
	}
	for _, im := range images {
		if o.Configs && im.Kind == model.KindImage && im.Config != nil {
			if cfg, err := m.config(im.Config); err == nil {
				t.Configs[im.Digest] = cfg
			} else {
				t.ConfigErrors[im.Digest] = err
			}
		}
	}
	t.SettleKinds()
	return t, nil
}

func (m *memRegistry) Summarize(ctx context.Context, r model.Reference) (registry.Summary, error) {
	if err := m.wait(ctx, "summarize", r); err != nil {
		return registry.Summary{}, err
	}
	t, err := m.expand(r, registry.ExpandOptions{Children: true})
	if err != nil {
		return registry.Summary{}, err
	}
	s := registry.Summary{Digest: t.Root.Digest, Kind: t.Root.Kind}
	for _, e := range t.Root.Entries {
		if e.Kind == model.KindImage && e.Platform != nil {
			s.Platforms = append(s.Platforms, *e.Platform)
		}
	}
	for _, c := range t.Children {
		s.Size += model.Image{Manifest: c}.CompressedSize()
	}
	return s, nil
}

func (m *memRegistry) Referrers(ctx context.Context, r model.Reference) ([]model.Descriptor, error) {
	if err := m.wait(ctx, "referrers", r); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.referrers[r.Digest]), nil
}

func (m *memRegistry) Blob(ctx context.Context, r model.Reference, d model.Descriptor, limit int64) ([]byte, error) {
	if err := m.wait(ctx, "blob", r); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.blobs[d.Digest]
	if !ok || int64(len(b)) > limit {
		return nil, notFound("get blob", r.WithDigest(d.Digest))
	}
	return b, nil
}

func (m *memRegistry) Repositories(ctx context.Context, host, last string, n int) (registry.Page, error) {
	r := model.Reference{Registry: host}
	if err := m.wait(ctx, "repositories", r); err != nil {
		return registry.Page{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if host != memHost {
		return registry.Page{}, notFound("list repositories", r)
	}
	return registry.Page{Items: after(m.repos, last)}, nil
}

// after is the names that follow last.
func after(names []string, last string) []string {
	if i := slices.Index(names, last); i >= 0 {
		return slices.Clone(names[i+1:])
	}
	return slices.Clone(names)
}

func (m *memRegistry) TagsStream(ctx context.Context, r model.Reference, last string, n int, emit registry.Emit) (registry.Page, error) {
	if err := m.wait(ctx, "tags", r); err != nil {
		return registry.Page{}, err
	}
	if m.stream != nil {
		return m.stream(ctx, r, emit)
	}
	tags, err := m.AllTags(ctx, r)
	if err != nil {
		return registry.Page{}, err
	}
	tags = after(tags, last)
	if emit != nil {
		emit(tags, 0)
	}
	return registry.Page{Items: tags}, nil
}

func (m *memRegistry) AllTags(ctx context.Context, r model.Reference) ([]string, error) {
	if err := m.wait(ctx, "tags", r); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	tags, ok := m.tags[r.Repository]
	if !ok {
		return nil, notFound("list tags", r.RepoOnly())
	}
	return slices.Clone(tags), nil
}

// ImageLayers makes each layer of img up: layer i holds etc/layer-i, a
// file of i+1 KB, and unpacks to 10 KB per file.
func (m *memRegistry) ImageLayers(ctx context.Context, img *registry.Image, o registry.LayerOptions) ([]fstree.Layer, error) {
	if err := m.wait(ctx, "layers", img.Ref); err != nil {
		return nil, err
	}
	out := make([]fstree.Layer, len(img.Manifest.Layers))
	for i, d := range img.Manifest.Layers {
		l := fstree.Layer{Index: i, Digest: d.Digest, Uncompressed: 10_000 * int64(i+1), Source: fstree.SourceStream}
		body := []byte(strings.Repeat("x", 1000*(i+1)))
		for _, r := range []fstree.Record{
			{Entry: fstree.Entry{Path: "etc", Type: fstree.Dir, Mode: 0o755}},
			{Entry: fstree.Entry{Path: fmt.Sprintf("etc/layer-%d", i), Type: fstree.File, Mode: 0o644, Size: int64(len(body)), Digest: sha256.Sum256(body)}},
		} {
			if err := l.Add(r); err != nil {
				return nil, err
			}
		}
		out[i] = l
		m.mu.Lock()
		m.unpacked[d.Digest] = l.Uncompressed
		m.mu.Unlock()
		if o.Progress != nil {
			o.Progress(d.Size, d.Size)
		}
	}
	return out, nil
}

func (m *memRegistry) FileContent(context.Context, *registry.Image, fstree.Entry, registry.FileOptions) (*registry.Content, error) {
	return nil, errMemUnsupported
}

func (m *memRegistry) Unpacked(layers []model.Descriptor) (n int64, estimated, ok bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, d := range layers {
		size, read := m.unpacked[d.Digest]
		if !read {
			return 0, false, false
		}
		n += size
	}
	return n, false, true
}

func (m *memRegistry) StartDraft(context.Context, model.Reference, bool) (*model.Draft, *model.Manifest, error) {
	return nil, nil, errMemUnsupported
}

func (m *memRegistry) DraftEntries(context.Context, model.Reference) ([]model.DraftEntry, error) {
	return nil, errMemUnsupported
}

func (m *memRegistry) Current(context.Context, model.Reference) (*model.Manifest, error) {
	return nil, errMemUnsupported
}

func (m *memRegistry) Push(context.Context, *model.Draft, registry.PushOptions) (registry.PushResult, error) {
	return registry.PushResult{}, errMemUnsupported
}

func (m *memRegistry) PlanCopy(context.Context, model.Reference, model.Reference, []model.Target) (*registry.CopyPlan, error) {
	return nil, errMemUnsupported
}

func (m *memRegistry) RunCopy(context.Context, *registry.CopyPlan, bool, registry.Journal, func(string, int, int)) (registry.CopyOutcome, error) {
	return registry.CopyOutcome{}, errMemUnsupported
}

func (m *memRegistry) PreviewUndo(context.Context, registry.UndoJournal, string, registry.UndoOptions) (registry.UndoPreview, error) {
	return registry.UndoPreview{}, errMemUnsupported
}

func (m *memRegistry) Undo(context.Context, registry.UndoJournal, string, registry.UndoOptions) (registry.UndoResult, error) {
	return registry.UndoResult{}, errMemUnsupported
}

// NewChecker is never asked for facts: the harness gathers them from
// memory (checkFacts); the composer only keeps it.
func (m *memRegistry) NewChecker() *registry.Checker { return &registry.Checker{} }

func (m *memRegistry) DraftTree(context.Context, *model.Draft) (*model.Tree, map[string]model.Reference, error) {
	return nil, nil, errMemUnsupported
}

func (m *memRegistry) JournalName(r model.Reference) string { return r.String() }

func (m *memRegistry) FromJournal(name string) (model.Reference, error) {
	return model.ParseReference(name)
}

func (m *memRegistry) Quota(string) registry.Quota { return registry.Quota{} }

func (m *memRegistry) CheckScanBudget(context.Context, model.Reference, []string, float64, int) error {
	return nil
}

// Scan judges each tag by Docker's rules, as the client does.
func (m *memRegistry) Scan(ctx context.Context, repo model.Reference, tags []string, target model.Target, fn func(registry.ScanResult)) {
	m.ScanFleet(ctx, repo, tags, model.Fleet{{Name: target.Platform.Display(), Target: target, Store: model.FleetDocker}}, fn)
}

// ScanFleet judges each tag for every target, by its store's rules.
func (m *memRegistry) ScanFleet(ctx context.Context, repo model.Reference, tags []string, fleet model.Fleet, fn func(registry.ScanResult)) {
	for _, tag := range tags {
		res := registry.ScanResult{Tag: tag, FitsAll: true}
		var t *model.Tree
		err := m.wait(ctx, "scan", repo.WithTag(tag))
		if err == nil {
			t, err = m.expand(repo.WithTag(tag), registry.ExpandOptions{Children: true, Configs: true})
		}
		if err == nil {
			res.Digest = t.Root.Digest
			for _, ft := range fleet {
				a := model.AnalyzeFor(t.Root, ft, t.Children, t.Configs)
				tr := registry.TargetResult{Supported: a.Primary.Found()}
				if tr.Supported {
					tr.Selected = a.Primary.Image
				}
				res.Targets = append(res.Targets, tr)
				res.FitsAll = res.FitsAll && tr.Supported
			}
			if len(res.Targets) > 0 {
				res.Supported, res.Selected = res.Targets[0].Supported, res.Targets[0].Selected
			}
		}
		res.Err = err
		fn(res)
	}
}

// A memRegistry is a whole registry to the explorer: its repositories,
// tags and indexes open as the demo's do, without a server.
func TestMemRegistryIsBrowsable(t *testing.T) {
	h := newMemHarness(t, memFixture(), memLoc(t, ""), "linux/arm64/v8")
	wantIn(t, h.view(), "library/centos", "library/hello-world", "platypus/charts")
	h.keys("enter")
	if _, ok := h.top().(*tagsScreen); !ok {
		t.Fatalf("enter on a repository opened %T:\n%s", h.top(), h.view())
	}
	wantIn(t, h.view(), "6.6", "latest")
	h.keys("j", "enter")
	if _, ok := h.top().(*indexScreen); !ok {
		t.Fatalf("enter on a tag opened %T:\n%s", h.top(), h.view())
	}
	wantIn(t, h.view(), "linux/amd64", "linux/arm64/v8", "docker pull selects")
}

// Leaving a screen cancels the context its requests run under: a request
// stuck in the registry ends with the screen.
func TestLeavingAScreenEndsItsRequests(t *testing.T) {
	m := memFixture()
	started, ended := make(chan struct{}), make(chan error, 1)
	m.gate = func(ctx context.Context, op string, r model.Reference) error {
		if op != "expand" || r.Tag != "8" {
			return nil
		}
		close(started)
		<-ctx.Done()
		ended <- ctx.Err()
		return ctx.Err()
	}
	h := newMemHarness(t, m, memLoc(t, "library/centos"), "linux/amd64")
	_, cmd := h.app.Update(pushMsg{make: newManifestScreen(memLoc(t, "library/centos:8").Ref, "", nil)})
	go collect(cmd)
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("the screen asked for nothing")
	}
	h.keys("esc")
	select {
	case err := <-ended:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("the request ended with %v, want it cancelled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the request outlived its screen")
	}
	if _, ok := h.top().(*tagsScreen); !ok {
		t.Errorf("esc: top %T", h.top())
	}
}
