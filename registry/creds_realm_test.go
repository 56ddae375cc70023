package registry_test

import (
	"context"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/platypus-tui/platypus/registry"
)

// The secrets a login test stores; a realm that sees one of them got it.
const (
	realmUser     = "user"
	realmPassword = "s3cret"
	realmIDToken  = "id-t0ken"
)

// realmProbe is a registry that asks for a bearer token from a realm, and
// that realm, which grants a token only for the stored login and notes
// every secret it is sent.
type realmProbe struct {
	host  string // the registry's host:port
	realm string // the realm's URL
	mu    sync.Mutex
	seen  []string // secrets the realm received
	asked int      // token requests the realm received
}

// newRealmProbe starts the registry on 127.0.0.1 and its realm: on another
// port over plain HTTP (where "http"), over HTTPS on another port (where
// "https", its CA written to the returned file), or on the registry's own
// host:port ("same").
func newRealmProbe(t *testing.T, where string) (*realmProbe, string) {
	t.Helper()
	p := &realmProbe{}
	token := func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
		p.mu.Lock()
		p.asked++
		for _, s := range []string{realmPassword, realmIDToken} {
			if strings.Contains(string(body), s) || strings.Contains(decodeAuth(r), s) {
				p.seen = append(p.seen, s)
			}
		}
		p.mu.Unlock()
		u, pw, _ := r.BasicAuth()
		granted := (u == realmUser && pw == realmPassword) || strings.Contains(string(body), realmIDToken) || strings.Contains(string(body), realmPassword)
		if !granted {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"token":"granted","expires_in":300}`))
	}
	var caFile string
	var realmSrv *httptest.Server
	switch where {
	case "http":
		realmSrv = httptest.NewServer(http.HandlerFunc(token))
	case "https":
		realmSrv = httptest.NewTLSServer(http.HandlerFunc(token))
		caFile = filepath.Join(t.TempDir(), "ca.pem")
		b := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: realmSrv.Certificate().Raw})
		if err := os.WriteFile(caFile, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if realmSrv != nil {
		t.Cleanup(realmSrv.Close)
		p.realm = realmSrv.URL + "/token"
	}
	reg := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/token" {
			token(w, r)
			return
		}
		if r.Header.Get("Authorization") != "Bearer granted" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="`+p.realm+`",service="reg",scope="repository:x:pull"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusNotFound) // authorized: the manifest just is not there
	}))
	t.Cleanup(reg.Close)
	p.host = strings.TrimPrefix(reg.URL, "http://")
	if where == "same" {
		p.realm = reg.URL + "/token"
	}
	return p, caFile
}

func decodeAuth(r *http.Request) string {
	v := r.Header.Get("Authorization")
	if b, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(v, "Basic ")); err == nil {
		return string(b)
	}
	return v
}

func (p *realmProbe) leaked() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.seen...)
}

// dockerAuths writes a Docker config holding entry for host and points
// DOCKER_CONFIG at it.
func dockerAuths(t *testing.T, host, entry string) {
	t.Helper()
	dir := t.TempDir()
	cfg := `{"auths":{"` + host + `":` + entry + `}}`
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DOCKER_CONFIG", dir)
}

// checkWithheld asserts the realm got no secret, and the error says why
// access was refused: the login was kept from that realm.
func (p *realmProbe) checkWithheld(t *testing.T, err error) {
	t.Helper()
	if leak := p.leaked(); len(leak) > 0 {
		t.Fatalf("a token realm on another port over plain HTTP received %q", leak)
	}
	p.mu.Lock()
	asked := p.asked
	p.mu.Unlock()
	if asked == 0 {
		t.Fatal("the realm was never asked: the test proves nothing")
	}
	t.Log(err)
	if !errors.Is(err, registry.ErrUnauthorized) || !strings.Contains(err.Error(), "was not sent") || !strings.Contains(err.Error(), p.realm) {
		t.Errorf("err = %v; want unauthorized, saying the login was not sent to %s", err, p.realm)
	}
}

func realmClient(host string, opts ...registry.Option) *registry.Client {
	return registry.New(append([]registry.Option{registry.WithPlainHTTP(host), registry.WithRetries(0, time.Millisecond, time.Millisecond)}, opts...)...)
}

// A registry at 127.0.0.1:A that names a realm at http://127.0.0.1:B gets
// its login used only where it is stored: B is another server, and plain
// HTTP is readable on the way. Each way a login can be stored is tried.
func TestPlainRealmOnAnotherPortGetsNoLogin(t *testing.T) {
	basic := base64.StdEncoding.EncodeToString([]byte(realmUser + ":" + realmPassword))
	for name, setup := range map[string]func(t *testing.T, host string) []registry.Option{
		"flag": func(t *testing.T, host string) []registry.Option {
			return []registry.Option{registry.WithCredentials(host, realmUser, realmPassword)}
		},
		"auths": func(t *testing.T, host string) []registry.Option {
			dockerAuths(t, host, `{"auth":"`+basic+`"}`)
			return []registry.Option{registry.WithDockerCredentials(true)}
		},
		"identity token": func(t *testing.T, host string) []registry.Option {
			dockerAuths(t, host, `{"auth":"`+basic+`","identitytoken":"`+realmIDToken+`"}`)
			return []registry.Option{registry.WithDockerCredentials(true)}
		},
	} {
		t.Run(name, func(t *testing.T) {
			p, _ := newRealmProbe(t, "http")
			_, err := realmClient(p.host, setup(t, p.host)...).Manifest(context.Background(), ref(t, p.host+"/x:1"))
			p.checkWithheld(t, err)
		})
	}
}

// The same logins do reach a realm on the registry's own host:port, and
// one over HTTPS elsewhere: the guard keeps nothing from where it belongs.
func TestRealmWhereTheLoginBelongsGetsIt(t *testing.T) {
	for _, where := range []string{"same", "https"} {
		t.Run(where, func(t *testing.T) {
			p, ca := newRealmProbe(t, where)
			opts := []registry.Option{registry.WithCredentials(p.host, realmUser, realmPassword)}
			if ca != "" {
				opts = append(opts, registry.WithCAFile(ca))
			}
			_, err := realmClient(p.host, opts...).Manifest(context.Background(), ref(t, p.host+"/x:1"))
			if !errors.Is(err, registry.ErrNotFound) {
				t.Errorf("err = %v; want not found (the login was accepted)", err)
			}
			if len(p.leaked()) == 0 {
				t.Error("the realm never received the login")
			}
		})
	}
}
