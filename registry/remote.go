package registry

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/regclient/regclient"
	"github.com/regclient/regclient/config"
	"github.com/regclient/regclient/scheme/reg"
)

// remote is the store of registries reached over HTTP: one regclient,
// made again whenever a host's settings change (a TLS probe decided, a
// Docker login was found), behind platypus's transport (retries, limits,
// quotas). Its store methods are in remote_store.go.
type remote struct {
	opts *options

	mu     sync.Mutex
	rc     *regclient.RegClient
	hosts  map[string]config.Host // hosts with settings of our own (TLS, credentials)
	probed map[string]*probe
	// probeFail is why a host's last TLS probe decided nothing.
	probeFail map[string]error
	logins    map[string]*loginLookup
	quota     quotaTracker
	transport *transport
}

func newRemote(o *options) *remote {
	s := &remote{opts: o, hosts: map[string]config.Host{}, probed: map[string]*probe{}, probeFail: map[string]error{}, logins: map[string]*loginLookup{}}
	s.transport = newTransport(o, &s.quota)
	for h := range o.plain {
		s.hosts[h] = config.Host{Name: h, TLS: config.TLSDisabled}
	}
	for h, cr := range o.creds {
		hc := s.hosts[h]
		hc.Name, hc.User, hc.Pass = h, cr.User, cr.Pass
		s.hosts[h] = hc
		s.transport.setLogin(h, login{user: cr.User, pass: cr.Pass})
	}
	s.rebuild()
	return s
}

// rebuild makes a regclient for the current host settings. regclient takes
// host settings only at construction, so a newly probed host means a new
// instance; requests in flight keep the old one.
func (s *remote) rebuild() {
	hostDefault := config.HostNewName("default")
	hostDefault.ReqConcurrent = int64(s.opts.concurrency)
	rcOpts := []regclient.Opt{
		regclient.WithSlog(s.opts.logger),
		regclient.WithUserAgent(s.opts.userAgent),
		regclient.WithConfigHostDefault(*hostDefault),
		regclient.WithRegOpts(
			reg.WithManifestMax(maxManifestPush, maxManifestPull),
			// platypus's transport retries (and forgets failures once a
			// request succeeds); regclient's own retries and per-host
			// backoff would slow every later request to a host that failed.
			reg.WithRetryLimit(1),
			reg.WithDelay(time.Millisecond, time.Millisecond),
			reg.WithHTTPClient(&http.Client{Transport: s.transport}),
		),
	}
	for _, h := range s.hosts {
		h.ReqConcurrent = int64(s.opts.concurrency)
		rcOpts = append(rcOpts, regclient.WithConfigHost(h))
	}
	s.rc = regclient.New(rcOpts...)
}

// client returns the regclient to use for host: probed first when it is on
// loopback or named insecure, with its Docker login looked up first.
func (s *remote) client(ctx context.Context, host string) *regclient.RegClient {
	if host != "" {
		s.transport.registry(host)
	}
	if host != "" && s.needsProbe(host) {
		s.probeHost(ctx.Done(), host)
	}
	if host != "" && s.opts.dockerCreds {
		s.lookupLogin(ctx, host)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rc
}

// loginLookup is the once-per-host lookup of a Docker login.
type loginLookup struct {
	done chan struct{}
	err  error // a helper that failed, said when the registry refuses
}

// lookupLogin reads host's Docker login once, running its credential
// helper under ctx: cancelling ctx kills the helper. A lookup cut short is
// tried again by the next request.
func (s *remote) lookupLogin(ctx context.Context, host string) {
	s.mu.Lock()
	if _, given := s.opts.creds[host]; given {
		s.mu.Unlock()
		return
	}
	l, ok := s.logins[host]
	if !ok {
		l = &loginLookup{done: make(chan struct{})}
		s.logins[host] = l
	}
	s.mu.Unlock()
	if !ok {
		lg, err := dockerLogin(ctx, host)
		s.mu.Lock()
		switch {
		case ctx.Err() != nil:
			delete(s.logins, host)
		case err != nil:
			l.err = err
			s.opts.logger.Debug("no Docker login", "host", host, "err", err.Error())
		case lg.user != "" || lg.token != "":
			h := s.hosts[host]
			h.Name, h.User, h.Pass, h.Token = host, lg.user, lg.pass, lg.token
			s.hosts[host] = h
			s.transport.setLogin(host, lg)
			s.rebuild()
		}
		s.mu.Unlock()
		close(l.done)
		return
	}
	select {
	case <-l.done:
	case <-ctx.Done():
	}
}

// loginError is why host has no Docker login, when a helper failed.
func (s *remote) loginError(host string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if l, ok := s.logins[host]; ok {
		select {
		case <-l.done:
			return l.err
		default:
		}
	}
	return nil
}
