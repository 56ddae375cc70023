package demo

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
)

// isTag tells a tag as the distribution spec allows it:
// [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}.
func isTag(s string) bool {
	if s == "" || len(s) > 128 || s[0] == '.' || s[0] == '-' {
		return false
	}
	for _, c := range s {
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '_' && c != '.' && c != '-' {
			return false
		}
	}
	return true
}

// tagList answers a repository's tag list in lexical order, in pages as
// the distribution spec says: n at most, after last, and a Link header
// to the next page when there is one.
func (s *store) tagList(w http.ResponseWriter, r *http.Request, name string) {
	s.mu.Lock()
	var tags []string
	if repo := s.get(name); repo != nil {
		tags = make([]string, 0, len(repo.tags))
		for t := range repo.tags {
			tags = append(tags, t)
		}
	}
	s.mu.Unlock()
	slices.Sort(tags)
	page, next, ok := paginate(tags, r.URL.Query())
	if !ok {
		writeError(w, r, http.StatusBadRequest, "PAGINATION_NUMBER_INVALID", name)
		return
	}
	if next != "" {
		w.Header().Set("Link", `</v2/`+name+`/tags/list?`+next+`>; rel="next"`)
	}
	writeJSON(w, r, map[string]any{"name": name, "tags": page})
}

// paginate returns the page of sorted that query asks for (n, last) and
// the query of the next page, "" when this one is the last. ok is false
// when n is not a number of at least 0.
func paginate(sorted []string, query url.Values) (page []string, next string, ok bool) {
	if last := query.Get("last"); last != "" {
		i, found := slices.BinarySearch(sorted, last)
		if found {
			i++
		}
		sorted = sorted[i:]
	}
	ns := query.Get("n")
	if ns == "" {
		return sorted, "", true
	}
	n, err := strconv.Atoi(ns)
	if err != nil || n < 0 {
		return nil, "", false
	}
	if n >= len(sorted) {
		return sorted, "", true
	}
	page = sorted[:n]
	if n == 0 {
		return page, "", true
	}
	return page, url.Values{"n": {ns}, "last": {page[n-1]}}.Encode(), true
}

func writeJSON(w http.ResponseWriter, r *http.Request, v any) {
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(b)
	}
}
