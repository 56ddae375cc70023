package registry

import (
	"context"
	"sync"
)

// parallel runs f(0…n-1) with at most the client's concurrency at once.
func (c *Client) parallel(ctx context.Context, n int, f func(i int)) {
	parallelN(ctx, n, c.opts.concurrency, f)
}

// parallelN runs f(0…n-1), at most limit at once. Once ctx ends it starts
// no more and waits for those running: the caller checks ctx.Err() for
// the ones never run.
func parallelN(ctx context.Context, n, limit int, f func(i int)) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(limit, 1))
	for i := range n {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			f(i)
		}()
	}
	wg.Wait()
}
