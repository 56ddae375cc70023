package demo

import (
	"io"
	"net/http"
	"os"
	"testing"
)

// The demo answers before building its repositories (issue 28: seeding
// all of them to disk first kept `platypus --demo` blank for 0.3–1.5 s):
// the catalog builds none, a repository is built when first asked for
// and alone, and nothing is written to disk.
func TestDemoBuildsARepositoryWhenFirstAskedFor(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	srv, err := Start(Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	st := srv.http.Handler.(*handler).s
	built := func() []string {
		st.mu.Lock()
		defer st.mu.Unlock()
		var names []string
		for name, r := range st.repos {
			if r.build != nil && r.build.files != nil {
				names = append(names, name)
			}
		}
		return names
	}
	get := func(path string) string {
		resp, err := http.Get("http://" + srv.Host + path)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = resp.Body.Close() }()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %s %s", path, resp.Status, b)
		}
		return string(b)
	}
	get("/v2/_catalog")
	if b := built(); len(b) != 0 {
		t.Errorf("the catalog built %v", b)
	}
	if tags := get("/v2/library/centos/tags/list"); tags != `{"name":"library/centos","tags":["6","6.6","7","7.6.1810"]}` {
		t.Errorf("library/centos tags: %s", tags)
	}
	if b := built(); len(b) != 1 || b[0] != "library/centos" {
		t.Errorf("asking for library/centos built %v", b)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("the demo wrote %v into the temporary directory", left)
	}
}

// Warm builds every repository in the background; Close stops it.
func TestDemoWarmBuildsEveryRepository(t *testing.T) {
	s := newStore("")
	stop := make(chan struct{})
	s.warm(stop)
	for name, r := range s.repos {
		if r.build.files == nil || r.build.files["index.json"] == nil {
			t.Errorf("%s was not built", name)
		}
	}
	close(stop)
	s = newStore("")
	s.warm(stop)
	for name, r := range s.repos {
		if r.build.files != nil {
			t.Errorf("%s was built after stop", name)
		}
	}
}
