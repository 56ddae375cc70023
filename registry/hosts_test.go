package registry

import "testing"

// Basic auth must never travel in plain HTTP to a host that is not on
// loopback unless the user named it with --insecure-host: such hosts are
// never probed for plain HTTP, so regclient's default (TLS) applies.
func TestPlainHTTPOnlyForLoopbackOrInsecure(t *testing.T) {
	c := New(WithCredentials("registry.example.com", "u", "p"), WithInsecureHost("lab.example:5000"))
	for host, want := range map[string]bool{
		"registry.example.com": false, "10.0.0.5:5000": false, "example.com": false,
		"127.0.0.1:5000": true, "localhost:5000": true, "[::1]:5000": true, "lab.example:5000": true,
	} {
		if got := c.remote.needsProbe(host); got != want {
			t.Errorf("plain HTTP possible for %s = %v, want %v", host, got, want)
		}
	}
	strict := New(WithStrictTLS(true))
	if strict.remote.needsProbe("127.0.0.1:5000") {
		t.Error("--strict-tls still allows plain HTTP on loopback")
	}
}

func TestIsLoopback(t *testing.T) {
	for h, want := range map[string]bool{"localhost": true, "127.0.0.2:80": true, "[::1]:5000": true, "10.0.0.1": false, "localhost.evil.com": false} {
		if IsLoopback(h) != want {
			t.Errorf("IsLoopback(%q) = %v", h, !want)
		}
	}
}
