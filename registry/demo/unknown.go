package demo

import (
	"encoding/json"
	"net/http"
	"strings"
)

// olareg answers a repository it has never seen as if it were empty (200
// and no tags). A real registry (distribution, the OCI spec) says 404
// (NAME_UNKNOWN for its tag list), and platypus then says "not found": the demo does the same
// for anything that reads a repository. Pushes still create one.

// readsRepository returns the repository a request reads (a tag list, a
// manifest, a blob or the referrers of a digest, fetched or deleted) and
// the error code distribution answers when it does not exist.
// Uploads and manifest PUTs are writes, which may create the repository.
func readsRepository(r *http.Request) (repo, code string, ok bool) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodDelete {
		return "", "", false
	}
	path, ok := strings.CutPrefix(r.URL.Path, "/v2/")
	if !ok {
		return "", "", false
	}
	el := strings.Split(path, "/")
	n := len(el)
	if n < 3 {
		return "", "", false
	}
	// As olareg matches routes: the repository is everything before the
	// last two elements.
	switch kind := el[n-2]; {
	case kind == "tags" && el[n-1] == "list":
		return strings.Join(el[:n-2], "/"), "NAME_UNKNOWN", true
	case kind == "manifests", kind == "referrers":
		return strings.Join(el[:n-2], "/"), "MANIFEST_UNKNOWN", true
	case kind == "blobs" && el[n-1] != "uploads":
		return strings.Join(el[:n-2], "/"), "BLOB_UNKNOWN", true
	}
	return "", "", false
}

func (c *catalog) has(repo string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.repos[repo] || c.blobsOnly[repo]
}

// blobWrite returns the repository of a request that ends a blob upload
// or mounts a blob (201 Created when it worked).
func blobWrite(r *http.Request) (string, bool) {
	if r.Method != http.MethodPut && r.Method != http.MethodPost {
		return "", false
	}
	path, ok := strings.CutPrefix(r.URL.Path, "/v2/")
	if !ok {
		return "", false
	}
	repo, _, ok := strings.Cut(path, "/blobs/uploads")
	return repo, ok && repo != ""
}

func unknown(w http.ResponseWriter, r *http.Request, repo, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Docker-Distribution-API-Version", "registry/2.0")
	w.WriteHeader(http.StatusNotFound)
	if r.Method == http.MethodHead {
		return
	}
	type errDetail struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Detail  map[string]string `json:"detail"`
	}
	_ = json.NewEncoder(w).Encode(map[string][]errDetail{"errors": {{
		Code: code, Message: messages[code], Detail: map[string]string{"name": repo},
	}}})
}

var messages = map[string]string{
	"NAME_UNKNOWN":     "repository name not known to registry",
	"MANIFEST_UNKNOWN": "manifest unknown",
	"BLOB_UNKNOWN":     "blob unknown to registry",
}
