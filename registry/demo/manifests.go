package demo

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/platypus-tui/platypus/model"
)

// maxManifest is the largest manifest a push may send (distribution's
// limit).
const maxManifest = 4 << 20

// manifestGet answers GET and HEAD of a manifest by tag or digest.
func (s *store) manifestGet(w http.ResponseWriter, r *http.Request, name, ref string) {
	s.mu.Lock()
	repo := s.get(name)
	var m *manifest
	digest := ref
	if repo != nil {
		if !isDigest(ref) {
			digest = repo.tags[ref]
		}
		m = repo.manifests[digest]
	}
	s.mu.Unlock()
	if m == nil {
		writeError(w, r, http.StatusNotFound, "MANIFEST_UNKNOWN", name)
		return
	}
	body, err := repo.manifestBody(digest, m)
	if err != nil {
		writeError(w, r, http.StatusNotFound, "MANIFEST_UNKNOWN", name)
		return
	}
	w.Header().Set("Content-Type", m.mediaType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Header().Set("Docker-Content-Digest", digest)
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// pushed is what a pushed manifest says that the registry checks.
type pushed struct {
	MediaType    string            `json:"mediaType"`
	ArtifactType string            `json:"artifactType"`
	Config       *descriptor       `json:"config"`
	Layers       []descriptor      `json:"layers"`
	Manifests    []descriptor      `json:"manifests"`
	Subject      *descriptor       `json:"subject"`
	Annotations  map[string]string `json:"annotations"`
}

// manifestPut stores a pushed manifest, under its digest and, for a tag,
// the tag too. As distribution does, it refuses a manifest whose blobs or
// child manifests the repository does not hold.
func (s *store) manifestPut(w http.ResponseWriter, r *http.Request, name, ref string) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxManifest+1))
	if err != nil {
		writeError(w, r, http.StatusBadRequest, "MANIFEST_INVALID", name)
		return
	}
	if len(body) > maxManifest {
		writeError(w, r, http.StatusRequestEntityTooLarge, "SIZE_INVALID", name)
		return
	}
	digest := model.DigestOf(body)
	if isDigest(ref) && ref != digest {
		writeError(w, r, http.StatusBadRequest, "DIGEST_INVALID", name)
		return
	}
	if !isDigest(ref) && !isTag(ref) {
		writeError(w, r, http.StatusBadRequest, "TAG_INVALID", name)
		return
	}
	var p pushed
	if json.Unmarshal(body, &p) != nil {
		writeError(w, r, http.StatusBadRequest, "MANIFEST_INVALID", name)
		return
	}
	mediaType := r.Header.Get("Content-Type")
	if mediaType == "" {
		mediaType = p.MediaType
	}
	if mediaType == "" || (p.MediaType != "" && p.MediaType != mediaType) {
		writeError(w, r, http.StatusBadRequest, "MANIFEST_INVALID", name)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	repo := s.create(name)
	if !repo.holdsWhatItNames(mediaType, p) {
		writeError(w, r, http.StatusBadRequest, "MANIFEST_BLOB_UNKNOWN", name)
		return
	}
	repo.manifests[digest] = &manifest{mediaType: mediaType, size: int64(len(body)), body: body}
	if !isDigest(ref) {
		repo.tags[ref] = digest
	}
	repo.listed = true
	if p.Subject != nil && isDigest(p.Subject.Digest) {
		repo.addReferrer(p.Subject.Digest, descriptor{
			MediaType: mediaType, ArtifactType: p.artifactType(), Digest: digest,
			Size: int64(len(body)), Annotations: p.Annotations,
		})
		w.Header().Set("OCI-Subject", p.Subject.Digest)
	}
	w.Header().Set("Location", "/v2/"+name+"/manifests/"+digest)
	w.Header().Set("Docker-Content-Digest", digest)
	w.WriteHeader(http.StatusCreated)
}

// artifactType is what the referrers API lists for a manifest: its
// artifactType, else its config's media type (OCI image spec).
func (p pushed) artifactType() string {
	if p.ArtifactType != "" || p.Config == nil {
		return p.ArtifactType
	}
	return p.Config.MediaType
}

func (r *repository) holdsWhatItNames(mediaType string, p pushed) bool {
	if isIndex(mediaType) {
		for _, c := range p.Manifests {
			if r.manifests[c.Digest] == nil {
				return false
			}
		}
		return true
	}
	if p.Config != nil && !r.hasBlob(p.Config.Digest) {
		return false
	}
	for _, l := range p.Layers {
		// Foreign layers (with URLs) are not in the registry.
		if len(l.URLs) == 0 && !r.hasBlob(l.Digest) {
			return false
		}
	}
	return true
}

func (r *repository) addReferrer(subject string, d descriptor) {
	list := r.referrers[subject]
	for i, e := range list {
		if e.Digest == d.Digest {
			list[i] = d
			return
		}
	}
	r.referrers[subject] = append(list, d)
}

// manifestDelete deletes a tag, or a manifest by digest with every tag
// that points at it (as distribution does). Blobs stay.
func (s *store) manifestDelete(w http.ResponseWriter, r *http.Request, name, ref string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	repo := s.get(name)
	if repo == nil || repo.delete(ref) != nil {
		writeError(w, r, http.StatusNotFound, "MANIFEST_UNKNOWN", name)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

var errUnknownManifest = errors.New("manifest unknown")

func (r *repository) delete(ref string) error {
	if !isDigest(ref) {
		if _, ok := r.tags[ref]; !ok {
			return errUnknownManifest
		}
		delete(r.tags, ref)
		return nil
	}
	if r.manifests[ref] == nil {
		return errUnknownManifest
	}
	delete(r.manifests, ref)
	for t, d := range r.tags {
		if d == ref {
			delete(r.tags, t)
		}
	}
	for subject, list := range r.referrers {
		for i, e := range list {
			if e.Digest == ref {
				r.referrers[subject] = append(list[:i:i], list[i+1:]...)
				break
			}
		}
	}
	return nil
}
