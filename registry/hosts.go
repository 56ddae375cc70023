package registry

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"syscall"

	"github.com/regclient/regclient/config"
)

// probe is the once-per-host check of whether a loopback or insecure host
// speaks TLS, as Docker does for the registries it treats as insecure
// (127.0.0.0/8 by default): try TLS, fall back to plain HTTP.
type probe struct {
	done chan struct{}
}

func (c *Client) needsProbe(host string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if h, ok := c.hosts[host]; ok && h.TLS != config.TLSUndefined {
		return false
	}
	if c.opts.insecure[host] {
		return true
	}
	return IsLoopback(host) && !c.opts.strictTLS
}

func (c *Client) probeHost(ctxDone <-chan struct{}, host string) {
	c.mu.Lock()
	p, ok := c.probed[host]
	if !ok {
		p = &probe{done: make(chan struct{})}
		c.probed[host] = p
		go c.runProbe(host, p)
	}
	c.mu.Unlock()
	select {
	case <-p.done:
	case <-ctxDone:
	}
}

func (c *Client) runProbe(host string, p *probe) {
	defer close(p.done)
	mode, decided := detectTLS(host, c.opts)
	c.mu.Lock()
	defer c.mu.Unlock()
	if !decided {
		// Unreachable for now: let the request fail with the real cause
		// and probe again next time.
		delete(c.probed, host)
		return
	}
	h := c.hosts[host]
	h.Name, h.TLS = host, mode
	c.hosts[host] = h
	c.rebuild()
}

// detectTLS dials host with TLS. A handshake means TLS (verified on
// loopback, unverified for --insecure-host); an answer that is not TLS
// means plain HTTP; no answer decides nothing.
func detectTLS(host string, o options) (config.TLSConf, bool) {
	addr := host
	if _, _, err := net.SplitHostPort(host); err != nil {
		addr = net.JoinHostPort(host, "443")
	}
	// A connection reset or closed mid-handshake says nothing of TLS: ask
	// again, so a passing fault does not end in advice about TLS.
	for attempt := 0; attempt < 3; attempt++ {
		mode, decided, passing := probeTLS(host, addr, o)
		if decided || !passing {
			return mode, decided
		}
	}
	return config.TLSUndefined, false
}

func probeTLS(host, addr string, o options) (mode config.TLSConf, decided, passing bool) {
	ctx, cancel := context.WithTimeout(context.Background(), o.probeWait)
	defer cancel()
	d := tls.Dialer{Config: &tls.Config{InsecureSkipVerify: true}} //nolint:gosec // only asks whether the peer speaks TLS
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err == nil {
		_ = conn.Close()
		if o.insecure[host] {
			return config.TLSInsecure, true, false
		}
		return config.TLSEnabled, true, false
	}
	var rh tls.RecordHeaderError
	if errors.As(err, &rh) {
		return config.TLSDisabled, true, false
	}
	passing = errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
	return config.TLSUndefined, false, passing
}
