package registry

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// MaxRetryAfter caps how long a registry's Retry-After can make platypus
// wait before retrying (regclient honours the header without a bound).
const MaxRetryAfter = 10 * time.Second

// dockerCertsDir is where Docker looks for per-registry CAs.
const dockerCertsDir = "/etc/docker/certs.d"

// transport is the HTTP layer under regclient: per-host TLS (system roots,
// --ca-file, Docker's certs.d, --insecure-host), a cap on Retry-After, and
// the rate-limit headers every response carries.
type transport struct {
	o      *options
	quota  *quotaTracker
	mu     sync.Mutex
	byHost map[string]*http.Transport
	status map[string]int // last error status per host
}

func newTransport(o *options, q *quotaTracker) *transport {
	return &transport{o: o, quota: q, byHost: map[string]*http.Transport{}, status: map[string]int{}}
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	// regclient re-adds its credentials on every redirect hop; a hop to
	// another host must not receive them (blob storage, CDNs, attackers).
	if origin := originHost(req); origin != req.URL.Host && req.Header.Get("Authorization") != "" {
		req = req.Clone(req.Context())
		req.Header.Del("Authorization")
	}
	start := time.Now()
	resp, err := t.forHost(req.URL.Host).RoundTrip(req)
	if err != nil {
		t.log(req, 0, start, 0, err)
		return nil, err //nolint:wrapcheck // regclient classifies transport errors itself
	}
	if t.o.logger.Enabled(req.Context(), slog.LevelDebug) {
		resp.Body = &loggedBody{ReadCloser: resp.Body, done: func(n int64, err error) { t.log(req, resp.StatusCode, start, n, err) }}
	}
	if ra := resp.Header.Get("Retry-After"); ra != "" {
		resp.Header.Set("Retry-After", capRetryAfter(ra, t.o.retryAfter))
	}
	t.quota.observeHeader(req.URL.Host, resp.Header)
	t.mu.Lock()
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
		t.status[req.URL.Host] = resp.StatusCode
	} else if resp.StatusCode < 400 {
		delete(t.status, req.URL.Host)
	}
	t.mu.Unlock()
	return resp, nil
}

// log writes one request to the debug log: method, URL (never its
// credentials: the Authorization header is not logged), status, time and
// bytes of the body. A retried request shows once per attempt.
func (t *transport) log(req *http.Request, status int, start time.Time, n int64, err error) {
	l := t.o.logger
	if !l.Enabled(req.Context(), slog.LevelDebug) {
		return
	}
	u := *req.URL
	u.User = nil
	attrs := []any{"method", req.Method, "url", u.String(), "status", status, "duration", time.Since(start).Round(time.Millisecond), "bytes", n}
	if err != nil && !errors.Is(err, io.EOF) {
		attrs = append(attrs, "err", err.Error())
	}
	l.Debug("request", attrs...)
}

// loggedBody reports how much of a response was read, once, when it is
// closed.
type loggedBody struct {
	io.ReadCloser
	n    int64
	err  error
	once sync.Once
	done func(int64, error)
}

func (b *loggedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n += int64(n)
	if err != nil {
		b.err = err
	}
	return n, err //nolint:wrapcheck // a body passes its reader's errors through
}

func (b *loggedBody) Close() error {
	b.once.Do(func() { b.done(b.n, b.err) })
	return b.ReadCloser.Close() //nolint:wrapcheck // as above
}

// originHost is the host of the first request of a redirect chain.
func originHost(req *http.Request) string {
	for req.Response != nil && req.Response.Request != nil {
		req = req.Response.Request
	}
	return req.URL.Host
}

// lastStatus is the last 429 or 5xx host answered, 0 after a success.
func (t *transport) lastStatus(host string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.status[host]
}

// capRetryAfter bounds a Retry-After header (seconds or an HTTP date).
func capRetryAfter(v string, limit time.Duration) string {
	secs := int(limit / time.Second)
	if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
		return strconv.Itoa(min(max(n, 0), secs))
	}
	if when, err := http.ParseTime(v); err == nil {
		return strconv.Itoa(min(max(int(time.Until(when)/time.Second), 0), secs))
	}
	return "1"
}

func (t *transport) forHost(host string) *http.Transport {
	t.mu.Lock()
	defer t.mu.Unlock()
	if tr, ok := t.byHost[host]; ok {
		return tr
	}
	base, _ := http.DefaultTransport.(*http.Transport)
	tr := base.Clone()
	tr.MaxIdleConnsPerHost = max(t.o.concurrency, 2)
	tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	if t.o.insecure[host] || t.o.insecure[stripPort(host)] {
		tr.TLSClientConfig.InsecureSkipVerify = true //nolint:gosec // the user named this host with --insecure-host
	} else if pool := t.roots(host); pool != nil {
		tr.TLSClientConfig.RootCAs = pool
	}
	t.byHost[host] = tr
	return tr
}

// roots is the system pool plus --ca-file and Docker's certs.d for host,
// or nil when there is nothing to add.
func (t *transport) roots(host string) *x509.CertPool {
	var pems [][]byte
	for _, f := range t.o.caFiles {
		if b, err := os.ReadFile(f); err == nil {
			pems = append(pems, b)
		}
	}
	for _, h := range []string{host, stripPort(host)} {
		files, _ := filepath.Glob(filepath.Join(dockerCertsDir, h, "*.crt"))
		for _, f := range files {
			if b, err := os.ReadFile(f); err == nil {
				pems = append(pems, b)
			}
		}
	}
	if len(pems) == 0 {
		return nil
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	for _, p := range pems {
		pool.AppendCertsFromPEM(p)
	}
	return pool
}

func stripPort(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		return h
	}
	return host
}
