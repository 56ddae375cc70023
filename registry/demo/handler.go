package demo

import (
	"io"
	"log"
	"net/http"
	"regexp"
	"strings"
	"sync"

	ggcr "github.com/google/go-containerregistry/pkg/registry"
)

// handler serves the distribution API: manifests, tags, referrers and the
// catalog from the store; blobs through go-containerregistry's registry,
// whose storage is the store's.
type handler struct {
	s     *store
	blobs http.Handler
}

func newHandler(s *store) *handler {
	return &handler{s: s, blobs: ggcr.New(
		ggcr.WithBlobHandler(blobStore{s}),
		ggcr.Logger(log.New(io.Discard, "", 0)),
	)}
}

// nameRE matches a repository name as the distribution spec allows it;
// compiled when first used, not while platypus starts.
var nameRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$`)
})

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Docker-Distribution-API-Version", "registry/2.0")
	path := r.URL.Path
	if path == "/v2/" || path == "/v2" {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			writeError(w, r, http.StatusMethodNotAllowed, "UNSUPPORTED", "")
			return
		}
		w.WriteHeader(http.StatusOK)
		return
	}
	if path == "/v2/_catalog" && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		h.s.catalog(w, r)
		return
	}
	name, kind, rest, ok := route(path)
	if !ok {
		writeError(w, r, http.StatusNotFound, "UNSUPPORTED", "")
		return
	}
	if !nameRE().MatchString(name) {
		writeError(w, r, http.StatusBadRequest, "NAME_INVALID", name)
		return
	}
	// The demo's own repositories are built when first asked for, here
	// rather than under the store's lock.
	h.s.build(name)
	if from := r.URL.Query().Get("from"); from != "" {
		h.s.build(from)
	}
	read := r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodDelete
	upload := kind == "blobs" && (rest == "uploads" || strings.HasPrefix(rest, "uploads/"))
	// A repository that does not exist is 404 to every read, as in
	// distribution; pushes create it.
	if read && !upload && !h.s.exists(name) {
		code := map[string]string{"tags": "NAME_UNKNOWN", "manifests": "MANIFEST_UNKNOWN", "referrers": "MANIFEST_UNKNOWN", "blobs": "BLOB_UNKNOWN"}[kind]
		writeError(w, r, http.StatusNotFound, code, name)
		return
	}
	switch {
	case kind == "tags" && rest == "list" && read && r.Method != http.MethodDelete:
		h.s.tagList(w, r, name)
	case kind == "manifests" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		h.s.manifestGet(w, r, name, rest)
	case kind == "manifests" && r.Method == http.MethodPut:
		h.s.manifestPut(w, r, name, rest)
	case kind == "manifests" && r.Method == http.MethodDelete:
		h.s.manifestDelete(w, r, name, rest)
	case kind == "referrers" && r.Method == http.MethodGet:
		h.s.referrers(w, r, name, rest)
	case kind == "blobs" && upload && r.Method == http.MethodPost && r.URL.Query().Get("mount") != "" &&
		h.s.mount(name, r.URL.Query().Get("from"), r.URL.Query().Get("mount")):
		// A mount (go-containerregistry's registry has none): 201, as
		// distribution answers; one it cannot do starts an upload below.
		digest := r.URL.Query().Get("mount")
		w.Header().Set("Location", "/v2/"+name+"/blobs/"+digest)
		w.Header().Set("Docker-Content-Digest", digest)
		w.WriteHeader(http.StatusCreated)
	case kind == "blobs":
		h.blobs.ServeHTTP(w, r.WithContext(withRepo(r.Context(), name)))
	default:
		writeError(w, r, http.StatusMethodNotAllowed, "UNSUPPORTED", name)
	}
}

// route splits /v2/NAME/KIND/REST: KIND is tags, manifests, referrers
// or blobs, the next to last element (or blobs before uploads/ID).
func route(path string) (name, kind, rest string, ok bool) {
	p, ok := strings.CutPrefix(path, "/v2/")
	if !ok {
		return "", "", "", false
	}
	el := strings.Split(p, "/")
	n := len(el)
	if n >= 4 && el[n-3] == "blobs" && el[n-2] == "uploads" {
		return strings.Join(el[:n-3], "/"), "blobs", "uploads/" + el[n-1], true
	}
	if n < 3 {
		return "", "", "", false
	}
	switch el[n-2] {
	case "tags", "manifests", "referrers", "blobs":
		return strings.Join(el[:n-2], "/"), el[n-2], el[n-1], true
	}
	return "", "", "", false
}

// exists tells whether the repository exists (seeded, or pushed to).
func (s *store) exists(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.repos[name] != nil
}
