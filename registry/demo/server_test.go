package demo_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/regclient/regclient"
	"github.com/regclient/regclient/config"
	"github.com/regclient/regclient/types/descriptor"
	"github.com/regclient/regclient/types/manifest"
	"github.com/regclient/regclient/types/ref"

	"github.com/platypus-tui/platypus/registry/demo"
	"github.com/platypus-tui/platypus/registry/regtest"
)

// The demo serves its seeded layouts as regclient reads the same layouts
// from disk (the oracle): every repository's tags, every manifest they
// reach byte for byte, and the referrers of each. Its own repositories,
// built in memory when asked for, against Seed's copy on disk; broken and
// hostile layouts included.
func TestDemoServesTheLayoutsAsRegclientReadsThem(t *testing.T) {
	dir := t.TempDir()
	if err := demo.Seed(dir); err != nil {
		t.Fatal(err)
	}
	srv, err := demo.Start(demo.Options{Extra: func(root string) error {
		if err := demo.SeedBroken(root); err != nil {
			return err
		}
		return demo.SeedHostile(root)
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	rc := regclient.New(regclient.WithConfigHost(config.Host{Name: srv.Host, TLS: config.TLSDisabled}))
	ctx := context.Background()
	repos := append(slices.Clone(demo.Repositories), demo.BrokenRepository, demo.HostileRepository)
	for _, repo := range repos {
		root := srv.Dir
		if slices.Contains(demo.Repositories, repo) {
			root = dir
		}
		disk, err := ref.New("ocidir://" + root + "/" + repo)
		if err != nil {
			t.Fatal(err)
		}
		served, err := ref.New(srv.Host + "/" + repo)
		if err != nil {
			t.Fatal(err)
		}
		want := tags(t, rc, disk)
		// The referrers tag schema's tags are referrers API answers.
		want = slices.DeleteFunc(want, func(s string) bool { return strings.HasPrefix(s, "sha256-") })
		if got := tags(t, rc, served); !slices.Equal(got, want) {
			t.Errorf("%s: tags %v, the layout has %v", repo, got, want)
		}
		seen := map[string]bool{}
		var walk func(d, s ref.Ref, depth int)
		walk = func(d, s ref.Ref, depth int) {
			md, errD := rc.ManifestGet(ctx, d)
			ms, errS := rc.ManifestGet(ctx, s)
			if (errD == nil) != (errS == nil) {
				t.Errorf("%s: the layout says %v, the demo %v", s.CommonName(), errD, errS)
				return
			}
			if errD != nil {
				return
			}
			rawD, _ := md.RawBody()
			rawS, _ := ms.RawBody()
			if !bytes.Equal(rawD, rawS) || md.GetDescriptor().MediaType != ms.GetDescriptor().MediaType {
				t.Errorf("%s: the demo serves another manifest (%s) than the layout holds (%s)", s.CommonName(), ms.GetDescriptor().MediaType, md.GetDescriptor().MediaType)
			}
			dig := ms.GetDescriptor().Digest.String()
			if seen[dig] {
				return
			}
			seen[dig] = true
			rd, errD := rc.ReferrerList(ctx, d.SetDigest(dig))
			rs, errS := rc.ReferrerList(ctx, s.SetDigest(dig))
			if errD != nil || errS != nil {
				t.Errorf("%s referrers: layout %v, demo %v", s.CommonName(), errD, errS)
			} else if a, b := descs(rd.Descriptors), descs(rs.Descriptors); a != b {
				t.Errorf("%s referrers: the demo lists %s, the layout %s", s.CommonName(), b, a)
			}
			if ix, ok := ms.(manifest.Indexer); ok && depth < 10 {
				children, _ := ix.GetManifestList()
				for _, c := range children {
					walk(d.SetDigest(c.Digest.String()), s.SetDigest(c.Digest.String()), depth+1)
				}
			}
		}
		// Every tag of a small repository, 50 spread over a big one
		// (regclient reads a layout's index.json per manifest).
		step := max(1, len(want)/50)
		for i := 0; i < len(want); i += step {
			walk(disk.SetTag(want[i]), served.SetTag(want[i]), 0)
		}
	}
}

func tags(t *testing.T, rc *regclient.RegClient, r ref.Ref) []string {
	t.Helper()
	tl, err := rc.TagList(context.Background(), r)
	if err != nil {
		t.Fatalf("%s: %v", r.CommonName(), err)
	}
	list, _ := tl.GetTags()
	slices.Sort(list)
	return list
}

func descs(list []descriptor.Descriptor) string {
	var b strings.Builder
	for _, d := range list {
		fmt.Fprintf(&b, "[%s %s %s %d %v]", d.MediaType, d.ArtifactType, d.Digest, d.Size, d.Annotations)
	}
	return b.String()
}

// A script of writes and reads, sent to Debian's distribution registry
// (the oracle) and to the demo, gets the same answers: pushes that name
// what the repository lacks are refused, a manifest deleted by digest takes
// its tags with it, a blob mounts from another repository, a range of a
// blob is that range.
func TestDemoWritesAsDistributionDoes(t *testing.T) {
	d := regtest.StartDistribution(t, regtest.DistributionOptions{})
	srv, err := demo.Start(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	const repo = "script/app"
	const oci = "application/vnd.oci.image.manifest.v1+json"
	const idx = "application/vnd.oci.image.index.v1+json"
	script := func(host string) []string {
		var log []string
		say := func(what string, a answer) { log = append(log, fmt.Sprintf("%s: %d %s", what, a.status, a.code)) }
		cfg := regtest.PushBlob(t, host, repo, "application/vnd.oci.image.config.v1+json", []byte(`{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}`))
		layer := regtest.PushBlob(t, host, repo, "application/vnd.oci.image.layer.v1.tar", []byte("0123456789"))
		img := regtest.PushImage(t, host, repo, "1", cfg, layer)
		regtest.PushImage(t, host, repo, "2", cfg, layer)
		ghost := regtest.Blob{MediaType: "application/vnd.oci.image.layer.v1.tar", Digest: "sha256:" + strings.Repeat("1", 64), Size: 3}
		say("image naming a missing layer", put(t, host, repo, "x", oci, map[string]any{"schemaVersion": 2, "mediaType": oci, "config": cfg, "layers": []regtest.Blob{ghost}}))
		say("index naming a missing child", put(t, host, repo, "x", idx, map[string]any{"schemaVersion": 2, "mediaType": idx, "manifests": []regtest.Blob{{MediaType: oci, Digest: ghost.Digest, Size: 3}}}))
		say("index of the image", put(t, host, repo, "i", idx, map[string]any{"schemaVersion": 2, "mediaType": idx, "manifests": []regtest.Blob{img}}))
		say("PUT by a digest it does not have", put(t, host, repo, ghost.Digest, oci, map[string]any{"schemaVersion": 2, "mediaType": oci, "config": cfg, "layers": []regtest.Blob{layer}}))
		get := func(ref string) answer {
			req, _ := http.NewRequest(http.MethodGet, "http://"+host+"/v2/"+repo+"/manifests/"+ref, nil)
			// Without it distribution answers 404 for an OCI manifest.
			req.Header.Set("Accept", oci+", "+idx)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			return decode(resp)
		}
		say("GET 1", get("1"))
		say("DELETE the image by digest", ask(t, http.MethodDelete, "http://"+host+"/v2/"+repo+"/manifests/"+img.Digest))
		say("GET 1 after", get("1"))
		say("GET 2 after", get("2"))
		say("GET i after", get("i"))
		resp, err := http.Get("http://" + host + "/v2/" + repo + "/tags/list")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		log = append(log, fmt.Sprintf("tags after: %d %s", resp.StatusCode, bytes.TrimSpace(b)))
		say("DELETE it again", ask(t, http.MethodDelete, "http://"+host+"/v2/"+repo+"/manifests/"+img.Digest))
		say("HEAD the layer", ask(t, http.MethodHead, "http://"+host+"/v2/"+repo+"/blobs/"+layer.Digest))
		say("GET the layer in another repository", ask(t, http.MethodGet, "http://"+host+"/v2/library/other/blobs/"+layer.Digest))
		say("mount it there", ask(t, http.MethodPost, "http://"+host+"/v2/library/other/blobs/uploads/?mount="+layer.Digest+"&from="+repo))
		say("HEAD it there", ask(t, http.MethodHead, "http://"+host+"/v2/library/other/blobs/"+layer.Digest))
		say("mount what the source lacks", ask(t, http.MethodPost, "http://"+host+"/v2/library/other/blobs/uploads/?mount="+ghost.Digest+"&from="+repo))
		req, _ := http.NewRequest(http.MethodGet, "http://"+host+"/v2/"+repo+"/blobs/"+layer.Digest, nil)
		req.Header.Set("Range", "bytes=2-5")
		resp, err = http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ = io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		log = append(log, fmt.Sprintf("range 2-5: %d %q %s", resp.StatusCode, b, resp.Header.Get("Content-Range")))
		return log
	}
	want, got := script(d.Host), script(srv.Host)
	for i := range max(len(want), len(got)) {
		w, g := at(want, i), at(got, i)
		if w != g {
			t.Errorf("distribution %q, demo %q", w, g)
		}
	}
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return ""
}

func put(t *testing.T, host, repo, ref, mediaType string, v any) answer {
	t.Helper()
	b, _ := json.Marshal(v)
	req, _ := http.NewRequest(http.MethodPut, "http://"+host+"/v2/"+repo+"/manifests/"+ref, bytes.NewReader(b))
	req.Header.Set("Content-Type", mediaType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	return decode(resp)
}

// Pages of the tag list and the catalog follow each other by their Link
// headers (distribution spec) and add up to the whole list; Debian's
// distribution ignores n on tag lists, so it cannot be the oracle here.
func TestDemoPagesListsByLinkHeaders(t *testing.T) {
	srv, err := demo.Start(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	for _, c := range []struct{ path, field string }{
		{"/v2/platypus/many-tags/tags/list", "tags"},
		{"/v2/_catalog", "repositories"},
	} {
		all := list(t, "http://"+srv.Host+c.path, c.field)
		var paged []string
		next, pages := c.path+"?n=7", 0
		for next != "" && pages <= len(all) {
			resp, err := http.Get("http://" + srv.Host + next)
			if err != nil {
				t.Fatal(err)
			}
			var body map[string][]string
			_ = json.NewDecoder(resp.Body).Decode(&body)
			_ = resp.Body.Close()
			paged = append(paged, body[c.field]...)
			next = strings.TrimSuffix(strings.TrimPrefix(resp.Header.Get("Link"), "<"), `>; rel="next"`)
			pages++
		}
		if !slices.Equal(paged, all) || len(all) < 8 || pages != (len(all)+6)/7 {
			t.Errorf("%s: %d pages of %d, %d names of %d", c.path, pages, (len(all)+6)/7, len(paged), len(all))
		}
	}
}

func list(t *testing.T, url, field string) []string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string][]string
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return body[field]
}

// A pushed artifact with a subject is listed by the referrers API at once,
// with its artifactType, and the push's answer names the subject
// (OCI-Subject), so that clients need not keep a referrers tag.
func TestDemoListsPushedReferrers(t *testing.T) {
	srv, err := demo.Start(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	const repo = "library/centos"
	const oci = "application/vnd.oci.image.manifest.v1+json"
	rc := regclient.New(regclient.WithConfigHost(config.Host{Name: srv.Host, TLS: config.TLSDisabled}))
	r, _ := ref.New(srv.Host + "/" + repo + ":7")
	m, err := rc.ManifestHead(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	subject := m.GetDescriptor()
	empty := regtest.PushBlob(t, srv.Host, repo, "application/vnd.oci.empty.v1+json", []byte("{}"))
	body, _ := json.Marshal(map[string]any{
		"schemaVersion": 2, "mediaType": oci, "artifactType": "application/example.sbom",
		"config": empty, "layers": []regtest.Blob{empty},
		"subject":     map[string]any{"mediaType": subject.MediaType, "digest": subject.Digest.String(), "size": subject.Size},
		"annotations": map[string]string{"k": "v"},
	})
	req, _ := http.NewRequest(http.MethodPut, "http://"+srv.Host+"/v2/"+repo+"/manifests/sbom", bytes.NewReader(body))
	req.Header.Set("Content-Type", oci)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || resp.Header.Get("OCI-Subject") != subject.Digest.String() {
		t.Fatalf("push: %s, OCI-Subject %q", resp.Status, resp.Header.Get("OCI-Subject"))
	}
	for _, c := range []struct {
		filter string
		n      int
	}{{"", 1}, {"application/example.sbom", 1}, {"application/other", 0}} {
		url := "http://" + srv.Host + "/v2/" + repo + "/referrers/" + subject.Digest.String()
		if c.filter != "" {
			url += "?artifactType=" + c.filter
		}
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		var idx struct {
			Manifests []struct {
				ArtifactType string            `json:"artifactType"`
				Annotations  map[string]string `json:"annotations"`
			} `json:"manifests"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&idx)
		_ = resp.Body.Close()
		applied := resp.Header.Get("OCI-Filters-Applied")
		if len(idx.Manifests) != c.n || (c.filter != "") != (applied == "artifactType") ||
			(c.n == 1 && (idx.Manifests[0].ArtifactType != "application/example.sbom" || idx.Manifests[0].Annotations["k"] != "v")) {
			t.Errorf("referrers %q: %+v, filters applied %q", c.filter, idx.Manifests, applied)
		}
	}
}
