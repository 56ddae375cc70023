package registry

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/regclient/regclient/scheme"
	"github.com/regclient/regclient/types/errs"

	"github.com/platypus-tui/platypus/model"
)

// DefaultPageSize is how many tags or repositories one request asks for.
const DefaultPageSize = 1000

// Page is one page of a paginated list. Next is the value to pass as last
// for the following page, "" when the list is complete.
type Page struct {
	Items   []string
	Next    string
	Dropped int // names refused because they are not valid names
}

// Repositories lists one page of a registry's catalog, starting after last;
// n AllNames asks without a page size (the registry then sends what it
// will, and a Link header says whether more follows).
// Registries without the optional catalog API (Docker Hub among them)
// answer ErrNoCatalog.
func (c *Client) Repositories(ctx context.Context, host, last string, n int) (Page, error) {
	if n == 0 {
		n = DefaultPageSize
	}
	r := model.Reference{Registry: host}
	if host == model.DockerHub {
		return Page{}, &Error{Op: "list repositories", Target: host, Host: host, Kind: ErrNoCatalog}
	}
	rc := c.remote.client(ctx, host)
	ctx, guard := withListGuard(ctx, c.opts.limits)
	var opts []scheme.RepoOpts
	if n > 0 {
		opts = append(opts, scheme.WithRepoLimit(n))
	}
	if last != "" {
		opts = append(opts, scheme.WithRepoLast(last))
	}
	rl, err := rc.RepoList(ctx, host, opts...)
	if err != nil {
		if errors.Is(err, errs.ErrNotFound) || errors.Is(err, errs.ErrUnsupportedAPI) || isStatus(err, 405) {
			return Page{}, &Error{Op: "list repositories", Target: host, Host: host, Kind: ErrNoCatalog, Err: err}
		}
		werr := c.wrap("list repositories", r, host, err)
		if e := (*Error)(nil); isStatus(err, http.StatusBadRequest) && errors.As(werr, &e) {
			e.Status = http.StatusBadRequest // a page size refused, maybe
		}
		return Page{}, werr
	}
	raw := rl.Repositories
	if err := guard.agrees(len(raw), false); err != nil {
		return Page{}, c.wrap("list repositories", r, host, err)
	}
	var next string
	switch {
	case len(raw) == 0:
	case n > 0 && len(raw) == n:
		next = raw[len(raw)-1]
	case hasNext(rl.RawHeaders()):
		// A page shorter than asked that links on: the registry caps its
		// pages below n (or, asked without n, pages anyway).
		next = raw[len(raw)-1]
	}
	items, dropped := cleanList(raw, model.ValidRepository)
	p := Page{Items: items, Dropped: dropped, Next: next}
	return p, guard.truncated("the catalog")
}

// hasNext tells whether a list's headers link to a next page.
func hasNext(h http.Header, err error) bool {
	return err == nil && linkNext.MatchString(h.Get("Link"))
}

// Tags lists one page of a repository's tags, starting after last.
// regclient follows Link headers until n tags have arrived; a registry
// that ignores n returns everything at once.
func (c *Client) Tags(ctx context.Context, r model.Reference, last string, n int) (Page, error) {
	return c.TagsStream(ctx, r, last, n, nil)
}

// Emit takes names as they arrive, before their list is complete: the
// valid ones, and how many invalid ones were dropped. It runs on the
// goroutine reading the list, and must not keep it waiting long.
type Emit func(names []string, dropped int)

// AllNames is the page size that asks for every name after last at once.
const AllNames = -1

// TagsStream is Tags, handing the names to emit as they arrive: a
// registry that ignores n can take seconds to send a million tags. The
// page returned holds the same names, once the list is complete. With n
// AllNames it asks without a page size, and the page is the last.
func (c *Client) TagsStream(ctx context.Context, r model.Reference, last string, n int, emit Emit) (Page, error) {
	if n == 0 {
		n = DefaultPageSize
	}
	var opts []scheme.TagOpts
	if n > 0 {
		opts = append(opts, scheme.WithTagLimit(n))
	}
	if last != "" {
		opts = append(opts, scheme.WithTagLast(last))
	}
	r = r.RepoOnly()
	tags, guard, whole, err := c.tagList(ctx, r, emit, opts...)
	if err != nil {
		return Page{}, err
	}
	items, dropped := cleanList(tags, model.ValidTag)
	p := Page{Items: items, Dropped: dropped}
	// A registry that ignores n (distribution does) sent everything: more
	// than n means the list is complete.
	if len(tags) == n && !whole {
		p.Next = tags[len(tags)-1]
	}
	return p, guard.truncated("the tag list of " + r.String())
}

// AllTags lists every tag of a repository. It asks without a page size:
// most registries then answer everything at once (distribution ignores n on
// tags anyway), and regclient follows the Link headers of those that page.
func (c *Client) AllTags(ctx context.Context, r model.Reference) ([]string, error) {
	return c.AllTagsStream(ctx, r, nil)
}

// AllTagsStream is AllTags, handing the names to emit as they arrive.
func (c *Client) AllTagsStream(ctx context.Context, r model.Reference, emit Emit) ([]string, error) {
	r = r.RepoOnly()
	tags, guard, _, err := c.tagList(ctx, r, emit)
	if err != nil {
		return nil, err
	}
	items, _ := cleanList(tags, model.ValidTag)
	if len(items) > c.opts.limits.Names {
		items = items[:c.opts.limits.Names]
	}
	if err := guard.truncated("the tag list of " + r.String()); err != nil {
		return items, c.wrap("list tags", r, "", err)
	}
	return items, nil
}

// tagList is r's tag list under a list guard, which emits the names as
// they arrive; whole says the list is complete whatever page was asked.
func (c *Client) tagList(ctx context.Context, r model.Reference, emit Emit, opts ...scheme.TagOpts) ([]string, *listGuard, bool, error) {
	ctx, guard := withListGuard(ctx, c.opts.limits)
	guard.emit, guard.valid = emit, model.ValidTag
	tags, whole, err := c.storeOf(r).tagList(ctx, r, guard, opts...)
	if err != nil {
		return nil, nil, false, c.wrap("list tags", r, "", err)
	}
	// Names a later page repeated were emitted once: so are they listed.
	return guard.unique(tags), guard, whole, nil
}

// AllRepositories lists a whole catalog, page after page, up to the
// limits; a catalog cut short returns what arrived and ErrTruncated.
func (c *Client) AllRepositories(ctx context.Context, host string) ([]string, error) {
	var all []string
	var known nameSet
	last := ""
	r := model.Reference{Registry: host}
	// Pages of 1,000, the most distribution serves (it answers 400 above
	// that, and asked without n it pages by 100); a registry that refuses
	// n=1000 with a 400 is asked without n, for pages of its own size.
	n := DefaultPageSize
	for pages := 1; ; pages++ {
		p, err := c.Repositories(ctx, host, last, n)
		if e := (*Error)(nil); n > 0 && errors.As(err, &e) && e.Status == http.StatusBadRequest {
			n = AllNames
			p, err = c.Repositories(ctx, host, last, n)
		}
		if err != nil {
			return all, err
		}
		got := len(p.Items)
		fresh := known.fresh(p.Items)
		all = append(all, fresh...)
		switch {
		case pages > 1 && got > 0 && len(fresh) == 0:
			return all, c.wrap("list repositories", r, host, fmt.Errorf("%w: the catalog stopped after %d names: page %d brought only names already read (a loop)", ErrTruncated, len(all), pages))
		case p.Next == "" || p.Next == last || got == 0:
			return all, nil
		case pages >= c.opts.limits.Pages:
			return all, c.wrap("list repositories", r, host, fmt.Errorf("%w: the catalog stopped after %d names: %d pages (limits.pages)", ErrTruncated, len(all), pages))
		case len(all) >= c.opts.limits.Names:
			return all, c.wrap("list repositories", r, host, fmt.Errorf("%w: the catalog stopped after %d names (limits.names)", ErrTruncated, len(all)))
		}
		last = p.Next
	}
}

// cleanList drops names that are not valid tags or repository names rather
// than cleaning them: a cleaned name would point at something else, and a
// valid one cannot carry a control character.
func cleanList(in []string, valid func(string) bool) ([]string, int) {
	out := in[:0] // in place: the list is ours, and may hold a million names
	for _, s := range in {
		if valid(s) {
			out = append(out, s)
		}
	}
	return out, len(in) - len(out)
}

func isStatus(err error, code int) bool {
	return errors.Is(err, errs.ErrHTTPStatus) && strings.Contains(err.Error(), fmt.Sprintf("[http %d]", code))
}
