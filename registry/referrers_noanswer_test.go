package registry_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/platypus-tui/platypus/registry"
)

// A referrers API that gives no answer (no header in time, or a body
// that stops) is an error, not the tag schema's empty list regclient
// falls back to: a registry with the API keeps no such tags, and a copy
// would leave its signatures behind without a word. regclient does not
// ask that repository's API again, so neither is a later list believed.
// A registry without the API (404) still gets the tag schema.
func TestReferrersAPIWithoutAnAnswerIsAnError(t *testing.T) {
	demoSrv := startDemo(t)
	for name, stall := range map[string]func(w http.ResponseWriter){
		"no header": func(http.ResponseWriter) { time.Sleep(1500 * time.Millisecond) },
		"a body that stops": func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/vnd.oci.image.index.v1+json")
			_, _ = w.Write([]byte(`{"schemaVersion":2,"manifests":[`))
			w.(http.Flusher).Flush()
			time.Sleep(1500 * time.Millisecond)
		},
		"404": func(w http.ResponseWriter) { http.NotFound(w, nil) },
	} {
		t.Run(name, func(t *testing.T) {
			proxy := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: "http", Host: demoSrv.Host})
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.Contains(r.URL.Path, "/referrers/") {
					stall(w)
					return
				}
				proxy.ServeHTTP(w, r)
			}))
			t.Cleanup(srv.Close)
			host := strings.TrimPrefix(srv.URL, "http://")
			c := referrersClient(tinyLimits(), host)
			webapp := ref(t, host+"/platypus/webapp:1.0")
			root, err := c.Manifest(context.Background(), webapp)
			if err != nil {
				t.Fatal(err)
			}
			for call := range 2 {
				_, err := c.Referrers(context.Background(), webapp.WithDigest(root.Digest))
				switch {
				case name == "404" && err != nil:
					t.Fatalf("call %d: a registry without the API: %v", call, err)
				case name != "404" && !errors.Is(err, registry.ErrUnreachable) && !errors.Is(err, registry.ErrStalled):
					t.Fatalf("call %d: %v, want the API's failure", call, err)
				}
			}
		})
	}
}
