package regtest

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Fault is what the fault proxy does to a request it matches.
type Fault int

// Faults a registry or the network can produce.
const (
	None        Fault = iota
	Status500         // 500 Internal Server Error, with a hostile body
	Status502         // 502 Bad Gateway
	Status503         // 503 Service Unavailable
	TooMany           // 429 with Retry-After
	Slow              // waits Delay, then answers
	Reset             // sends headers and half the body, then resets the connection
	Truncate          // promises the full Content-Length, sends half, closes
	WrongDigest       // changes one byte of the body, keeping the digest header
	Garbage           // answers 200 with a body that is not JSON
	WrongType         // answers with Content-Type text/html
)

// FaultProxy is a reverse proxy that injects faults in front of a registry.
type FaultProxy struct {
	// Host is the proxy's "127.0.0.1:PORT".
	Host string

	target *url.URL
	srv    *httptest.Server

	mu         sync.Mutex
	fault      Fault
	match      func(*http.Request) bool
	remaining  int // faults left to inject; <0 is unlimited
	retryAfter string
	delay      time.Duration

	// Faulted counts requests that got a fault; Total counts all.
	Faulted, Total atomic.Int64
	// OnRequest, if set, sees every request first (tests count with it).
	OnRequest func(*http.Request)
}

// NewFaultProxy starts a proxy to the registry at host for the test's
// lifetime.
func NewFaultProxy(t testing.TB, host string) *FaultProxy {
	t.Helper()
	p := &FaultProxy{target: &url.URL{Scheme: "http", Host: host}, remaining: -1}
	p.srv = httptest.NewServer(p)
	p.Host = p.srv.Listener.Addr().String()
	t.Cleanup(p.srv.Close)
	return p
}

// Set injects f into requests that match (nil matches all), count times
// (<0: always). retryAfter is sent with 429; delay is Slow's wait.
func (p *FaultProxy) Set(f Fault, match func(*http.Request) bool, count int, retryAfter string, delay time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.fault, p.match, p.remaining, p.retryAfter, p.delay = f, match, count, retryAfter, delay
}

// Clear stops injecting faults.
func (p *FaultProxy) Clear() { p.Set(None, nil, 0, "", 0) }

// ManifestGets matches manifest GET requests.
func ManifestGets(r *http.Request) bool {
	return r.Method == http.MethodGet && bytes.Contains([]byte(r.URL.Path), []byte("/manifests/"))
}

// BlobGets matches blob GET requests.
func BlobGets(r *http.Request) bool {
	return r.Method == http.MethodGet && bytes.Contains([]byte(r.URL.Path), []byte("/blobs/"))
}

// Count counts the requests that match, from now on (it sets OnRequest).
func (p *FaultProxy) Count(match func(*http.Request) bool) *atomic.Int64 {
	var n atomic.Int64
	p.OnRequest = func(r *http.Request) {
		if match(r) {
			n.Add(1)
		}
	}
	return &n
}

func (p *FaultProxy) take(r *http.Request) (Fault, string, time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fault == None || p.remaining == 0 || (p.match != nil && !p.match(r)) {
		return None, "", 0
	}
	if p.remaining > 0 {
		p.remaining--
	}
	return p.fault, p.retryAfter, p.delay
}

func (p *FaultProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.Total.Add(1)
	if p.OnRequest != nil {
		p.OnRequest(r)
	}
	f, retryAfter, delay := p.take(r)
	if f != None {
		p.Faulted.Add(1)
	}
	switch f {
	case Status500, Status502, Status503:
		code := map[Fault]int{Status500: 500, Status502: 502, Status503: 503}[f]
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_, _ = w.Write([]byte(`{"errors":[{"code":"UNKNOWN","message":"injected \u001b]52;c;cHduZWQ=\u0007\u001b[31mfailure"}]}`))
		return
	case TooMany:
		w.Header().Set("Retry-After", retryAfter)
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}`))
		return
	case Slow:
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	default: // faults that shape the body, below
	}
	status, header, body, err := p.forward(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	switch f {
	case Garbage:
		header.Del("Docker-Content-Digest")
		body = []byte("{\"schemaVersion\": 2, \"manifests\": [ {\"digest\": \"sha256:\u001b[31m")
	case WrongType:
		header.Set("Content-Type", "text/html; charset=utf-8")
	default: // the body is served as it came
	}
	for k, v := range header {
		w.Header()[k] = v
	}
	switch f {
	case WrongDigest:
		if i := bytes.IndexByte(body, '2'); i >= 0 {
			body = append([]byte(nil), body...)
			body[i] = '3'
		}
	case Reset, Truncate:
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(status)
		_, _ = w.Write(body[:len(body)/2])
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				if tc, ok := conn.(*net.TCPConn); ok && f == Reset {
					_ = tc.SetLinger(0) // RST instead of FIN
				}
				_ = conn.Close()
			}
		}
		return
	default: // the body is served as it came
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func (p *FaultProxy) forward(r *http.Request) (int, http.Header, []byte, error) {
	u := *r.URL
	u.Scheme, u.Host = p.target.Scheme, p.target.Host
	req, err := http.NewRequestWithContext(r.Context(), r.Method, u.String(), r.Body)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("proxy: %w", err)
	}
	req.Header = r.Header.Clone()
	req.ContentLength = r.ContentLength
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("proxy: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("proxy: %w", err)
	}
	h := resp.Header.Clone()
	h.Del("Content-Length")
	return resp.StatusCode, h, body, nil
}
