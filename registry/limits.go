package registry

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/platypus-tui/platypus/model/fstree"
)

// Limits bound what a registry can make platypus do: how long to wait, how
// much to read, how many pages and names to follow. The defaults never
// bother a real registry; each can be changed in the config file.
type Limits struct {
	// Pages is the most pages one tag list or catalog is followed for.
	Pages int `yaml:"pages"`
	// Names is the most tags or repositories one list keeps.
	Names int `yaml:"names"`
	// PageMB bounds one page of a list, in MiB.
	PageMB int `yaml:"pageMB"`
	// HeaderTimeout is how long a registry may take to start answering.
	HeaderTimeout time.Duration `yaml:"headerTimeout"`
	// IdleTimeout stops a response that brings less than 1 KiB for this long.
	IdleTimeout time.Duration `yaml:"idleTimeout"`
	// LayerMB bounds one layer's uncompressed tar, in MiB: a decompression
	// bomb stops there.
	LayerMB int64 `yaml:"layerMB"`
	// LayerEntries bounds one layer's entries.
	LayerEntries int `yaml:"layerEntries"`
	// PathLength bounds one file name in a layer, in bytes.
	PathLength int `yaml:"pathLength"`
	// CachedEntries bounds the entries of the layers kept in memory to be
	// shown again; the oldest layers are forgotten past it.
	CachedEntries int `yaml:"cachedEntries"`
	// Referrers is the most referrers one subject may have: in its list,
	// and, when they are copied, with their own referrers.
	Referrers int `yaml:"referrers"`
	// ReferrerDepth is how deep referrers of referrers are followed.
	ReferrerDepth int `yaml:"referrerDepth"`
}

// layerLimits are the bounds of one layer.
func (l Limits) layerLimits() fstree.Limits {
	return fstree.Limits{Bytes: l.LayerMB << 20, Entries: l.LayerEntries, PathLen: l.PathLength}
}

// DefaultLimits are the limits without a config file.
func DefaultLimits() Limits {
	d := fstree.DefaultLimits()
	return Limits{Pages: 10000, Names: 2_000_000, PageMB: 64, HeaderTimeout: 30 * time.Second, IdleTimeout: 30 * time.Second,
		LayerMB: d.Bytes >> 20, LayerEntries: d.Entries, PathLength: d.PathLen, CachedEntries: 4_000_000,
		Referrers: 1000, ReferrerDepth: 4}
}

// The largest limits.layerEntries and limits.pathLength: far beyond any
// real layer, and within what the layer records count in.
const (
	maxLayerEntries = 100_000_000
	maxPathLength   = 1 << 20
	// Referrers of referrers of referrers…: 16 levels is past any signing
	// scheme (a signature of an SBOM of an image is 2).
	maxReferrerDepth = 16
)

// Problems lists what is wrong with l, for one message naming all of it.
func (l Limits) Problems() []string {
	var out []string
	if l.Pages < 1 {
		out = append(out, fmt.Sprintf("limits.pages must be at least 1, not %d", l.Pages))
	}
	if l.Names < 1 {
		out = append(out, fmt.Sprintf("limits.names must be at least 1, not %d", l.Names))
	}
	if l.PageMB < 1 || l.PageMB > 4096 {
		out = append(out, fmt.Sprintf("limits.pageMB must be between 1 and 4096, not %d", l.PageMB))
	}
	if l.HeaderTimeout < time.Second {
		out = append(out, fmt.Sprintf("limits.headerTimeout must be at least 1s, not %s", l.HeaderTimeout))
	}
	if l.IdleTimeout < time.Second {
		out = append(out, fmt.Sprintf("limits.idleTimeout must be at least 1s, not %s", l.IdleTimeout))
	}
	if l.LayerMB < 1 {
		out = append(out, fmt.Sprintf("limits.layerMB must be at least 1, not %d", l.LayerMB))
	}
	// Entries are counted in 32 bits (a layer's records, a tree's nodes).
	if l.LayerEntries < 1 || l.LayerEntries > maxLayerEntries {
		out = append(out, fmt.Sprintf("limits.layerEntries must be between 1 and %d, not %d", maxLayerEntries, l.LayerEntries))
	}
	if l.PathLength < 256 || l.PathLength > maxPathLength {
		out = append(out, fmt.Sprintf("limits.pathLength must be between 256 and %d, not %d", maxPathLength, l.PathLength))
	}
	if l.CachedEntries < 0 {
		out = append(out, fmt.Sprintf("limits.cachedEntries must not be negative, not %d", l.CachedEntries))
	}
	if l.Referrers < 1 {
		out = append(out, fmt.Sprintf("limits.referrers must be at least 1, not %d", l.Referrers))
	}
	if l.ReferrerDepth < 1 || l.ReferrerDepth > maxReferrerDepth {
		out = append(out, fmt.Sprintf("limits.referrerDepth must be between 1 and %d, not %d", maxReferrerDepth, l.ReferrerDepth))
	}
	return out
}

// WithLimits sets the limits (DefaultLimits otherwise).
func WithLimits(l Limits) Option { return func(o *options) { o.limits = l } }

// listGuard follows the pages of one list: it stops on a page that links
// back to one already read, on an empty page that links on, on a page
// that brings only names already read, and at the limits. It reads
// each page as regclient does, chunk by chunk, and hands the names it
// finds to emit as they arrive.
type listGuard struct {
	limits Limits
	// most is how many names (or, for referrers, descriptors) the list may
	// hold, set by key, counted as noun.
	most      int
	key, noun string
	// referrers lists count the descriptors of an index's "manifests"
	// instead of reading names, and stop reading past most.
	referrers bool
	failed    error
	// apiFailed is why the referrers API gave no answer at all (the
	// connection failed, or its body stopped): regclient then lists the
	// tag schema instead, which a registry with the API does not keep.
	apiFailed error
	mu        sync.Mutex
	pages     int
	names     int // names in the pages read
	seen      map[string]bool
	// cut says why the list stopped early ("" when it ended by itself).
	cut string
	// emit, when set, takes the valid names of each chunk read, up to
	// limits.Names, and how many invalid ones it dropped.
	emit    func(names []string, dropped int)
	valid   func(string) bool
	emitted int
	// known holds the names of a list that pages, to tell a page that
	// brings nothing new (a loop) and to emit each name once; a list of one
	// page (a million tags at once) needs none.
	known nameSet
	paged bool
}

type guardKey struct{}

// withListGuard marks ctx as listing: the transport guards its pages.
func withListGuard(ctx context.Context, l Limits) (context.Context, *listGuard) {
	g := &listGuard{limits: l, seen: map[string]bool{}, most: l.Names, key: "limits.names", noun: "names"}
	return context.WithValue(ctx, guardKey{}, g), g
}

// withReferrersGuard marks ctx as listing referrers: the pages of the
// referrers API (and the fallback tag's index) are bounded as tag lists
// are, and their descriptors by limits.referrers.
func withReferrersGuard(ctx context.Context, l Limits) (context.Context, *listGuard) {
	g := &listGuard{limits: l, seen: map[string]bool{}, most: l.Referrers, key: "limits.referrers", noun: "referrers", referrers: true}
	return context.WithValue(ctx, guardKey{}, g), g
}

// guards tells whether a response is a page of g's list: any GET but the
// API check, so a next link elsewhere is guarded too.
func (g *listGuard) guards(req *http.Request, resp *http.Response) bool {
	return req.Method == http.MethodGet && resp.StatusCode == http.StatusOK && req.URL.Path != "/v2/"
}

// err is why a page was not read to its end, when the guard stopped it.
func (g *listGuard) err() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.failed
}

// isReferrersAPI tells whether req asks the referrers API.
func isReferrersAPI(req *http.Request) bool { return strings.Contains(req.URL.Path, "/referrers/") }

// noteAPI notes how an attempt at the referrers API ended: err, or nil
// for an answer (a retry that got one clears an attempt that did not).
func (g *listGuard) noteAPI(err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.apiFailed = err
}

// apiErr is why the referrers API gave no answer, or nil.
func (g *listGuard) apiErr() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.apiFailed
}

func guardFrom(ctx context.Context) *listGuard {
	g, _ := ctx.Value(guardKey{}).(*listGuard)
	return g
}

// truncated is the error for a list the guard cut, with how many names
// arrived, or nil.
func (g *listGuard) truncated(what string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.cut == "" {
		return nil
	}
	return fmt.Errorf("%w: %s stopped after %d %s: %s", ErrTruncated, what, min(g.names, g.most), g.noun, g.cut)
}

// count is how many names the pages read held, for a check against what
// regclient decoded.
func (g *listGuard) count() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.names
}

// agrees checks that regclient decoded the names the guard saw arrive,
// so that what was emitted is what the list holds.
func (g *listGuard) agrees(decoded int, local bool) error {
	if local {
		return nil
	}
	if n := g.count(); n != decoded {
		return fmt.Errorf("%w: the list holds %d names, %d arrived", ErrInvalid, decoded, n)
	}
	return nil
}

var linkNext = regexp.MustCompile(`<([^>]*)>\s*;\s*rel="?next"?`)

// page guards one page of a list: its body is bounded and scanned for
// names as regclient reads it, and once it ends its next link is removed
// when following it would loop, bring nothing, or pass a limit (regclient
// reads the Link header after the body).
func (g *listGuard) page(req *http.Request, resp *http.Response) {
	key := "tags"
	switch {
	case g.referrers:
		key = "manifests"
	case strings.HasSuffix(req.URL.Path, "/_catalog"):
		key = "repositories"
	}
	b := &pageBody{ReadCloser: resp.Body, g: g, req: req, resp: resp, scan: newNameScanner(key), limit: int64(g.limits.PageMB) << 20}
	b.scan.objects = g.referrers
	g.mu.Lock()
	// The Link header is there before the body: a first page without one
	// is the whole list.
	g.paged = g.paged || g.pages > 0 || linkNext.MatchString(resp.Header.Get("Link"))
	b.tracked = g.paged && !g.referrers
	g.mu.Unlock()
	resp.Body = b
}

// pageBody is one page of a list as it is read.
type pageBody struct {
	io.ReadCloser
	g     *listGuard
	req   *http.Request
	resp  *http.Response
	scan  *nameScanner
	n     int64
	limit int64
	ended bool
	// tracked pages have their names checked against those read before;
	// fresh counts the new ones.
	tracked bool
	fresh   int
}

func (b *pageBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n += int64(n)
	if b.n > b.limit {
		return 0, fmt.Errorf("%w: a page of the list is over %d MiB (limits.pageMB)", ErrInvalid, b.g.limits.PageMB)
	}
	b.scan.write(p[:n])
	if b.scan.err != nil {
		return 0, fmt.Errorf("%w: %w", ErrInvalid, b.scan.err)
	}
	if b.g.referrers {
		if err := b.g.over(b.scan.count); err != nil {
			return 0, err
		}
	}
	names := b.scan.take()
	if b.tracked {
		names = b.g.fresh(names)
		b.fresh += len(names)
	}
	b.g.emitNames(names)
	if err != nil && !errors.Is(err, io.EOF) && b.g.referrers && isReferrersAPI(b.req) {
		b.g.noteAPI(err)
	}
	if errors.Is(err, io.EOF) && !b.ended {
		b.ended = true
		b.g.ended(b.req, b.resp, b.scan.count, b.fresh, b.tracked)
	}
	return n, err //nolint:wrapcheck // a body passes its reader's errors through
}

// emitNames hands names to emit, the valid ones up to limits.Names.
func (g *listGuard) emitNames(names []string) {
	if len(names) == 0 || g.emit == nil {
		return
	}
	g.mu.Lock()
	room := g.limits.Names - g.emitted
	g.mu.Unlock()
	kept, dropped := cleanList(names, g.valid)
	if len(kept) > room {
		kept = kept[:max(room, 0)]
	}
	g.mu.Lock()
	g.emitted += len(kept)
	g.mu.Unlock()
	if len(kept) > 0 || dropped > 0 {
		g.emit(kept, dropped)
	}
}

// over stops a referrers page as soon as the list passes its bound: the
// rest is not read (20,000 descriptors would all be followed otherwise).
func (g *listGuard) over(onPage int) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.failed == nil && g.names+onPage > g.most {
		g.failed = fmt.Errorf("%w: more than %d %s (%s)", ErrTruncated, g.most, g.noun, g.key)
	}
	return g.failed
}

// fresh keeps the names not read before on a page of this list.
func (g *listGuard) fresh(names []string) []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.known.fresh(names)
}

// ended takes a page read to its end: n names (fresh of them new, when
// tracked), and its next link.
func (g *listGuard) ended(req *http.Request, resp *http.Response, n, fresh int, tracked bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.pages++
	g.names += n
	g.seen[req.URL.String()] = true
	if g.names > g.most {
		g.cut = fmt.Sprintf("%d %s (%s)", g.most, g.noun, g.key)
		resp.Header.Del("Link")
		return
	}
	if tracked && g.pages > 1 && n > 0 && fresh == 0 {
		// The registry goes round: whatever it links to next is more of it.
		g.cut = fmt.Sprintf("page %d brought only names already read (a loop)", g.pages)
		resp.Header.Del("Link")
		return
	}
	m := linkNext.FindStringSubmatch(resp.Header.Get("Link"))
	if m == nil {
		return
	}
	next, err := req.URL.Parse(m[1])
	switch {
	case err != nil:
		g.cut = "its next link does not parse"
	case n == 0:
		// Not the end: what follows it is not read, so the list is cut.
		g.cut = fmt.Sprintf("page %d is empty but links to more", g.pages)
	case g.seen[next.String()] || sameURL(next, req.URL):
		g.cut = "its next page links back to one already read"
	case g.pages >= g.limits.Pages:
		g.cut = fmt.Sprintf("%d pages (limits.pages)", g.limits.Pages)
	case g.names >= g.most:
		g.cut = fmt.Sprintf("%d %s (%s)", g.most, g.noun, g.key)
	default:
		return
	}
	resp.Header.Del("Link")
}

// nameSet remembers names by a 64-bit hash: 2M names cost ~20 MB rather
// than the names again. A collision could only hide a new name as read.
type nameSet struct {
	seed maphash.Seed
	m    map[uint64]struct{}
}

// fresh returns the names of in not in the set, in order, and adds them;
// in is reused.
func (s *nameSet) fresh(in []string) []string {
	if s.m == nil {
		s.seed, s.m = maphash.MakeSeed(), map[uint64]struct{}{}
	}
	out := in[:0]
	for _, n := range in {
		h := maphash.String(s.seed, n)
		if _, ok := s.m[h]; !ok {
			s.m[h] = struct{}{}
			out = append(out, n)
		}
	}
	return out
}

// unique drops from list (in place) the names met before, when the list
// came in pages; one page is kept as the registry sent it.
func (g *listGuard) unique(list []string) []string {
	g.mu.Lock()
	paged := g.paged
	g.mu.Unlock()
	if !paged {
		return list
	}
	var s nameSet
	return s.fresh(list)
}

func sameURL(a, b *url.URL) bool {
	return a.Host == b.Host && a.Path == b.Path && a.Query().Encode() == b.Query().Encode()
}

// idleBody stops a response that brings less than idleBytes for a whole
// idle period: a registry that sends headers and then one byte a second
// does not hold a command forever.
type idleBody struct {
	io.ReadCloser
	idle    time.Duration
	timer   *time.Timer
	cancel  context.CancelFunc
	mu      sync.Mutex
	since   int
	stalled bool
}

const idleBytes = 1 << 10

func newIdleBody(body io.ReadCloser, idle time.Duration, cancel context.CancelFunc) *idleBody {
	b := &idleBody{ReadCloser: body, idle: idle, cancel: cancel}
	b.timer = time.AfterFunc(idle, func() {
		b.mu.Lock()
		b.stalled = true
		b.mu.Unlock()
		cancel()
	})
	return b
}

func (b *idleBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.stalled {
		return n, fmt.Errorf("%w: less than 1 KiB in %s", ErrStalled, b.idle)
	}
	b.since += n
	if b.since >= idleBytes || err != nil {
		b.since = 0
		b.timer.Reset(b.idle)
	}
	return n, err //nolint:wrapcheck // a body passes its reader's errors through
}

func (b *idleBody) Close() error {
	b.timer.Stop()
	err := b.ReadCloser.Close()
	b.cancel()
	return err //nolint:wrapcheck // as above
}
