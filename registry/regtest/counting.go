package regtest

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// CountingProxy is a reverse proxy in front of a registry that counts the
// requests through it: all of them, the blob GETs with and without a
// Range header, and the blob bytes sent. With StripRange it drops every
// Range header: a registry that ignores Range.
type CountingProxy struct {
	Host string

	mu         sync.Mutex
	stripRange bool
	counts     Counts
	// inflight counts the requests being answered (a body the client
	// closed early is still being sent, and counted, for a while); done
	// says one ended.
	inflight int
	done     *sync.Cond
}

// Counts are what a CountingProxy saw.
type Counts struct {
	Requests      int   // every request
	Ranged, Whole int   // blob GETs with and without Range
	BlobBytes     int64 // blob bytes sent
}

// NewCountingProxy starts a proxy to host for the test's lifetime.
func NewCountingProxy(t testing.TB, host string, stripRange bool) *CountingProxy {
	t.Helper()
	p := &CountingProxy{stripRange: stripRange}
	p.done = sync.NewCond(&p.mu)
	rp := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: "http", Host: host})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		blob := strings.Contains(r.URL.Path, "/blobs/")
		p.mu.Lock()
		p.inflight++
		defer func() {
			p.mu.Lock()
			p.inflight--
			p.done.Broadcast()
			p.mu.Unlock()
		}()
		p.counts.Requests++
		if p.stripRange {
			r.Header.Del("Range")
		}
		if blob && r.Method == http.MethodGet {
			if r.Header.Get("Range") != "" {
				p.counts.Ranged++
			} else {
				p.counts.Whole++
			}
		}
		p.mu.Unlock()
		if blob {
			w = &countingWriter{ResponseWriter: w, p: p}
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	p.Host = srv.Listener.Addr().String()
	return p
}

// Take returns the counts since the last Take, and starts again, once
// every request so far has been answered: what was sent for a request
// is counted for it, not for the next.
func (p *CountingProxy) Take() Counts {
	p.mu.Lock()
	defer p.mu.Unlock()
	for p.inflight > 0 {
		p.done.Wait()
	}
	c := p.counts
	p.counts = Counts{}
	return c
}

type countingWriter struct {
	http.ResponseWriter
	p *CountingProxy
}

// Write counts before it writes: once the client has the bytes, they
// are counted.
func (w *countingWriter) Write(b []byte) (int, error) {
	w.p.mu.Lock()
	w.p.counts.BlobBytes += int64(len(b))
	w.p.mu.Unlock()
	return w.ResponseWriter.Write(b) //nolint:wrapcheck // a proxy passes its writer's errors on
}
