package registry

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"testing"
)

// FuzzListPage: any page a registry sends, with any Link header, is read
// without a panic; a next link back to the same page is never kept.
func FuzzListPage(f *testing.F) {
	f.Add([]byte(`{"name":"x","tags":["a","b"]}`), `</v2/x/tags/list?n=2&last=b>; rel="next"`, "/v2/x/tags/list")
	f.Add([]byte(`{"repositories":[]}`), `</v2/_catalog?last=>; rel="next"`, "/v2/_catalog")
	f.Add([]byte(`not json "" """`), `<::bad url>; rel=next`, "/v2/x/tags/list")
	f.Fuzz(func(t *testing.T, body []byte, link, path string) {
		u, err := url.Parse("http://r.example" + path)
		if err != nil {
			return
		}
		req := &http.Request{URL: u}
		resp := &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(body))}
		resp.Header.Set("Link", link)
		g := &listGuard{limits: DefaultLimits(), seen: map[string]bool{}}
		if err := g.page(req, resp); err != nil {
			return
		}
		if g.names < 0 || g.pages != 1 {
			t.Fatalf("names %d, pages %d", g.names, g.pages)
		}
		if m := linkNext.FindStringSubmatch(resp.Header.Get("Link")); m != nil {
			if next, err := req.URL.Parse(m[1]); err == nil && sameURL(next, req.URL) {
				t.Fatalf("a link back to the page was kept: %q", link)
			}
		}
		b, _ := io.ReadAll(resp.Body)
		if !bytes.Equal(b, body) {
			t.Fatal("the page changed")
		}
	})
}
