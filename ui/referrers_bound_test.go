package ui

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/demo"
	"github.com/platypus-tui/platypus/themes"
)

// A registry naming 20,000 referrers for a manifest: the Referrers screen
// says the list passed its bound and which config key sets it, instead of
// following them (or offering a retry that ends the same way).
func TestReferrersScreenSaysItsBound(t *testing.T) {
	upstream := demoServer(t)
	var body strings.Builder
	body.WriteString(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[`)
	for i := range 20000 {
		if i > 0 {
			body.WriteByte(',')
		}
		fmt.Fprintf(&body, `{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%064x","size":500}`, i)
	}
	body.WriteString("]}")
	proxy := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: "http", Host: upstream.Host})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/referrers/") {
			w.Header().Set("Content-Type", "application/vnd.oci.image.index.v1+json")
			_, _ = w.Write([]byte(body.String()))
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	loc, err := model.ParseLocation(host+"/platypus/charts:0.1.0", "")
	if err != nil {
		t.Fatal(err)
	}
	h := newHarnessOn(t, &demo.Server{Host: host}, "mono", &loc, "linux/amd64")
	h.keys("R")
	v := h.view()
	if _, ok := h.top().(*referrersScreen); !ok {
		t.Fatalf("top is %T:\n%s", h.top(), v)
	}
	flat := strings.Join(strings.Fields(v), " ")
	for _, want := range []string{"more than 1000 referrers", "limits.referrers", "raise the limit"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the screen lacks %q:\n%s", want, v)
		}
	}
}

// A login kept from a plain-HTTP token realm is not fixed by logging in
// again: the hint says what is.
func TestWithheldLoginHint(t *testing.T) {
	th, err := themes.Load("mono")
	if err != nil {
		t.Fatal(err)
	}
	err = &registry.Error{Op: "get manifest", Target: "127.0.0.1:1/x:1", Host: "127.0.0.1:1", Kind: registry.ErrUnauthorized, Withheld: "http://127.0.0.1:2/token"}
	v := errorView(newStyles(th, true), DefaultKeyMap(), err, 100)
	if !strings.Contains(v, "must use HTTPS") || strings.Contains(v, "docker login") {
		t.Errorf("hint:\n%s", v)
	}
}
