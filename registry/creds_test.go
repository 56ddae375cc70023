//go:build unix

package registry_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/platypus-tui/platypus/registry"
)

// helper installs docker-credential-NAME running script, and a Docker
// config whose credentials store it is.
func helper(t *testing.T, name, script string) string {
	t.Helper()
	bin := t.TempDir()
	if err := os.WriteFile(filepath.Join(bin, "docker-credential-"+name), []byte("#!/bin/sh\n"+script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	cfg := t.TempDir()
	if err := os.WriteFile(filepath.Join(cfg, "config.json"), []byte(`{"credsStore":"`+name+`"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DOCKER_CONFIG", cfg)
	return bin
}

// A credential helper that hangs is killed, with what it started, when the
// request is cancelled.
func TestHangingCredentialHelperIsKilled(t *testing.T) {
	pids := filepath.Join(t.TempDir(), "pids")
	helper(t, "hang", "sleep 300 &\necho $$ $! > "+pids+"\nwait\n")
	srv := startDemo(t)
	c := registry.New(registry.WithPlainHTTP(srv.Host), registry.WithDockerCredentials(true))
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := c.Manifest(ctx, ref(t, srv.Host+"/library/centos:7"))
	if err == nil {
		t.Fatal("a request waiting on a hung helper succeeded")
	}
	b, _ := os.ReadFile(pids)
	for _, f := range strings.Fields(string(b)) {
		pid, _ := strconv.Atoi(f)
		deadline := time.Now().Add(5 * time.Second)
		for syscall.Kill(pid, 0) == nil && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if syscall.Kill(pid, 0) == nil {
			t.Errorf("process %d of the helper is still running", pid)
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

// A helper that fails is named, with what it said, when the registry then
// refuses the request.
func TestFailingCredentialHelperIsNamed(t *testing.T) {
	helper(t, "broken", "echo 'keychain is locked' >&2\nexit 1\n")
	host, _ := hostile(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
		w.WriteHeader(http.StatusUnauthorized)
	})
	c := registry.New(registry.WithPlainHTTP(host), registry.WithDockerCredentials(true), registry.WithRetries(0, time.Millisecond, time.Millisecond))
	_, err := c.Manifest(context.Background(), ref(t, host+"/x:1"))
	if !errors.Is(err, registry.ErrUnauthorized) || !strings.Contains(err.Error(), "docker-credential-broken") || !strings.Contains(err.Error(), "keychain is locked") {
		t.Errorf("err = %v", err)
	}
}

// A helper that fails saying nothing, or that is not installed, is named
// with the failure alone: no empty quote ("…:  (exit status 1)").
func TestSilentCredentialHelperFailure(t *testing.T) {
	for _, name := range []string{"silent", "absent"} {
		bin := helper(t, name, "exit 1\n")
		if name == "absent" {
			_ = os.Remove(filepath.Join(bin, "docker-credential-absent"))
		}
		host, _ := hostile(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
			w.WriteHeader(http.StatusUnauthorized)
		})
		c := registry.New(registry.WithPlainHTTP(host), registry.WithDockerCredentials(true), registry.WithRetries(0, time.Millisecond, time.Millisecond))
		_, err := c.Manifest(context.Background(), ref(t, host+"/x:1"))
		if err == nil || !strings.Contains(err.Error(), "docker-credential-"+name+" failed for "+host+": ") || strings.Contains(err.Error(), "  ") {
			t.Errorf("err = %q", err)
		}
	}
}

// A helper that has nothing for the registry is not an error.
func TestHelperWithoutCredentialsIsAnonymous(t *testing.T) {
	helper(t, "empty", "echo 'credentials not found in native keychain'\nexit 1\n")
	srv := startDemo(t)
	c := registry.New(registry.WithPlainHTTP(srv.Host), registry.WithDockerCredentials(true))
	if _, err := c.Manifest(context.Background(), ref(t, srv.Host+"/library/centos:7")); err != nil {
		t.Errorf("err = %v", err)
	}
}

// A login from a credential helper goes no further than one from auths: a
// plain-HTTP realm on another port of the registry's host gets none of it.
func TestPlainRealmGetsNoLoginFromAHelper(t *testing.T) {
	p, _ := newRealmProbe(t, "http")
	helper(t, "realm", `read host
if [ "$host" = "`+p.host+`" ]; then echo '{"Username":"`+realmUser+`","Secret":"`+realmPassword+`"}'; exit 0; fi
echo 'credentials not found in native keychain'; exit 1
`)
	_, err := realmClient(p.host, registry.WithDockerCredentials(true)).Manifest(context.Background(), ref(t, p.host+"/x:1"))
	p.checkWithheld(t, err)
}
