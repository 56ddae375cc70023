package main

import (
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/registry/demo"
	"github.com/platypus-tui/platypus/registry/regtest"
	"github.com/platypus-tui/platypus/registry/state"
	"github.com/platypus-tui/platypus/themes"
)

// complete runs cobra's completion request as a shell does and returns
// the candidates offered.
func complete(t *testing.T, args ...string) []string {
	t.Helper()
	out, stderr, code := cli(t, "", append([]string{"__complete"}, args...)...)
	if code != 0 {
		t.Fatalf("__complete %v: exit %d: %s", args, code, stderr)
	}
	var got []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if l != "" && !strings.HasPrefix(l, ":") {
			got = append(got, l)
		}
	}
	return got
}

// Completion offers values: platforms (the host's first), themes, output
// formats, the recent references a word begins, and after REPO: the tags
// of REPO, asked of the registry once and then kept a while.
func TestCompletionOffersValues(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_STATE_HOME", filepath.Join(home, "state"))
	t.Setenv("XDG_CACHE_HOME", filepath.Join(home, "cache"))
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, "config"))

	if got := complete(t, "inspect", "x", "--platform", ""); len(got) < 5 || !slices.Contains(got, "linux/arm64/v8") || !slices.Contains(got, "windows/amd64") {
		t.Errorf("--platform: %v", got)
	}
	if got := complete(t, "--theme", ""); !slices.Equal(got, themes.Names()) {
		t.Errorf("--theme: %v", got)
	}
	if got := complete(t, "tags", "x", "-o", ""); !slices.Equal(got, []string{"table", "json"}) {
		t.Errorf("-o: %v", got)
	}

	srv, err := demo.Start(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	p := regtest.NewFaultProxy(t, srv.Host)
	lists := p.Count(func(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/tags/list") })
	st, err := state.Open(filepath.Join(home, "state", "platypus"))
	if err != nil {
		t.Fatal(err)
	}
	_ = st.Remember(p.Host+"/library/mysql:8", false)
	_ = st.Remember(p.Host+"/library/centos:7", false)
	if got := complete(t, "inspect", p.Host+"/library/my"); !slices.Equal(got, []string{p.Host + "/library/mysql:8"}) {
		t.Errorf("recent references: %v", got)
	}
	want := []string{p.Host + "/library/centos:7", p.Host + "/library/centos:7.6.1810"}
	for range 2 {
		if got := complete(t, "diff", "x", p.Host+"/library/centos:7"); !slices.Equal(got, want) {
			t.Errorf("tags: %v, want %v", got, want)
		}
	}
	if n := lists.Load(); n != 1 {
		t.Errorf("%d tag lists asked for: the second completion should use the first's", n)
	}
	// Not a reference position, or a port being typed: no registry asked.
	if got := complete(t, "cat", "x", p.Host+"/library/centos:"); len(got) != 0 {
		t.Errorf("cat's PATH: %v", got)
	}
	if got := complete(t, "inspect", "127.0.0.1:"); len(got) != 2 || lists.Load() != 1 {
		t.Errorf("a port: %v, %d tag lists", got, lists.Load())
	}
}
