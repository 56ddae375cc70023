package demo

import (
	"encoding/json"
	"io/fs"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// catalog answers /v2/_catalog in front of olareg, which has no catalog
// API: it knows the seeded repositories and learns pushed ones from
// successful manifest PUTs. Pages follow the distribution spec (n, last,
// Link header).
type catalog struct {
	next  http.Handler
	mu    sync.Mutex
	repos map[string]bool
	// blobsOnly are repositories blobs were pushed to (no manifest yet):
	// their blobs can be read, as in distribution, but they are not listed.
	blobsOnly map[string]bool
}

func newCatalog(next http.Handler, dir string) *catalog {
	c := &catalog{next: next, repos: map[string]bool{}, blobsOnly: map[string]bool{}}
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && d.Name() == "oci-layout" {
			if rel, err := filepath.Rel(dir, filepath.Dir(p)); err == nil {
				c.repos[filepath.ToSlash(rel)] = true
			}
		}
		return nil
	})
	return c
}

func (c *catalog) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/v2/_catalog" && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		c.list(w, r)
		return
	}
	if repo, code, ok := readsRepository(r); ok && !c.has(repo) {
		unknown(w, r, repo, code)
		return
	}
	if repo, ok := blobWrite(r); ok {
		rec := &statusRecorder{ResponseWriter: w}
		c.next.ServeHTTP(rec, r)
		if rec.status == http.StatusCreated {
			c.mu.Lock()
			c.blobsOnly[repo] = true
			c.mu.Unlock()
		}
		return
	}
	if r.Method == http.MethodPut && strings.HasPrefix(r.URL.Path, "/v2/") {
		if i := strings.LastIndex(r.URL.Path, "/manifests/"); i > len("/v2/") {
			rec := &statusRecorder{ResponseWriter: w}
			c.next.ServeHTTP(rec, r)
			if rec.status == http.StatusCreated {
				c.mu.Lock()
				c.repos[r.URL.Path[len("/v2/"):i]] = true
				c.mu.Unlock()
			}
			return
		}
	}
	c.next.ServeHTTP(w, r)
}

func (c *catalog) list(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	all := make([]string, 0, len(c.repos))
	for k := range c.repos {
		all = append(all, k)
	}
	c.mu.Unlock()
	slices.Sort(all)
	q := r.URL.Query()
	if last := q.Get("last"); last != "" {
		i, _ := slices.BinarySearch(all, last)
		for i < len(all) && all[i] <= last {
			i++
		}
		all = all[i:]
	}
	if n, err := strconv.Atoi(q.Get("n")); err == nil && n >= 0 && n < len(all) {
		all = all[:n]
		if n > 0 {
			next := url.Values{"n": {strconv.Itoa(n)}, "last": {all[n-1]}}
			w.Header().Set("Link", `</v2/_catalog?`+next.Encode()+`>; rel="next"`)
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Docker-Distribution-API-Version", "registry/2.0")
	_ = json.NewEncoder(w).Encode(map[string][]string{"repositories": all})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}
