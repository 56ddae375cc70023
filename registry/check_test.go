package registry_test

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/model/check"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/demo"
)

// checkServer serves the check fixtures behind wrap.
func checkServer(t *testing.T, wrap func(http.Handler) http.Handler) (*demo.Server, demo.CheckSparse) {
	t.Helper()
	var sparse demo.CheckSparse
	srv, err := demo.Start(demo.Options{Wrap: wrap, Extra: func(root string) error {
		var err error
		sparse, err = demo.SeedCheck(root, demo.CheckOptions{})
		return err
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv, sparse
}

var blobsOnly = registry.CheckOptions{Needs: check.Needs{Blobs: true}}

// A registry that serves a layer at another size than its descriptor
// says (a HEAD's Content-Length) has a broken blob; one that answers a
// HEAD with its own digest header for another blob too.
func TestFactsBlobServedOtherwise(t *testing.T) {
	var lie atomic.Value
	lie.Store("")
	srv, _ := checkServer(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if d := lie.Load().(string); r.Method == http.MethodHead && d != "" && strings.HasSuffix(r.URL.Path, "/blobs/"+d) {
				w.Header().Set("Content-Length", "3")
				w.Header().Set("Docker-Content-Digest", d)
				w.WriteHeader(http.StatusOK)
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	c := registry.New(registry.WithPlainHTTP(srv.Host))
	r := ref(t, srv.Host+"/"+demo.CheckRepository+":orphan")
	tree, err := c.Expand(context.Background(), r, registry.ExpandOptions{Children: true, Configs: true})
	if err != nil {
		t.Fatal(err)
	}
	layer := tree.Children[tree.Root.Entries[1].Digest].Layers[0]
	lie.Store(layer.Digest)
	f, err := c.NewChecker().Facts(context.Background(), r, blobsOnly)
	if err != nil {
		t.Fatal(err)
	}
	if want := "the registry serves 3 bytes, its descriptor says"; !strings.HasPrefix(f.Missing[layer.Digest], want) || len(f.Missing) != 1 {
		t.Errorf("missing %v, want %q for %s", f.Missing, want, layer.Digest)
	}
}

// A registry failing (500, a refused login) is no finding about the
// index: the check cannot conclude, and says why.
func TestFactsRegistryFailureIsAnError(t *testing.T) {
	srv, _ := checkServer(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodHead && strings.Contains(r.URL.Path, "/blobs/") {
				w.Header().Set("WWW-Authenticate", `Basic realm="blobs"`)
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	c := registry.New(registry.WithPlainHTTP(srv.Host), registry.WithRetries(0, 0, 0))
	_, err := c.NewChecker().Facts(context.Background(), ref(t, srv.Host+"/"+demo.CheckRepository+":good"), blobsOnly)
	if !errors.Is(err, registry.ErrUnauthorized) {
		t.Errorf("err %v, want unauthorized", err)
	}
}

// An OCI layout is checked like a registry: a blob absent from blobs/ is
// missing, without a request.
func TestFactsOCILayout(t *testing.T) {
	dir := t.TempDir()
	sparse, err := demo.SeedCheck(dir, demo.CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c := registry.New()
	k := c.NewChecker()
	layout := "ocidir://" + filepath.Join(dir, demo.CheckRepository)
	for tag, want := range map[string]string{"missing-layer": sparse.Layer, "missing-config": sparse.Config, "missing-child": sparse.Child} {
		f, err := k.Facts(context.Background(), ref(t, layout+":"+tag), blobsOnly)
		if err != nil {
			t.Fatalf("%s: %v", tag, err)
		}
		if len(f.Missing) != 1 || f.Missing[want] == "" {
			t.Errorf("%s: missing %v, want %s", tag, f.Missing, want)
		}
	}
	f, err := k.Facts(context.Background(), ref(t, layout+":good"), registry.CheckOptions{Needs: (&check.Policy{HighestWasted: 0, Signatures: check.Level{On: true}}).Needs()})
	if err != nil || len(f.Missing) != 0 || f.Layers == nil || len(f.Referrers[f.Tree.Root.Digest]) != 1 {
		t.Errorf("good: %v %v layers %v referrers %v", err, f.Missing, f.Layers, f.Referrers)
	}
}

// What a run learnt of a blob is not asked again for the next reference:
// a repository's tags share their layers.
func TestCheckerAsksOncePerBlob(t *testing.T) {
	var heads atomic.Int64
	srv, _ := checkServer(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodHead && strings.Contains(r.URL.Path, "/blobs/") {
				heads.Add(1)
			}
			h.ServeHTTP(w, r)
		})
	})
	c := registry.New(registry.WithPlainHTTP(srv.Host))
	k := c.NewChecker()
	repo := srv.Host + "/" + demo.CheckRepository
	if _, err := k.Facts(context.Background(), ref(t, repo+":good"), blobsOnly); err != nil {
		t.Fatal(err)
	}
	first := heads.Load()
	// disagree holds two of good's images and no blob of its own.
	if _, err := k.Facts(context.Background(), ref(t, repo+":disagree"), blobsOnly); err != nil {
		t.Fatal(err)
	}
	if first == 0 || heads.Load() != first {
		t.Errorf("HEADs: %d, then %d more", first, heads.Load()-first)
	}
}

// A cancelled check ends with the context's error, every request stopped.
func TestFactsCancel(t *testing.T) {
	started := make(chan struct{}, 64)
	srv, _ := checkServer(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodHead && strings.Contains(r.URL.Path, "/blobs/") {
				started <- struct{}{}
				<-r.Context().Done()
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	c := registry.New(registry.WithPlainHTTP(srv.Host))
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-started
		cancel()
	}()
	_, err := c.NewChecker().Facts(ctx, ref(t, srv.Host+"/"+demo.CheckRepository+":good"), blobsOnly)
	if !errors.Is(err, context.Canceled) && !errors.Is(err, registry.ErrCanceled) {
		t.Errorf("err %v", err)
	}
}

// The progress callback hears every fetch, ending at its total.
func TestFactsProgress(t *testing.T) {
	srv, _ := checkServer(t, nil)
	c := registry.New(registry.WithPlainHTTP(srv.Host))
	var last [2]int
	var calls atomic.Int64
	opts := registry.CheckOptions{Needs: check.Needs{Blobs: true, Referrers: true, Layers: true}, Progress: func(done, total int) {
		calls.Add(1)
		last = [2]int{done, total}
	}}
	if _, err := c.NewChecker().Facts(context.Background(), ref(t, srv.Host+"/"+demo.CheckRepository+":good"), opts); err != nil {
		t.Fatal(err)
	}
	if last[0] != last[1] || last[1] == 0 || calls.Load() != int64(last[1]) {
		t.Errorf("progress ended at %v after %d calls", last, calls.Load())
	}
}

// A composer's draft is checked before its entries are in the target
// repository: Sources say where each one's blobs are until then.
func TestFactsOfADraft(t *testing.T) {
	srv, _ := checkServer(t, nil)
	c := registry.New(registry.WithPlainHTTP(srv.Host))
	src := ref(t, srv.Host+"/"+demo.CheckRepository+":good")
	tree, err := c.Expand(context.Background(), src, registry.ExpandOptions{Children: true, Configs: true})
	if err != nil {
		t.Fatal(err)
	}
	target := ref(t, srv.Host+"/mirror/app:1.0")
	k := c.NewChecker()
	f, err := k.Facts(context.Background(), target, registry.CheckOptions{Tree: tree, Needs: check.Needs{Blobs: true}})
	if err != nil || len(f.Missing) == 0 {
		t.Fatalf("without sources the target's repository lacks the blobs: %v %v", err, f.Missing)
	}
	sources := map[string]model.Reference{}
	for d := range tree.Children {
		sources[d] = src
	}
	f, err = k.Facts(context.Background(), target, registry.CheckOptions{Tree: tree, Sources: sources, Needs: check.Needs{Blobs: true, Referrers: true}})
	if err != nil || len(f.Missing) != 0 {
		t.Errorf("with sources: %v %v", err, f.Missing)
	}
}

// Reading layers (for an efficiency rule) finds what a HEAD cannot: a
// layer whose bytes are not its digest's. That is missing-blob's fact,
// and a layer that is absent too; neither stops the check.
func TestFactsLayerReadFindsCorruption(t *testing.T) {
	var bad atomic.Value
	bad.Store("")
	srv, sparse := checkServer(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if d := bad.Load().(string); r.Method == http.MethodGet && d != "" && strings.HasSuffix(r.URL.Path, "/blobs/"+d) {
				rec := &flipWriter{ResponseWriter: w}
				h.ServeHTTP(rec, r)
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	c := registry.New(registry.WithPlainHTTP(srv.Host))
	repo := srv.Host + "/" + demo.CheckRepository
	tree, err := c.Expand(context.Background(), ref(t, repo+":orphan"), registry.ExpandOptions{Children: true})
	if err != nil {
		t.Fatal(err)
	}
	layer := tree.Children[tree.Root.Entries[0].Digest].Layers[0].Digest
	bad.Store(layer)
	opts := registry.CheckOptions{Needs: check.Needs{Blobs: true, Layers: true}}
	f, err := c.NewChecker().Facts(context.Background(), ref(t, repo+":orphan"), opts)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(f.Missing[layer], "not what its descriptor says: the layer's digest is sha256:") || len(f.Layers) != 1 {
		t.Errorf("missing %v, layers %v", f.Missing, f.Layers)
	}
	f, err = c.NewChecker().Facts(context.Background(), ref(t, repo+":missing-layer"), opts)
	if err != nil || f.Missing[sparse.Layer] == "" {
		t.Errorf("absent layer: %v %v", err, f.Missing)
	}
}

// flipWriter changes one byte of what it passes on.
type flipWriter struct {
	http.ResponseWriter
	done bool
}

func (f *flipWriter) Write(p []byte) (int, error) {
	if !f.done && len(p) > 100 {
		q := append([]byte{}, p...)
		q[100] ^= 0xff
		f.done = true
		return f.ResponseWriter.Write(q)
	}
	return f.ResponseWriter.Write(p)
}
