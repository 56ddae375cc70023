package demo

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/platypus-tui/platypus/model"
)

// store is what the demo registry holds: the seeded OCI layouts, read
// when a repository is first asked for (a layout of a million tags is
// not read unless used), and in memory on top of them whatever was pushed
// or deleted since. The layouts stay as seeded: the demo's own are built
// in memory when first asked for (lazy.go), those Options.Extra seeds are
// on disk.
type store struct {
	mu    sync.Mutex
	repos map[string]*repository
}

// repository is one repository's tags, manifests, referrers and pushed
// blobs. Its fields are guarded by the store's mutex.
type repository struct {
	dir string // its OCI layout on disk, "" when it has none
	// files is its OCI layout in memory (by path in the layout), once
	// build has built it; neither is set for a repository a push created.
	files  map[string][]byte
	build  *lazyLayout
	loaded bool
	// listed is false for a repository that has had blobs pushed but no
	// manifest yet: as in distribution, its blobs can be read but the
	// catalog does not list it.
	listed    bool
	tags      map[string]string    // tag → digest
	manifests map[string]*manifest // digest → manifest
	// referrers lists, per subject digest, the descriptors of the
	// manifests whose subject it is, in the order they arrived.
	referrers map[string][]descriptor
	blobs     map[string]blob // pushed or mounted blobs, by digest
}

// blob is a pushed blob's bytes, or the layout file of a blob mounted
// from another repository.
type blob struct {
	data []byte
	path string
}

// manifest is a manifest the repository holds; body is nil for a seeded
// one, read from the layout when asked for.
type manifest struct {
	mediaType string
	size      int64
	body      []byte
}

// newStore holds the demo's own repositories, unbuilt, and finds the
// layouts under dir (one per repository, wherever an oci-layout file is)
// without reading them; dir may be "".
func newStore(dir string) *store {
	s := &store{repos: map[string]*repository{}}
	for name, fill := range fills {
		s.repos[name] = &repository{build: newLazyLayout(name, fill), listed: true}
	}
	if dir == "" {
		return s
	}
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && d.Name() == "oci-layout" {
			if rel, err := filepath.Rel(dir, filepath.Dir(p)); err == nil {
				s.repos[filepath.ToSlash(rel)] = &repository{dir: filepath.Dir(p), listed: true}
			}
		}
		return nil
	})
	return s
}

// get returns the named repository, its layout read, or nil. The caller
// holds s.mu.
func (s *store) get(name string) *repository {
	r := s.repos[name]
	if r != nil && !r.loaded {
		r.load()
	}
	return r
}

// create returns the named repository, made empty if it is new. The
// caller holds s.mu.
func (s *store) create(name string) *repository {
	if r := s.get(name); r != nil {
		return r
	}
	r := &repository{loaded: true}
	r.init()
	s.repos[name] = r
	return r
}

func (r *repository) init() {
	r.tags, r.manifests = map[string]string{}, map[string]*manifest{}
	r.referrers, r.blobs = map[string][]descriptor{}, map[string]blob{}
}

// referrersTag is the referrers tag schema of the distribution spec: an
// index of the artifacts whose subject is sha256:<hex>. Seeded layouts
// attach artifacts this way (regclient reads layouts so); the registry
// answers them through the referrers API and does not list the tag.
func referrersTag(tag string) (subject string, ok bool) {
	hex, ok := strings.CutPrefix(tag, "sha256-")
	if ok && isDigest("sha256:"+hex) {
		return "sha256:" + hex, true
	}
	return "", false
}

// load reads the layout's index.json and every manifest it reaches. A
// layout that cannot be read leaves the repository empty; what a
// broken layout lists but does not hold is not there.
func (r *repository) load() {
	r.loaded = true
	r.init()
	if r.build != nil {
		r.files = r.build.get()
	}
	b, err := r.readFile("index.json")
	if err != nil {
		return
	}
	var idx manifestJSON
	if json.Unmarshal(b, &idx) != nil {
		return
	}
	for _, d := range idx.Manifests {
		name := d.Annotations[model.AnnotationRefName]
		if subject, ok := referrersTag(name); ok {
			r.loadReferrers(subject, d)
			continue
		}
		if r.loadManifest(d, 0) && name != "" {
			r.tags[name] = d.Digest
		}
	}
}

// maxNesting bounds how deep load follows indexes in indexes (a seeded
// fixture nests deeper than platypus follows, on purpose).
const maxNesting = 32

// loadManifest records the manifest d and, for an index, its children;
// false when the layout does not hold it.
func (r *repository) loadManifest(d descriptor, depth int) bool {
	if _, ok := r.manifests[d.Digest]; ok {
		return true
	}
	if depth > maxNesting || !isDigest(d.Digest) {
		return false
	}
	size, ok := r.fileSize(blobFile(d.Digest))
	if !ok {
		return false
	}
	r.manifests[d.Digest] = &manifest{mediaType: d.MediaType, size: size}
	if isIndex(d.MediaType) {
		if b, err := r.readFile(blobFile(d.Digest)); err == nil {
			var idx manifestJSON
			if json.Unmarshal(b, &idx) == nil {
				for _, c := range idx.Manifests {
					r.loadManifest(c, depth+1)
				}
			}
		}
	}
	return true
}

// loadReferrers reads a referrers tag's index: its entries are the
// subject's referrers, as the referrers API lists them.
func (r *repository) loadReferrers(subject string, d descriptor) {
	b, err := r.readFile(blobFile(d.Digest))
	if err != nil {
		return
	}
	var idx manifestJSON
	if json.Unmarshal(b, &idx) != nil {
		return
	}
	for _, e := range idx.Manifests {
		if r.loadManifest(e, 0) {
			r.referrers[subject] = append(r.referrers[subject], e)
		}
	}
}

// readFile reads a file of the repository's layout, in memory or on disk.
func (r *repository) readFile(name string) ([]byte, error) {
	if r.files != nil {
		if b, ok := r.files[name]; ok {
			return b, nil
		}
		return nil, fs.ErrNotExist
	}
	if r.dir == "" {
		return nil, fs.ErrNotExist
	}
	return os.ReadFile(filepath.Join(r.dir, filepath.FromSlash(name))) //nolint:wrapcheck // callers say which layout
}

// fileSize is the size of a file of the repository's layout, if it has it.
func (r *repository) fileSize(name string) (int64, bool) {
	if r.files != nil {
		b, ok := r.files[name]
		return int64(len(b)), ok
	}
	if r.dir == "" {
		return 0, false
	}
	info, err := os.Stat(filepath.Join(r.dir, filepath.FromSlash(name)))
	if err != nil {
		return 0, false
	}
	return info.Size(), true
}

// isDigest tells a sha256 digest, the only kind the demo holds.
func isDigest(s string) bool {
	hex, ok := strings.CutPrefix(s, "sha256:")
	if !ok || len(hex) != 64 {
		return false
	}
	for _, c := range hex {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// manifestBody returns a manifest's bytes.
func (r *repository) manifestBody(digest string, m *manifest) ([]byte, error) {
	if m.body != nil {
		return m.body, nil
	}
	b, err := r.readFile(blobFile(digest))
	if err != nil {
		return nil, fmt.Errorf("demo registry: %w", err)
	}
	return b, nil
}

// hasBlob tells whether the repository holds the blob (pushed, mounted,
// or in its layout).
func (r *repository) hasBlob(digest string) bool {
	_, ok := r.findBlob(digest)
	return ok
}

// findBlob returns the blob: pushed or mounted, else its layout's file.
func (r *repository) findBlob(digest string) (blob, bool) {
	if b, ok := r.blobs[digest]; ok {
		return b, true
	}
	if !isDigest(digest) {
		return blob{}, false
	}
	if b, ok := r.files[blobFile(digest)]; ok {
		return blob{data: b}, true
	}
	if r.dir == "" {
		return blob{}, false
	}
	p := filepath.Join(r.dir, filepath.FromSlash(blobFile(digest)))
	if _, err := os.Stat(p); err != nil {
		return blob{}, false
	}
	return blob{path: p}, true
}

// mount gives repository name the blob digest of repository from, as a
// cross-repository mount does; false when from does not hold it.
func (s *store) mount(name, from, digest string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	src := s.get(from)
	if src == nil {
		return false
	}
	b, ok := src.findBlob(digest)
	if !ok {
		return false
	}
	dst := s.get(name)
	if dst == nil {
		dst = s.create(name)
		dst.listed = false
	}
	dst.blobs[digest] = b
	return true
}

func isIndex(mediaType string) bool {
	return mediaType == model.MediaOCIIndex || mediaType == model.MediaDockerList
}
