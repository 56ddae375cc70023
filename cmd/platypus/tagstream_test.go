package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/platypus-tui/platypus/model/output"
)

// signalWriter is stdout that says when the first bytes came.
type signalWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	first chan struct{}
	once  sync.Once
}

func (w *signalWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.once.Do(func() { close(w.first) })
	return w.buf.Write(p) // a buffer
}

// oneResponseTags serves a tag list of n names in one response, the second
// half only once stdout has seen the first names (or after 5 s, which
// fails the test): `platypus tags` writes names as they arrive.
func oneResponseTags(t *testing.T, n int, out *signalWriter, streamed chan<- bool) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(`{"name":"x","tags":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"v%d"`, i)
	}
	b.WriteString("]}")
	body := b.String()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v2/" {
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body[:len(body)/2]))
		w.(http.Flusher).Flush()
		select {
		case <-out.first:
			streamed <- true
		case <-time.After(5 * time.Second):
			streamed <- false
		}
		_, _ = w.Write([]byte(body[len(body)/2:]))
	}))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

func TestTagsAreWrittenAsTheyArrive(t *testing.T) {
	for _, format := range []string{"table", "json"} {
		out := &signalWriter{first: make(chan struct{})}
		streamed := make(chan bool, 1)
		host := oneResponseTags(t, 20000, out, streamed)
		var errb bytes.Buffer
		code := run(context.Background(), []string{"tags", host + "/x", "-o", format}, strings.NewReader(""), out, &errb)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", format, code, errb.String())
		}
		if !<-streamed {
			t.Errorf("%s: nothing was written before the list ended", format)
		}
		got := out.buf.String()
		if format == "table" {
			lines := strings.Split(strings.TrimSpace(got), "\n")
			if len(lines) != 20001 || lines[0] != "TAG" || lines[1] != "v0" || lines[20000] != "v19999" {
				t.Errorf("table: %d lines, %q … %q", len(lines), lines[0], lines[len(lines)-1])
			}
			continue
		}
		var doc output.Tags
		if err := json.Unmarshal([]byte(got), &doc); err != nil || len(doc.Tags) != 20000 || doc.Tags[19999] != "v19999" || doc.Repository != host+"/x" {
			t.Errorf("json: %v, %d tags, %q", err, len(doc.Tags), doc.Repository)
		}
	}
}

// A list that breaks off mid-response is exit 1, whatever was written.
func TestATagListCutShortFails(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v2/" {
			return
		}
		w.Header().Set("Content-Length", "100000")
		_, _ = w.Write([]byte(`{"name":"x","tags":["a","b","c",`))
	}))
	defer srv.Close()
	_, stderr, code := cli(t, "", "tags", strings.TrimPrefix(srv.URL, "http://")+"/x", "-o", "json")
	if code != exitFailure || !strings.Contains(stderr, "x") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}
