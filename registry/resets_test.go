package registry_test

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/platypus-tui/platypus/registry"
)

// resetProxy is a TCP proxy to target that resets its first n connections
// (RST, not FIN) and forwards the rest.
func resetProxy(t *testing.T, target string, n int64) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	var seen atomic.Int64
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			if seen.Add(1) <= n {
				_ = c.(*net.TCPConn).SetLinger(0)
				_ = c.Close()
				continue
			}
			go func() {
				defer c.Close()
				up, err := net.Dial("tcp", target)
				if err != nil {
					return
				}
				defer up.Close()
				go func() { _, _ = io.Copy(up, c); _ = up.(*net.TCPConn).CloseWrite() }()
				_, _ = io.Copy(c, up)
			}()
		}
	}()
	return ln.Addr().String()
}

// A loopback registry whose first connections are reset: a few are
// ridden out (the TLS probe asks again, as requests are retried); past
// that the error says the connections were reset — never that the server
// speaks plain HTTP and --insecure-host would help, which it would not.
func TestConnectionResetsAreTheCauseShown(t *testing.T) {
	srv := startDemo(t)
	for _, resets := range []int64{3, 5, 12} {
		for _, insecure := range []bool{false, true} {
			host := resetProxy(t, srv.Host, resets)
			opts := []registry.Option{registry.WithRetries(3, time.Millisecond, 5*time.Millisecond)}
			if insecure {
				opts = append(opts, registry.WithInsecureHost(host))
			}
			c := registry.New(opts...)
			_, err := c.AllTags(context.Background(), ref(t, host+"/library/centos"))
			t.Logf("%d resets (insecure %v): %v", resets, insecure, err)
			switch {
			case resets <= 3 && err != nil:
				t.Errorf("%d resets (insecure %v): %v; retries should ride them out", resets, insecure, err)
			case resets > 3 && err == nil:
				t.Errorf("%d resets (insecure %v): no error", resets, insecure)
			case err != nil && (!errors.Is(err, registry.ErrUnreachable) || !strings.Contains(err.Error(), "reset") ||
				strings.Contains(err.Error(), "plain HTTP") || strings.Contains(err.Error(), "insecure-host")):
				t.Errorf("%d resets (insecure %v): %v; want the resets named, no advice about TLS", resets, insecure, err)
			}
		}
	}
}
