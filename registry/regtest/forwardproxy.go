package regtest

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// ForwardProxy is an HTTP forward proxy, as HTTPS_PROXY and HTTP_PROXY
// name one: it tunnels CONNECT and forwards absolute-form requests, all to
// one backend whatever host they name (the names need not resolve), and
// logs what it was asked.
type ForwardProxy struct {
	URL *url.URL
	// OnlyPort443 refuses CONNECT to any other port, as squid does by
	// default.
	OnlyPort443 bool

	mu  sync.Mutex
	log []string
}

// NewForwardProxy starts a forward proxy to backend (host:port) for the
// test's lifetime.
func NewForwardProxy(t testing.TB, backend string) *ForwardProxy {
	t.Helper()
	p := &ForwardProxy{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.log = append(p.log, r.Method+" "+r.RequestURI)
		only443 := p.OnlyPort443
		p.mu.Unlock()
		if r.Method == http.MethodConnect {
			if only443 && !strings.HasSuffix(r.Host, ":443") {
				http.Error(w, "CONNECT to this port is not allowed", http.StatusForbidden)
				return
			}
			tunnel(w, backend)
			return
		}
		r.URL.Scheme, r.URL.Host, r.RequestURI = "http", backend, ""
		resp, err := http.DefaultTransport.RoundTrip(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	}))
	t.Cleanup(srv.Close)
	p.URL, _ = url.Parse(srv.URL)
	return p
}

func tunnel(w http.ResponseWriter, backend string) {
	up, err := net.Dial("tcp", backend)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	conn, rw, err := w.(http.Hijacker).Hijack()
	if err != nil {
		_ = up.Close()
		return
	}
	_, _ = rw.WriteString("HTTP/1.1 200 Connection established\r\n\r\n")
	_ = rw.Flush()
	go func() { _, _ = io.Copy(up, rw); _ = up.Close() }()
	_, _ = io.Copy(conn, up)
	_ = conn.Close()
}

// Log returns what the proxy was asked, "METHOD TARGET" each.
func (p *ForwardProxy) Log() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.log...)
}
