package registry_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/platypus-tui/platypus/registry"
	"github.com/platypus-tui/platypus/registry/regtest"
)

// hostile starts a registry answering /v2/ and handing every other path
// to h; it counts requests.
func hostile(t *testing.T, h http.HandlerFunc) (string, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		if r.URL.Path == "/v2/" {
			w.WriteHeader(http.StatusOK)
			return
		}
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://"), &n
}

func tinyLimits() registry.Limits {
	l := registry.DefaultLimits()
	l.Pages, l.Names, l.PageMB = 50, 20000, 1
	l.HeaderTimeout, l.IdleTimeout = time.Second, time.Second
	return l
}

func limitedClient(host string) *registry.Client {
	return registry.New(registry.WithPlainHTTP(host), registry.WithLimits(tinyLimits()),
		registry.WithRetries(0, time.Millisecond, time.Millisecond))
}

func tagPage(w http.ResponseWriter, tags []string, link string) {
	if link != "" {
		w.Header().Set("Link", "<"+link+`>; rel="next"`)
	}
	w.Header().Set("Content-Type", "application/json")
	q := make([]string, len(tags))
	for i, t := range tags {
		q[i] = strconv.Quote(t)
	}
	fmt.Fprintf(w, `{"name":"x","tags":[%s]}`, strings.Join(q, ","))
}

func TestTagPagesThatLinkToThemselvesStop(t *testing.T) {
	host, n := hostile(t, func(w http.ResponseWriter, r *http.Request) {
		tagPage(w, []string{"a", "b"}, r.URL.Path+"?"+r.URL.RawQuery)
	})
	tags, err := limitedClient(host).AllTags(context.Background(), ref(t, host+"/x"))
	if !errors.Is(err, registry.ErrTruncated) || !strings.Contains(err.Error(), "links back") || len(tags) != 2 {
		t.Fatalf("tags %v, err %v", tags, err)
	}
	if n.Load() > 5 {
		t.Errorf("%d requests for a page that links to itself", n.Load())
	}
}

// An empty page that links on is not the end of the list: what follows
// it is not read, so the list is cut (first page or middle one alike).
func TestAnEmptyPageThatLinksOnCutsTheList(t *testing.T) {
	for _, first := range [][]string{nil, {"a", "b"}} {
		host, n := hostile(t, func(w http.ResponseWriter, r *http.Request) {
			page, _ := strconv.Atoi(r.URL.Query().Get("page"))
			if page == 0 && first != nil {
				tagPage(w, first, r.URL.Path+"?page=1")
				return
			}
			tagPage(w, nil, r.URL.Path+"?page="+strconv.Itoa(page+1))
		})
		tags, err := limitedClient(host).AllTags(context.Background(), ref(t, host+"/x"))
		if !errors.Is(err, registry.ErrTruncated) || !strings.Contains(err.Error(), "empty but links to more") || len(tags) != len(first) || n.Load() > 5 {
			t.Errorf("first page %v: tags %v, err %v, %d requests", first, tags, err, n.Load())
		}
	}
}

// An empty last page, without a link, is just the end.
func TestAnEmptyLastPageEndsTheList(t *testing.T) {
	host, _ := hostile(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("page") == "" {
			tagPage(w, []string{"a", "b"}, r.URL.Path+"?page=1")
			return
		}
		tagPage(w, nil, "")
	})
	tags, err := limitedClient(host).AllTags(context.Background(), ref(t, host+"/x"))
	if err != nil || len(tags) != 2 {
		t.Errorf("tags %v, err %v", tags, err)
	}
}

// A next page that brings only names already read is a loop, whatever
// URL it has: the list is cut, and each name is listed (and streamed)
// once.
func TestAPageOfNamesAlreadyReadIsALoop(t *testing.T) {
	first := make([]string, 1000)
	for i := range first {
		first[i] = fmt.Sprintf("t%04d", i)
	}
	host, n := hostile(t, func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		names := first
		if page == 1 {
			names = append([]string{"new"}, first[:10]...) // some new: not a loop
		}
		tagPage(w, names, r.URL.Path+"?page="+strconv.Itoa(page+1))
	})
	var streamed []string
	tags, err := limitedClient(host).AllTagsStream(context.Background(), ref(t, host+"/x"), func(names []string, _ int) {
		streamed = append(streamed, names...)
	})
	if !errors.Is(err, registry.ErrTruncated) || !strings.Contains(err.Error(), "page 3 brought only names already read") {
		t.Errorf("err %v", err)
	}
	if len(tags) != 1001 || len(streamed) != 1001 || n.Load() != 3 {
		t.Errorf("%d tags listed, %d streamed, %d requests; want 1001, 1001 and 3", len(tags), len(streamed), n.Load())
	}
}

// The same for a catalog whose second page repeats the first, ending
// there or linking on (AllRepositories follows a catalog itself).
func TestACatalogPageOfNamesAlreadyReadIsALoop(t *testing.T) {
	for _, link := range []string{"", "/v2/_catalog?last=r0999&again=1"} {
		host, n := hostile(t, func(w http.ResponseWriter, r *http.Request) {
			repos := make([]string, 1000)
			for i := range repos {
				repos[i] = strconv.Quote(fmt.Sprintf("r%04d", i))
			}
			next := link
			if r.URL.Query().Get("last") == "" {
				next = "/v2/_catalog?last=r0999"
			}
			if next != "" {
				w.Header().Set("Link", "<"+next+`>; rel="next"`)
			}
			fmt.Fprintf(w, `{"repositories":[%s]}`, strings.Join(repos, ","))
		})
		repos, err := limitedClient(host).AllRepositories(context.Background(), host)
		if !errors.Is(err, registry.ErrTruncated) || !strings.Contains(err.Error(), "already read") || len(repos) != 1000 || n.Load() != 2 {
			t.Errorf("second page linking to %q: %d repositories after %d requests, err %v", link, len(repos), n.Load(), err)
		}
	}
}

// New pages forever: the list stops at the page limit, with what arrived,
// and memory stays at what the limits allow.
func TestEndlessTagPagesStopAtTheLimit(t *testing.T) {
	host, n := hostile(t, func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		tags := make([]string, 100)
		for i := range tags {
			tags[i] = fmt.Sprintf("p%d-%d", page, i)
		}
		tagPage(w, tags, r.URL.Path+"?page="+strconv.Itoa(page+1))
	})
	tags, err := limitedClient(host).AllTags(context.Background(), ref(t, host+"/x"))
	if !errors.Is(err, registry.ErrTruncated) || !strings.Contains(err.Error(), "limits.pages") {
		t.Fatalf("err %v", err)
	}
	if len(tags) != 50*100 || n.Load() > 55 {
		t.Errorf("%d tags after %d requests; the limit is 50 pages", len(tags), n.Load())
	}
}

func TestEndlessCatalogStopsAtTheLimit(t *testing.T) {
	host, n := hostile(t, func(w http.ResponseWriter, r *http.Request) {
		last := r.URL.Query().Get("last")
		k, _ := strconv.Atoi(strings.TrimPrefix(last, "r"))
		nn, err := strconv.Atoi(r.URL.Query().Get("n"))
		if err != nil {
			nn = 1000 // its largest page, with a link to the next
		}
		repos := make([]string, nn)
		for i := range repos {
			repos[i] = strconv.Quote(fmt.Sprintf("r%09d", k+i+1))
		}
		w.Header().Set("Link", fmt.Sprintf(`</v2/_catalog?last=r%09d>; rel="next"`, k+nn))
		fmt.Fprintf(w, `{"repositories":[%s]}`, strings.Join(repos, ","))
	})
	repos, err := limitedClient(host).AllRepositories(context.Background(), host)
	if !errors.Is(err, registry.ErrTruncated) || len(repos) > 20000+1000 || n.Load() > 30 {
		t.Errorf("%d repositories after %d requests, err %v", len(repos), n.Load(), err)
	}
}

func TestHangingRegistryTimesOut(t *testing.T) {
	host, _ := hostile(t, func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
	_, err := limitedClient(host).Manifest(context.Background(), ref(t, host+"/x:1"))
	if !errors.Is(err, registry.ErrUnreachable) || !strings.Contains(err.Error(), "limits.headerTimeout") {
		t.Errorf("err %v", err)
	}
}

func TestDripFeedingRegistryStops(t *testing.T) {
	host, _ := hostile(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		for {
			if _, err := w.Write([]byte("{")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-time.After(300 * time.Millisecond):
			case <-r.Context().Done():
				return
			}
		}
	})
	_, err := limitedClient(host).AllTags(context.Background(), ref(t, host+"/x"))
	if !errors.Is(err, registry.ErrUnreachable) || !strings.Contains(err.Error(), "stopped sending") {
		t.Errorf("err %v", err)
	}
}

func TestHugePageIsRefused(t *testing.T) {
	host, _ := hostile(t, func(w http.ResponseWriter, r *http.Request) {
		tagPage(w, []string{strings.Repeat("a", 2<<20)}, "")
	})
	_, err := limitedClient(host).AllTags(context.Background(), ref(t, host+"/x"))
	if !errors.Is(err, registry.ErrInvalid) || !strings.Contains(err.Error(), "limits.pageMB") {
		t.Errorf("err %v", err)
	}
}

func TestLimitsProblems(t *testing.T) {
	l := registry.Limits{Pages: 0, Names: -1, PageMB: 0, HeaderTimeout: 0, IdleTimeout: time.Millisecond}
	if p := l.Problems(); len(p) != 10 {
		t.Errorf("problems %q", p)
	}
	if p := registry.DefaultLimits().Problems(); len(p) != 0 {
		t.Errorf("defaults have problems: %q", p)
	}
	big := registry.DefaultLimits()
	big.LayerEntries, big.PathLength = 3_000_000_000, 1<<30
	if p := big.Problems(); len(p) != 2 || !strings.Contains(p[0], "between 1 and 100000000") {
		t.Errorf("limits past what entries are counted in: %q", p)
	}
}

// Gateway errors are retried and forgotten: two 503s, then the answer; a
// 500 is not retried.
func TestGatewayErrorsAreRetried(t *testing.T) {
	srv := startDemo(t)
	p := regtest.NewFaultProxy(t, srv.Host)
	c := faultClient(p.Host)
	ctx := context.Background()
	for _, f := range []regtest.Fault{regtest.Status502, regtest.Status503, regtest.Status500} {
		p.Set(f, regtest.ManifestGets, 2, "", 0)
		before := p.Total.Load()
		_, err := c.Manifest(ctx, ref(t, p.Host+"/library/centos:7"))
		n := p.Total.Load() - before
		switch f {
		case regtest.Status500:
			if err == nil || n != 1 {
				t.Errorf("500: %d requests, err %v; a 500 is not retried", n, err)
			}
		default:
			if err != nil || n != 3 {
				t.Errorf("%s: %d requests, err %v", faultName(f), n, err)
			}
		}
		p.Clear()
	}
}

// A registry that ignores n and sends every tag at once, with no Link,
// gives a complete first page: nothing is left to ask for.
func TestTagsSentAtOnceAreComplete(t *testing.T) {
	var tags []string
	for i := range 1500 {
		tags = append(tags, fmt.Sprintf("t%04d", i))
	}
	body, _ := json.Marshal(map[string]any{"name": "x", "tags": tags})
	host, _ := hostile(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	})
	p, err := limitedClient(host).Tags(context.Background(), ref(t, host+"/x"), "", 1000)
	if err != nil || len(p.Items) != 1500 || p.Next != "" {
		t.Errorf("%d tags, next %q, err %v", len(p.Items), p.Next, err)
	}
}
