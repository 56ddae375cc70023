package registry

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"math/rand/v2"
	"net"
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
	mode, decided, err := detectTLS(host, c.opts)
	c.mu.Lock()
	defer c.mu.Unlock()
	if !decided {
		// Unreachable for now: let the request fail with the real cause
		// and probe again next time. Resets leave the request to guess
		// TLS; its failure is then the resets' (see probeFailure).
		delete(c.probed, host)
		if passingFault(err) {
			c.probeFail[host] = err
		}
		return
	}
	delete(c.probeFail, host)
	h := c.hosts[host]
	h.Name, h.TLS = host, mode
	c.hosts[host] = h
	c.rebuild()
}

// probeFailure is the passing fault (resets) that kept the last probe of
// host from deciding whether it speaks TLS, or nil.
func (c *Client) probeFailure(host string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.probeFail[host]
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
			time.Sleep(d/2 + rand.N(d+1)) //nolint:gosec // jitter, not a secret
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
	d := tls.Dialer{Config: &tls.Config{InsecureSkipVerify: true}} //nolint:gosec // only asks whether the peer speaks TLS
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err == nil {
		_ = conn.Close()
		if o.insecure[host] {
			return config.TLSInsecure, true, nil
		}
		return config.TLSEnabled, true, nil
	}
	var rh tls.RecordHeaderError
	if errors.As(err, &rh) {
		return config.TLSDisabled, true, nil
	}
	return config.TLSUndefined, false, err //nolint:wrapcheck // classified by the caller
}
