package registry_test

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/platypus-tui/platypus/registry"
)

// TestRedirectDoesNotCarryCredentials: a registry that redirects blob
// downloads to another host must not hand that host the login.
func TestRedirectDoesNotCarryCredentials(t *testing.T) {
	srv := startDemo(t)
	backend := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: "http", Host: srv.Host})
	var mu sync.Mutex
	var seenAuth []string
	blobHost := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seenAuth = append(seenAuth, r.Header.Get("Authorization"))
		mu.Unlock()
		backend.ServeHTTP(w, r)
	}))
	defer blobHost.Close()
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "user" || p != "s3cret" {
			w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if strings.Contains(r.URL.Path, "/blobs/") {
			http.Redirect(w, r, blobHost.URL+r.URL.Path, http.StatusTemporaryRedirect)
			return
		}
		backend.ServeHTTP(w, r)
	}))
	defer front.Close()
	host := strings.TrimPrefix(front.URL, "http://")
	c := registry.New(registry.WithCredentials(host, "user", "s3cret"))
	m, err := c.Manifest(context.Background(), ref(t, host+"/library/centos:6.6"))
	if err != nil {
		t.Fatal(err)
	}
	img, err := c.Manifest(context.Background(), ref(t, host+"/library/centos:6.6").WithDigest(m.Entries[0].Digest))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Config(context.Background(), ref(t, host+"/library/centos:6.6"), *img.Config); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seenAuth) == 0 {
		t.Fatal("the blob was not fetched through the redirect: the test proves nothing")
	}
	for _, a := range seenAuth {
		if a != "" {
			t.Errorf("the redirect target received Authorization %q", a)
		}
	}
}

func TestRedactingHandler(t *testing.T) {
	var buf bytes.Buffer
	l := slog.New(registry.NewRedactingHandler(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}), "hunter2"))
	l.Debug("login with hunter2", slog.String("password", "x"), slog.String("Authorization", "Basic abc"),
		slog.Group("req", slog.String("url", "https://u:hunter2@host/")), slog.String("user", "bob"),
		slog.String("req-headers", "map[Accept:[json] Authorization:[Bearer tok.en.x]]"))
	out := buf.String()
	for _, leak := range []string{"hunter2", "Basic abc", "password=x", "tok.en.x"} {
		if strings.Contains(out, leak) {
			t.Errorf("log leaks %q: %s", leak, out)
		}
	}
	if !strings.Contains(out, "user=bob") {
		t.Errorf("redaction removed too much: %s", out)
	}
}

// A token realm on another host over plain HTTP never receives the
// registry's Basic credentials.
func TestForeignRealmGetsNoCredentials(t *testing.T) {
	var sawAuth atomic.Bool
	realm := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			sawAuth.Store(true)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"token":"t"}`))
	}))
	defer realm.Close()
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(realm.URL, "http://"))
	realmURL := "http://localhost:" + port + "/token" // not the registry's host name
	reg := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
			w.Header().Set("WWW-Authenticate", `Bearer realm="`+realmURL+`",service="reg"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusNotFound)
	}))
	defer reg.Close()
	host := strings.TrimPrefix(reg.URL, "http://")
	c := registry.New(registry.WithPlainHTTP(host), registry.WithCredentials(host, "user", "s3cret"), registry.WithRetries(0, time.Millisecond, time.Millisecond))
	_, _ = c.Manifest(context.Background(), ref(t, host+"/x:1"))
	if sawAuth.Load() {
		t.Error("the registry's credentials went to a realm on another host over plain HTTP")
	}
}
