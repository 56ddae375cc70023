package registry

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
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
	// registries are the hosts platypus talks to as registries.
	registries map[string]bool
	// logins are the logins stored per host:port, and withheld the realm
	// each host's login was kept from (creds_realm.go).
	logins   map[string]login
	withheld map[string]string
}

func newTransport(o *options, q *quotaTracker) *transport {
	return &transport{o: o, quota: q, byHost: map[string]*http.Transport{}, status: map[string]int{}, registries: map[string]bool{},
		logins: map[string]login{}, withheld: map[string]string{}}
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	// regclient re-adds its credentials on every redirect hop; a hop to
	// another host must not receive them (blob storage, CDNs, attackers).
	if origin := originHost(req); origin != req.URL.Host && req.Header.Get("Authorization") != "" {
		req = req.Clone(req.Context())
		req.Header.Del("Authorization")
	}
	// In clear, a login goes only to the host:port it is stored for.
	req, refused := t.plainLogin(req)
	if refused != nil {
		return refused, nil
	}
	for attempt := 0; ; attempt++ {
		resp, err := t.once(req)
		wait, again := t.retry(req, resp, err, attempt)
		if !again {
			return resp, err
		}
		if resp != nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			_ = resp.Body.Close()
		}
		if req.GetBody != nil {
			body, gerr := req.GetBody()
			if gerr != nil {
				return resp, err
			}
			req = req.Clone(req.Context())
			req.Body = body
		}
		t.o.logger.Debug("retrying", "method", req.Method, "url", req.URL.Redacted(), "attempt", attempt+2, "after", wait.Round(time.Millisecond))
		select {
		case <-time.After(wait):
		case <-req.Context().Done():
			return nil, req.Context().Err() //nolint:wrapcheck // regclient classifies it
		}
	}
}

// retry says whether a request is worth another attempt, and when: a
// gateway error (502, 503, 504) or a connection reset, with jittered
// exponential backoff; a 429 once, after its Retry-After (capped). Nothing is
// remembered: after a success the host runs at full speed again. A request
// whose body cannot be sent twice is not retried, nor is a timeout.
func (t *transport) retry(req *http.Request, resp *http.Response, err error, attempt int) (time.Duration, bool) {
	if attempt >= t.o.retries || req.Context().Err() != nil || (req.Body != nil && req.Body != http.NoBody && req.GetBody == nil) {
		return 0, false
	}
	backoff := func() time.Duration {
		d := min(t.o.retryDelay<<attempt, t.o.retryMax)
		return d/2 + rand.N(d) // jitter, not a secret
	}
	if err != nil {
		if errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return backoff(), true
		}
		return 0, false
	}
	switch resp.StatusCode {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return backoff(), true
	case http.StatusTooManyRequests:
		if attempt > 0 {
			return 0, false // once: the registry asked to slow down
		}
		if s, perr := strconv.Atoi(resp.Header.Get("Retry-After")); perr == nil && s >= 0 {
			return time.Duration(s) * time.Second, true
		}
		return backoff(), true
	}
	return 0, false
}

// once is one attempt of a request, with its body bounded in time, a list
// page guarded and the answer logged.
func (t *transport) once(req *http.Request) (*http.Response, error) {
	start := time.Now()
	ctx, cancel := context.WithCancel(req.Context())
	req = req.WithContext(ctx)
	rq, _ := ctx.Value(rangeKey{}).(*rangeReq)
	if rq != nil && req.Method == http.MethodGet {
		req.Header = req.Header.Clone()
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-%d", rq.start, rq.start+rq.n-1))
	}
	od := onlyDeleteFrom(ctx)
	if od != nil {
		if err := od.allow(req); err != nil {
			cancel()
			return nil, err
		}
	}
	resp, err := t.forHost(req.URL.Host).RoundTrip(req)
	if g := guardFrom(ctx); g != nil && g.referrers && isReferrersAPI(req) {
		// A registry without the API answers it (404 and the like);
		// one that gives no answer at all may have it.
		g.noteAPI(err)
	}
	if err != nil {
		cancel()
		t.log(req, 0, start, 0, err)
		return nil, err //nolint:wrapcheck // regclient classifies transport errors itself
	}
	if od != nil {
		od.saw(req, resp)
	}
	if rq != nil && req.Method == http.MethodGet {
		rq.status = resp.StatusCode
		rq.contentRange = resp.Header.Get("Content-Range")
		if resp.StatusCode == http.StatusPartialContent {
			// regclient takes only a 200 for a blob and checks its length
			// against the descriptor: a part is read by length here instead.
			resp.StatusCode, resp.Status = http.StatusOK, "200 OK"
			resp.Header.Del("Content-Length")
			resp.ContentLength = -1
		}
	}
	resp.Body = newIdleBody(resp.Body, t.o.limits.IdleTimeout, cancel)
	if g := guardFrom(ctx); g != nil && g.guards(req, resp) {
		g.page(req, resp)
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

// isRegistry tells whether host (host:port, exactly: another port may be
// another server) is one platypus was asked to talk to.
func (t *transport) isRegistry(host string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.registries[host]
}

// registry notes a host platypus talks to as a registry.
func (t *transport) registry(host string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.registries[host] = true
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
	tr.Proxy = t.o.proxyFor
	tr.ResponseHeaderTimeout = t.o.limits.HeaderTimeout
	tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	if t.o.insecure[host] || t.o.insecure[stripPort(host)] {
		tr.TLSClientConfig.InsecureSkipVerify = true // the user named this host with --insecure-host
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

// maxCAFile bounds a --ca-file: a bundle of every public CA is ~250 KiB.
const maxCAFile = 4 << 20

// CheckCAFiles reads each CA file the user named and says what is wrong
// with the first that is missing, unreadable, not a regular file, or holds
// no PEM certificate: a silently ignored CA file turns into a TLS error
// about something else later.
func CheckCAFiles(files []string) error {
	for _, f := range files {
		fi, err := os.Stat(f)
		switch {
		case err != nil:
			return fmt.Errorf("--ca-file %s: %w", f, err)
		case !fi.Mode().IsRegular():
			return fmt.Errorf("--ca-file %s: not a regular file", f)
		case fi.Size() > maxCAFile:
			return fmt.Errorf("--ca-file %s: %d bytes, more than a CA bundle (%d MiB at most)", f, fi.Size(), maxCAFile>>20)
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return fmt.Errorf("--ca-file %s: %w", f, err)
		}
		if !x509.NewCertPool().AppendCertsFromPEM(b) {
			return fmt.Errorf("--ca-file %s: no PEM certificate in it (a file of -----BEGIN CERTIFICATE----- blocks is expected)", f)
		}
	}
	return nil
}
