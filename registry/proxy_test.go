package registry_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/regtest"
)

// A plain-HTTP --insecure-host registry reached through a proxy: the TLS
// probe asks through the proxy the requests use (CONNECT), sees plain
// HTTP, and the request goes through. Behind a proxy that tunnels only to
// port 443 (squid's default), the probe asks for /v2/ in plain HTTP
// through it. The host's name does not resolve: only the proxy reaches it.
func TestInsecureHostThroughAProxy(t *testing.T) {
	srv := startDemo(t)
	for _, only443 := range []bool{false, true} {
		p := regtest.NewForwardProxy(t, srv.Host)
		p.OnlyPort443 = only443
		const host = "registry.invalid:5000"
		c := registry.New(registry.WithInsecureHost(host), registry.WithProxy(http.ProxyURL(p.URL)))
		if _, err := c.Manifest(context.Background(), ref(t, host+"/library/centos:7")); err != nil {
			t.Errorf("only443=%v: %v (proxy saw %v)", only443, err, p.Log())
			continue
		}
		probe := "CONNECT " + host
		if only443 {
			probe = "GET http://" + host + "/v2/"
		}
		if log := p.Log(); !slices.ContainsFunc(log, func(s string) bool { return strings.HasPrefix(s, probe) }) {
			t.Errorf("only443=%v: the probe did not ask the proxy (%q): %v", only443, probe, log)
		}
	}
}
