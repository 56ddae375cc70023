package demo

import (
	"net/http"
	"slices"
)

// catalog answers /v2/_catalog (optional in the distribution spec, which
// Docker Hub lacks and distribution has): the seeded repositories and
// those pushed since, in pages (n, last, Link header). A repository that has
// had blobs but no manifest pushed is not listed, as in distribution.
func (s *store) catalog(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	all := make([]string, 0, len(s.repos))
	for name, repo := range s.repos {
		if repo.listed {
			all = append(all, name)
		}
	}
	s.mu.Unlock()
	slices.Sort(all)
	page, next, ok := paginate(all, r.URL.Query())
	if !ok {
		writeError(w, r, http.StatusBadRequest, "PAGINATION_NUMBER_INVALID", "")
		return
	}
	if next != "" {
		w.Header().Set("Link", `</v2/_catalog?`+next+`>; rel="next"`)
	}
	writeJSON(w, r, map[string][]string{"repositories": page})
}
