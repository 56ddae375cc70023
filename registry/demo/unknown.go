package demo

import (
	"encoding/json"
	"net/http"
)

// writeError answers as distribution does: the status, and unless the
// request is a HEAD, a JSON body with the error code.
func writeError(w http.ResponseWriter, r *http.Request, status int, code, repo string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Docker-Distribution-API-Version", "registry/2.0")
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return
	}
	type errDetail struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Detail  map[string]string `json:"detail,omitempty"`
	}
	var detail map[string]string
	if repo != "" {
		detail = map[string]string{"name": repo}
	}
	_ = json.NewEncoder(w).Encode(map[string][]errDetail{"errors": {{
		Code: code, Message: messages[code], Detail: detail,
	}}})
}

var messages = map[string]string{
	"NAME_UNKNOWN":              "repository name not known to registry",
	"NAME_INVALID":              "invalid repository name",
	"MANIFEST_UNKNOWN":          "manifest unknown",
	"MANIFEST_INVALID":          "manifest invalid",
	"MANIFEST_BLOB_UNKNOWN":     "blob unknown to registry",
	"BLOB_UNKNOWN":              "blob unknown to registry",
	"DIGEST_INVALID":            "provided digest did not match uploaded content",
	"TAG_INVALID":               "manifest tag did not match URI",
	"SIZE_INVALID":              "provided length did not match content length",
	"PAGINATION_NUMBER_INVALID": "invalid number of results requested",
	"UNSUPPORTED":               "The operation is unsupported.",
}
