package registry_test

import (
	"context"
	"io"
	"net"
	"testing"

	"github.com/platypus-tui/platypus/registry"
)

// The first connection to a loopback registry is reset: the TLS probe asks
// again rather than guessing, so the request goes through, with no advice
// about TLS.
func TestResetOnTheFirstConnectionIsNotATLSProblem(t *testing.T) {
	srv := startDemo(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for first := true; ; first = false {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			if first {
				_ = c.(*net.TCPConn).SetLinger(0) // close with a reset
				_ = c.Close()
				continue
			}
			go func() {
				up, err := net.Dial("tcp", srv.Host)
				if err != nil {
					_ = c.Close()
					return
				}
				go func() { _, _ = io.Copy(up, c); _ = up.Close() }()
				_, _ = io.Copy(c, up)
				_ = c.Close()
			}()
		}
	}()
	host := ln.Addr().String()
	c := registry.New() // loopback: probed, not declared plain
	if _, err := c.Manifest(context.Background(), ref(t, host+"/library/centos:7")); err != nil {
		t.Errorf("after a reset on the first connection: %v", err)
	}
}
