package registry

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/regclient/regclient/types"

	"github.com/platypus-tui/platypus/model"
)

// Quota is what a registry said about its pull budget in its last
// RateLimit-* headers (Docker Hub sends them on manifest requests).
type Quota struct {
	Limit, Remaining int
	Known            bool
}

type quotaTracker struct {
	mu     sync.Mutex
	byHost map[string]Quota
}

func (q *quotaTracker) observe(host string, rl types.RateLimit) {
	if !rl.Set || host == "" {
		return
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.byHost == nil {
		q.byHost = map[string]Quota{}
	}
	q.byHost[host] = Quota{Limit: rl.Limit, Remaining: rl.Remain, Known: true}
}

// Quota returns the last pull budget seen for host.
func (c *Client) Quota(host string) Quota {
	return c.remote.quota.get(host)
}

func (q *quotaTracker) get(host string) Quota {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.byHost[host]
}

// observeHeader reads RateLimit-Limit / RateLimit-Remaining ("100;w=21600").
func (q *quotaTracker) observeHeader(host string, h http.Header) {
	lim, rem := h.Get("RateLimit-Limit"), h.Get("RateLimit-Remaining")
	if lim == "" || rem == "" {
		return
	}
	l, err1 := strconv.Atoi(strings.TrimSpace(strings.SplitN(lim, ";", 2)[0]))
	r, err2 := strconv.Atoi(strings.TrimSpace(strings.SplitN(rem, ";", 2)[0]))
	if err1 != nil || err2 != nil {
		return
	}
	q.observe(host, types.RateLimit{Limit: l, Remain: r, Set: true})
}

// quotaMatters tells whether host counts manifest GETs against a quota:
// Docker Hub, or any registry that sent rate-limit headers.
func (c *Client) quotaMatters(host string) bool {
	return host == model.DockerHub || c.Quota(host).Known
}

// ProbeQuota learns host's pull budget with a HEAD, which registries do
// not count as a pull.
func (c *Client) ProbeQuota(ctx context.Context, r model.Reference) Quota {
	_, _ = c.Head(ctx, r)
	return c.Quota(r.Registry)
}

// CheckScanBudget refuses a scan of tags that could spend more than share
// of the pulls the registry still allows; one free HEAD learns the budget.
// Registries that announce no quota pass.
func (c *Client) CheckScanBudget(ctx context.Context, repo model.Reference, tags []string, share float64, askOver int) error {
	if len(tags) == 0 {
		return nil
	}
	q := c.ProbeQuota(ctx, repo.WithTag(tags[0]))
	if !q.Known {
		if askOver > 0 && len(tags) > askOver {
			return fmt.Errorf("%w: %s has %d tags and %s says nothing of a pull quota; a scan judges more than %d (scanAsk) only when asked to",
				ErrBudget, repo.RepoOnly(), len(tags), repo.Registry, askOver)
		}
		return nil
	}
	if float64(len(tags)) <= share*float64(q.Remaining) {
		return nil
	}
	return fmt.Errorf("%w: scanning %d tags of %s could spend %d of the %d pulls %s allows now (limit %d); scan anyway to go on",
		ErrBudget, len(tags), repo.RepoOnly(), len(tags), q.Remaining, repo.Registry, q.Limit)
}
