package registry

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"syscall"
	"time"

	"github.com/regclient/regclient/config"
)

// probe is the once-per-host check of whether a loopback or insecure host
// speaks TLS, as Docker does for the registries it treats as insecure
// (127.0.0.0/8 by default): try TLS, fall back to plain HTTP.
type probe struct {
	done chan struct{}
}

func (s *remote) needsProbe(host string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if h, ok := s.hosts[host]; ok && h.TLS != config.TLSUndefined {
		return false
	}
	if s.opts.insecure[host] {
		return true
	}
	return IsLoopback(host) && !s.opts.strictTLS
}

func (s *remote) probeHost(ctxDone <-chan struct{}, host string) {
	s.mu.Lock()
	p, ok := s.probed[host]
	if !ok {
		p = &probe{done: make(chan struct{})}
		s.probed[host] = p
		go s.runProbe(host, p)
	}
	s.mu.Unlock()
	select {
	case <-p.done:
	case <-ctxDone:
	}
}

func (s *remote) runProbe(host string, p *probe) {
	defer close(p.done)
	mode, decided, err := detectTLS(host, *s.opts)
	s.mu.Lock()
	defer s.mu.Unlock()
	if !decided {
		// Unreachable for now: let the request fail with the real cause
		// and probe again next time. Resets leave the request to guess
		// TLS; its failure is then the resets' (see probeFailure).
		delete(s.probed, host)
		if passingFault(err) {
			s.probeFail[host] = err
		}
		return
	}
	delete(s.probeFail, host)
	h := s.hosts[host]
	h.Name, h.TLS = host, mode
	s.hosts[host] = h
	s.rebuild()
}

// probeFailure is the passing fault (resets) that kept the last probe of
// host from deciding whether it speaks TLS, or nil.
func (s *remote) probeFailure(host string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.probeFail[host]
}

// passingFault is a connection reset or closed mid-handshake: it says
// nothing of TLS.
func passingFault(err error) bool {
	return err != nil && (errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF))
}

// detectTLS dials host with TLS. A handshake means TLS (verified on
// loopback, unverified for --insecure-host); an answer that is not TLS
// means plain HTTP; no answer decides nothing, and err says why.
func detectTLS(host string, o options) (config.TLSConf, bool, error) {
	addr := host
	if _, _, err := net.SplitHostPort(host); err != nil {
		addr = net.JoinHostPort(host, "443")
	}
	// A passing fault is asked again, as often and as patiently as a
	// request is retried: a guess would end in advice about TLS.
	var err error
	for attempt := 0; attempt <= max(o.retries, 2); attempt++ {
		if attempt > 0 {
			d := min(o.retryDelay<<(attempt-1), o.retryMax)
			time.Sleep(d/2 + rand.N(d+1)) // jitter, not a secret
		}
		var mode config.TLSConf
		var decided bool
		mode, decided, err = probeTLS(host, addr, o)
		if decided || !passingFault(err) {
			return mode, decided, err
		}
	}
	return config.TLSUndefined, false, err
}

func probeTLS(host, addr string, o options) (mode config.TLSConf, decided bool, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), o.probeWait)
	defer cancel()
	conn, err := dialAsRequests(ctx, o, host, addr)
	if err == nil {
		tc := tls.Client(conn, &tls.Config{InsecureSkipVerify: true, ServerName: stripPort(host)}) // only asks whether the peer speaks TLS
		err = tc.HandshakeContext(ctx)
		_ = tc.Close()
	}
	if err == nil {
		if o.insecure[host] {
			return config.TLSInsecure, true, nil
		}
		return config.TLSEnabled, true, nil
	}
	var rh tls.RecordHeaderError
	if errors.As(err, &rh) {
		return config.TLSDisabled, true, nil
	}
	var refused proxyRefused
	if errors.As(err, &refused) && plainViaProxy(ctx, o, host) {
		// The proxy will not tunnel to the port (many allow only 443),
		// but carries plain HTTP to a registry there.
		return config.TLSDisabled, true, nil
	}
	return config.TLSUndefined, false, err //nolint:wrapcheck // classified by the caller
}

// WithProxy sets the proxy of every request and of the TLS probe (default:
// HTTPS_PROXY, HTTP_PROXY and NO_PROXY, as http.ProxyFromEnvironment).
func WithProxy(proxy func(*http.Request) (*url.URL, error)) Option {
	return func(o *options) { o.proxy = proxy }
}

func (o *options) proxyFor(req *http.Request) (*url.URL, error) {
	if o.proxy != nil {
		return o.proxy(req)
	}
	return http.ProxyFromEnvironment(req) //nolint:wrapcheck // the transport's Proxy contract
}

// proxyRefused is a proxy's answer other than 200 to CONNECT.
type proxyRefused struct{ status string }

func (p proxyRefused) Error() string { return "the proxy refused to connect: " + p.status }

// dialAsRequests connects to addr as an HTTPS request to host would: the
// proxy the requests use for it tunnels the connection (CONNECT), else it
// is dialled directly. The probe then asks whether the far end speaks TLS.
func dialAsRequests(ctx context.Context, o options, host, addr string) (net.Conn, error) {
	var d net.Dialer
	proxy, err := o.proxyFor(&http.Request{Method: http.MethodGet, URL: &url.URL{Scheme: "https", Host: host, Path: "/v2/"}})
	if err != nil || proxy == nil || (proxy.Scheme != "http" && proxy.Scheme != "https") {
		// No proxy, or one the probe cannot speak (SOCKS): as before.
		return d.DialContext(ctx, "tcp", addr) //nolint:wrapcheck // classified by probeTLS
	}
	proxyAddr := proxy.Host
	if proxy.Port() == "" {
		proxyAddr = net.JoinHostPort(proxy.Hostname(), map[string]string{"http": "80", "https": "443"}[proxy.Scheme])
	}
	conn, err := d.DialContext(ctx, "tcp", proxyAddr)
	if err != nil {
		return nil, fmt.Errorf("proxy %s: %w", proxy.Redacted(), err)
	}
	if proxy.Scheme == "https" {
		tc := tls.Client(conn, &tls.Config{ServerName: proxy.Hostname(), MinVersion: tls.VersionTLS12})
		if err := tc.HandshakeContext(ctx); err != nil {
			_ = conn.Close()
			return nil, fmt.Errorf("proxy %s: %w", proxy.Redacted(), err)
		}
		conn = tc
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	req := &http.Request{Method: http.MethodConnect, URL: &url.URL{Opaque: addr}, Host: addr, Header: http.Header{}}
	if u := proxy.User; u != nil {
		p, _ := u.Password()
		req.Header.Set("Proxy-Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(u.Username()+":"+p)))
	}
	if err := req.Write(conn); err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("proxy %s: %w", proxy.Redacted(), err)
	}
	// Nothing follows a 200 until the client speaks, so the reader holds
	// no bytes of the tunnel.
	resp, err := http.ReadResponse(bufio.NewReader(conn), req)
	if err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("proxy %s: %w", proxy.Redacted(), err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_ = conn.Close()
		return nil, proxyRefused{resp.Status}
	}
	_ = conn.SetDeadline(time.Time{})
	return conn, nil
}

// plainViaProxy asks for http://host/v2/ through the proxy plain HTTP
// requests use: a registry's answer (its API version header) means the
// host speaks plain HTTP.
func plainViaProxy(ctx context.Context, o options, host string) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+host+"/v2/", nil)
	if err != nil {
		return false
	}
	tr := &http.Transport{Proxy: o.proxyFor, DisableKeepAlives: true}
	defer tr.CloseIdleConnections()
	resp, err := tr.RoundTrip(req)
	if err != nil {
		return false
	}
	_ = resp.Body.Close()
	return resp.Header.Get("Docker-Distribution-Api-Version") != ""
}
