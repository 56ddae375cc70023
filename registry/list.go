package registry

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/regclient/regclient/scheme"
	"github.com/regclient/regclient/types/errs"

	"platypus/model"
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

// Repositories lists one page of a registry's catalog, starting after last.
// Registries without the optional catalog API (Docker Hub among them)
// answer ErrNoCatalog.
func (c *Client) Repositories(ctx context.Context, host, last string, n int) (Page, error) {
	if n <= 0 {
		n = DefaultPageSize
	}
	r := model.Reference{Registry: host}
	if host == model.DockerHub {
		return Page{}, &Error{Op: "list repositories", Target: host, Host: host, Kind: ErrNoCatalog}
	}
	rc := c.client(ctx.Done(), host)
	opts := []scheme.RepoOpts{scheme.WithRepoLimit(n)}
	if last != "" {
		opts = append(opts, scheme.WithRepoLast(last))
	}
	rl, err := rc.RepoList(ctx, host, opts...)
	if err != nil {
		if errors.Is(err, errs.ErrNotFound) || errors.Is(err, errs.ErrUnsupportedAPI) || isStatus(err, 405) {
			return Page{}, &Error{Op: "list repositories", Target: host, Host: host, Kind: ErrNoCatalog, Err: err}
		}
		return Page{}, c.wrap("list repositories", r, host, err)
	}
	items, dropped := cleanList(rl.Repositories, model.ValidRepository)
	p := Page{Items: items, Dropped: dropped}
	if raw := rl.Repositories; len(raw) >= n {
		p.Next = raw[len(raw)-1]
	}
	return p, nil
}

// Tags lists one page of a repository's tags, starting after last.
// regclient follows Link headers until n tags have arrived; a registry
// that ignores n returns everything at once.
func (c *Client) Tags(ctx context.Context, r model.Reference, last string, n int) (Page, error) {
	if n <= 0 {
		n = DefaultPageSize
	}
	r = r.RepoOnly()
	rc := c.client(ctx.Done(), hostOf(r))
	opts := []scheme.TagOpts{scheme.WithTagLimit(n)}
	if last != "" {
		opts = append(opts, scheme.WithTagLast(last))
	}
	tl, err := rc.TagList(ctx, toRef(r), opts...)
	if err != nil {
		return Page{}, c.wrap("list tags", r, "", err)
	}
	tags, err := tl.GetTags()
	if err != nil {
		return Page{}, c.wrap("list tags", r, "", fmt.Errorf("%w: %w", ErrInvalid, err))
	}
	items, dropped := cleanList(tags, model.ValidTag)
	p := Page{Items: items, Dropped: dropped}
	if len(tags) >= n && !r.IsOCIDir() {
		p.Next = tags[len(tags)-1]
	}
	return p, nil
}

// AllTags lists every tag of a repository. It asks without a page size:
// most registries then answer everything at once (distribution ignores n on
// tags anyway), and regclient follows the Link headers of those that page.
func (c *Client) AllTags(ctx context.Context, r model.Reference) ([]string, error) {
	r = r.RepoOnly()
	rc := c.client(ctx.Done(), hostOf(r))
	tl, err := rc.TagList(ctx, toRef(r))
	if err != nil {
		return nil, c.wrap("list tags", r, "", err)
	}
	tags, err := tl.GetTags()
	if err != nil {
		return nil, c.wrap("list tags", r, "", fmt.Errorf("%w: %w", ErrInvalid, err))
	}
	items, _ := cleanList(tags, model.ValidTag)
	return items, nil
}

// AllRepositories lists a whole catalog, page after page.
func (c *Client) AllRepositories(ctx context.Context, host string) ([]string, error) {
	var all []string
	last := ""
	for {
		p, err := c.Repositories(ctx, host, last, DefaultPageSize)
		if err != nil {
			return all, err
		}
		all = append(all, p.Items...)
		if p.Next == "" || p.Next == last {
			return all, nil
		}
		last = p.Next
	}
}

// cleanList drops names that are not valid tags or repository names rather
// than cleaning them: a cleaned name would point at something else, and a
// valid one cannot carry a control character.
func cleanList(in []string, valid func(string) bool) ([]string, int) {
	out := make([]string, 0, len(in))
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
