package registry_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/demo"
)

// quotaDemo is a demo registry that announces a pull quota the way Docker
// Hub does and counts manifest GETs (HEADs are free).
func quotaDemo(t *testing.T, remaining int) (*demo.Server, *atomic.Int64) {
	t.Helper()
	var gets atomic.Int64
	srv, err := demo.Start(demo.Options{Wrap: func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.Contains(r.URL.Path, "/manifests/") {
				if r.Method == http.MethodGet {
					gets.Add(1)
				}
				w.Header().Set("RateLimit-Limit", "100;w=21600")
				w.Header().Set("RateLimit-Remaining", strconv.Itoa(remaining-int(gets.Load()))+";w=21600")
			}
			h.ServeHTTP(w, r)
		})
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv, &gets
}

func TestScanUsesHeadsUnderAQuota(t *testing.T) {
	srv, gets := quotaDemo(t, 100)
	c := registry.New(registry.WithPlainHTTP(srv.Host))
	repo := ref(t, srv.Host+"/library/mysql")
	tags, err := c.AllTags(context.Background(), repo)
	if err != nil {
		t.Fatal(err)
	}
	if q := c.ProbeQuota(context.Background(), repo.WithTag(tags[0])); !q.Known || q.Limit != 100 {
		t.Fatalf("quota not read: %+v", q)
	}
	gets.Store(0)
	target := model.FlagTarget(model.Platform{OS: "linux", Architecture: "arm64"}, model.SourceFlag)
	n := 0
	c.Scan(context.Background(), repo, tags, target, func(r registry.ScanResult) {
		if r.Err != nil {
			t.Error(r.Err)
		}
		n++
	})
	// 7 tags over 2 distinct indexes: 2 pulls, not 7.
	if n != 7 || gets.Load() != 2 {
		t.Errorf("%d results, %d manifest GETs; want 7 and 2", n, gets.Load())
	}
}

func TestScanBudget(t *testing.T) {
	srv, _ := quotaDemo(t, 5)
	c := registry.New(registry.WithPlainHTTP(srv.Host))
	repo := ref(t, srv.Host+"/library/mysql")
	tags := []string{"5", "5.7", "5.7.44", "8", "8.0", "8.0.36", "latest"}
	err := c.CheckScanBudget(context.Background(), repo, tags, 0.5, 0)
	if !errors.Is(err, registry.ErrBudget) || !strings.Contains(err.Error(), "could spend 7 of the 5 pulls") {
		t.Errorf("err = %v", err)
	}
	if err := c.CheckScanBudget(context.Background(), repo, tags[:2], 0.5, 0); err != nil {
		t.Errorf("2 tags of 5 pulls: %v", err)
	}
	plain := startDemo(t)
	c = registry.New(registry.WithPlainHTTP(plain.Host))
	if err := c.CheckScanBudget(context.Background(), ref(t, plain.Host+"/library/mysql"), tags, 0.01, 0); err != nil {
		t.Errorf("a registry without a quota: %v", err)
	}
}

func TestTagRowsSpendNoPullsUnderAQuota(t *testing.T) {
	srv, gets := quotaDemo(t, 100)
	c := registry.New(registry.WithPlainHTTP(srv.Host))
	repo := ref(t, srv.Host+"/library/mysql")
	_ = c.ProbeQuota(context.Background(), repo.WithTag("8"))
	gets.Store(0)
	for _, tag := range []string{"5.7", "8", "8.0", "latest"} {
		s, err := c.Summarize(context.Background(), repo.WithTag(tag))
		if err != nil || s.Digest == "" || s.Kind != model.KindIndex || !s.HeadOnly {
			t.Fatalf("%s: %+v %v", tag, s, err)
		}
	}
	if gets.Load() != 0 {
		t.Errorf("tag rows spent %d pulls", gets.Load())
	}
}
