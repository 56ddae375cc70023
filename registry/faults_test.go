package registry_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/platypus-tui/platypus/model"
	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/demo"
	"github.com/platypus-tui/platypus/registry/regtest"
)

func startDemo(t *testing.T) *demo.Server {
	t.Helper()
	s, err := demo.Start(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func ref(t testing.TB, s string) model.Reference {
	t.Helper()
	r, err := model.ParseReference(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func faultClient(host string, extra ...registry.Option) *registry.Client {
	opts := append([]registry.Option{
		registry.WithPlainHTTP(host),
		registry.WithRetries(2, 5*time.Millisecond, 20*time.Millisecond),
		registry.WithRetryAfterCap(time.Second),
	}, extra...)
	return registry.New(opts...)
}

func TestFaultsBecomeClearErrors(t *testing.T) {
	srv := startDemo(t)
	tests := []struct {
		fault regtest.Fault
		kind  error
		want  string
	}{
		{regtest.Status500, registry.ErrServer, "500"},
		{regtest.Status502, registry.ErrServer, "502"},
		{regtest.Status503, registry.ErrServer, "503"},
		{regtest.TooMany, registry.ErrRateLimited, "rate limited"},
		{regtest.Reset, registry.ErrUnreachable, ""},
		{regtest.Truncate, registry.ErrUnreachable, ""},
		{regtest.WrongDigest, registry.ErrInvalid, "digest"},
		{regtest.Garbage, registry.ErrInvalid, "invalid content"},
	}
	for _, tt := range tests {
		t.Run(faultName(tt.fault), func(t *testing.T) {
			p := regtest.NewFaultProxy(t, srv.Host)
			p.Set(tt.fault, regtest.ManifestGets, -1, "1", 0)
			c := faultClient(p.Host)
			_, err := c.Manifest(context.Background(), ref(t, p.Host+"/library/centos:7"))
			if !errors.Is(err, tt.kind) {
				t.Fatalf("err = %v, want kind %v", err, tt.kind)
			}
			msg := err.Error()
			t.Log(msg)
			if !strings.Contains(msg, p.Host) || strings.ContainsAny(msg, "\n\r\x1b\x07") || !strings.Contains(msg, tt.want) {
				t.Errorf("message %q: want one clean line naming %s and %q", msg, p.Host, tt.want)
			}
			if n := p.Faulted.Load(); n < 1 || n > 6 {
				t.Errorf("%d faulted requests: retries are not bounded", n)
			}
		})
	}
}

func faultName(f regtest.Fault) string {
	return map[regtest.Fault]string{
		regtest.Status500: "500", regtest.Status502: "502", regtest.Status503: "503", regtest.TooMany: "429",
		regtest.Reset: "reset", regtest.Truncate: "truncated", regtest.WrongDigest: "wrong-digest", regtest.Slow: "slow",
		regtest.Garbage: "garbage", regtest.WrongType: "wrong-content-type",
	}[f]
}

func TestRetryAfterIsHonouredThenSucceeds(t *testing.T) {
	srv := startDemo(t)
	p := regtest.NewFaultProxy(t, srv.Host)
	p.Set(regtest.TooMany, regtest.ManifestGets, 2, "1", 0)
	c := faultClient(p.Host, registry.WithRetries(3, 5*time.Millisecond, 20*time.Millisecond))
	m, err := c.Manifest(context.Background(), ref(t, p.Host+"/library/centos:7"))
	if err != nil || len(m.Entries) != 5 {
		t.Fatalf("after two 429s: %v", err)
	}
	if p.Faulted.Load() != 2 {
		t.Errorf("faulted %d", p.Faulted.Load())
	}
}

func TestHugeRetryAfterIsCapped(t *testing.T) {
	srv := startDemo(t)
	p := regtest.NewFaultProxy(t, srv.Host)
	p.Set(regtest.TooMany, regtest.ManifestGets, -1, "86400", 0)
	c := faultClient(p.Host)
	done := make(chan error, 1)
	go func() {
		_, err := c.Manifest(context.Background(), ref(t, p.Host+"/library/centos:7"))
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, registry.ErrRateLimited) {
			t.Errorf("err = %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("a one-day Retry-After was obeyed")
	}
}

func TestCancelStopsASlowRequest(t *testing.T) {
	srv := startDemo(t)
	p := regtest.NewFaultProxy(t, srv.Host)
	p.Set(regtest.Slow, regtest.ManifestGets, -1, "", time.Hour)
	c := faultClient(p.Host)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.Manifest(ctx, ref(t, p.Host+"/library/centos:7"))
		done <- err
	}()
	for p.Faulted.Load() == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, registry.ErrCanceled) && !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("cancelling did not stop the request")
	}
}

func TestWrongContentTypeIsAClearError(t *testing.T) {
	srv := startDemo(t)
	p := regtest.NewFaultProxy(t, srv.Host)
	p.Set(regtest.WrongType, regtest.ManifestGets, -1, "", 0)
	_, err := faultClient(p.Host).Manifest(context.Background(), ref(t, p.Host+"/library/centos:7"))
	if !errors.Is(err, registry.ErrInvalid) || !strings.Contains(err.Error(), `unsupported media type: "text/html"`) || !strings.Contains(err.Error(), "library/centos:7") {
		t.Fatalf("a manifest served as text/html: %v", err)
	}
}

func TestBrokenIndexes(t *testing.T) {
	srv, err := demo.Start(demo.Options{Extra: demo.SeedBroken})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c := registry.New(registry.WithPlainHTTP(srv.Host))
	repo := srv.Host + "/" + demo.BrokenRepository
	expand := func(tag string) *model.Tree {
		tr, err := c.Expand(context.Background(), ref(t, repo+":"+tag), registry.ExpandOptions{Children: true, Configs: true})
		if err != nil {
			t.Fatalf("%s: the root loads, children may fail: %v", tag, err)
		}
		return tr
	}
	tr := expand("bad-size")
	bad := tr.Root.Entries[1].Digest
	if err := tr.Errors[bad]; !errors.Is(err, registry.ErrInvalid) || !strings.Contains(err.Error(), "the index says") {
		t.Errorf("bogus size: %v", err)
	}
	if tr.Children[tr.Root.Entries[0].Digest] == nil || tr.Configs[tr.Root.Entries[0].Digest] == nil {
		t.Error("the good entry did not load next to the bad one")
	}
	tr = expand("missing")
	if err := tr.Errors[tr.Root.Entries[1].Digest]; !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("missing child: %v", err)
	}
	tr = expand("deep")
	deepErr := false
	for _, err := range tr.Errors {
		if strings.Contains(err.Error(), "nested deeper than") {
			deepErr = true
		}
	}
	if !deepErr || len(tr.Children) > model.MaxDepth {
		t.Errorf("depth not bounded: %d children, errors %v", len(tr.Children), tr.Errors)
	}
}

// Expand has no waves: while one child manifest is slow, the configs of
// the others are already asked for (they used to wait for every manifest).
func TestExpandAsksConfigsAsManifestsArrive(t *testing.T) {
	srv := startDemo(t)
	p := regtest.NewFaultProxy(t, srv.Host)
	c := faultClient(p.Host)
	idx, err := c.Manifest(context.Background(), ref(t, srv.Host+"/platypus/webapp:1.0"))
	if err != nil {
		t.Fatal(err)
	}
	slow := idx.Entries[0].Digest
	const delay = 400 * time.Millisecond
	var mu sync.Mutex
	var slowAt, firstConfig time.Time
	p.OnRequest = func(r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case strings.HasSuffix(r.URL.Path, "/manifests/"+slow):
			slowAt = time.Now()
		case strings.Contains(r.URL.Path, "/blobs/") && firstConfig.IsZero():
			firstConfig = time.Now()
		}
	}
	p.Set(regtest.Slow, func(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/manifests/"+slow) }, 1, "", delay)
	tree, err := c.Expand(context.Background(), ref(t, p.Host+"/platypus/webapp:1.0"), registry.ExpandOptions{Children: true, Configs: true})
	if err != nil || len(tree.Configs) < 3 {
		t.Fatalf("%v, %d configs", err, len(tree.Configs))
	}
	mu.Lock()
	defer mu.Unlock()
	if firstConfig.IsZero() || !firstConfig.Before(slowAt.Add(delay)) {
		t.Errorf("the first config was asked for %v after the slow manifest was; it should not wait for it (%v)", firstConfig.Sub(slowAt), delay)
	}
}
