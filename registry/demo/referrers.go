package demo

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/platypus-tui/platypus/model"
)

// referrers answers the referrers API (distribution spec 1.1): an index of
// the manifests whose subject is the digest, filtered by artifactType if
// asked; a digest with none has an empty list.
func (s *store) referrers(w http.ResponseWriter, r *http.Request, name, digest string) {
	if !isDigest(digest) {
		writeError(w, r, http.StatusBadRequest, "DIGEST_INVALID", name)
		return
	}
	want := r.URL.Query().Get("artifactType")
	list := []descriptor{}
	s.mu.Lock()
	if repo := s.get(name); repo != nil {
		for _, d := range repo.referrers[digest] {
			if want == "" || d.ArtifactType == want {
				list = append(list, d)
			}
		}
	}
	s.mu.Unlock()
	// Not manifestJSON: an empty list is "manifests": [], not left out.
	b, _ := json.Marshal(struct {
		SchemaVersion int          `json:"schemaVersion"`
		MediaType     string       `json:"mediaType"`
		Manifests     []descriptor `json:"manifests"`
	}{2, model.MediaOCIIndex, list})
	if want != "" {
		w.Header().Set("OCI-Filters-Applied", "artifactType")
	}
	w.Header().Set("Content-Type", model.MediaOCIIndex)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(b)
	}
}
