package regtest

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"testing"
	"time"
)

// LatencyProxy adds a fixed delay to every request in front of a registry,
// so benchmarks show what users 20–100 ms from their registry see.
type LatencyProxy struct {
	Host string
	srv  *httptest.Server
}

// NewLatencyProxy starts a proxy to host that waits delay before each
// request is forwarded.
func NewLatencyProxy(tb testing.TB, host string, delay time.Duration) *LatencyProxy {
	tb.Helper()
	rp := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: "http", Host: host})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
		rp.ServeHTTP(w, r)
	}))
	tb.Cleanup(srv.Close)
	return &LatencyProxy{Host: srv.Listener.Addr().String(), srv: srv}
}
