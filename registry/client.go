// Package registry is platypus's only door to registries and OCI layouts.
// It wraps regclient behind a small API in domain terms: every call takes a
// context and returns model values, and every failure maps onto the
// sentinels in errors.go so the UI and CLI can say what to do.
package registry

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/regclient/regclient/config"
)

// DefaultConcurrency is the number of requests in flight per registry host.
// regclient's default of 3 makes a 48-entry index take 16 round trips per
// level; 16 takes 3, so expanding one (index, manifests, configs) costs 7
// round trips, and stays well below what registries treat as abuse.
const DefaultConcurrency = 16

// Client talks to registries and OCI layouts. What reaching each takes is
// a store of its own (remote, layout); the Client keeps what both share:
// the content and layer caches, the checks of what arrives, journaled
// writes.
type Client struct {
	opts options

	remote *remote
	layout *layout
	layers *layerCache
	// heads are the heads of files read lately (see FileContent).
	heads *headCache
	cache *cache
	// partials are the layers ResolveFile read in part, for the file it
	// found (see fileAt).
	partials partialLayers
	// apiFailures are the repositories whose referrers API gave no answer.
	apiFailures referrerAPIFailures
}

type options struct {
	insecure    map[string]bool
	strictTLS   bool
	dockerCreds bool
	creds       map[string]config.Host
	plain       map[string]bool
	concurrency int
	logger      *slog.Logger
	userAgent   string
	retries     int
	retryDelay  time.Duration
	retryMax    time.Duration
	probeWait   time.Duration
	diskCache   string
	diskCap     int64
	caFiles     []string
	retryAfter  time.Duration // cap on Retry-After
	limits      Limits
	demo        string // this run's demo registry host (see JournalName)

	// proxy carries the requests and the TLS probe; nil: the environment's.
	proxy func(*http.Request) (*url.URL, error)
}

// Option configures a Client.
type Option func(*options)

// WithInsecureHost allows plain HTTP, or TLS without verification, for a
// host that is not on loopback (`--insecure-host`).
func WithInsecureHost(hosts ...string) Option {
	return func(o *options) {
		for _, h := range hosts {
			o.insecure[h] = true
		}
	}
}

// WithPlainHTTP declares that a host speaks plain HTTP, skipping the probe;
// the demo registry uses it.
func WithPlainHTTP(hosts ...string) Option {
	return func(o *options) {
		for _, h := range hosts {
			o.plain[h] = true
		}
	}
}

// WithStrictTLS refuses plain HTTP even on loopback.
func WithStrictTLS(strict bool) Option { return func(o *options) { o.strictTLS = strict } }

// WithDockerCredentials reads logins and credential helpers from the
// Docker config (~/.docker/config.json or $DOCKER_CONFIG), as regclient does.
func WithDockerCredentials(on bool) Option { return func(o *options) { o.dockerCreds = on } }

// WithCredentials sets a username and password for one host, overriding the
// Docker config (`--username` with `--password-stdin`).
func WithCredentials(host, user, pass string) Option {
	return func(o *options) {
		o.creds[host] = config.Host{Name: host, User: user, Pass: pass}
	}
}

// WithConcurrency sets the requests in flight per host.
func WithConcurrency(n int) Option {
	return func(o *options) {
		if n > 0 {
			o.concurrency = n
		}
	}
}

// WithLogger sends regclient's and platypus's debug output to l.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option { return func(o *options) { o.userAgent = ua } }

// WithRetries bounds retries of a request that met a gateway error (502,
// 503, 504), a 429 or a connection reset, and the jittered backoff between
// them; a 429's Retry-After is honoured up to WithRetryAfterCap.
func WithRetries(n int, initial, max time.Duration) Option {
	return func(o *options) { o.retries, o.retryDelay, o.retryMax = n, initial, max }
}

// WithRetryAfterCap bounds how long a Retry-After header can delay a retry
// (default MaxRetryAfter).
func WithRetryAfterCap(d time.Duration) Option { return func(o *options) { o.retryAfter = d } }

// WithCAFile trusts the PEM certificates in file for TLS, besides the
// system's and Docker's (/etc/docker/certs.d) (`--ca-file`).
func WithCAFile(files ...string) Option {
	return func(o *options) { o.caFiles = append(o.caFiles, files...) }
}

// WithDiskCache keeps content fetched by digest under dir, up to capBytes.
func WithDiskCache(dir string, capBytes int64) Option {
	return func(o *options) { o.diskCache, o.diskCap = dir, capBytes }
}

// New returns a Client.
func New(opts ...Option) *Client {
	o := options{
		insecure:    map[string]bool{},
		plain:       map[string]bool{},
		creds:       map[string]config.Host{},
		concurrency: DefaultConcurrency,
		retries:     3,
		retryDelay:  200 * time.Millisecond,
		retryMax:    5 * time.Second,
		probeWait:   3 * time.Second,
		userAgent:   "platypus",
		retryAfter:  MaxRetryAfter,
		limits:      DefaultLimits(),
	}
	for _, opt := range opts {
		opt(&o)
	}
	if o.logger == nil {
		o.logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	c := &Client{opts: o, layers: newLayerCache(o.limits.CachedEntries), heads: &headCache{}}
	c.cache = newCache(o.diskCache, o.diskCap)
	c.remote = newRemote(&c.opts)
	c.layout = &layout{rc: c.remote.client}
	return c
}

// IsLoopback tells whether a registry host is on this machine: "localhost",
// 127.0.0.0/8 or ::1, with or without a port.
func IsLoopback(host string) bool {
	h := host
	if hh, _, err := net.SplitHostPort(host); err == nil {
		h = hh
	}
	h = strings.Trim(h, "[]")
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
