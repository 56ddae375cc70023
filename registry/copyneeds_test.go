package registry_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/demo"
)

// writes records what a registry was sent: the digest of every manifest
// put and of every blob uploaded or mounted (201 Created), by kind.
type writes struct {
	mu  sync.Mutex
	got map[string]string // digest → "manifest" or "blob"
}

func (w *writes) take() map[string]string {
	w.mu.Lock()
	defer w.mu.Unlock()
	got := w.got
	w.got = map[string]string{}
	return got
}

func (w *writes) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		var body []byte
		manifest := r.Method == http.MethodPut && strings.Contains(r.URL.Path, "/manifests/")
		if manifest {
			body, _ = io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		sw := &statusWriter{ResponseWriter: rw}
		h.ServeHTTP(sw, r)
		if sw.status != http.StatusCreated {
			return
		}
		w.mu.Lock()
		defer w.mu.Unlock()
		switch q := r.URL.Query(); {
		case manifest:
			w.got[model.DigestOf(body)] = "manifest"
		case !strings.Contains(r.URL.Path, "/blobs/uploads/"):
		case q.Get("digest") != "":
			w.got[q.Get("digest")] = "blob"
		case q.Get("mount") != "":
			w.got[q.Get("mount")] = "blob"
		}
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// neededSet is what a dry run lists, as writes records it.
func neededSet(needs []registry.Needed) map[string]string {
	out := map[string]string{}
	for _, n := range needs {
		kind := "blob"
		if n.Kind == "index" || n.Kind == "manifest" {
			kind = "manifest"
		}
		out[n.Digest] = kind
	}
	return out
}

func sameSets(t *testing.T, what string, dry, real map[string]string) {
	t.Helper()
	for d, k := range real {
		if dry[d] != k {
			t.Errorf("%s: the copy sent %s %s, the dry run did not list it", what, k, model.ShortDigest(d))
		}
	}
	for d, k := range dry {
		if real[d] != k {
			t.Errorf("%s: the dry run listed %s %s, the copy did not send it", what, k, model.ShortDigest(d))
		}
	}
}

// A dry run lists exactly what the copy then sends: the copy is the
// oracle, watched at the target registry (every manifest put, every blob
// uploaded or mounted), for a whole copy with its referrers, a second tag
// that shares part of the first, a --platform copy, one without
// referrers, one within a registry (mounts) and one into an OCI layout
// (the blob files it adds). After each, a dry run of the same copy lists
// nothing.
func TestCopyDryRunListsWhatTheCopySends(t *testing.T) {
	var atA, atB writes
	atA.got, atB.got = map[string]string{}, map[string]string{}
	a, err := demo.Start(demo.Options{Wrap: atA.wrap})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })
	b, err := demo.Start(demo.Options{Wrap: atB.wrap})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	c := registry.New(registry.WithPlainHTTP(a.Host, b.Host))
	ctx := context.Background()
	arm := model.FlagTarget(model.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}, model.SourceFlag)
	layout := filepath.Join(t.TempDir(), "webapp")
	layoutBlobs := func() map[string]string {
		got := map[string]string{}
		files, _ := filepath.Glob(filepath.Join(layout, "blobs", "sha256", "*"))
		for _, f := range files {
			got["sha256:"+filepath.Base(f)] = "blob"
		}
		return got
	}
	for _, tc := range []struct {
		name, src, dst string
		platforms      []model.Target
		referrers      bool
		at             *writes
		atLeast        int // items the dry run must list, so the case tests something
	}{
		{"whole", a.Host + "/platypus/webapp:1.0", b.Host + "/mirror/webapp:1.0", nil, true, &atB, 30},
		{"shares blobs", a.Host + "/platypus/webapp:1.1-rc1", b.Host + "/mirror/webapp:1.1-rc1", nil, true, &atB, 1},
		{"platform", a.Host + "/library/centos:7", b.Host + "/mirror/centos:arm", []model.Target{arm}, true, &atB, 3},
		{"no referrers", a.Host + "/platypus/webapp:1.0", b.Host + "/bare/webapp:1.0", nil, false, &atB, 20},
		{"mount", a.Host + "/platypus/webapp:1.0", a.Host + "/mirror/webapp:1.0", nil, true, &atA, 30},
		{"layout", a.Host + "/platypus/webapp:1.0", "ocidir://" + layout + ":1.0", nil, true, nil, 30},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, dst := ref(t, tc.src), ref(t, tc.dst)
			plan, err := c.PlanCopy(ctx, src, dst, tc.platforms)
			if err != nil {
				t.Fatal(err)
			}
			needs, err := c.CopyNeeds(ctx, plan, tc.referrers)
			if err != nil {
				t.Fatal(err)
			}
			if len(needs) < tc.atLeast {
				t.Fatalf("the dry run lists %d items, expected at least %d", len(needs), tc.atLeast)
			}
			before := layoutBlobs()
			atA.take()
			atB.take()
			if _, err := c.RunCopy(ctx, plan, tc.referrers, journal(t), nil); err != nil {
				t.Fatal(err)
			}
			dry := neededSet(needs)
			var real map[string]string
			if tc.at != nil {
				real = tc.at.take()
			} else {
				// A layout holds manifests as blobs too.
				real = layoutBlobs()
				for d := range before {
					delete(real, d)
				}
				// A layout has no referrers API: regclient keeps each
				// subject's referrers in an index tagged sha256-HEX, made
				// at the target (stamped with the time it is written).
				// That is the target's bookkeeping, not content the copy
				// sends, and a dry run cannot know its digest.
				for _, d := range fallbackTags(t, layout) {
					delete(real, d)
				}
				for d := range dry {
					dry[d] = "blob"
				}
			}
			sameSets(t, tc.name, dry, real)
			plan, err = c.PlanCopy(ctx, src, dst, tc.platforms)
			if err != nil {
				t.Fatal(err)
			}
			if again, err := c.CopyNeeds(ctx, plan, tc.referrers); err != nil || len(again) != 0 {
				t.Errorf("after the copy a dry run lists %d items (%v)", len(again), err)
			}
		})
	}
}

// fallbackTags are the digests of a layout's referrers indexes, those
// its index.json tags sha256-HEX.
func fallbackTags(t *testing.T, layout string) []string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(layout, "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ix struct {
		Manifests []struct {
			Digest      string            `json:"digest"`
			Annotations map[string]string `json:"annotations"`
		} `json:"manifests"`
	}
	if err := json.Unmarshal(raw, &ix); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range ix.Manifests {
		if strings.HasPrefix(m.Annotations["org.opencontainers.image.ref.name"], "sha256-") {
			out = append(out, m.Digest)
		}
	}
	return out
}
