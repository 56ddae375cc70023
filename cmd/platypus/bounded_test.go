package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/model/output"
	"github.com/platypus-tui/platypus/registry/demo"
)

// Every bad value of the config file is named, in one message.
func TestConfigValuesAreValidatedTogether(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	_ = os.WriteFile(cfg, []byte("concurrency: -5\nquotaShare: 7\nkeys:\n  quit: []\n  nosuch: [x]\nlimits:\n  idleTimeout: forever\n"), 0o600)
	_, stderr, code := cli(t, "", "--config", cfg, "--demo", "tags", "centos")
	for _, want := range []string{cfg, "concurrency: -5", "quotaShare: 7", "quit: no keys given", `unknown action "nosuch"`, "limits.idleTimeout"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("the message lacks %q:\n%s", want, stderr)
		}
	}
	if code != exitUsage {
		t.Errorf("exit %d", code)
	}
	// A YAML mistake is shown as the YAML library shows it: the line and a
	// caret, with the file's path.
	_ = os.WriteFile(cfg, []byte("theme: dark\nplatfrom: linux/arm64\n"), 0o600) //nolint:misspell // the typo is the test
	_, stderr, _ = cli(t, "", "--config", cfg, "tags", "x")
	if !strings.Contains(stderr, cfg) || !strings.Contains(stderr, "^") || strings.Count(stderr, "\n") < 3 {
		t.Errorf("YAML error:\n%s", stderr)
	}
}

// A tag list that never ends is cut at a limit: exit 1 naming the flag,
// or what arrived with --allow-truncated.
func TestTruncatedListsNeedTheFlag(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v2/" {
			return
		}
		w.Header().Set("Link", "<"+r.URL.String()+`>; rel="next"`)
		fmt.Fprint(w, `{"name":"x","tags":["a","b"]}`)
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	_, stderr, code := cli(t, "", "tags", host+"/x")
	if code != exitFailure || !strings.Contains(stderr, "--allow-truncated") || !strings.Contains(stderr, "links back") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	out, stderr, code := cli(t, "", "tags", host+"/x", "--allow-truncated", "-o", "json")
	if code != 0 || !strings.Contains(out, `"a"`) || !strings.Contains(stderr, "warning") {
		t.Errorf("exit %d: %s %s", code, out, stderr)
	}
}

// A tag list whose first page is empty but links on, and a catalog whose
// second page repeats the first, are cut lists: exit 1 naming the flag,
// never an empty list or every name twice with exit 0.
func TestEmptyAndRepeatedPagesAreTruncations(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v2/":
		case "/v2/_catalog":
			if r.URL.Query().Get("last") == "" {
				w.Header().Set("Link", `</v2/_catalog?last=r999>; rel="next"`)
			}
			names := make([]string, 1000)
			for i := range names {
				names[i] = fmt.Sprintf("%q", fmt.Sprintf("r%03d", i))
			}
			fmt.Fprintf(w, `{"repositories":[%s]}`, strings.Join(names, ","))
		default:
			w.Header().Set("Link", "<"+r.URL.Path+`?page=2>; rel="next"`)
			fmt.Fprint(w, `{"name":"x","tags":[]}`)
		}
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	out, stderr, code := cli(t, "", "tags", host+"/x")
	if code != exitFailure || !strings.Contains(stderr, "--allow-truncated") || !strings.Contains(stderr, "empty but links to more") {
		t.Errorf("tags: exit %d: %s%s", code, out, stderr)
	}
	_, stderr, code = cli(t, "", "repos", host)
	if code != exitFailure || !strings.Contains(stderr, "--allow-truncated") || !strings.Contains(stderr, "already read") {
		t.Errorf("repos: exit %d: %s", code, stderr)
	}
	out, _, code = cli(t, "", "repos", host, "--allow-truncated")
	if lines := strings.Count(out, "\n"); code != 0 || lines != 1001 {
		t.Errorf("repos --allow-truncated: exit %d, %d lines; want a header and 1,000 names", code, lines)
	}
}

// A scan of more tags than scanAsk, on a registry that says nothing of a
// quota, asks first: without a terminal it needs --yes. Its JSON streams
// but is one valid document.
func TestScanAsksBeforeManyTags(t *testing.T) {
	_, stderr, code := cli(t, "", "--demo", "scan", "platypus/many-tags", "--platform", "linux/arm64")
	if code != exitFailure || !strings.Contains(stderr, "--yes") || !strings.Contains(stderr, "3000") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	out, stderr, code := cli(t, "", "--demo", "scan", "platypus/many-tags", "--platform", "linux/arm64", "--yes", "-o", "json")
	var rep output.Scan
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil || len(rep.Tags) < 3000 {
		t.Errorf("exit %d, %d tags: %s", code, len(rep.Tags), stderr)
	}
}

// A child that fails verification is said in its row, never "selected",
// and the command fails when it is the one docker pull would take.
func TestInspectTableShowsEntryErrors(t *testing.T) {
	srv, err := demo.Start(demo.Options{Extra: demo.SeedBroken})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ref := srv.Host + "/" + demo.BrokenRepository + ":bad-size"
	out, stderr, code := cli(t, "", "inspect", ref, "--platform", "linux/arm64")
	if code != exitFailure || !strings.Contains(out, "error: ") || !strings.Contains(stderr, "cannot be verified") {
		t.Errorf("exit %d:\n%s\n%s", code, out, stderr)
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "error:") && strings.Contains(l, "selected") {
			t.Errorf("a failed entry reads selected: %q", l)
		}
	}
	if _, _, code := cli(t, "", "inspect", ref, "--platform", "linux/amd64"); code != 0 {
		t.Errorf("the entry amd64 pulls is fine: exit %d", code)
	}
}
