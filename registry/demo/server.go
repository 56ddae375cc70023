package demo

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"time"
)

// Server is a running demo registry.
type Server struct {
	// Host is "127.0.0.1:PORT", the registry part of demo references.
	Host string
	// Dir holds the layouts Options.Extra seeded, one per repository:
	// ocidir://Dir/REPO; "" without Extra. The demo's own repositories are
	// built in memory (Seed writes them to disk).
	Dir string

	http    *http.Server
	ln      net.Listener
	ownsDir bool
	stop    chan struct{}
}

// Options tune a demo registry.
type Options struct {
	// Addr to listen on; "" picks a free loopback port.
	Addr string
	// Dir to seed Extra into; "" uses a new temporary directory removed
	// on Close.
	Dir string
	// Extra seeds more repositories on disk beside the standard ones
	// (tests use it for hostile fixtures, demo serve for benchmarks).
	Extra func(root string) error
	// Wrap wraps the handler (tests put faults or latency in front).
	Wrap func(http.Handler) http.Handler
	// Warm builds the standard repositories in the background from the
	// start, so that the first one opened is likely ready; without it each
	// is built when first asked for.
	Warm bool
}

// Seed writes the demo repositories as OCI layouts under dir.
func Seed(dir string) error { return seed(dir) }

// Start serves the demo content on loopback. Its own repositories are
// built when first asked for (or warmed, Options.Warm): it answers at once.
func Start(opts Options) (*Server, error) {
	s := &Server{Dir: opts.Dir, stop: make(chan struct{})}
	if s.Dir == "" && opts.Extra != nil {
		d, err := os.MkdirTemp("", "platypus-demo-")
		if err != nil {
			return nil, fmt.Errorf("demo registry: %w", err)
		}
		s.Dir, s.ownsDir = d, true
	}
	if opts.Extra != nil {
		if err := opts.Extra(s.Dir); err != nil {
			s.cleanup()
			return nil, err
		}
	}
	addr := opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		s.cleanup()
		return nil, fmt.Errorf("demo registry: listen on %s: %w", addr, err)
	}
	s.ln, s.Host = ln, ln.Addr().String()
	// Pushes stay in memory and the layouts on disk stay as seeded. Tags
	// and manifests can be deleted (undo of a tag platypus created); blobs
	// cannot.
	st := newStore(s.Dir)
	var h http.Handler = newHandler(st)
	if opts.Wrap != nil {
		h = opts.Wrap(h)
	}
	if opts.Warm {
		go st.warm(s.stop)
	}
	s.http = &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.http.Serve(ln) }()
	return s, nil
}

// Close stops the registry at once and removes a temporary seed directory.
// Not a graceful Shutdown: net/http counts a connection dialed but not yet
// used as busy for 5 s, so Shutdown stalled every --demo command's exit by
// its timeout; the demo's own requests are done when it closes.
func (s *Server) Close() error {
	close(s.stop)
	err := s.http.Close()
	s.cleanup()
	if err != nil {
		return fmt.Errorf("demo registry: %w", err)
	}
	return nil
}

func (s *Server) cleanup() {
	if s.ownsDir {
		_ = os.RemoveAll(s.Dir)
	}
}

// WithLatency delays every request by d before h answers it.
func WithLatency(h http.Handler, d time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(d):
		case <-r.Context().Done():
			return
		}
		h.ServeHTTP(w, r)
	})
}

// WithBandwidth caps what each response sends to mbit megabits a second,
// like a registry at the end of a real network link, for benchmarks.
func WithBandwidth(h http.Handler, mbit float64) http.Handler {
	bytesPerSec := mbit * 1e6 / 8
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(&cappedWriter{ResponseWriter: w, rate: bytesPerSec, start: time.Now(), done: r.Context().Done()}, r)
	})
}

type cappedWriter struct {
	http.ResponseWriter
	rate  float64
	start time.Time
	sent  int64
	done  <-chan struct{}
}

func (c *cappedWriter) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 {
		chunk := p[:min(len(p), 16<<10)]
		m, err := c.ResponseWriter.Write(chunk)
		n += m
		c.sent += int64(m)
		if err != nil {
			return n, fmt.Errorf("bandwidth-capped write: %w", err)
		}
		p = p[m:]
		// Sleep until the bytes sent so far are due at the rate.
		due := c.start.Add(time.Duration(float64(c.sent) / c.rate * float64(time.Second)))
		if wait := time.Until(due); wait > 0 {
			select {
			case <-time.After(wait):
			case <-c.done:
				return n, http.ErrAbortHandler
			}
		}
	}
	return n, nil
}
