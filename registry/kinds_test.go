package registry_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/regtest"
)

// pushRecorded puts the root of an index a real tool wrote (recorded in
// model/testdata/indexes) as repo:tag; its children must be in repo.
func pushRecorded(t *testing.T, host, name, repo, tag string) string {
	t.Helper()
	dir := filepath.Join("..", "model", "testdata", "indexes", name)
	var rec struct{ Root string }
	b, err := os.ReadFile(filepath.Join(dir, "recorded.json"))
	if err == nil {
		err = json.Unmarshal(b, &rec)
	}
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "blobs", strings.Replace(rec.Root, ":", "-", 1)+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ MediaType string }
	_ = json.Unmarshal(raw, &doc)
	return regtest.PushRawManifest(t, host, repo, tag, doc.MediaType, raw).Digest
}

// The tag row of an index crane wrote lists its platforms and sizes, with
// and without a pull quota (issue 21, defect 1: every entry was an
// artifact, so the row showed no platform).
func TestSummaryOfCraneIndex(t *testing.T) {
	for _, quota := range []bool{false, true} {
		srv := startDemo(t)
		if quota {
			srv, _ = quotaDemo(t, 100)
		}
		for _, name := range []string{"crane-append", "crane-append-docker"} {
			pushRecorded(t, srv.Host, name, "platypus/webapp", name)
			c := registry.New(registry.WithPlainHTTP(srv.Host))
			r := ref(t, srv.Host+"/platypus/webapp:"+name)
			if quota {
				_ = c.ProbeQuota(context.Background(), r)
				if _, err := c.Manifest(context.Background(), r); err != nil { // cached: the row reads it for free
					t.Fatal(err)
				}
			}
			s, err := c.Summarize(context.Background(), r)
			if err != nil {
				t.Fatal(err)
			}
			var plats []string
			for _, p := range s.Platforms {
				plats = append(plats, p.String())
			}
			if s.Kind != model.KindIndex || strings.Join(plats, " ") != "linux/amd64 linux/arm64" || (!quota && s.Size == 0) {
				t.Errorf("%s (quota %v): %+v", name, quota, s)
			}
		}
	}
}
