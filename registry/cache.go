package registry

import (
	"context"
	"fmt"
	"sync"
)

// memCap bounds the in-memory content cache. Manifests and configs are
// small; 256 MiB holds tens of thousands of them.
const memCap = 256 << 20

// cache keeps content fetched by digest (immutable, so never stale) and
// coalesces concurrent fetches of the same key: the second caller waits for
// the first instead of asking the registry again. Tags and catalog pages
// never enter it.
type cache struct {
	mu       sync.Mutex
	mem      map[string][]byte
	order    []string
	size     int64
	inflight map[string]*call
	disk     *diskCache
	mediaOf  map[string]string // Content-Type a manifest came with, by digest
}

type call struct {
	done   chan struct{}
	val    []byte
	err    error
	refs   int
	gone   bool // every caller left; the fetch is being cancelled
	cancel context.CancelFunc
}

func newCache(dir string, capBytes int64) *cache {
	c := &cache{mem: map[string][]byte{}, inflight: map[string]*call{}, mediaOf: map[string]string{}}
	if dir != "" {
		c.disk = newDiskCache(dir, capBytes)
	}
	return c
}

func (c *cache) get(key string) ([]byte, bool) {
	c.mu.Lock()
	b, ok := c.mem[key]
	c.mu.Unlock()
	if ok {
		return b, true
	}
	if c.disk != nil {
		if b, ok := c.disk.get(key); ok {
			c.put(key, b, false)
			return b, true
		}
	}
	return nil, false
}

func (c *cache) put(key string, b []byte, toDisk bool) {
	c.mu.Lock()
	if _, ok := c.mem[key]; !ok {
		c.mem[key] = b
		c.order = append(c.order, key)
		c.size += int64(len(b))
		for c.size > memCap && len(c.order) > 1 {
			old := c.order[0]
			c.order = c.order[1:]
			c.size -= int64(len(c.mem[old]))
			delete(c.mem, old)
		}
	}
	c.mu.Unlock()
	if toDisk && c.disk != nil {
		c.disk.put(key, b)
	}
}

// do runs fetch once for all concurrent callers of key. The fetch gets a
// context of its own, cancelled only when every caller has gone, so one
// screen leaving does not fail another screen's identical request.
func (c *cache) do(ctx context.Context, key string, fetch func(context.Context) ([]byte, error)) ([]byte, error) {
	c.mu.Lock()
	cl, ok := c.inflight[key]
	if !ok || cl.gone {
		fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		cl = &call{done: make(chan struct{}), cancel: cancel}
		c.inflight[key] = cl
		go func() {
			cl.val, cl.err = fetch(fctx)
			cancel()
			c.mu.Lock()
			if c.inflight[key] == cl {
				delete(c.inflight, key)
			}
			c.mu.Unlock()
			close(cl.done)
		}()
	}
	cl.refs++
	c.mu.Unlock()

	select {
	case <-cl.done:
		c.release(cl)
		return cl.val, cl.err
	case <-ctx.Done():
		c.release(cl)
		return nil, fmt.Errorf("waiting for a fetch of %s: %w", key, ctx.Err())
	}
}

func (c *cache) release(cl *call) {
	c.mu.Lock()
	cl.refs--
	last := cl.refs == 0
	if last {
		cl.gone = true
	}
	c.mu.Unlock()
	if last {
		cl.cancel()
	}
}

func (c *cache) setMedia(key, mt string) {
	c.mu.Lock()
	c.mediaOf[key] = mt
	c.mu.Unlock()
}

// media returns the Content-Type key came with, or "" when it was read from
// disk; decoding then goes by the document's own mediaType and shape.
func (c *cache) media(key string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.mediaOf[key]
}

// has tells whether key is in memory (not asking the disk).
func (c *cache) has(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.mem[key]
	return ok
}
