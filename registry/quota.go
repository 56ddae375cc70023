package registry

import (
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/regclient/regclient/types"
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
	c.quota.mu.Lock()
	defer c.quota.mu.Unlock()
	return c.quota.byHost[host]
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
