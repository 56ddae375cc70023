package demo_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/registry/demo"
	"github.com/platypus-tui/platypus/registry/regtest"
)

type answer struct {
	status int
	code   string // the first error code of the body, if any
}

func ask(t *testing.T, method, url string) answer {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	return decode(resp)
}

// decode reads an answer's status and first error code.
func decode(resp *http.Response) answer {
	b, _ := io.ReadAll(resp.Body)
	var body struct {
		Errors []struct{ Code string } `json:"errors"`
	}
	_ = json.Unmarshal(b, &body)
	a := answer{status: resp.StatusCode}
	if len(body.Errors) > 0 {
		a.code = body.Errors[0].Code
	}
	return a
}

// The demo answers a repository it does not have as Debian's distribution
// registry does (the oracle): 404 NAME_UNKNOWN for its tag list, 404 for
// its manifests and blobs; a push creates the repository in both.
func TestDemoAnswersAMissingRepositoryAsDistributionDoes(t *testing.T) {
	d := regtest.StartDistribution(t, regtest.DistributionOptions{})
	srv, err := demo.Start(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	zero := "sha256:" + strings.Repeat("0", 64)
	reads := []struct{ method, path string }{
		{http.MethodGet, "/v2/nobody/here/tags/list"},
		{http.MethodGet, "/v2/nobody/here/tags/list?n=10"},
		{http.MethodHead, "/v2/nobody/here/manifests/latest"},
		{http.MethodGet, "/v2/nobody/here/manifests/latest"},
		{http.MethodGet, "/v2/nobody/here/manifests/" + zero},
		{http.MethodHead, "/v2/nobody/here/blobs/" + zero},
	}
	for _, r := range reads {
		want, got := ask(t, r.method, "http://"+d.Host+r.path), ask(t, r.method, "http://"+srv.Host+r.path)
		if want.status != http.StatusNotFound || got != want {
			t.Errorf("%s %s: demo %+v, distribution %+v", r.method, r.path, got, want)
		}
	}
	for _, host := range []string{d.Host, srv.Host} {
		cfg := regtest.PushBlob(t, host, "fresh/repo", "application/vnd.oci.image.config.v1+json", []byte(`{"architecture":"amd64","os":"linux"}`))
		regtest.PushImage(t, host, "fresh/repo", "1", cfg)
		var list struct{ Tags []string }
		resp, err := http.Get("http://" + host + "/v2/fresh/repo/tags/list")
		if err != nil {
			t.Fatal(err)
		}
		_ = json.NewDecoder(resp.Body).Decode(&list)
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK || len(list.Tags) != 1 || list.Tags[0] != "1" {
			t.Errorf("%s after a push: %s %v", host, resp.Status, list.Tags)
		}
	}
	// A seeded repository still lists its tags.
	if a := ask(t, http.MethodGet, "http://"+srv.Host+"/v2/library/centos/tags/list"); a.status != http.StatusOK {
		t.Errorf("library/centos: %+v", a)
	}
}
