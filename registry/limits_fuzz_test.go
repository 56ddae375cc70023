package registry

import (
	"bytes"
	"context"
	"encoding/json"
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
		_, g := withListGuard(context.Background(), DefaultLimits())
		g.page(req, resp)
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			return // a page whose names do not decode
		}
		if !bytes.Equal(b, body) {
			t.Fatal("the page changed")
		}
		if g.names < 0 || g.pages != 1 {
			t.Fatalf("names %d, pages %d", g.names, g.pages)
		}
		if m := linkNext.FindStringSubmatch(resp.Header.Get("Link")); m != nil {
			if next, err := req.URL.Parse(m[1]); err == nil && sameURL(next, req.URL) {
				t.Fatalf("a link back to the page was kept: %q", link)
			}
		}
	})
}

// FuzzNameScanner: whatever chunks a body arrives in, the names scanned as
// it arrives are the names encoding/json decodes from all of it (what
// regclient keeps), or the scan says it cannot tell.
func FuzzNameScanner(f *testing.F) {
	f.Add([]byte(`{"name":"x","tags":["a","b\u0041","c\"d"]}`), uint8(3))
	f.Add([]byte(`{"tags":["a"],"name":"x","more":{"tags":["no"]},"x":["tags"]}`), uint8(1))
	f.Add([]byte(`{"TAGS":["a"]}`), uint8(2))
	f.Add([]byte(`{"tags":["\ud800","\xff"]}`), uint8(5))
	f.Fuzz(func(t *testing.T, body []byte, chunk uint8) {
		var want struct {
			Tags []string `json:"tags"`
		}
		if json.Unmarshal(body, &want) != nil {
			return
		}
		s := newNameScanner("tags")
		var got []string
		step := int(chunk)%7 + 1
		for i := 0; i < len(body); i += step {
			s.write(body[i:min(i+step, len(body))])
			got = append(got, s.take()...)
		}
		if s.err != nil {
			return
		}
		if s.count != len(want.Tags) {
			t.Fatalf("scanned %d names %q, decoded %d %q", s.count, got, len(want.Tags), want.Tags)
		}
		for i := range got {
			if got[i] != want.Tags[i] {
				t.Fatalf("name %d: scanned %q, decoded %q", i, got[i], want.Tags[i])
			}
		}
	})
}
